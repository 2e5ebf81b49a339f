"""The engine's Persist step: log edits durably, snapshot on schedule, autosave.

:class:`EditJournal` is the World resource that ties a project's
:class:`~reelgraph.project.store.ProjectStore` to its current document. The edit API
calls :meth:`EditJournal.record` with each edit's JSON form *before* acknowledging the
edit (the returned sequence number is the acknowledgement); the
:func:`persist_project` system, in ``Stage.PERSIST``, drains edits queued from inside a
tick the same way and then lets the autosave run. Documents are produced lazily (only
when a snapshot or a save is due) by the ``document`` callable, typically
``lambda: document_to_data(current_document)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reelgraph.ecs import World
from reelgraph.project.autosave import Autosave
from reelgraph.project.store import ProjectStore

__all__ = ["Acknowledge", "EditJournal", "persist_project"]

Json = dict[str, Any]

#: Told the sequence number once an edit queued with :meth:`EditJournal.queue` is durable.
Acknowledge = Callable[[int], None]


@dataclass
class EditJournal:
    """World resource: a project's store, its current document, and its autosave.

    Attributes:
        store: The project's store.
        document: Returns the current document's JSON (after every edit recorded so far).
        autosave: Saves on an interval and on clean exit; None to save only by hand.
    """

    store: ProjectStore
    document: Callable[[], Json]
    autosave: Autosave | None = None
    _pending: list[tuple[Json, Acknowledge | None]] = field(default_factory=list, repr=False)

    def record(self, edit: Json) -> int:
        """Log an applied edit durably and snapshot when due; returns its sequence number.

        Raises:
            EditLogError: the log could not be written; the edit is not acknowledged (the
                caller should undo it in memory, or stop editing).
        """
        seq = self.store.append(edit)
        if self.store.snapshot_due:
            self.store.snapshot(self.document())
        return seq

    def queue(self, edit: Json, acknowledge: Acknowledge | None = None) -> None:
        """Record ``edit`` at the next Persist step, then call ``acknowledge(seq)``."""
        self._pending.append((edit, acknowledge))

    def flush(self) -> list[int]:
        """Record every queued edit in order; returns their sequence numbers."""
        done = []
        while self._pending:
            edit, acknowledge = self._pending[0]
            seq = self.record(edit)
            self._pending.pop(0)
            done.append(seq)
            if acknowledge is not None:
                acknowledge(seq)
        return done


def persist_project(world: World) -> None:
    """Persist: record queued edits durably, then autosave when due."""
    journal = world.get_resource(EditJournal)
    if journal is None:
        return
    journal.flush()
    if journal.autosave is not None:
        journal.autosave.poll()
