"""A small least-recently-used cache of converted frames, bounded by count and bytes."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

__all__ = ["FrameCache"]


class FrameCache:
    """Converted RGB frames keyed by presentation timestamp (``pts``), oldest evicted first.

    Args:
        max_frames: Most frames kept (0 disables the cache).
        max_bytes: Most bytes of pixel data kept; the newest frame is always kept even
            when it alone exceeds the budget, so a repeated request never re-decodes.
    """

    def __init__(self, max_frames: int, max_bytes: int) -> None:
        self._max_frames = max(0, max_frames)
        self._max_bytes = max(0, max_bytes)
        self._frames: OrderedDict[int, np.ndarray] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._frames)

    def __contains__(self, key: int) -> bool:
        return key in self._frames

    def get(self, key: int) -> np.ndarray | None:
        """The frame stored under ``key`` (now the most recently used), or None."""
        frame = self._frames.get(key)
        if frame is not None:
            self._frames.move_to_end(key)
        return frame

    def put(self, key: int, frame: np.ndarray) -> None:
        """Store ``frame`` under ``key`` and evict the least recently used beyond the bounds."""
        if self._max_frames == 0:
            return
        old = self._frames.pop(key, None)
        if old is not None:
            self._bytes -= old.nbytes
        self._frames[key] = frame
        self._bytes += frame.nbytes
        while len(self._frames) > 1 and (
            len(self._frames) > self._max_frames or self._bytes > self._max_bytes
        ):
            _, evicted = self._frames.popitem(last=False)
            self._bytes -= evicted.nbytes

    def clear(self) -> None:
        """Drop every frame."""
        self._frames.clear()
        self._bytes = 0
