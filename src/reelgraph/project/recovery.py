"""Recovery: the newest trustworthy state of a project, and opening a project through it.

:func:`recover` picks a *base* and the logged edits after it:

* the project file, trusted at sequence number ``s`` when its save marker names this log
  (``s`` is the last edit it holds); an unmarked file (or one marked by another log) is
  trusted at 0 when it equals the log's initial snapshot, or when the log is still empty;
  otherwise it was changed or replaced outside reelgraph (*foreign*): it becomes the base
  as it is, and the log's unsaved edits are not replayed onto a document they were not
  made on (the notice says how many);
* ``NAME.bak``, when marked by this log;
* the newest snapshot.

The base is the candidate with the highest sequence number; on ties the file wins, then
the snapshot, then the backup. A missing or unreadable project file is not fatal while a
snapshot or backup can stand in. :func:`open_project` loads the base, replays the edits
through the edit API's ``apply_edit`` and, when anything was recovered, saves the result
at once (the file then holds every acknowledged edit; the pre-recovery file becomes the
backup), and says so through :meth:`Recovery.notices`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgraph.errors import EditLogError, InternalError, ReelgraphError
from reelgraph.i18n import translate
from reelgraph.project.document import ProjectDocument
from reelgraph.project.load import load_project_data, read_project_json
from reelgraph.project.store import (
    LoggedEdit,
    ProjectStore,
    backup_path,
    marker_of,
    same_document,
    without_marker,
)

__all__ = ["ApplyEdit", "OpenedProject", "Recovery", "open_project", "recover"]

Json = dict[str, Any]

#: The edit API's replay function: a document and an edit's JSON form → the new document.
ApplyEdit = Callable[[ProjectDocument, Json], ProjectDocument]

_RANK = {"file": 2, "snapshot": 1, "backup": 0}


@dataclass(frozen=True, slots=True)
class Recovery:
    """The base a project opens from and the edits to replay onto it.

    Attributes:
        data: The base document's JSON (without the save marker).
        source: ``"file"``, ``"snapshot"`` or ``"backup"``.
        base_seq: The last logged edit the base holds.
        edits: The edits logged after it, in order.
        head_seq: The newest record of the log.
        snapshot: The snapshot's id when ``source`` is ``"snapshot"``.
        foreign: Unsaved logged edits not replayed because the file is not from this log.
        problem: Why the project file itself could not be used ("" when it could).
        origin: The file the base was read from (the log's database for snapshots).
    """

    data: Json
    source: str
    base_seq: int
    edits: tuple[LoggedEdit, ...]
    head_seq: int
    snapshot: int | None = None
    foreign: int = 0
    problem: str = ""
    origin: str = ""

    @property
    def changed(self) -> bool:
        """Whether the recovered state differs from the project file as it is on disk."""
        return bool(self.edits) or self.source != "file"

    def notices(self, lang: str = "en") -> list[str]:
        """What recovery did, as lines to show the user (empty when nothing happened)."""
        lines: list[tuple[str, dict[str, Any]]] = []
        if self.problem:
            lines.append(("notice.file_problem", {"detail": self.problem}))
        if self.source == "snapshot":
            lines.append(
                ("notice.base_snapshot", {"snapshot": self.snapshot, "seq": self.base_seq})
            )
        elif self.source == "backup":
            lines.append(("notice.base_backup", {"path": self.origin}))
        if self.edits:
            lines.append(("notice.recovered", {"count": len(self.edits)}))
        if self.foreign:
            lines.append(("notice.foreign_file", {"count": self.foreign}))
        return [translate(key, lang, params) or key for key, params in lines]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (without the document)."""
        return {
            "source": self.source,
            "base_seq": self.base_seq,
            "head_seq": self.head_seq,
            "snapshot": self.snapshot,
            "replayed": [edit.seq for edit in self.edits],
            "foreign": self.foreign,
            "problem": self.problem,
            "origin": self.origin,
        }


def _read(path: Path) -> tuple[Json | None, str]:
    try:
        data = read_project_json(path)
    except ReelgraphError as exc:
        return None, exc.message
    if not isinstance(data, dict):
        return None, f"{path}: a project must be a JSON object"
    return data, ""


def _file_seq(store: ProjectStore, data: Json) -> int | None:
    """The last edit the project file holds, or None when it is foreign to this log."""
    marker = marker_of(data)
    if marker is not None and marker[0] == store.log_id:
        return marker[1]
    initial = next((s for s in store.list_snapshots() if s.reason == "initial"), None)
    if initial is not None:
        return 0 if same_document(data, store.snapshot_data(initial.id)[1]) else None
    return 0 if store.head_seq == 0 else None


def recover(store: ProjectStore) -> Recovery:
    """The base and the edits to replay for the store's project (see the module's doc).

    Raises:
        ProjectNotFoundError, ProjectSyntaxError: the project file is missing or
            unreadable and neither a snapshot nor a backup can stand in for it.
        EditLogError: the log could not be read.
    """
    head = store.head_seq
    file_data, problem = _read(store.project_path)
    candidates: list[tuple[int, int, str, Json, int | None]] = []
    if file_data is not None:
        seq = _file_seq(store, file_data)
        if seq is None:
            unsaved = len(store.edits_after(store.saved_seq or 0))
            return Recovery(
                without_marker(file_data),
                "file",
                head,
                (),
                head,
                foreign=unsaved,
                origin=str(store.project_path),
            )
        candidates.append((seq, _RANK["file"], "file", file_data, None))
    newest = store.newest_snapshot()
    if newest is not None:
        info, data = newest
        candidates.append((info.seq, _RANK["snapshot"], "snapshot", data, info.id))
    backup, _ = _read(backup_path(store.project_path))
    marker = marker_of(backup)
    if backup is not None and marker is not None and marker[0] == store.log_id:
        candidates.append((marker[1], _RANK["backup"], "backup", backup, None))
    if not candidates:
        read_project_json(store.project_path)  # raises the file's own error
        raise InternalError("recovery found no base although the project file is readable")
    seq, _, source, data, snapshot = max(candidates, key=lambda c: (c[0], c[1]))
    origin = {
        "file": store.project_path,
        "backup": backup_path(store.project_path),
        "snapshot": store.path,
    }[source]
    edits = tuple(store.edits_after(seq))
    return Recovery(
        without_marker(data), source, seq, edits, head, snapshot, 0, problem, str(origin)
    )


@dataclass(frozen=True, slots=True)
class OpenedProject:
    """A project opened for editing: its document, its store, and what recovery did."""

    document: ProjectDocument
    store: ProjectStore
    recovery: Recovery
    damaged_log: Path | None = None

    def notices(self, lang: str = "en") -> list[str]:
        """Lines telling the user what opening recovered (empty when nothing)."""
        lines = []
        if self.damaged_log is not None:
            text = translate("notice.log_damaged", lang, {"path": self.damaged_log})
            lines.append(text or str(self.damaged_log))
        return lines + self.recovery.notices(lang)


def _open_store(path: Path, options: dict[str, Any]) -> tuple[ProjectStore, Path | None]:
    try:
        return ProjectStore(path, **options), None
    except EditLogError as exc:
        if not exc.params.get("corrupt"):
            raise
        folder = Path(exc.params["path"]).parent
        number = 1
        while (moved := folder.with_name(f"{folder.name}.damaged-{number}")).exists():
            number += 1
        try:
            os.replace(folder, moved)
        except OSError:
            raise exc from None
        return ProjectStore(path, **options), moved


def open_project(
    path: str | Path,
    *,
    apply_edit: ApplyEdit | None = None,
    to_data: Callable[[ProjectDocument], Json] | None = None,
    save_recovered: bool = True,
    **store_options: Any,
) -> OpenedProject:
    """Open a project for editing: recover, replay, and save what was recovered.

    A damaged edit log is moved aside to ``NAME.rglog.damaged-N`` and a new one started;
    the project file is never given up for the log's sake.

    Args:
        path: The project file.
        apply_edit: Replays one logged edit (needed when the log holds edits to replay).
        to_data: The document's JSON form for the save after a recovery (default:
            :func:`reelgraph.project.save.document_to_data`).
        save_recovered: Save at once when the recovered state differs from the file.
        **store_options: Passed to :class:`ProjectStore`.

    Raises:
        ReelgraphError: the project's own errors (not found, invalid, too new, …), a
            log that cannot be opened, or an edit that no longer applies.
    """
    file = Path(path)
    store, damaged = _open_store(file, store_options)
    try:
        recovery = recover(store)
        try:
            document = load_project_data(recovery.data, file.resolve().parent)
        except ReelgraphError as exc:
            exc.with_context(file=str(file), source=recovery.source)
            raise
        if recovery.edits and apply_edit is None:
            raise InternalError("the edit log holds edits to replay but no apply_edit was given")
        for edit in recovery.edits:
            try:
                document = apply_edit(document, edit.data)  # type: ignore[misc]
            except ReelgraphError as exc:
                exc.with_context(file=str(file), seq=edit.seq)
                raise
        if recovery.changed and save_recovered:
            if to_data is None:
                from reelgraph.project.save import document_to_data

                to_data = document_to_data
            store.save(to_data(document), seq=recovery.head_seq)
    except BaseException:
        store.close()
        raise
    return OpenedProject(document, store, recovery, damaged)
