"""A content-addressed on-disk store of arrays, bounded by size and age.

Each entry is one file ``<root>/<key[:2]>/<key>.rgc``: a small header (magic, format
version, dtype, shape, SHA-256 of the payload) and the zlib-compressed array bytes.
Entries are written to a temporary file and renamed into place, so a reader sees a whole
entry or none; an entry whose header or checksum does not match (a torn write, a flipped
byte, another version's format) is deleted and treated as a miss — never as a picture.
Ages use file modification times (touched on every hit): the store is a cache, and its
clock never reaches any output.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import time
import zlib
from pathlib import Path

import numpy as np

from reelgraph.cache.metrics import CacheMetrics

__all__ = ["DiskCache", "default_cache_dir"]

MAGIC = b"RGCACHE1"
_HEADER_LENGTH = struct.Struct("<I")


def default_cache_dir() -> Path:
    """The platform cache folder: ``$XDG_CACHE_HOME/reelgraph`` (``~/.cache/reelgraph``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reelgraph"


class DiskCache:
    """Arrays by key under ``root``, at most ``max_bytes`` and ``max_age_seconds`` old."""

    def __init__(
        self,
        root: Path,
        *,
        max_bytes: int = 2 << 30,
        max_age_seconds: float = 30 * 24 * 3600,
        metrics: CacheMetrics | None = None,
        compression: int = 1,
    ) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.max_age_seconds = max_age_seconds
        self.metrics = metrics or CacheMetrics()
        self.compression = compression
        self.root.mkdir(parents=True, exist_ok=True)
        self._bytes = sum(p.stat().st_size for p in self._entries())

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.rgc"

    def _entries(self) -> list[Path]:
        return sorted(self.root.glob("*/*.rgc"))

    @property
    def size_bytes(self) -> int:
        """Bytes on disk (as tracked since opening)."""
        return self._bytes

    def get(self, key: str) -> np.ndarray | None:
        """The stored array, or None when absent, expired or corrupt."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.metrics.disk_misses += 1
            return None
        array = _decode(data)
        if array is None:
            self.metrics.disk_corrupt += 1
            self.metrics.disk_misses += 1
            self._remove(path)
            return None
        try:
            os.utime(path)
        except OSError:
            pass
        self.metrics.disk_hits += 1
        return array

    def put(self, key: str, value: np.ndarray) -> None:
        """Store ``value`` atomically; trims old entries when over budget. Never raises."""
        path = self._path(key)
        data = _encode(value, self.compression)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            previous = path.stat().st_size if path.exists() else 0
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)
            return
        self._bytes += len(data) - previous
        self.metrics.disk_writes += 1
        if self._bytes > self.max_bytes:
            self.trim()

    def trim(self) -> None:
        """Remove expired entries, then the least recently used until within budget."""
        now = time.time()
        entries = []
        for path in self._entries():
            try:
                stat = path.stat()
            except OSError:
                continue
            if now - stat.st_mtime > self.max_age_seconds:
                self._remove(path)
            else:
                entries.append((stat.st_mtime, path.name, path, stat.st_size))
        total = sum(size for *_, size in entries)
        for _, _, path, size in sorted(entries):
            if total <= self.max_bytes * 0.9:
                break
            self._remove(path)
            total -= size
        self._bytes = total

    def _remove(self, path: Path) -> None:
        try:
            size = path.stat().st_size
            path.unlink()
            self._bytes -= size
            self.metrics.disk_evictions += 1
        except OSError:
            pass

    def clear(self) -> None:
        """Remove every entry."""
        for path in self._entries():
            self._remove(path)


def _encode(value: np.ndarray, level: int) -> bytes:
    array = np.ascontiguousarray(value)
    payload = zlib.compress(array.tobytes(), level)
    header = json.dumps(
        {
            "dtype": array.dtype.str,
            "shape": list(array.shape),
            "sha256": hashlib.sha256(payload).hexdigest(),
        },
        sort_keys=True,
    ).encode()
    return MAGIC + _HEADER_LENGTH.pack(len(header)) + header + payload


def _decode(data: bytes) -> np.ndarray | None:
    try:
        if not data.startswith(MAGIC):
            return None
        offset = len(MAGIC)
        (length,) = _HEADER_LENGTH.unpack_from(data, offset)
        offset += _HEADER_LENGTH.size
        header = json.loads(data[offset : offset + length])
        payload = data[offset + length :]
        if hashlib.sha256(payload).hexdigest() != header["sha256"]:
            return None
        raw = zlib.decompress(payload)
        array = np.frombuffer(raw, dtype=np.dtype(header["dtype"]))
        return array.reshape(header["shape"])
    except (ValueError, KeyError, TypeError, zlib.error, struct.error, json.JSONDecodeError):
        return None
