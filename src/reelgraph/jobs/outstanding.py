"""Counting unfinished jobs per class, for join.

One :class:`Outstanding` is shared by every pool of a job system. A job counts from the
moment it is queued until its handle is resolved *and* its callable has returned, so a
job that submits follow-up work is still counted while it does: a join that sees zero
foreground jobs knows none can appear from inside the system.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from reelgraph.errors import JobTimeoutError
from reelgraph.jobs.cancel import CancelToken
from reelgraph.jobs.priority import FOREGROUND, Priority

__all__ = ["Outstanding"]


class Outstanding:
    """Unfinished jobs per priority class, with a wait for some classes to reach zero."""

    __slots__ = ("_cond", "_counts")

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._counts: dict[Priority, int] = dict.fromkeys(Priority, 0)

    def add(self, priority: Priority) -> None:
        """One more unfinished job of ``priority``."""
        with self._cond:
            self._counts[priority] += 1

    def done(self, priority: Priority) -> None:
        """One job of ``priority`` fewer; wakes joiners."""
        with self._cond:
            self._counts[priority] -= 1
            self._cond.notify_all()

    def _wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def count(self, classes: Iterable[Priority] = tuple(Priority)) -> int:
        """Unfinished jobs of ``classes``."""
        with self._cond:
            return sum(self._counts[p] for p in classes)

    def wait_idle(
        self,
        classes: Iterable[Priority] = FOREGROUND,
        timeout: float | None = None,
        *,
        token: CancelToken | None = None,
    ) -> None:
        """Block until no job of ``classes`` is unfinished (or ``token`` is cancelled).

        Args:
            classes: The classes to wait for (default: the foreground ones).
            timeout: Real seconds to wait at most (None: no limit).
            token: Stop waiting, without error, as soon as it is cancelled.

        Raises:
            JobTimeoutError: Jobs were still unfinished after ``timeout`` (``phase="join"``).
        """
        wanted = tuple(classes)

        def over() -> bool:
            stopped = token is not None and token.cancelled
            return stopped or all(self._counts[p] == 0 for p in wanted)

        unregister = token.on_cancel(lambda _: self._wake()) if token is not None else None
        try:
            with self._cond:
                if self._cond.wait_for(over, timeout):
                    return
                left = {p.label: self._counts[p] for p in wanted if self._counts[p]}
        finally:
            if unregister is not None:
                unregister()
        raise JobTimeoutError(
            f"jobs still unfinished after {timeout} s: {left}", phase="join", left=str(left)
        )
