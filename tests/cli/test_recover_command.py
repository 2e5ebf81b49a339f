"""``reelgraph recover``: the log's state, the snapshots, and restoring one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgraph.cli.main import main
from reelgraph.project.store import ProjectStore, backup_path, log_folder
from reelgraph.testing import clip, color, project, track


def data(name: str) -> dict:
    return project([track("V1", "video", [clip("a", 0, 10, color("#ff0000"))])], name=name)


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """A project with a log: 4 edits, a snapshot after 2, saved after 3."""
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data("start")))
    with ProjectStore(path) as store:
        store.append({"n": 1})
        store.append({"n": 2})
        store.snapshot(data("after 2"))
        store.append({"n": 3})
        store.save(data("after 3"))
        store.append({"n": 4})
    return path


def test_recover_shows_where_recovery_would_start_and_the_snapshots(edited, capsys):
    assert main(["recover", str(edited)]) == 0
    out = capsys.readouterr().out
    assert "holds the edits up to 3" in out
    assert "recovery  from the file at edit 3, 1 edit(s) to replay" in out
    assert "snapshot  1    after edit 0" in out and "initial" in out
    assert "snapshot  2    after edit 2" in out


def test_recover_list_json_is_machine_readable(edited, capsys):
    assert main(["recover", str(edited), "--list", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert [(s["id"], s["seq"], s["reason"]) for s in body["snapshots"]] == [
        (1, 0, "initial"),
        (2, 2, "auto"),
    ]
    assert body["head_seq"] == 4


def test_restore_makes_the_snapshot_the_project_file_and_keeps_a_backup(edited, capsys):
    assert main(["recover", str(edited), "--restore", "2"]) == 0
    out = capsys.readouterr().out
    assert f"restored snapshot 2 (after edit 2) into {edited}" in out
    assert json.loads(edited.read_text())["name"] == "after 2"
    assert json.loads(backup_path(edited).read_text())["name"] == "after 3"
    assert main(["recover", str(edited), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["recovery"]["replayed"] == []


def test_restoring_an_unknown_snapshot_is_a_coded_error_in_the_users_language(edited, capsys):
    before = edited.read_bytes()
    assert main(["recover", str(edited), "--restore", "9", "--lang", "ja"]) == 3
    err = capsys.readouterr().err
    assert "エラー[project.snapshot_not_found]: 編集ログにスナップショット 9 はありません" in err
    assert edited.read_bytes() == before


def test_a_project_without_a_log_has_nothing_to_recover_and_gets_no_log(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data("x")))
    assert main(["recover", str(path)]) == 0
    assert "nothing to recover" in capsys.readouterr().out
    assert not log_folder(path).exists()
