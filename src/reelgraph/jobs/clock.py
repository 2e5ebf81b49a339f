"""Clocks for the job system: the monotonic clock, and a manual one for tests.

Wait times, run times, aging and time limits are all read from a :class:`Clock`, never
from :mod:`time` directly, so tests drive them with :class:`ManualClock` and never sleep.
Clock readings are diagnostics and scheduling only; they never reach output bytes.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

__all__ = ["Clock", "ManualClock", "MonotonicClock"]


class Clock(Protocol):
    """A source of monotonic time in seconds (the zero is arbitrary)."""

    def now(self) -> float:
        """The current time in seconds."""
        ...


class MonotonicClock:
    """The process's monotonic clock (:func:`time.monotonic`)."""

    __slots__ = ()

    def now(self) -> float:
        """The current time in seconds."""
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to; safe to read from any thread.

    Args:
        start: The time it reads before the first :meth:`advance`.
    """

    __slots__ = ("_lock", "_now")

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        """The current time in seconds."""
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward; returns the new time.

        Raises:
            ValueError: ``seconds`` is negative (a monotonic clock never goes back).
        """
        if seconds < 0:
            raise ValueError(f"a monotonic clock cannot go back ({seconds} s)")
        with self._lock:
            self._now += seconds
            return self._now
