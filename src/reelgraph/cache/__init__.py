"""Content-addressed caches: a memory LRU in front of a disk store."""

from reelgraph.cache.disk import DiskCache, default_cache_dir
from reelgraph.cache.frame_cache import FrameCache
from reelgraph.cache.memory import MemoryCache
from reelgraph.cache.metrics import CacheMetrics

__all__ = ["CacheMetrics", "DiskCache", "FrameCache", "MemoryCache", "default_cache_dir"]
