"""Edits through an editing session are durable once acknowledged, even after SIGKILL."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from reelgraph.engine.editing import open_for_editing
from reelgraph.project.load import load_project
from reelgraph.testing import clip, color, project, track
from reelgraph.timeline.edits import edit_from_data

CHILD = Path(__file__).with_name("editing_child.py")


def write_project(tmp_path: Path) -> Path:
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(project([track("V1", "video", [clip("a", 0, 10, color("#ff0000"))])]))
    )
    return path


def duration_of_a(path: Path) -> int:
    with open_for_editing(path) as session:
        return next(c for c in session.engine.document.clips if c.id == "a").duration


def test_every_acknowledged_edit_survives_a_kill_at_any_point(tmp_path):
    path = write_project(tmp_path)
    expected = 10
    for stop_after in (1, 7, 23):
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(path)], stdout=subprocess.PIPE, text=True
        )
        acknowledged = 0
        assert child.stdout is not None
        for line in child.stdout:
            acknowledged = int(line.split()[1])
            if acknowledged >= stop_after:
                child.send_signal(signal.SIGKILL)
                break
        child.wait()
        found = duration_of_a(path)
        # Every edit we saw acknowledged is there; the child may have logged a few more
        # between the line we read and the kill (they were acknowledged to it too).
        assert found >= expected + acknowledged
        expected = found


def test_a_clean_close_saves_the_file_and_keeps_a_backup(tmp_path):
    path = write_project(tmp_path)
    with open_for_editing(path) as session:
        session.engine.apply(
            edit_from_data({"kind": "trim", "clip": "a", "side": "end", "delta": 5})
        )
    assert next(c for c in load_project(path).clips if c.id == "a").duration == 15
    assert path.with_name("p.json.bak").exists()


def test_undo_is_logged_as_the_edit_that_undoes(tmp_path):
    path = write_project(tmp_path)
    session = open_for_editing(path)
    session.engine.apply(edit_from_data({"kind": "trim", "clip": "a", "side": "end", "delta": 5}))
    session.engine.undo()
    session.opened.store.close()  # no save: the next open must replay both
    session.engine.close()
    assert duration_of_a(path) == 10
