"""Autosave: save a project on an interval while it has unsaved edits, and on clean exit.

The clock is injected (``time.monotonic`` by default), so tests drive time by hand and
nothing sleeps. Autosaving is a convenience on top of the edit log: every acknowledged
edit is already durable in the log, so a crash between autosaves loses nothing; the save
bounds how much a later open has to replay, and keeps the project file current for other
tools.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from reelgraph.project.store import ProjectStore, SaveResult

__all__ = ["Autosave"]


class Autosave:
    """Saves ``document()`` through ``store`` every ``interval`` seconds when dirty.

    Args:
        store: The project's store.
        document: Returns the current document's JSON (the state after the newest
            logged edit).
        interval: Seconds between saves while there are unsaved edits.
        clock: Monotonic seconds.

    Use :meth:`poll` from the editing loop (the ECS Persist set), and the object as a
    context manager (or :meth:`flush`) for the save on clean exit; a block left by an
    exception does not save, since the log already holds every acknowledged edit.
    """

    def __init__(
        self,
        store: ProjectStore,
        document: Callable[[], dict[str, Any]],
        *,
        interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if interval <= 0:
            raise ValueError("the autosave interval must be positive")
        self.store = store
        self.interval = interval
        self._document = document
        self._clock = clock
        self._last = clock()

    @property
    def due(self) -> bool:
        """Whether the interval has passed since the last save and edits are unsaved."""
        return self._clock() - self._last >= self.interval and self.store.dirty

    def poll(self) -> SaveResult | None:
        """Save if :attr:`due`; returns what was saved, or None."""
        return self.flush() if self.due else None

    def flush(self) -> SaveResult | None:
        """Save now if there are unsaved edits; returns what was saved, or None."""
        if not self.store.dirty:
            return None
        result = self.store.save(self._document())
        self._last = self._clock()
        return result

    def __enter__(self) -> Autosave:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.flush()
