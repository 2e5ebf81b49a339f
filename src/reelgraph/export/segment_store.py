"""Encoded segments kept by content key, so a re-export encodes only what changed.

A segment's key covers the encode settings and the content keys of its frames, so equal
keys mean equal bytes. Each entry is the segment file plus a manifest with its SHA-256
and the hashes of its frames; an entry whose file does not match its manifest (a torn
write, a flipped byte) is removed and treated as missing, never joined.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reelgraph.project.atomic import write_text_atomic

__all__ = ["SegmentEntry", "SegmentStore"]


@dataclass(frozen=True, slots=True)
class SegmentEntry:
    """A stored segment: its file and the display-pixel hashes of its frames."""

    path: Path
    frame_hashes: tuple[str, ...]


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class SegmentStore:
    """Segments under ``root`` (a temporary folder, removed on close, when None)."""

    def __init__(self, root: Path | None, *, temporary: bool | None = None) -> None:
        self._temporary = root is None if temporary is None else temporary
        self.root = Path(tempfile.mkdtemp(prefix="reelgraph-segments-")) if root is None else root
        self.root.mkdir(parents=True, exist_ok=True)
        self.reused = 0
        self.encoded = 0

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / key[:2]
        return folder / f"{key}.seg", folder / f"{key}.json"

    def get(self, key: str) -> SegmentEntry | None:
        """The verified segment stored under ``key``, or None."""
        segment, manifest = self._paths(key)
        try:
            meta = json.loads(manifest.read_text())
            if _file_sha256(segment) != meta["sha256"]:
                raise ValueError("checksum mismatch")
            return SegmentEntry(segment, tuple(meta["frame_hashes"]))
        except (OSError, ValueError, KeyError, TypeError):
            segment.unlink(missing_ok=True)
            manifest.unlink(missing_ok=True)
            return None

    def staging_path(self, key: str) -> Path:
        """Where to encode a new segment before :meth:`put` moves it into place."""
        segment, _ = self._paths(key)
        segment.parent.mkdir(parents=True, exist_ok=True)
        return segment.with_name(f".{segment.name}.{os.getpid()}.tmp")

    def put(self, key: str, staged: Path, frame_hashes: list[str]) -> SegmentEntry:
        """Move a finished segment into the store (atomically) with its manifest."""
        segment, manifest = self._paths(key)
        meta = {"sha256": _file_sha256(staged), "frame_hashes": frame_hashes}
        os.replace(staged, segment)
        write_text_atomic(manifest, json.dumps(meta) + "\n")
        return SegmentEntry(segment, tuple(frame_hashes))

    def close(self) -> None:
        """Remove a temporary store."""
        if self._temporary:
            shutil.rmtree(self.root, ignore_errors=True)
