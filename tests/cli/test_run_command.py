"""``reelgraph run MACRO`` and ``reelgraph edit``: batch edits, saves and renders."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from reelgraph.cli.main import main
from reelgraph.macro import load_macro, run_macro
from reelgraph.project.load import load_project
from reelgraph.testing import clip, color, project, track, transition


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = project(
        [
            track(
                "V1",
                "video",
                [clip("a", 0, 12, color("#ff0000")), clip("b", 9, 12, color("#00ff00"))],
                [transition("a", "b")],
            ),
            track("V2", "video", [clip("c", 4, 6, color("#0000ff"))]),
        ],
        width=32,
        height=24,
        rate=24,
    )
    (tmp_path / "p.json").write_text(json.dumps(data))
    return tmp_path


def _macro(folder: Path, steps: list, **variables) -> Path:
    body = {
        "schema": "Macro.1",
        "project": "p.json",
        "variables": {"out": "renders", **variables},
        "steps": steps,
    }
    path = folder / "m.json"
    path.write_text(json.dumps(body))
    return path


STEPS = [
    {"kind": "trim", "clip": "b", "side": "end", "delta": "${grow}"},
    {
        "kind": "group",
        "name": "look",
        "edits": [
            {"kind": "set_param", "target": "c", "param": "opacity", "value": 0.5},
            {"kind": "split", "clip": "a", "at": 4},
        ],
    },
    {"kind": "save", "output": "${out}/edited.json"},
    {
        "kind": "render",
        "output": "${out}/cut.mkv",
        "range": "0-${frames}",
        "preset": "ffv1",
        "settings": {"audio_codec": "none"},
        "frame_hashes": "${out}/hashes.json",
    },
    {"kind": "undo"},
    {"kind": "save"},
]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_macro_runs_end_to_end_and_its_render_is_the_same_bytes_every_time(folder, capsys):
    original = (folder / "p.json").read_text()
    macro = _macro(folder, STEPS, grow=3, frames=16)
    assert main(["run", str(macro), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["kind"] for s in report["steps"]] == [
        "trim",
        "group",
        "save",
        "render",
        "undo",
        "save",
    ]
    first = _sha(folder / "renders" / "cut.mkv")
    edited = load_project(folder / "renders" / "edited.json")
    assert {c.id for c in edited.clips} == {"a", "a.2", "b", "c"}
    assert len(load_project(folder / "p.json").clips) == 3  # undone, then saved in place
    (folder / "p.json").write_text(original)
    assert main(["run", str(macro), "--set", "out=again"]) == 0
    assert _sha(folder / "again" / "cut.mkv") == first
    hashes = json.loads((folder / "renders" / "hashes.json").read_text())["frames"]
    assert len(hashes) == 16


def test_set_overrides_a_variable_with_its_json_type(folder):
    macro = load_macro(_macro(folder, STEPS[:1], grow=3), {"grow": 5})
    result = run_macro(macro)
    assert next(c for c in result.document.clips if c.id == "b").duration == 17


def test_an_undefined_variable_names_its_step_and_exits_as_a_project_error(folder, capsys):
    steps = [
        {"kind": "save", "output": "early.json"},
        {"kind": "slip", "clip": "${who}", "delta": 1},
    ]
    assert main(["run", str(_macro(folder, steps)), "--json"]) == 3
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["params"]["step"]) == ("macro.invalid", 1)
    assert not (folder / "early.json").exists()


def test_a_refused_edit_stops_the_macro_with_its_code_and_step(folder, capsys):
    macro = _macro(folder, [{"kind": "move", "clip": "c", "start": 5, "track": "V1"}])
    assert main(["run", str(macro), "--json"]) == 4
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["params"]["step"]) == ("timeline.overlap", 0)


def test_an_unknown_step_kind_is_a_macro_error(folder, capsys):
    macro = _macro(folder, [{"kind": "explode"}])
    assert main(["run", str(macro), "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "macro.invalid"


def test_edit_applies_json_edits_and_saves_the_project(folder, capsys):
    edit = json.dumps({"kind": "move", "clip": "c", "start": 30})
    assert main(["edit", str(folder / "p.json"), edit, "-o", str(folder / "q.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["dirty"] == [[4, 10], [30, 36]]
    moved = load_project(folder / "q.json")
    assert next(c for c in moved.clips if c.id == "c").start == 30


def test_edit_reads_a_list_of_edits_from_a_file_and_dry_run_writes_nothing(folder):
    before = (folder / "p.json").read_text()
    edits = [
        {"kind": "trim", "clip": "c", "side": "end", "delta": 2},
        {"kind": "slip", "clip": "c", "delta": 1},
    ]
    (folder / "e.json").write_text(json.dumps(edits))
    assert main(["edit", str(folder / "p.json"), f"@{folder / 'e.json'}", "--dry-run"]) == 0
    assert (folder / "p.json").read_text() == before
