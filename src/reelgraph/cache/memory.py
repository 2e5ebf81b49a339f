"""An in-memory LRU of arrays, bounded in bytes."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from reelgraph.cache.metrics import CacheMetrics

__all__ = ["MemoryCache"]


class MemoryCache:
    """Least-recently-used arrays by key, holding at most ``max_bytes``.

    Stored arrays are made read-only, so a cached picture can never be changed by a
    caller that mutates what it got back.
    """

    def __init__(self, max_bytes: int, metrics: CacheMetrics | None = None) -> None:
        self.max_bytes = max_bytes
        self.metrics = metrics or CacheMetrics()
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0

    @property
    def size_bytes(self) -> int:
        """Bytes held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def get(self, key: str) -> np.ndarray | None:
        """The array stored under ``key`` (and mark it recently used), or None."""
        value = self._items.get(key)
        if value is None:
            self.metrics.memory_misses += 1
            return None
        self._items.move_to_end(key)
        self.metrics.memory_hits += 1
        return value

    def put(self, key: str, value: np.ndarray) -> None:
        """Store ``value``; evicts the least recently used entries to stay in budget."""
        if value.nbytes > self.max_bytes:
            return
        if key in self._items:
            self._bytes -= self._items.pop(key).nbytes
        frozen = value if not value.flags.writeable else value.copy()
        frozen.flags.writeable = False
        self._items[key] = frozen
        self._bytes += frozen.nbytes
        while self._bytes > self.max_bytes:
            _, evicted = self._items.popitem(last=False)
            self._bytes -= evicted.nbytes
            self.metrics.memory_evictions += 1

    def clear(self) -> None:
        """Drop everything."""
        self._items.clear()
        self._bytes = 0
