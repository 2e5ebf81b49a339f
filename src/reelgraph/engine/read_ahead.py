"""Decode read-ahead: source pictures for the next frame decode while this one composites.

All decoding goes through one background thread, so each reader is only ever used by one
thread, in frame order, and decodes forward (decoder reuse, no seeks on sequential work).
While the main thread composites and encodes frame ``f``, that thread decodes the sources
of the frame the driver announced as upcoming. FFmpeg and numpy release the GIL, so the
two overlap on two cores. The pictures are the same whatever the timing: only *when*
a frame is decoded changes, never *what*.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from reelgraph.engine.media_pool import MediaPool, reader_key
from reelgraph.graph.nodes import SourceNode

__all__ = ["ReadAhead", "UpcomingFrame", "decode_pictures"]

Pictures = dict[tuple[Any, ...], np.ndarray]


@dataclass(frozen=True, slots=True)
class UpcomingFrame:
    """Resource: the timeline frame the driver will ask for after this one."""

    frame: int


def decode_pictures(pool: MediaPool, sources: Iterable[SourceNode]) -> Pictures:
    """Decode each distinct picture of ``sources`` in order, on the calling thread."""
    pictures: Pictures = {}
    lanes: dict[Any, int] = {}  # the next decoder lane of each file, in node order
    for node in sources:
        if node.request not in pictures:
            file = reader_key(node.source)
            lane = lanes.get(file, 0)
            lanes[file] = lane + 1
            picture = pool.picture(node.source, node.seconds, node.proxy, lane)
            # Nobody else holds it: read-only, a backend can take it without a copy.
            picture.flags.writeable = False
            pictures[node.request] = picture
    return pictures


class ReadAhead:
    """Resource: the decode thread and the pictures it is preparing, by frame."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reelgraph-decode")
        self._pending: dict[int, tuple[frozenset[tuple[Any, ...]], Future[Pictures]]] = {}
        self.prefetched = 0
        self.prefetch_hits = 0

    def decode(self, frame: int, pool: MediaPool, sources: Iterable[SourceNode]) -> Pictures:
        """The pictures of ``sources`` for ``frame``: prefetched ones, the rest decoded now."""
        wanted = list(sources)
        keys = frozenset(n.request for n in wanted)
        pending = self._pending.pop(frame, None)
        pictures: Pictures = {}
        if pending is not None and pending[0] == keys:
            pictures = pending[1].result()
            self.prefetch_hits += 1
        elif pending is not None:
            pending[1].result()  # the timeline changed since: keep the reader order intact
        missing = [n for n in wanted if n.request not in pictures]
        if missing:
            pictures.update(self._thread.submit(decode_pictures, pool, missing).result())
        return pictures

    def prefetch(self, frame: int, pool: MediaPool, sources: Iterable[SourceNode]) -> None:
        """Start decoding ``frame``'s sources in the background (once per frame)."""
        if frame in self._pending:
            return
        wanted = list(sources)
        if not wanted:
            return
        keys = frozenset(n.request for n in wanted)
        self._pending[frame] = (keys, self._thread.submit(decode_pictures, pool, wanted))
        self.prefetched += 1

    def close(self) -> None:
        """Wait for the thread and stop it (errors of abandoned prefetches are dropped)."""
        for _, future in self._pending.values():
            future.cancel()
        self._pending.clear()
        self._thread.shutdown(wait=True)
