"""Cooperative cancellation: a tree of tokens that work checks at safe points.

A :class:`CancelToken` is cancelled explicitly (:meth:`CancelToken.cancel`), by its
parent (cancelling a token cancels every token below it), or by its deadline passing.
Work polls :meth:`CancelToken.check` at points where stopping is safe (between frames,
between tiles, between packets); nothing is interrupted mid-write. The render's root
token is the one Ctrl-C cancels (:func:`reelgraph.jobs.interrupt.cancel_on_interrupt`).

Deadlines are read from the token's :class:`~reelgraph.jobs.clock.Clock`, so tests move
time with a manual clock instead of sleeping.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Callable

from reelgraph.errors import JobCancelledError, JobTimeoutError
from reelgraph.jobs.clock import Clock, MonotonicClock

__all__ = ["CancelToken", "Unregister"]

#: Undoes an :meth:`CancelToken.on_cancel` registration.
Unregister = Callable[[], None]

_MONOTONIC = MonotonicClock()


class CancelToken:
    """One node of a cancellation tree.

    Args:
        name: What the token guards, for messages and traces (``"render"``).
        clock: The clock its deadline is read from (the parent's for children).
        deadline: The clock time after which the token counts as timed out.
    """

    __slots__ = (
        "__weakref__",
        "_callbacks",
        "_children",
        "_clock",
        "_deadline",
        "_event",
        "_ids",
        "_lock",
        "_name",
        "_parent",
        "_reason",
        "_timed_out",
    )

    def __init__(
        self,
        name: str = "root",
        *,
        clock: Clock | None = None,
        deadline: float | None = None,
    ) -> None:
        self._name = name
        self._clock: Clock = clock if clock is not None else _MONOTONIC
        self._deadline = deadline
        self._parent: CancelToken | None = None
        self._lock = threading.Lock()
        self._event = threading.Event()
        self._reason: str | None = None
        self._timed_out = False
        # Insertion-ordered, so children and callbacks run in the order they were made.
        self._children: dict[int, weakref.ref[CancelToken]] = {}
        self._callbacks: dict[int, Callable[[CancelToken], None]] = {}
        self._ids = itertools.count()

    # -- the tree -------------------------------------------------------------------------

    def child(
        self, name: str = "", *, timeout: float | None = None, deadline: float | None = None
    ) -> CancelToken:
        """A token cancelled whenever this one is (and on its own when asked).

        Args:
            name: Its name; defaults to ``"<parent>/child"``.
            timeout: Seconds from now until it times out.
            deadline: The clock time at which it times out (the earlier of the two wins).

        Returns:
            The child; already cancelled if this token is.
        """
        limits = [d for d in (deadline, self.deadline) if d is not None]
        if timeout is not None:
            limits.append(self._clock.now() + timeout)
        token = CancelToken(
            name or f"{self._name}/child",
            clock=self._clock,
            deadline=min(limits) if limits else None,
        )
        token._parent = self
        with self._lock:
            if self._reason is None:
                self._children[next(self._ids)] = weakref.ref(token)
                return token
            reason, timed_out = self._reason, self._timed_out
        token._cancel(reason, timed_out)
        return token

    def detach(self) -> None:
        """Forget this token in its parent (when the work it guarded is over)."""
        parent = self._parent
        if parent is None:
            return
        with parent._lock:
            for key, ref in list(parent._children.items()):
                if ref() is self:
                    del parent._children[key]
                    break

    # -- cancelling -----------------------------------------------------------------------

    def cancel(self, reason: str = "cancelled") -> bool:
        """Cancel this token and every token below it.

        Args:
            reason: Why, for the error message (``"interrupted"``, ``"superseded"``).

        Returns:
            True if this call cancelled it, False if it already was.
        """
        return self._cancel(reason, False)

    def _cancel(self, reason: str, timed_out: bool) -> bool:
        with self._lock:
            if self._reason is not None:
                return False
            self._reason = reason
            self._timed_out = timed_out
            children = [ref() for ref in self._children.values()]
            callbacks = list(self._callbacks.values())
            self._children.clear()
            self._callbacks.clear()
        self._event.set()
        for child in children:
            if child is not None:
                child._cancel(reason, timed_out)
        for callback in callbacks:
            callback(self)
        return True

    def on_cancel(self, callback: Callable[[CancelToken], None]) -> Unregister:
        """Call ``callback(token)`` once when the token is cancelled (now, if it is).

        Returns:
            A function that takes the registration back.
        """
        with self._lock:
            if self._reason is None:
                key = next(self._ids)
                self._callbacks[key] = callback

                def unregister() -> None:
                    with self._lock:
                        self._callbacks.pop(key, None)

                return unregister
        callback(self)
        return lambda: None

    # -- observing ------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """What the token guards."""
        return self._name

    @property
    def parent(self) -> CancelToken | None:
        """The token above this one, if any."""
        return self._parent

    @property
    def deadline(self) -> float | None:
        """The clock time at which it times out (its own or an ancestor's, the earliest)."""
        return self._deadline

    @property
    def attached(self) -> int:
        """How many tokens directly below this one are still attached (not detached)."""
        with self._lock:
            return sum(1 for ref in self._children.values() if ref() is not None)

    @property
    def clock(self) -> Clock:
        """The clock deadlines are read from."""
        return self._clock

    @property
    def cancelled(self) -> bool:
        """Whether work under this token should stop (cancelled or past its deadline)."""
        if self._reason is not None:
            return True
        return self._expire_if_due()

    @property
    def reason(self) -> str | None:
        """Why it was cancelled (``"timeout"`` past its deadline), or None."""
        self._expire_if_due()
        return self._reason

    @property
    def timed_out(self) -> bool:
        """Whether it was cancelled because a deadline passed."""
        self._expire_if_due()
        return self._timed_out

    def expire_if_due(self) -> bool:
        """Cancel the token as timed out if its deadline has passed; returns whether it did."""
        if self._deadline is None or self._clock.now() < self._deadline:
            return False
        return self._cancel("timeout", True)

    def _expire_if_due(self) -> bool:
        if self._deadline is None or self._clock.now() < self._deadline:
            return False
        self._cancel("timeout", True)
        return True

    def check(self) -> None:
        """Raise if work under this token should stop; a no-op otherwise.

        Raises:
            JobTimeoutError: Its deadline (or an ancestor's) has passed.
            JobCancelledError: It (or an ancestor) was cancelled.
        """
        if not self.cancelled:
            return
        if self._timed_out:
            raise JobTimeoutError(
                f"{self._name} ran past its time limit", phase="run", token=self._name
            )
        raise JobCancelledError(
            f"{self._name} was cancelled ({self._reason})", token=self._name, reason=self._reason
        )

    def wait(self, timeout: float | None = None) -> bool:
        """Block until cancelled explicitly (not by a deadline) or ``timeout`` real seconds.

        Returns:
            Whether the token is cancelled.
        """
        return self._event.wait(timeout) or self.cancelled

    def __repr__(self) -> str:
        state = f"cancelled: {self._reason}" if self._reason is not None else "live"
        return f"CancelToken({self._name!r}, {state})"
