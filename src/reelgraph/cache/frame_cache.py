"""The two tiers together: memory first, then disk; a disk hit is promoted to memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelgraph.cache.disk import DiskCache
from reelgraph.cache.memory import MemoryCache
from reelgraph.cache.metrics import CacheMetrics

__all__ = ["FrameCache"]


class FrameCache:
    """A memory LRU in front of an optional disk store, sharing one :class:`CacheMetrics`."""

    def __init__(
        self,
        *,
        memory_bytes: int = 512 << 20,
        disk_root: Path | None = None,
        disk_bytes: int = 2 << 30,
        disk_max_age_seconds: float = 30 * 24 * 3600,
    ) -> None:
        self.metrics = CacheMetrics()
        self.memory = MemoryCache(memory_bytes, self.metrics)
        self.disk = (
            DiskCache(
                disk_root,
                max_bytes=disk_bytes,
                max_age_seconds=disk_max_age_seconds,
                metrics=self.metrics,
            )
            if disk_root is not None
            else None
        )

    def get(self, key: str) -> np.ndarray | None:
        """The cached array, from memory or disk, or None."""
        value = self.memory.get(key)
        if value is not None or self.disk is None:
            return value
        value = self.disk.get(key)
        if value is not None:
            self.memory.put(key, value)
        return value

    def contains(self, key: str) -> bool:
        """Whether ``key`` is cached in either tier (a disk probe reads the entry)."""
        return key in self.memory or (self.disk is not None and self.get(key) is not None)

    def put(self, key: str, value: np.ndarray) -> None:
        """Store in memory and (if configured) on disk."""
        self.memory.put(key, value)
        if self.disk is not None:
            self.disk.put(key, value)
