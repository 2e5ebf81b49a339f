"""Frames in shared memory between the engine and a sandbox worker.

One POSIX shared-memory block holds :data:`SLOTS` frame slots of equal size: two inputs
(a transition reads both) and one output. The engine creates and owns the block
(:class:`FrameBlock`); the worker maps it (:func:`attach`) before its sandbox closes, so
it never needs to open anything writable afterwards. Pixels are copied once each way;
control messages travel separately, as JSON (never pickle: a worker is not trusted).
"""

from __future__ import annotations

import mmap
import os
import sys
from multiprocessing import shared_memory

import numpy as np
from numpy.typing import NDArray

__all__ = ["INPUT_A", "INPUT_B", "OUTPUT", "SLOTS", "FrameBlock", "attach", "slot_view"]

INPUT_A, INPUT_B, OUTPUT = 0, 1, 2
SLOTS = 3
_PIXEL_BYTES = 16  # four float32 channels


class FrameBlock:
    """The engine's side: a shared-memory block of :data:`SLOTS` slots."""

    def __init__(self, slot_bytes: int) -> None:
        """Create a block whose slots hold ``slot_bytes`` bytes each."""
        self.slot_bytes = max(int(slot_bytes), _PIXEL_BYTES)
        self._memory: shared_memory.SharedMemory | None = shared_memory.SharedMemory(
            create=True, size=self.slot_bytes * SLOTS
        )

    @property
    def _open(self) -> shared_memory.SharedMemory:
        if self._memory is None:
            raise ValueError("the frame block is closed")
        return self._memory

    @property
    def _buffer(self) -> memoryview:
        buffer = self._open.buf
        assert buffer is not None
        return buffer

    @property
    def name(self) -> str:
        """The block's name, for the worker to attach."""
        return self._open.name

    @property
    def size(self) -> int:
        """Bytes in the block."""
        return self.slot_bytes * SLOTS

    def fits(self, height: int, width: int) -> bool:
        """Whether an ``(height, width, 4)`` float32 frame fits one slot."""
        return height * width * _PIXEL_BYTES <= self.slot_bytes

    def write(self, slot: int, image: NDArray[np.float32]) -> None:
        """Copy a frame into a slot."""
        height, width = image.shape[:2]
        slot_view(self._buffer, slot, self.slot_bytes, height, width)[...] = image

    def read(self, slot: int, height: int, width: int) -> NDArray[np.float32]:
        """A copy of the frame in a slot."""
        return slot_view(self._buffer, slot, self.slot_bytes, height, width).copy()

    def close(self) -> None:
        """Unmap and remove the block (idempotent)."""
        memory, self._memory = self._memory, None
        if memory is None:
            return
        memory.close()
        try:
            memory.unlink()
        except FileNotFoundError:
            pass


def slot_view(
    buffer: memoryview | mmap.mmap, slot: int, slot_bytes: int, height: int, width: int
) -> NDArray[np.float32]:
    """An ``(height, width, 4)`` float32 view of one slot of a block."""
    count = height * width * 4
    if count * 4 > slot_bytes:
        raise ValueError(f"a {width}x{height} frame does not fit a slot of {slot_bytes} bytes")
    return np.frombuffer(buffer, dtype=np.float32, count=count, offset=slot * slot_bytes).reshape(
        height, width, 4
    )


def attach(name: str, size: int) -> mmap.mmap | memoryview:
    """The worker's side: map the engine's block read-write.

    On Linux the block is mapped straight from ``/dev/shm``, so the worker does not
    register it with multiprocessing's resource tracker (which would remove it, the
    engine's, when the worker dies).
    """
    if sys.platform.startswith("linux"):
        fd = os.open(f"/dev/shm/{name.lstrip('/')}", os.O_RDWR)
        try:
            return mmap.mmap(fd, size)
        finally:
            os.close(fd)
    return shared_memory.SharedMemory(name=name).buf  # pragma: no cover - not Linux
