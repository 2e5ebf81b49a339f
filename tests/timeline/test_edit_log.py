"""Recording a session's operations and replaying them: same document, same frames."""

from __future__ import annotations

import hashlib
import json

import pytest

from reelgraph.errors import EditFormatError, OverlapError
from reelgraph.export.job import render_to_memory
from reelgraph.testing import clip, color, effect, keys, project, track, transition
from reelgraph.timeline.edit_log import EditLog, document_digest, replay, replay_history
from reelgraph.timeline.edits import AddKeyframe, MoveClip, SetParam, Slide, Split, Trim
from reelgraph.timeline.history import History

from .edit_strategies import load


@pytest.fixture
def document():
    return load(
        project(
            [
                track(
                    "V1",
                    "video",
                    [
                        clip("a", 0, 12, color("#ff0000"), effects=[effect("exposure", stops=0.5)]),
                        clip("b", 9, 10, color("#00ff00"), opacity=keys((0, 0.2), (9, 1.0))),
                    ],
                    [transition("a", "b")],
                ),
                track("V2", "video", [clip("c", 4, 6, color([0.2, 0.4, 0.6, 0.5]))]),
            ],
            width=32,
            height=24,
            rate=24,
        )
    )


def _hashes(document):
    frames = render_to_memory(document).frames
    return [hashlib.sha256(f.tobytes()).hexdigest() for f in frames]


def _session(history):
    history.apply(Trim("b", "end", 4))
    with history.group("look"):
        history.apply(SetParam("a.fx0", "stops", -1.0))
        history.apply(AddKeyframe("c", "opacity", 2, 0.5))
    history.apply(Split("a", 4))
    history.undo()
    history.redo()
    history.apply(Slide("c", 3))
    history.undo()
    history.apply(MoveClip("c", 12))


def test_replaying_a_recorded_session_gives_the_identical_document_and_frames(document, tmp_path):
    history = History(document)
    with EditLog.record(history, tmp_path / "session.jsonl"):
        _session(history)
    replayed = replay(tmp_path / "session.jsonl", document)
    assert replayed == history.document
    assert _hashes(replayed) == _hashes(history.document)


def test_a_replayed_history_can_still_undo_everything(document, tmp_path):
    history = History(document)
    with EditLog.record(history, tmp_path / "session.jsonl"):
        _session(history)
    again = replay_history(tmp_path / "session.jsonl", document)
    while again.can_undo():
        again.undo()
    assert again.document == document


def test_the_log_is_json_lines_with_a_header_naming_the_document(document, tmp_path):
    history = History(document)
    with EditLog.record(history, tmp_path / "log.jsonl"):
        history.apply(Trim("b", "end", 4))
        history.undo()
    lines = [json.loads(x) for x in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert lines[0] == {"schema": "EditLog.1", "base": document_digest(document)}
    assert lines[1]["edit"] == {
        "schema": "Edit.1",
        "kind": "trim",
        "clip": "b",
        "side": "end",
        "delta": 4,
    }
    assert lines[2] == {"op": "undo"}


def test_a_log_recorded_on_another_document_is_refused(document, tmp_path):
    history = History(document)
    with EditLog.record(history, tmp_path / "log.jsonl"):
        history.apply(Trim("b", "end", 4))
    other = Trim("a", "end", -1).apply(document).document
    with pytest.raises(EditFormatError):
        replay(tmp_path / "log.jsonl", other)


def test_a_damaged_line_is_reported_with_its_line_number(document, tmp_path):
    path = tmp_path / "log.jsonl"
    header = json.dumps({"schema": "EditLog.1", "base": document_digest(document)})
    path.write_text(header + '\n{"op": "apply", "edit": {"kind": "trim"\n')
    with pytest.raises(EditFormatError) as info:
        replay(path, document)
    assert info.value.params["path"].endswith("log.jsonl:2")


def test_a_refused_operation_names_its_log_line(document, tmp_path):
    path = tmp_path / "log.jsonl"
    header = json.dumps({"schema": "EditLog.1", "base": document_digest(document)})
    bad = json.dumps({"op": "apply", "edit": MoveClip("c", 10, track="V1").to_data()})
    path.write_text(f"{header}\n{bad}\n")
    with pytest.raises(OverlapError) as info:
        replay(path, document)
    assert info.value.params["log_line"].endswith("log.jsonl:2")
