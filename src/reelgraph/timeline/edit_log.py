"""Recording a history's operations to a file, and replaying them (scenario replay).

The log is JSON lines. The first line says what the log was recorded on::

    {"schema": "EditLog.1", "base": "<sha256 of the starting document>"}

and each later line is one operation of the :class:`~reelgraph.timeline.history.History`:

    {"op": "apply", "edit": {"schema": "Edit.1", "kind": "trim", ...}}
    {"op": "undo"}   {"op": "redo"}
    {"op": "begin", "name": "..."}   {"op": "end"}   {"op": "abort"}

Replaying the lines on the starting document performs the same operations, so it gives
the identical document (and, rendered, identical frames). Every line is flushed as it is
written; ``durable=True`` also fsyncs it. (The crash-safe log of acknowledged edits next
to a project is :mod:`reelgraph.project.persist`'s; this one is for scripts and tests.)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from reelgraph.errors import EditFormatError, OutputWriteError, ReelgraphError
from reelgraph.project.document import ProjectDocument
from reelgraph.project.save import document_to_data
from reelgraph.timeline.edits.registry import edit_from_data
from reelgraph.timeline.history import History, HistoryEvent

__all__ = ["EDIT_LOG_SCHEMA", "EditLog", "document_digest", "read_log", "replay", "replay_history"]

#: The schema label of an edit log's first line.
EDIT_LOG_SCHEMA = "EditLog.1"


def document_digest(document: ProjectDocument) -> str:
    """The SHA-256 of the document's canonical JSON form (what a log is recorded on)."""
    text = json.dumps(document_to_data(document), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EditLog:
    """Appends a history's operations to a JSON-lines file as they happen.

    Example::

        history = History(document)
        with EditLog.record(history, "session.jsonl"):
            history.apply(Trim("a", "end", -5))
            history.undo()
    """

    def __init__(
        self, path: str | Path, document: ProjectDocument, *, durable: bool = False
    ) -> None:
        """Start a new log at ``path`` (replacing any file there) for ``document``.

        Raises:
            OutputWriteError: the file cannot be created.
        """
        self.path = Path(path)
        self.durable = durable
        try:
            self._file: IO[str] | None = open(self.path, "w", encoding="utf-8")
        except OSError as exc:
            raise OutputWriteError(
                f"cannot write {self.path}: {exc.strerror}", path=str(path)
            ) from exc
        self._write({"schema": EDIT_LOG_SCHEMA, "base": document_digest(document)})

    @classmethod
    def record(cls, history: History, path: str | Path, *, durable: bool = False) -> EditLog:
        """A new log at ``path`` that records every later operation of ``history``."""
        log = cls(path, history.document, durable=durable)
        history.observe(log)
        return log

    def __call__(self, event: HistoryEvent) -> None:
        """Write one operation (the :class:`History` observer interface)."""
        line: dict[str, Any] = {"op": event.op}
        if event.op == "apply" and event.edit is not None:
            line["edit"] = event.edit.to_data()
        if event.op == "begin":
            line["name"] = event.name
        self._write(line)

    def _write(self, line: dict[str, Any]) -> None:
        if self._file is None:
            return
        try:
            self._file.write(json.dumps(line, separators=(",", ":")) + "\n")
            self._file.flush()
            if self.durable:
                os.fsync(self._file.fileno())
        except OSError as exc:
            raise OutputWriteError(
                f"cannot write {self.path}: {exc.strerror}", path=str(self.path)
            ) from exc

    def close(self) -> None:
        """Stop recording (later operations are not written)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> EditLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_log(path: str | Path) -> tuple[str, list[dict[str, Any]]]:
    """The base digest and the operations of a log, checked line by line.

    Raises:
        EditFormatError: a missing file, a bad header, or a line that is not an operation;
            ``path`` names ``file:line``.
    """
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EditFormatError(
            f"cannot read the edit log {file}: {exc.strerror}", path=str(file)
        ) from None
    records = list(_records(file, lines))
    if not records or records[0][1].get("schema") != EDIT_LOG_SCHEMA:
        raise EditFormatError(
            f"{file}:1: not an edit log ({EDIT_LOG_SCHEMA} header)", path=f"{file}:1"
        )
    operations = []
    for number, record in records[1:]:
        if record.get("op") not in ("apply", "undo", "redo", "begin", "end", "abort"):
            where = f"{file}:{number}"
            raise EditFormatError(f"{where}: unknown operation {record.get('op')!r}", path=where)
        operations.append({**record, "line": number})
    return str(records[0][1].get("base", "")), operations


def _records(file: Path, lines: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"{file}:{number}"
            raise EditFormatError(f"{where}: not JSON ({exc.msg})", path=where) from None
        if not isinstance(record, dict):
            raise EditFormatError(f"{file}:{number}: not an object", path=f"{file}:{number}")
        yield number, record


def replay_history(
    path: str | Path, document: ProjectDocument, *, check_base: bool = True
) -> History:
    """Perform a log's operations on ``document``; returns the history they leave.

    Raises:
        EditFormatError: the log is malformed, or was recorded on another document.
        TimelineError: an operation is refused (the error names the log line).
    """
    base, operations = read_log(path)
    if check_base and base != document_digest(document):
        raise EditFormatError(
            f"{path} was recorded on another document (base {base[:12]}…)", path=str(path)
        )
    history = History(document)
    for operation in operations:
        where = f"{path}:{operation['line']}"
        try:
            _perform(history, operation, where)
        except ReelgraphError as exc:
            exc.with_context(log_line=where)
            raise
    while history.group_depth:  # a log cut off inside a group: close what it opened
        history.end_group()
    return history


def _perform(history: History, operation: dict[str, Any], where: str) -> None:
    op = operation["op"]
    if op == "apply":
        history.apply(edit_from_data(operation.get("edit"), f"{where}.edit"))
    elif op == "undo":
        history.undo()
    elif op == "redo":
        history.redo()
    elif op == "begin":
        history.begin_group(str(operation.get("name", "")))
    elif op == "end":
        history.end_group()
    else:
        history.abort_group()


def replay(
    path: str | Path, document: ProjectDocument, *, check_base: bool = True
) -> ProjectDocument:
    """The document a log's operations leave when performed on ``document``."""
    return replay_history(path, document, check_base=check_base).document
