"""The ProjectStore: durable edit log, snapshots, atomic saves with backup, recovery, autosave."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelgraph.ecs import World
from reelgraph.errors import (
    EditLogError,
    InternalError,
    ProjectNotFoundError,
    SnapshotNotFoundError,
)
from reelgraph.project.autosave import Autosave
from reelgraph.project.load import load_project
from reelgraph.project.persist import EditJournal, persist_project
from reelgraph.project.recovery import open_project, recover
from reelgraph.project.store import (
    MARKER_KEY,
    ProjectStore,
    backup_path,
    log_folder,
    marker_of,
)
from reelgraph.testing import clip, color, project, track
from reelgraph.timeline.edits import edit_from_data

Json = dict[str, Any]


def base_project(name: str = "p") -> Json:
    return project([track("V1", "video", [clip("a", 0, 10, color("#ff0000"))])], name=name)


def named(name: str) -> Json:
    return base_project(name)


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(base_project()))
    return path


def test_the_log_is_sqlite_in_wal_mode_with_an_fsync_per_commit(project_file):
    with ProjectStore(project_file) as store:
        assert store.journal_mode == "wal"
        assert store.synchronous == 2  # FULL
        assert store.path == log_folder(project_file) / "store.sqlite3"
        assert log_folder(project_file).name == "p.json.rglog"


def test_an_acknowledged_edit_is_in_the_log_after_reopening(project_file):
    with ProjectStore(project_file) as store:
        seqs = [store.append({"kind": "x", "n": n}) for n in range(3)]
    assert seqs == [1, 2, 3]
    with ProjectStore(project_file) as store:
        assert [(e.seq, e.data["n"]) for e in store.edits_after(0)] == [(1, 0), (2, 1), (3, 2)]
        assert store.head_seq == 3 and store.dirty


def test_a_new_log_snapshots_the_file_it_starts_from(project_file):
    with ProjectStore(project_file) as store:
        (initial,) = store.list_snapshots()
        assert (initial.seq, initial.reason) == (0, "initial")
        assert store.snapshot_data(initial.id)[1] == base_project()


def test_snapshots_fall_due_every_n_edits_and_old_automatic_ones_are_pruned(project_file):
    with ProjectStore(project_file, snapshot_every=3, keep_snapshots=2) as store:
        due = []
        for n in range(9):
            store.append({"n": n})
            due.append(store.snapshot_due)
            if store.snapshot_due:
                store.snapshot(named(f"after {n + 1}"))
        assert due == [False, False, True] * 3
        snapshots = store.list_snapshots()
        assert [(s.seq, s.reason) for s in snapshots] == [(0, "initial"), (6, "auto"), (9, "auto")]


def test_save_replaces_the_file_atomically_and_keeps_the_previous_version(project_file):
    before = project_file.read_bytes()
    with ProjectStore(project_file) as store:
        store.append({"n": 1})
        result = store.save(named("saved"))
    assert result.seq == 1 and result.backup == backup_path(project_file)
    assert backup_path(project_file).read_bytes() == before
    saved = json.loads(project_file.read_text())
    assert saved["name"] == "saved"
    assert marker_of(saved) == (saved["metadata"][MARKER_KEY]["log"], 1)
    assert load_project(project_file).name == "saved"
    leftovers = [p.name for p in project_file.parent.iterdir() if ".tmp-" in p.name]
    assert leftovers == []


def test_a_failed_save_leaves_the_project_file_as_it_was(project_file):
    before = project_file.read_bytes()
    with ProjectStore(project_file) as store:
        store.append({"n": 1})
        with pytest.raises(InternalError):
            store.save({"schema": "Project.1", "bad": float("nan")})
    assert project_file.read_bytes() == before


def test_recovery_replays_only_the_edits_newer_than_the_saved_file(project_file):
    with ProjectStore(project_file) as store:
        for n in range(4):
            store.append({"n": n})
        store.save(named("after 4"))
        store.append({"n": 4})
        store.append({"n": 5})
    with ProjectStore(project_file) as store:
        recovery = recover(store)
    assert (recovery.source, recovery.base_seq) == ("file", 4)
    assert [e.data["n"] for e in recovery.edits] == [4, 5]
    assert recovery.data["name"] == "after 4" and "metadata" not in recovery.data
    assert recovery.notices() == [
        "recovered 2 edit(s) from the edit log that were newer than the saved file"
    ]


def test_recovery_starts_from_a_snapshot_newer_than_the_file(project_file):
    with ProjectStore(project_file) as store:
        for n in range(5):
            store.append({"n": n})
        store.snapshot(named("after 5"))
        store.append({"n": 5})
        recovery = recover(store)
    assert (recovery.source, recovery.base_seq, recovery.data["name"]) == ("snapshot", 5, "after 5")
    assert [e.seq for e in recovery.edits] == [6]
    assert (
        "snapshot" in recovery.notices("en")[0] and "スナップショット" in recovery.notices("ja")[0]
    )


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_lost_or_corrupt_project_file_is_recovered_from_the_log(project_file, damage):
    with ProjectStore(project_file, snapshot_every=2) as store:
        for n in range(3):
            store.append({"n": n})
            if store.snapshot_due:
                store.snapshot(named(f"after {n + 1}"))
        store.save(named("after 3"))
    if damage == "missing":
        project_file.unlink()
    else:
        project_file.write_text('{"schema": "Proj')
    with ProjectStore(project_file) as store:
        recovery = recover(store)
    assert (recovery.source, recovery.data["name"]) == ("snapshot", "after 2")
    assert [e.data["n"] for e in recovery.edits] == [2]
    assert recovery.problem and recovery.notices()[0].startswith("the project file could not")


def test_the_backup_stands_in_when_it_is_the_newest_state(project_file):
    with ProjectStore(project_file) as store:
        store.append({"n": 0})
        store.save(named("after 1"))
        store.append({"n": 1})
        store.save(named("after 2"))
    project_file.write_bytes(b"\0garbage")
    with ProjectStore(project_file) as store:
        recovery = recover(store)
    assert (recovery.source, recovery.base_seq, recovery.data["name"]) == ("backup", 1, "after 1")
    assert [e.data["n"] for e in recovery.edits] == [1]


def test_without_any_base_the_project_files_own_error_is_raised(tmp_path):
    path = tmp_path / "new.json"
    with ProjectStore(path) as store, pytest.raises(ProjectNotFoundError):
        recover(store)


def test_a_file_replaced_outside_reelgraph_is_not_replayed_onto(project_file):
    with ProjectStore(project_file) as store:
        store.append({"n": 0})
        store.append({"n": 1})
    project_file.write_text(json.dumps(named("hand written")))
    with ProjectStore(project_file) as store:
        recovery = recover(store)
    assert (recovery.source, recovery.edits, recovery.foreign) == ("file", (), 2)
    assert recovery.data["name"] == "hand written"
    assert "were not replayed" in recovery.notices()[-1]


def test_restore_makes_a_snapshot_the_project_file_and_reopening_keeps_it(project_file):
    with ProjectStore(project_file) as store:
        store.append({"n": 0})
        snap = store.snapshot(named("after 1"))
        store.append({"n": 1})
        store.save(named("after 2"))
        result = store.restore(snap.id)
        assert json.loads(result.backup.read_text())["name"] == "after 2"
    assert json.loads(project_file.read_text())["name"] == "after 1"
    with ProjectStore(project_file) as store:
        recovery = recover(store)
        assert (recovery.source, recovery.edits, recovery.data["name"]) == ("file", (), "after 1")
        assert store.list_snapshots()[-1].reason == f"restore of snapshot {snap.id}"
        with pytest.raises(SnapshotNotFoundError) as caught:
            store.restore(99)
    assert caught.value.code == "project.snapshot_not_found"


def test_an_edit_must_be_a_json_object_and_a_new_project_needs_a_base_first(tmp_path):
    with ProjectStore(tmp_path / "new.json") as store:
        with pytest.raises(InternalError, match="before logging edits"):
            store.append({"n": 1})
        store.save(base_project())
        with pytest.raises(InternalError):
            store.append(["not", "an", "object"])  # type: ignore[arg-type]
        with pytest.raises(InternalError):
            store.append({"n": float("inf")})
        assert store.append({"n": 1}) == 1


def test_opening_without_a_log_asked_not_to_create_one_is_a_coded_error(project_file):
    with pytest.raises(EditLogError) as caught:
        ProjectStore(project_file, create=False)
    assert caught.value.code == "project.edit_log"
    assert not log_folder(project_file).exists()


def test_a_damaged_log_is_moved_aside_and_the_project_still_opens(project_file):
    folder = log_folder(project_file)
    folder.mkdir()
    (folder / "store.sqlite3").write_bytes(b"this is not a database" * 100)
    opened = open_project(project_file)
    try:
        assert opened.document.name == "p"
        assert opened.damaged_log == folder.with_name("p.json.rglog.damaged-1")
        assert (opened.damaged_log / "store.sqlite3").is_file()
        assert "moved aside" in opened.notices()[0]
    finally:
        opened.store.close()


def apply_edit(document, data):
    return edit_from_data(data).apply(document).document


def test_opening_replays_logged_edits_through_the_edit_api_and_saves_them(project_file):
    with ProjectStore(project_file) as store:
        store.append({"schema": "Edit.1", "kind": "move", "clip": "a", "start": 12})
    opened = open_project(project_file, apply_edit=apply_edit)
    opened.store.close()
    assert [c.start for c in opened.document.clips] == [12]
    assert opened.recovery.notices() == [
        "recovered 1 edit(s) from the edit log that were newer than the saved file"
    ]
    assert load_project(project_file).clips[0].start == 12
    assert json.loads(backup_path(project_file).read_text()) == base_project()
    again = open_project(project_file, apply_edit=apply_edit)
    again.store.close()
    assert again.recovery.edits == () and again.notices() == []


def test_autosave_saves_on_its_interval_only_while_there_are_unsaved_edits(project_file):
    now = [0.0]
    with ProjectStore(project_file) as store:
        autosave = Autosave(store, lambda: named(f"t={now[0]}"), interval=10, clock=lambda: now[0])
        now[0] = 11
        assert autosave.poll() is None  # nothing to save
        store.append({"n": 1})
        now[0] = 15
        assert autosave.poll() is not None
        store.append({"n": 2})
        now[0] = 20
        assert autosave.poll() is None  # 5 s since the last save
        now[0] = 25.5
        assert autosave.poll().seq == 2  # type: ignore[union-attr]
    assert json.loads(project_file.read_text())["name"] == "t=25.5"


def test_autosave_saves_on_clean_exit_and_not_when_leaving_on_an_exception(project_file):
    with ProjectStore(project_file) as store:
        with Autosave(store, lambda: named("clean"), interval=60):
            store.append({"n": 1})
        assert json.loads(project_file.read_text())["name"] == "clean"
        with pytest.raises(RuntimeError), Autosave(store, lambda: named("crashed")):
            store.append({"n": 2})
            raise RuntimeError("boom")
    assert json.loads(project_file.read_text())["name"] == "clean"


def test_the_persist_system_logs_queued_edits_then_acknowledges_them(project_file):
    world = World()
    acknowledged: list[int] = []
    with ProjectStore(project_file, snapshot_every=2) as store:
        journal = EditJournal(store, lambda: named("now"))
        world.insert_resource(journal)
        for n in range(3):
            journal.queue({"n": n}, acknowledged.append)
        assert acknowledged == [] and store.head_seq == 0
        persist_project(world)
        assert acknowledged == [1, 2, 3]
        assert [s.seq for s in store.list_snapshots()] == [0, 2]


def test_reading_a_log_written_by_a_newer_format_is_refused(project_file):
    ProjectStore(project_file).close()
    with sqlite3.connect(log_folder(project_file) / "store.sqlite3") as conn:
        conn.execute("UPDATE meta SET value = '9' WHERE key = 'format'")
    with pytest.raises(EditLogError, match="format 9"):
        ProjectStore(project_file)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(st.dictionaries(st.text(), JSON, max_size=5), min_size=1, max_size=5))
def test_any_json_edit_comes_back_from_the_log_exactly(tmp_path_factory, edits):
    path = tmp_path_factory.mktemp("fuzz") / "p.json"
    path.write_text(json.dumps(base_project()))
    with ProjectStore(path) as store:
        seqs = [store.append(edit) for edit in edits]
    with ProjectStore(path) as store:
        assert [(e.seq, e.data) for e in store.edits_after(0)] == list(
            zip(seqs, edits, strict=True)
        )
