"""The ``.rgproxy`` file: intra-only frames, memory-mapped, checked, written atomically.

Layout (little-endian)::

    "RGPROXY1" | u32 header length | header JSON | zero padding to a page
    frame 0 payload | padding to a page | frame 1 payload | ...
    frame table: per frame (u64 offset, u64 length, u32 crc32, i64 pts)
    trailer (64 bytes): "RGPXIDX1" | u64 table offset | u64 frames
                        | SHA-256 of header JSON + table | "RGPXEND1"

Every frame stands alone (no inter-frame coding), so frame ``i`` is one slice of the
file: a ``raw`` payload is the ``(H, W, C)`` ``uint8`` pixels themselves, used in place
from the memory map with no decoding at all; a ``jpeg`` payload (the full-size level,
where raw frames would be several MB) is one JPEG decoded by Pillow.

A file is only ever created under a temporary name and renamed once its trailer is
written and synced, so a half-written proxy never has the final name; one that lacks a
valid trailer (truncated, torn, another format) fails to open with
:class:`ProxyCorruptError`, and so does a frame whose CRC-32 does not match (checked the
first time each frame is read). Either way the proxy is deleted and built again.
"""

from __future__ import annotations

import hashlib
import io
import json
import mmap
import os
import struct
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from reelgraph.errors import ProxyCorruptError

__all__ = ["ProxyFile", "ProxyMeta", "ProxyWriter"]

_MAGIC = b"RGPROXY1"
_TABLE_MAGIC = b"RGPXIDX1"
_END_MAGIC = b"RGPXEND1"
_ROW = struct.Struct("<QQIq")
_TRAILER = struct.Struct("<8sQQ32s8s")
_ALIGN = max(mmap.PAGESIZE, 4096)
_JPEG_QUALITY = 92
_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ProxyMeta:
    """What a proxy file says about itself (its header).

    Attributes:
        source: The fingerprint text of the original's content.
        level: The proxy level's name (``"full"``, ``"half"``, ``"quarter"``).
        width: Proxy frame width.
        height: Proxy frame height.
        channels: 3 (RGB) or 4 (RGBA, straight alpha).
        codec: ``"raw"`` or ``"jpeg"``.
        source_width: The original's width.
        source_height: The original's height.
        time_base: The original's time base, ``"num/den"``; frame times are in its ticks
            from the original's first frame.
        version: The format version.
    """

    source: str
    level: str
    width: int
    height: int
    channels: int
    codec: str
    source_width: int
    source_height: int
    time_base: str
    version: int = _FORMAT_VERSION


def _padding(offset: int) -> int:
    return -offset % _ALIGN


class ProxyWriter:
    """Writes one proxy file frame by frame; it appears at ``path`` only on :meth:`finish`.

    Args:
        path: The final path (its folder is created).
        meta: The header.

    Raises:
        OSError: the folder cannot be written.
    """

    def __init__(self, path: Path, meta: ProxyMeta) -> None:
        if meta.codec not in ("raw", "jpeg") or meta.channels not in (3, 4):
            raise ValueError(f"unsupported proxy layout: {meta.codec}, {meta.channels} channels")
        if meta.codec == "jpeg" and meta.channels != 3:
            raise ValueError("jpeg proxies hold RGB only")
        self.path = path
        self.meta = meta
        path.parent.mkdir(parents=True, exist_ok=True)
        self._partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        self._handle = open(self._partial, "wb")
        self._header = json.dumps(asdict(meta), sort_keys=True).encode()
        self._write(_MAGIC + struct.pack("<I", len(self._header)) + self._header)
        self._rows: list[bytes] = []

    @property
    def frames(self) -> int:
        """Frames written so far."""
        return len(self._rows)

    def _write(self, data: bytes) -> None:
        self._handle.write(data)
        self._handle.write(b"\0" * _padding(self._handle.tell()))

    def add(self, pts: int, rgb: np.ndarray) -> None:
        """Append the next frame.

        Args:
            pts: Its time in the original's ticks from the first frame.
            rgb: ``(height, width, channels)`` ``uint8``.

        Raises:
            ValueError: wrong shape or type.
            OSError: the disk refused the write.
        """
        m = self.meta
        if rgb.dtype != np.uint8 or rgb.shape != (m.height, m.width, m.channels):
            raise ValueError(f"proxy frame is {rgb.shape} {rgb.dtype}, expected "
                             f"({m.height}, {m.width}, {m.channels}) uint8")  # fmt: skip
        payload = _encode(np.ascontiguousarray(rgb), m.codec)
        offset = self._handle.tell()
        self._write(payload)
        self._rows.append(_ROW.pack(offset, len(payload), zlib.crc32(payload), pts))

    def finish(self) -> Path:
        """Write the frame table and trailer, sync, and rename into place.

        Raises:
            OSError: the disk refused the write.
        """
        table = b"".join(self._rows)
        offset = self._handle.tell()
        self._handle.write(table)
        digest = hashlib.sha256(self._header + table).digest()
        self._handle.write(_TRAILER.pack(_TABLE_MAGIC, offset, len(self._rows), digest, _END_MAGIC))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self._partial, self.path)
        return self.path

    def abort(self) -> None:
        """Close and delete the partial file (the final path is untouched)."""
        if not self._handle.closed:
            self._handle.close()
        self._partial.unlink(missing_ok=True)


def _encode(rgb: np.ndarray, codec: str) -> bytes:
    if codec == "raw":
        return rgb.tobytes()
    buffer = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buffer, "JPEG", quality=_JPEG_QUALITY, subsampling=0)
    return buffer.getvalue()


class ProxyFile:
    """A finished proxy, memory-mapped; frames by index.

    Args:
        path: The ``.rgproxy`` file.

    Raises:
        ProxyCorruptError: not a complete, intact proxy file.
        OSError: it cannot be opened (``FileNotFoundError`` when missing).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < len(_MAGIC) + 4 + _TRAILER.size:
                raise self._corrupt("too short to be a proxy")
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            self.meta, self._table = self._read_layout(size)
        except BaseException:
            self._map.close()
            raise
        self.pts = [int(row[3]) for row in self._table]
        self._checked = np.zeros(len(self._table), dtype=bool)

    def _corrupt(self, why: str) -> ProxyCorruptError:
        return ProxyCorruptError(f"proxy {self.path} is unusable: {why}", path=str(self.path))

    def _read_layout(self, size: int) -> tuple[ProxyMeta, list[tuple[int, int, int, int]]]:
        m = self._map
        if m[: len(_MAGIC)] != _MAGIC:
            raise self._corrupt("wrong magic")
        (header_length,) = struct.unpack_from("<I", m, len(_MAGIC))
        header = bytes(m[12 : 12 + header_length])
        magic, table_offset, frames, digest, end = _TRAILER.unpack_from(m, size - _TRAILER.size)
        if magic != _TABLE_MAGIC or end != _END_MAGIC:
            raise self._corrupt("no trailer (half-written?)")
        table_end = table_offset + frames * _ROW.size
        if table_end != size - _TRAILER.size or table_offset < 12 + header_length:
            raise self._corrupt("frame table out of place")
        table = bytes(m[table_offset:table_end])
        if hashlib.sha256(header + table).digest() != digest:
            raise self._corrupt("header or frame table checksum mismatch")
        try:
            fields: dict[str, Any] = json.loads(header)
            meta = ProxyMeta(**fields)
        except (ValueError, TypeError) as exc:
            raise self._corrupt(f"bad header ({exc})") from exc
        if meta.version != _FORMAT_VERSION:
            raise self._corrupt(f"format version {meta.version}")
        rows = [_ROW.unpack_from(table, i * _ROW.size) for i in range(frames)]
        expected = meta.width * meta.height * meta.channels
        for offset, length, _, _ in rows:
            if offset + length > table_offset or (meta.codec == "raw" and length != expected):
                raise self._corrupt("frame outside the file")
        return meta, rows

    def __len__(self) -> int:
        return len(self._table)

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index``: a read-only ``(H, W, C)`` ``uint8`` array.

        Raw frames are views of the memory map (no copy); the first read of each frame
        checks its CRC-32.

        Raises:
            IndexError: no such frame.
            ProxyCorruptError: the frame's bytes do not match their checksum.
        """
        offset, length, crc, _ = self._table[index]
        data = memoryview(self._map)[offset : offset + length]
        if not self._checked[index]:
            if zlib.crc32(data) != crc:
                raise self._corrupt(f"frame {index} checksum mismatch")
            self._checked[index] = True
        m = self.meta
        if m.codec == "raw":
            array = np.frombuffer(data, dtype=np.uint8).reshape(m.height, m.width, m.channels)
        else:
            with Image.open(io.BytesIO(data)) as image:
                array = np.asarray(image.convert("RGB"))
            if array.shape != (m.height, m.width, 3):
                raise self._corrupt(f"frame {index} decodes to {array.shape}")
        array.setflags(write=False)
        return array

    def verify(self) -> None:
        """Check every frame's checksum now (a full read).

        Raises:
            ProxyCorruptError: a frame does not match.
        """
        for index in range(len(self._table)):
            self.frame(index)

    def read_ahead(self, first: int, count: int) -> None:
        """Ask the OS to page in frames ``[first, first + count)`` (sequential playback)."""
        last = min(len(self._table), first + count) - 1
        if first < 0 or last < first or not hasattr(self._map, "madvise"):
            return
        start = self._table[first][0]
        end = self._table[last][0] + self._table[last][1]
        start -= start % mmap.PAGESIZE
        try:
            self._map.madvise(mmap.MADV_WILLNEED, start, end - start)
        except (OSError, ValueError):
            pass  # advice only

    def close(self) -> None:
        """Unmap the file (frames still referenced keep their pages until dropped)."""
        try:
            self._map.close()
        except BufferError:
            pass  # a frame view is still alive; the map goes with it
