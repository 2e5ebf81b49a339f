"""The ProjectStore: a project's durable edit log, its snapshots and its atomic saves.

Next to a project file ``NAME`` (``demo.json``) the store keeps::

    NAME                          the project file, replaced atomically by every save
    NAME.bak                      the version before the last save
    NAME.rglog/store.sqlite3      the edit log and snapshots (SQLite, WAL mode; with its
                                  -wal and -shm files while open)

**Durability.** The database runs in WAL mode with ``synchronous=FULL``: a commit appends
the transaction to the write-ahead log and fsyncs it before ``COMMIT`` returns, and on the
next open SQLite replays exactly the transactions whose commit record is intact (a torn
tail is ignored). :meth:`ProjectStore.append` commits one row per edit and returns its
sequence number only after that commit, so an edit is *acknowledged* only once it is on
stable storage: a crash at any instant (process kill, or power loss where the disk honours
fsync) keeps every acknowledged edit. The folder is fsynced when the log is created, so
the files' names are durable too.

**What a save means.** :meth:`ProjectStore.save` writes the project file with a marker in
its ``metadata`` (``"reelgraph.store": {"log": <log id>, "seq": <last edit included>}``),
atomically (:mod:`reelgraph.project.atomic`), after keeping the previous file as
``NAME.bak``. The marker travels inside the file, so the file always says which edits it
holds, whatever instant a crash hit. Snapshots are whole documents stored in the log at a
sequence number, every :attr:`ProjectStore.snapshot_every` edits, to bound replay time.
:mod:`reelgraph.project.recovery` picks the newest of file, backup and snapshots as the
base and replays the edits logged after it.

Edits and documents are opaque JSON objects here (the edit API's ``to_data()`` form and
:func:`reelgraph.project.save.document_to_data`), so the store does not depend on them.
One store object is used by one thread at a time (a lock guards it for timers).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgraph.errors import EditLogError, InternalError, SnapshotNotFoundError
from reelgraph.project.atomic import fsync_folder, write_text_atomic

__all__ = [
    "MARKER_KEY",
    "LoggedEdit",
    "ProjectStore",
    "SaveResult",
    "SnapshotInfo",
    "backup_path",
    "log_folder",
    "marker_of",
    "same_document",
    "without_marker",
]

#: The key of the save marker inside the project file's top-level ``metadata``.
MARKER_KEY = "reelgraph.store"

_FORMAT = "1"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    " data TEXT NOT NULL, created REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " seq INTEGER NOT NULL, created REAL NOT NULL, reason TEXT NOT NULL, data TEXT NOT NULL)",
)

Json = dict[str, Any]


def log_folder(project_path: str | Path) -> Path:
    """The folder of a project's edit log: ``NAME.rglog`` beside ``NAME``."""
    path = Path(project_path)
    return path.with_name(f"{path.name}.rglog")


def backup_path(project_path: str | Path) -> Path:
    """Where a save keeps the previous version: ``NAME.bak`` beside ``NAME``."""
    path = Path(project_path)
    return path.with_name(f"{path.name}.bak")


def _dump(data: Any, *, canonical: bool = False) -> str:
    # Stored JSON keeps the key order it was given (a restored file reads as it was
    # written); the canonical form (sorted keys) is for comparing documents.
    return json.dumps(
        data, sort_keys=canonical, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def same_document(a: Any, b: Any) -> bool:
    """Whether two JSON documents are equal, markers aside (key order does not matter)."""
    try:
        return _dump(without_marker(a), canonical=True) == _dump(without_marker(b), canonical=True)
    except (TypeError, ValueError):
        return False


def marker_of(data: Any) -> tuple[str, int] | None:
    """The ``(log id, seq)`` marker a save wrote into project data, if any."""
    metadata = data.get("metadata") if isinstance(data, dict) else None
    marker = metadata.get(MARKER_KEY) if isinstance(metadata, dict) else None
    if not isinstance(marker, dict):
        return None
    log, seq = marker.get("log"), marker.get("seq")
    if not isinstance(log, str) or isinstance(seq, bool) or not isinstance(seq, int):
        return None
    return log, seq


def without_marker(data: Any) -> Any:
    """Project data without the save marker (and without ``metadata`` if nothing else was there)."""
    metadata = data.get("metadata") if isinstance(data, dict) else None
    if not isinstance(metadata, dict) or MARKER_KEY not in metadata:
        return data
    rest = {k: v for k, v in metadata.items() if k != MARKER_KEY}
    out = {k: v for k, v in data.items() if k != "metadata"}
    if rest:
        out["metadata"] = rest
    return out


def _read_object(path: Path) -> Json | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _with_marker(data: Json, log: str, seq: int) -> Json:
    metadata = data.get("metadata")
    rest = dict(metadata) if isinstance(metadata, dict) else {}
    rest[MARKER_KEY] = {"log": log, "seq": seq}
    return {**data, "metadata": rest}


@dataclass(frozen=True, slots=True)
class LoggedEdit:
    """One acknowledged edit: its sequence number and its JSON form."""

    seq: int
    data: Json


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """A snapshot: the whole document as it was after edit ``seq``."""

    id: int
    seq: int
    created: float
    reason: str
    size: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "id": self.id,
            "seq": self.seq,
            "created": self.created,
            "reason": self.reason,
            "size": self.size,
        }


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What a save wrote: the file, the last edit it holds, and the backup (if any)."""

    path: Path
    seq: int
    backup: Path | None


class ProjectStore:
    """The edit log, snapshots and saves of one project file.

    Args:
        project_path: The project file (it need not exist yet).
        snapshot_every: Edits between automatic snapshots (see :attr:`snapshot_due`).
        keep_snapshots: How many automatic snapshots to keep (the oldest go first);
            initial and restore snapshots are always kept.
        clock: Wall-clock seconds for the ``created`` column (injected in tests).
        create: Create the log when it does not exist; else raise.

    Raises:
        EditLogError: the log cannot be created or opened (``params['corrupt']`` is true
            when the database itself is damaged).
    """

    def __init__(
        self,
        project_path: str | Path,
        *,
        snapshot_every: int = 100,
        keep_snapshots: int = 50,
        clock: Callable[[], float] = time.time,
        create: bool = True,
    ) -> None:
        if snapshot_every < 1 or keep_snapshots < 1:
            raise ValueError("snapshot_every and keep_snapshots must be at least 1")
        self.project_path = Path(project_path)
        self.folder = log_folder(self.project_path)
        self.path = self.folder / "store.sqlite3"
        self.snapshot_every = snapshot_every
        self.keep_snapshots = keep_snapshots
        self._clock = clock
        self._lock = threading.RLock()
        if not create and not self.path.is_file():
            raise EditLogError(
                f"edit log {self.path}: there is no edit log for {self.project_path}",
                path=str(self.path),
                detail=f"there is no edit log for {self.project_path}",
            )
        self._conn = self._open()
        self._journal_mode = ""
        with self._guard("open"):
            self._setup()

    # -- opening -------------------------------------------------------------------------

    @contextmanager
    def _guard(self, what: str, **params: Any) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            detail = str(exc) or type(exc).__name__
            corrupt = any(w in detail for w in ("not a database", "malformed", "corrupt"))
            raise EditLogError(
                f"edit log {self.path}: cannot {what}: {detail}",
                path=str(self.path),
                detail=detail,
                corrupt=corrupt,
                **params,
            ) from exc
        except OSError as exc:
            detail = exc.strerror or str(exc)
            raise EditLogError(
                f"edit log {self.path}: cannot {what}: {detail}",
                path=str(self.path),
                detail=detail,
                **params,
            ) from exc

    def _open(self) -> sqlite3.Connection:
        with self._guard("open"):
            fresh = not self.folder.is_dir()
            self.folder.mkdir(exist_ok=True)
            if fresh:
                fsync_folder(self.folder.resolve().parent)
            return sqlite3.connect(
                self.path, isolation_level=None, timeout=10.0, check_same_thread=False
            )

    def _setup(self) -> None:
        conn = self._conn
        row = conn.execute("PRAGMA journal_mode=WAL").fetchone()
        self._journal_mode = str(row[0]) if row else ""
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA fullfsync=ON")
        with self._transaction():
            fresh = conn.execute("PRAGMA user_version").fetchone()[0] == 0
            for statement in _SCHEMA:
                conn.execute(statement)
            found = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            if fresh:
                found = {"format": _FORMAT, "log": uuid.uuid4().hex}
                conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", found.items())
                # A new log records the file it starts from, as snapshot 'initial' at 0.
                initial = _read_object(self.project_path)
                if initial is not None:
                    self._insert_snapshot(without_marker(initial), 0, "initial")
                conn.execute("PRAGMA user_version=1")
        if found.get("format") != _FORMAT:
            raise EditLogError(
                f"edit log {self.path}: format {found['format']} is not one this engine reads",
                path=str(self.path),
                detail=f"unknown log format {found['format']}",
            )
        self._log_id = str(found["log"])
        self._based = False
        if fresh:
            fsync_folder(self.folder)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- facts ---------------------------------------------------------------------------

    @property
    def log_id(self) -> str:
        """This log's identity, written into the marker of every save."""
        return self._log_id

    @property
    def journal_mode(self) -> str:
        """SQLite's journal mode (``"wal"`` unless the file system refused WAL)."""
        return self._journal_mode

    @property
    def synchronous(self) -> int:
        """SQLite's ``synchronous`` level on this connection (2 is FULL: fsync per commit)."""
        return int(self._scalar("PRAGMA synchronous"))

    def _scalar(self, sql: str, *args: Any) -> Any:
        with self._lock, self._guard("read"):
            row = self._conn.execute(sql, args).fetchone()
        return None if row is None else row[0]

    @property
    def head_seq(self) -> int:
        """The sequence number of the newest logged record (0 for an empty log)."""
        return int(self._scalar("SELECT COALESCE(MAX(seq), 0) FROM log"))

    @property
    def saved_seq(self) -> int | None:
        """The last edit included by a save through this log, if any save happened."""
        value = self._scalar("SELECT value FROM meta WHERE key = 'saved_seq'")
        return None if value is None else int(value)

    @property
    def dirty(self) -> bool:
        """Whether edits were logged since the last save."""
        return self.head_seq != (self.saved_seq or 0)

    @property
    def snapshot_due(self) -> bool:
        """Whether :attr:`snapshot_every` edits were logged since the newest snapshot."""
        newest = self._scalar("SELECT COALESCE(MAX(seq), 0) FROM snapshots")
        return self.head_seq - int(newest) >= self.snapshot_every

    def _has_base(self) -> bool:
        if not self._based:
            snapshots = self._scalar("SELECT COUNT(*) FROM snapshots")
            self._based = bool(snapshots) or self.saved_seq is not None
        return self._based

    # -- the log -------------------------------------------------------------------------

    def append(self, edit: Json) -> int:
        """Log one edit durably; returns its sequence number (the acknowledgement).

        Raises:
            EditLogError: the log could not be written (full disk, read-only folder);
                the edit is then *not* acknowledged.
            InternalError: ``edit`` is not a JSON object, or the project has no base yet
                (save or snapshot a new project before its first edit).
        """
        if not isinstance(edit, dict):
            raise InternalError(f"an edit must be a JSON object, not {type(edit).__name__}")
        try:
            text = _dump(edit)
        except (TypeError, ValueError) as exc:
            raise InternalError(f"edit data is not JSON: {exc}") from exc
        with self._lock:
            if not self._has_base():
                raise InternalError("save or snapshot a new project before logging edits")
            with self._guard("append an edit"):
                cursor = self._conn.execute(
                    "INSERT INTO log (kind, data, created) VALUES ('edit', ?, ?)",
                    (text, self._clock()),
                )
        return int(cursor.lastrowid or 0)

    def edits_after(self, seq: int) -> list[LoggedEdit]:
        """The edits logged after ``seq``, in order."""
        with self._lock, self._guard("read the edits"):
            rows = self._conn.execute(
                "SELECT seq, data FROM log WHERE seq > ? AND kind = 'edit' ORDER BY seq", (seq,)
            ).fetchall()
        return [LoggedEdit(int(s), json.loads(d)) for s, d in rows]

    # -- snapshots -----------------------------------------------------------------------

    def _insert_snapshot(self, data: Json, seq: int, reason: str) -> SnapshotInfo:
        text = _dump(data)
        created = self._clock()
        cursor = self._conn.execute(
            "INSERT INTO snapshots (seq, created, reason, data) VALUES (?, ?, ?, ?)",
            (seq, created, reason, text),
        )
        return SnapshotInfo(int(cursor.lastrowid or 0), seq, created, reason, len(text))

    def snapshot(self, document: Json, reason: str = "auto") -> SnapshotInfo:
        """Store ``document`` (the state after the newest logged edit) as a snapshot.

        Raises:
            EditLogError: the log could not be written.
            InternalError: ``document`` is not JSON.
        """
        try:
            _dump(document)
        except (TypeError, ValueError) as exc:
            raise InternalError(f"document data is not JSON: {exc}") from exc
        with self._lock, self._guard("write a snapshot"), self._transaction():
            seq = int(self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM log").fetchone()[0])
            info = self._insert_snapshot(without_marker(document), seq, reason)
            self._conn.execute(
                "DELETE FROM snapshots WHERE reason = 'auto' AND id NOT IN (SELECT id FROM"
                " snapshots WHERE reason = 'auto' ORDER BY seq DESC, id DESC LIMIT ?)",
                (self.keep_snapshots,),
            )
        return info

    def list_snapshots(self) -> list[SnapshotInfo]:
        """Every snapshot, oldest first."""
        with self._lock, self._guard("list the snapshots"):
            rows = self._conn.execute(
                "SELECT id, seq, created, reason, LENGTH(data) FROM snapshots ORDER BY seq, id"
            ).fetchall()
        return [SnapshotInfo(int(i), int(s), float(c), str(r), int(n)) for i, s, c, r, n in rows]

    def snapshot_data(self, snapshot_id: int) -> tuple[SnapshotInfo, Json]:
        """A snapshot and its document.

        Raises:
            SnapshotNotFoundError: no snapshot has that id.
        """
        with self._lock, self._guard("read a snapshot"):
            row = self._conn.execute(
                "SELECT id, seq, created, reason, data FROM snapshots WHERE id = ?",
                (snapshot_id,),
            ).fetchone()
        if row is None:
            raise SnapshotNotFoundError(
                f"no snapshot {snapshot_id} in the edit log", snapshot=snapshot_id
            )
        info = SnapshotInfo(int(row[0]), int(row[1]), float(row[2]), str(row[3]), len(row[4]))
        return info, json.loads(row[4])

    def newest_snapshot(self) -> tuple[SnapshotInfo, Json] | None:
        """The snapshot with the highest sequence number (the latest on ties), if any."""
        found = self._scalar("SELECT id FROM snapshots ORDER BY seq DESC, id DESC LIMIT 1")
        return None if found is None else self.snapshot_data(int(found))

    # -- saving --------------------------------------------------------------------------

    def save(self, document: Json, *, seq: int | None = None) -> SaveResult:
        """Write the project file atomically, keeping the previous one as ``NAME.bak``.

        Args:
            document: The project data after edit ``seq``.
            seq: The last edit ``document`` includes (default: the newest logged).

        Raises:
            OutputWriteError: the file could not be written (the old one is unchanged).
            EditLogError: the log could not be read.
        """
        with self._lock:
            upto = self.head_seq if seq is None else seq
            marked = _with_marker(document, self._log_id, upto)
            try:
                text = json.dumps(marked, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
            except (TypeError, ValueError) as exc:
                raise InternalError(f"document data is not JSON: {exc}") from exc
            backup = backup_path(self.project_path)
            had_file = self.project_path.is_file()
            write_text_atomic(self.project_path, text, backup=backup)
            with self._guard("record the save"):
                self._conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('saved_seq', ?)", (str(upto),)
                )
        return SaveResult(self.project_path, upto, backup if had_file else None)

    def restore(self, snapshot_id: int) -> SaveResult:
        """Make a snapshot the project's current state, and save it as the project file.

        The restore is itself logged (a record after the newest edit, with a snapshot of
        the restored document), so reopening never replays the edits it undid; they stay
        in the log, reachable through the snapshots taken while they were current.

        Raises:
            SnapshotNotFoundError: no snapshot has that id.
            OutputWriteError: the project file could not be written.
        """
        info, data = self.snapshot_data(snapshot_id)
        with self._lock:
            with self._guard("log the restore"), self._transaction():
                cursor = self._conn.execute(
                    "INSERT INTO log (kind, data, created) VALUES ('restore', ?, ?)",
                    (_dump({"snapshot": info.id, "seq": info.seq}), self._clock()),
                )
                seq = int(cursor.lastrowid or 0)
                self._insert_snapshot(data, seq, f"restore of snapshot {info.id}")
            return self.save(data, seq=seq)

    # -- closing -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database (a checkpoint folds the WAL into it)."""
        with self._lock:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ProjectStore({str(self.project_path)!r})"
