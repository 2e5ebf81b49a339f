"""Recycled image buffers (numpy): a frame's images reuse the memory of earlier ones.

Every CPU operation writes a new full-canvas image (33 MB in float32 RGBA at 1080p).
Instead of allocating each one and freeing it a node later, operations take a buffer here
and the graph evaluator gives an intermediate back once its last reader has run; the next
operation of that size (in this frame or the next) writes into it. Memory stays at the
few buffers a frame has alive at once, and the allocator never sees the churn.

A buffer comes back only when nothing else can still see it: the caller hands over its
last reference, and the pool checks the reference count (a frame cache, a view, or a node
that passed its input through all hold references, so such images are never reused).
Buffers are written completely by whoever takes them, so what a buffer held before never
shows: recycling changes no pixel.
"""

from __future__ import annotations

import sys
import threading

import numpy as np
from numpy.typing import NDArray

__all__ = ["POOL", "BufferPool"]

# References to an image that give_back itself adds: its parameter and getrefcount's.
_OWN_REFERENCES = 2


class BufferPool:
    """Free ``float32`` buffers by shape, at most ``per_shape`` of each kept."""

    def __init__(self, per_shape: int = 4) -> None:
        self.per_shape = per_shape
        self.reused = 0
        self.allocated = 0
        self.returned = 0
        self._free: dict[tuple[int, ...], list[NDArray[np.float32]]] = {}
        self._lock = threading.Lock()

    def take(self, shape: tuple[int, ...]) -> NDArray[np.float32]:
        """A writable C-contiguous ``float32`` array of ``shape``; its contents are garbage."""
        with self._lock:
            free = self._free.get(shape)
            if free:
                self.reused += 1
                buffer = free.pop()
                buffer.flags.writeable = True
                return buffer
            self.allocated += 1
        return np.empty(shape, dtype=np.float32)

    def give_back(self, image: object, owners: int = 1) -> bool:
        """Keep ``image``'s buffer for reuse if nobody but the callers refer to it.

        Args:
            image: the image given up.
            owners: references the callers hold, all dropped right after this call (the
                variables and parameters down the call chain: 1 for a direct call with a
                local variable, 2 through one wrapper that passes its parameter on).

        Returns:
            Whether the buffer was kept.
        """
        if (
            not isinstance(image, np.ndarray)
            or image.dtype != np.float32
            or image.base is not None
            or not image.flags.c_contiguous
            or sys.getrefcount(image) > owners + _OWN_REFERENCES
        ):
            return False
        with self._lock:
            free = self._free.setdefault(image.shape, [])
            if len(free) >= self.per_shape:
                return False
            image.flags.writeable = False  # nobody writes it until take() hands it out
            free.append(image)
            self.returned += 1
        return True

    def clear(self) -> None:
        """Drop every kept buffer."""
        with self._lock:
            self._free.clear()


POOL = BufferPool()
"""The process's pool, shared by every CPU backend (images are plain arrays)."""
