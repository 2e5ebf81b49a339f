"""Transparent switching: which proxy serves a request, and its frame for a time.

The engine asks :meth:`ProxySwitch.choose` while building a frame's graph: the smallest
proxy level that satisfies the request's :class:`Quality` and is on disk and intact, or
None (serve the original). :meth:`ProxySwitch.frame` then returns that proxy's frame
shown at a time, found exactly as :class:`~reelgraph.media.VideoReader` finds an
original's (the last frame whose time is at or before the time, rounded to the nearest
tick), so a proxy never changes timing. During sequential playback the next frames are
paged in ahead (``madvise``) while this one is used.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_right
from fractions import Fraction

import numpy as np

from reelgraph.errors import ProxyCorruptError
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.proxies.library import ProxyLibrary
from reelgraph.proxies.quality import ProxyLevel, Quality
from reelgraph.proxies.store import ProxyFile

__all__ = ["ProxySwitch"]

_READ_AHEAD_FRAMES = 8


class ProxySwitch:
    """Chooses and reads proxies from a library.

    Args:
        library: Where proxies are found.
    """

    def __init__(self, library: ProxyLibrary) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str], int] = {}
        self.served = 0
        """Frames served from proxies (diagnostics)."""

    def choose(self, fingerprint: Fingerprint, quality: Quality) -> ProxyLevel | None:
        """The level to serve ``quality`` with, or None for the original."""
        for level in quality.candidates:
            if self.library.get(fingerprint, level) is not None:
                return level
        return None

    def frame(
        self, fingerprint: Fingerprint, level: ProxyLevel, seconds: Fraction
    ) -> np.ndarray | None:
        """The level's ``(H, W, C)`` ``uint8`` frame shown at ``seconds``; None if unusable.

        A proxy found corrupt here is deleted (and None returned), never shown.
        """
        proxy = self.library.get(fingerprint, level)
        if proxy is None or len(proxy) == 0:
            return None
        index = frame_index(proxy, seconds)
        try:
            picture = proxy.frame(index)
        except ProxyCorruptError:
            self.library.discard(proxy.path)
            return None
        self._read_ahead(proxy, fingerprint, level, index)
        self.served += 1
        return picture

    def _read_ahead(
        self, proxy: ProxyFile, fingerprint: Fingerprint, level: ProxyLevel, index: int
    ) -> None:
        key = (fingerprint.text, level.value)
        with self._lock:
            previous = self._last.get(key)
            self._last[key] = index
        if previous is not None and index == previous + 1 and index % 4 == 1:
            proxy.read_ahead(index + 1, _READ_AHEAD_FRAMES)


def frame_index(proxy: ProxyFile, seconds: Fraction) -> int:
    """The index of the proxy frame shown ``seconds`` after its first frame."""
    time_base = Fraction(proxy.meta.time_base)
    ticks = max(0, math.floor(Fraction(seconds) / time_base + Fraction(1, 2)))
    return max(0, bisect_right(proxy.pts, ticks) - 1)
