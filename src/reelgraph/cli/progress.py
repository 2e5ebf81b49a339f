"""A terminal progress bar with frames per second and ETA, and its silent twin."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """Draws ``[####....] 120/240 frames  31.2 fps  ETA 0:04`` on a terminal.

    Only drawn when the stream is a terminal (or ``force``); at most ten redraws a
    second. Wall-clock time here is for display only and never reaches the output.
    """

    def __init__(
        self, stream: TextIO = sys.stderr, *, force: bool = False, width: int = 30
    ) -> None:
        self._stream = stream
        self._enabled = force or stream.isatty()
        self._width = width
        self._started = time.monotonic()
        self._last_draw = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        elapsed = max(now - self._started, 1e-9)
        fps = done / elapsed
        remaining = (total - done) / fps if fps > 0 else 0.0
        filled = int(self._width * done / max(total, 1))
        bar = "#" * filled + "." * (self._width - filled)
        eta = f"{int(remaining) // 60}:{int(remaining) % 60:02d}"
        self._stream.write(f"\r[{bar}] {done}/{total} frames  {fps:5.1f} fps  ETA {eta} ")
        if done >= total:
            self._stream.write("\n")
        self._stream.flush()

    def rate(self, done: int) -> float:
        """Frames per second so far."""
        return done / max(time.monotonic() - self._started, 1e-9)
