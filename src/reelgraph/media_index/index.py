"""The media index: content fingerprints, the paths they were seen at, cached probe results.

One JSON file (``media-index.json`` under the cache folder) maps a content fingerprint to
the paths it was seen at (with their size and modification time), its full SHA-256 once
the background hash has run, and the probe result of that content. From it:

- an unchanged file (same path, size and modification time) is identified without
  reading it, so identities stay cheap on every run;
- a project whose media moved can be relinked: the missing path's last fingerprint is
  known, and a file elsewhere with the same fingerprint is the same content;
- probing a known file is a dictionary lookup.

The file is a cache: a missing or unreadable index is an empty one. Writes are atomic
(temporary file, fsync, rename) and merge with what another process saved meanwhile, so
two engines sharing the cache folder lose no entries and never leave a torn file.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from reelgraph.media_index.fingerprint import Fingerprint, fingerprint_file

__all__ = ["INDEX_FILE", "MediaIndex", "atomic_write_bytes"]

INDEX_FILE = "media-index.json"
_SCHEMA = "MediaIndex.1"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync and rename.

    Raises:
        OSError: the folder cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()


def _stat_key(stat: os.stat_result) -> dict[str, int]:
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


class MediaIndex:
    """Fingerprints, known paths and probe results of media, kept in one JSON file.

    Thread-safe. Changes are held in memory until :meth:`save`.

    Args:
        path: The index file (need not exist).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._media: dict[str, dict[str, Any]] = self._read()
        self._by_path = _paths(self._media)
        self._dirty = False

    @classmethod
    def in_folder(cls, folder: str | os.PathLike[str]) -> MediaIndex:
        """The index of a cache folder (``<folder>/media-index.json``)."""
        return cls(Path(folder) / INDEX_FILE)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("schema") != _SCHEMA:
            return {}
        media = data.get("media")
        if not isinstance(media, dict):
            return {}
        return {
            text: entry
            for text, entry in media.items()
            if isinstance(entry, dict) and isinstance(entry.get("paths", {}), dict)
        }

    def _entry(self, fingerprint: Fingerprint) -> dict[str, Any]:
        entry = self._media.setdefault(fingerprint.text, {})
        entry.setdefault("size", fingerprint.size)
        entry.setdefault("paths", {})
        return entry

    # -- identification -------------------------------------------------------------------

    def identify(self, path: str | os.PathLike[str]) -> Fingerprint:
        """The fingerprint of the file now at ``path``, read only when it changed.

        A path seen before with the same size and modification time keeps its recorded
        fingerprint; otherwise the file is fingerprinted and the path recorded.

        Raises:
            OSError: the file is missing or unreadable (``FileNotFoundError`` if missing).
        """
        where = os.path.abspath(path)
        stat = os.stat(where)
        with self._lock:
            known = self._known(where)
            if known is not None and known[1] == _stat_key(stat):
                return known[0]
        fingerprint = fingerprint_file(where)
        with self._lock:
            self._forget_path(where)
            self._entry(fingerprint)["paths"][where] = _stat_key(stat)
            self._by_path[where] = fingerprint.text
            self._dirty = True
        return fingerprint

    def _known(self, where: str) -> tuple[Fingerprint, dict[str, int]] | None:
        text = self._by_path.get(where)
        if text is None:
            return None
        seen = self._media.get(text, {}).get("paths", {}).get(where)
        try:
            return (Fingerprint.from_text(text), seen) if isinstance(seen, dict) else None
        except ValueError:
            return None

    def _forget_path(self, where: str) -> None:
        text = self._by_path.pop(where, None)
        if text is not None:
            self._media.get(text, {}).get("paths", {}).pop(where, None)

    def last_fingerprint(self, path: str | os.PathLike[str]) -> Fingerprint | None:
        """The fingerprint last recorded for ``path`` (which may be gone now), or None."""
        with self._lock:
            known = self._known(os.path.abspath(path))
        return None if known is None else known[0]

    def paths_of(self, fingerprint: Fingerprint) -> list[Path]:
        """The paths ``fingerprint`` was seen at, sorted."""
        with self._lock:
            paths = self._media.get(fingerprint.text, {}).get("paths", {})
            return [Path(p) for p in sorted(paths)]

    def fingerprints(self) -> list[Fingerprint]:
        """Every fingerprint in the index, sorted by text."""
        with self._lock:
            texts = sorted(self._media)
        found = []
        for text in texts:
            try:
                found.append(Fingerprint.from_text(text))
            except ValueError:
                continue
        return found

    # -- facts about content --------------------------------------------------------------

    def probe_of(self, fingerprint: Fingerprint, version: str) -> dict[str, Any] | None:
        """The probe result recorded for this content by prober ``version``, or None."""
        with self._lock:
            probe = self._media.get(fingerprint.text, {}).get("probe")
        if isinstance(probe, dict) and probe.get("version") == version:
            data = probe.get("info")
            return data if isinstance(data, dict) else None
        return None

    def record_probe(self, fingerprint: Fingerprint, version: str, info: dict[str, Any]) -> None:
        """Remember the probe result (JSON-ready) of this content."""
        with self._lock:
            self._entry(fingerprint)["probe"] = {"version": version, "info": info}
            self._dirty = True

    def full_hash(self, fingerprint: Fingerprint) -> str | None:
        """The full SHA-256 of this content, once the background hash has recorded it."""
        with self._lock:
            value = self._media.get(fingerprint.text, {}).get("sha256")
        return value if isinstance(value, str) else None

    def record_full_hash(self, fingerprint: Fingerprint, sha256: str) -> bool:
        """Record the full hash; False when it contradicts one recorded before.

        A contradiction means two different files share a fingerprint (the same size and
        the same sampled bytes, edited elsewhere): the caller drops what was derived from
        the fingerprint (its proxies).
        """
        with self._lock:
            entry = self._entry(fingerprint)
            previous = entry.get("sha256")
            entry["sha256"] = sha256
            self._dirty = True
        return previous is None or previous == sha256

    # -- persistence ----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """Whether there are changes not saved yet."""
        return self._dirty

    def save(self) -> None:
        """Merge with the file on disk and write it atomically (no-op when unchanged).

        Raises:
            OSError: the cache folder cannot be written.
        """
        with self._lock:
            if not self._dirty:
                return
            merged = self._read()
            for text, entry in self._media.items():
                merged[text] = _merge(merged.get(text, {}), entry)
            # A path lives under one fingerprint only: the newest (ours) wins.
            ours = {p: t for t, e in self._media.items() for p in e.get("paths", {})}
            for text, entry in merged.items():
                paths = entry.get("paths", {})
                for path in [p for p in paths if ours.get(p, text) != text]:
                    del paths[path]
            body = {"schema": _SCHEMA, "media": dict(sorted(merged.items()))}
            atomic_write_bytes(self.path, (json.dumps(body, indent=1) + "\n").encode())
            self._media = merged
            self._by_path = _paths(merged)
            self._dirty = False


def _paths(media: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {
        path: text
        for text, entry in media.items()
        if isinstance(entry, dict)
        for path in entry.get("paths", {})
    }


def _merge(theirs: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    merged = {**theirs, **{k: v for k, v in ours.items() if v is not None}}
    merged["paths"] = {**theirs.get("paths", {}), **ours.get("paths", {})}
    return merged
