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
# What a decode was asked for: the pictures' requests, and whether display-referred.
_Wanted = tuple[frozenset[tuple[Any, ...]], bool]


@dataclass(frozen=True, slots=True)
class UpcomingFrame:
    """Resource: the timeline frame the driver will ask for after this one."""

    frame: int


def decode_pictures(
    pool: MediaPool, sources: Iterable[SourceNode], display: bool = False
) -> Pictures:
    """Decode each distinct picture of ``sources`` in order, on the calling thread.

    ``display``: leave the pictures display-referred, as decoded (a frame shown as it is,
    see :mod:`reelgraph.graph.passthrough`), instead of in the working format.
    """
    pictures: Pictures = {}
    lanes: dict[Any, int] = {}  # the next decoder lane of each file, in node order
    fetch = pool.display_picture if display else pool.picture
    for node in sources:
        if node.request not in pictures:
            file = reader_key(node.source)
            lane = lanes.get(file, 0)
            lanes[file] = lane + 1
            picture = fetch(node.source, node.seconds, node.proxy, lane)
            # Read-only: a backend can take it without a copy, and a display picture is
            # shared with the reader's cache.
            picture.flags.writeable = False
            pictures[node.request] = picture
    return pictures


class ReadAhead:
    """Resource: the decode thread and the pictures it is preparing, by frame."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reelgraph-decode")
        self._pending: dict[int, tuple[_Wanted, Future[Pictures]]] = {}
        self.prefetched = 0
        self.prefetch_hits = 0

    def decode(
        self, frame: int, pool: MediaPool, sources: Iterable[SourceNode], display: bool = False
    ) -> Pictures:
        """The pictures of ``sources`` for ``frame``: prefetched ones, the rest decoded now
        (``display``: as decoded, see :func:`decode_pictures`)."""
        wanted = list(sources)
        keys = (frozenset(n.request for n in wanted), display)
        pending = self._pending.pop(frame, None)
        pictures: Pictures = {}
        if pending is not None and pending[0] == keys:
            pictures = pending[1].result()
            self.prefetch_hits += 1
        elif pending is not None:
            pending[1].result()  # the timeline changed since: keep the reader order intact
        missing = [n for n in wanted if n.request not in pictures]
        if missing:
            pictures.update(self._thread.submit(decode_pictures, pool, missing, display).result())
        return pictures

    def prefetch(
        self, frame: int, pool: MediaPool, sources: Iterable[SourceNode], display: bool = False
    ) -> None:
        """Start decoding ``frame``'s sources in the background (once per frame)."""
        if frame in self._pending:
            return
        wanted = list(sources)
        if not wanted:
            return
        keys = (frozenset(n.request for n in wanted), display)
        future = self._thread.submit(decode_pictures, pool, wanted, display)
        self._pending[frame] = (keys, future)
        self.prefetched += 1

    def close(self) -> None:
        """Wait for the thread and stop it (errors of abandoned prefetches are dropped)."""
        for _, future in self._pending.values():
            future.cancel()
        self._pending.clear()
        self._thread.shutdown(wait=True)
