"""Ctrl-C as cancellation: the first interrupt cancels a token, the second one stops.

While :func:`cancel_on_interrupt` is active, SIGINT cancels the given token (the render's
root), so work stops at its next safe point and outputs are discarded cleanly instead
of a :class:`KeyboardInterrupt` landing in the middle of a write. A second Ctrl-C,
for work that does not check its token, raises :class:`KeyboardInterrupt` as usual.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from reelgraph.jobs.cancel import CancelToken

__all__ = ["cancel_on_interrupt"]


@contextmanager
def cancel_on_interrupt(token: CancelToken) -> Iterator[CancelToken]:
    """Within the block, Ctrl-C cancels ``token`` (reason ``"interrupted"``).

    Outside the main thread (where signal handlers cannot be set) it does nothing.

    Yields:
        ``token``.
    """
    if threading.current_thread() is not threading.main_thread():
        yield token
        return
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: FrameType | None) -> None:
        if token.cancelled:
            signal.signal(signal.SIGINT, previous)
            raise KeyboardInterrupt
        token.cancel("interrupted")

    signal.signal(signal.SIGINT, handler)
    try:
        yield token
    finally:
        signal.signal(signal.SIGINT, previous)
