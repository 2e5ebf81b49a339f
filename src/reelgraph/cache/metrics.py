"""Cache counters reported after renders (``--metrics``) and in graph dumps."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["CacheMetrics"]


@dataclass
class CacheMetrics:
    """Hits, misses and evictions of the memory and disk tiers, plus corrupt entries."""

    memory_hits: int = 0
    memory_misses: int = 0
    memory_evictions: int = 0
    disk_hits: int = 0
    disk_misses: int = 0
    disk_evictions: int = 0
    disk_corrupt: int = 0
    disk_writes: int = 0

    def hit_rate(self) -> float:
        """Share of lookups answered by either tier."""
        hits = self.memory_hits + self.disk_hits
        lookups = self.memory_hits + self.memory_misses
        return hits / lookups if lookups else 0.0

    def to_dict(self) -> dict[str, float]:
        """A JSON-ready form including the hit rate."""
        return {**asdict(self), "hit_rate": round(self.hit_rate(), 4)}
