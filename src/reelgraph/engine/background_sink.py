"""A sink that hands frames to another sink on a background thread (encode overlap).

The encoder runs while the next frame composites. Frames keep their order (one consumer,
a FIFO), so the output bytes are the same as writing inline; the bounded queue pushes
back on the producer when the encoder falls behind, and an encoder error is raised in the
producer at its next write or at close.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

import numpy as np

from reelgraph.engine.sinks import FrameSink

__all__ = ["BackgroundSink"]

_STOP = object()


class BackgroundSink:
    """Wraps ``inner``; at most ``depth`` frames wait for it."""

    def __init__(self, inner: FrameSink, depth: int = 4) -> None:
        self._inner = inner
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="reelgraph-encode", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if self._error is None:
                try:
                    self._inner.write(*item)
                except BaseException as exc:
                    self._error = exc

    def _raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def write(self, index: int, pixels: np.ndarray, audio: np.ndarray | None) -> None:
        self._raise_pending()
        self._queue.put((index, pixels, audio))

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    def close(self) -> None:
        self._stop()
        self._raise_pending()
        self._inner.close()

    def abort(self) -> None:
        self._stop()
        self._inner.abort()
