"""Memory LRU and disk store: bounds, promotion, corruption."""

from __future__ import annotations

import os
import time

import numpy as np

from reelgraph.cache import DiskCache, FrameCache, MemoryCache


def frame(value: int, size: int = 16) -> np.ndarray:
    return np.full((size, size, 3), value, dtype=np.uint8)


def test_the_memory_cache_evicts_the_least_recently_used_to_stay_in_budget():
    cache = MemoryCache(max_bytes=3 * frame(0).nbytes)
    for value in range(3):
        cache.put(f"k{value}", frame(value))
    assert cache.get("k0") is not None
    cache.put("k3", frame(3))
    assert cache.get("k1") is None and cache.get("k0") is not None
    assert cache.metrics.memory_evictions == 1
    assert cache.size_bytes <= cache.max_bytes


def test_cached_arrays_cannot_be_changed_by_callers():
    cache = MemoryCache(max_bytes=1 << 20)
    cache.put("k", frame(5))
    got = cache.get("k")
    assert got is not None and not got.flags.writeable


def test_the_disk_store_survives_a_restart(tmp_path):
    DiskCache(tmp_path).put("ab" * 32, frame(7))
    again = DiskCache(tmp_path)
    got = again.get("ab" * 32)
    assert got is not None and (got == 7).all() and got.dtype == np.uint8


def test_a_corrupt_disk_entry_is_a_miss_and_is_removed(tmp_path):
    store = DiskCache(tmp_path)
    key = "cd" * 32
    store.put(key, frame(9, 64))
    path = next(tmp_path.glob("*/*.rgc"))
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert store.get(key) is None
    assert store.metrics.disk_corrupt == 1 and not path.exists()


def test_a_truncated_or_foreign_file_is_a_miss(tmp_path):
    store = DiskCache(tmp_path)
    store.put("ef" * 32, frame(1))
    path = next(tmp_path.glob("*/*.rgc"))
    path.write_bytes(path.read_bytes()[:20])
    assert store.get("ef" * 32) is None
    (tmp_path / "ef").mkdir(exist_ok=True)
    (tmp_path / "ef" / f"{'ef' * 32}.rgc").write_bytes(b"not a cache entry at all")
    assert store.get("ef" * 32) is None


def test_the_disk_store_trims_to_its_size_budget_oldest_first(tmp_path):
    store = DiskCache(tmp_path / "s", max_bytes=10_000, compression=0)
    for value in range(6):
        store.put(
            f"{value:02d}" * 32, np.random.default_rng(value).integers(0, 255, 3000, dtype=np.uint8)
        )
        path = next((tmp_path / "s").glob(f"*/{value:02d}*.rgc"))
        os.utime(path, (time.time() - 100 + value, time.time() - 100 + value))
    store.trim()
    assert store.size_bytes <= 10_000
    assert store.get("00" * 32) is None and store.get("05" * 32) is not None


def test_entries_older_than_the_age_limit_expire(tmp_path):
    store = DiskCache(tmp_path, max_age_seconds=60)
    store.put("aa" * 32, frame(1))
    path = next(tmp_path.glob("*/*.rgc"))
    os.utime(path, (time.time() - 3600, time.time() - 3600))
    store.trim()
    assert store.get("aa" * 32) is None


def test_a_disk_hit_is_promoted_to_memory(tmp_path):
    FrameCache(disk_root=tmp_path).put("k" * 64, frame(3))
    cache = FrameCache(disk_root=tmp_path)
    assert cache.get("k" * 64) is not None
    assert cache.metrics.disk_hits == 1
    assert cache.get("k" * 64) is not None
    assert cache.metrics.memory_hits == 1
