"""Where proxies live: content-addressed files next to the cache, opened on demand.

``<root>/<fingerprint.short>/<level>.rgproxy``: the folder is named by the original's
content fingerprint, so a renamed original keeps its proxies and a changed one (a new
fingerprint) never sees the old ones. Opening checks the file's trailer and that its
header names the same content; a proxy that fails either is deleted (and is then simply
missing: the original is served until it is built again).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reelgraph.errors import ProxyCorruptError
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.proxies.quality import ProxyLevel
from reelgraph.proxies.store import ProxyFile

__all__ = ["PROXY_SUFFIX", "ProxyEntry", "ProxyLibrary"]

PROXY_SUFFIX = ".rgproxy"


@dataclass(frozen=True, slots=True)
class ProxyEntry:
    """One proxy file found on disk."""

    folder: str
    level: str
    path: Path
    bytes: int


class ProxyLibrary:
    """Finds, opens (memory-mapped, shared) and deletes proxies under ``root``.

    Thread-safe; open files are kept until :meth:`close` or until the file changes.

    Args:
        root: The proxy folder (created when the first proxy is written).
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._open: dict[Path, tuple[tuple[int, int], ProxyFile]] = {}
        self.discarded: list[str] = []
        """Proxies found corrupt and deleted in this session (their paths)."""

    @classmethod
    def in_cache(cls, cache_dir: str | os.PathLike[str]) -> ProxyLibrary:
        """The library next to a cache folder: ``<cache_dir>/proxies``."""
        return cls(Path(cache_dir) / "proxies")

    def folder(self, fingerprint: Fingerprint) -> Path:
        """The folder of one original's proxies."""
        return self.root / fingerprint.short

    def path(self, fingerprint: Fingerprint, level: ProxyLevel) -> Path:
        """Where the ``level`` proxy of this content is (or would be)."""
        return self.folder(fingerprint) / f"{level.value}{PROXY_SUFFIX}"

    @staticmethod
    def codec_for(level: ProxyLevel, channels: int) -> str:
        """The payload codec of a level: JPEG for the full size (raw is too big), raw below.

        Raw frames need no decoding at all; a full-size raw frame of a 4K source would be
        24 MB, so the full level is JPEG (quality 92, 4:4:4) unless it carries alpha.
        """
        return "jpeg" if level is ProxyLevel.FULL and channels == 3 else "raw"

    def has(self, fingerprint: Fingerprint, level: ProxyLevel) -> bool:
        """Whether a file is there (not yet checked)."""
        return self.path(fingerprint, level).is_file()

    def get(self, fingerprint: Fingerprint, level: ProxyLevel) -> ProxyFile | None:
        """The open proxy, or None when missing or found corrupt (then deleted)."""
        path = self.path(fingerprint, level)
        try:
            stat = path.stat()
        except OSError:
            self._forget(path)
            return None
        signature = (stat.st_ino, stat.st_mtime_ns)
        with self._lock:
            known = self._open.get(path)
            if known is not None and known[0] == signature:
                return known[1]
        try:
            proxy = ProxyFile(path)
            if proxy.meta.source != fingerprint.text or proxy.meta.level != level.value:
                proxy.close()
                raise ProxyCorruptError(f"proxy {path} belongs to other content", path=str(path))
        except ProxyCorruptError:
            self.discard(path)
            return None
        except OSError:
            return None
        with self._lock:
            old = self._open.pop(path, None)
            self._open[path] = (signature, proxy)
        if old is not None:
            old[1].close()
        return proxy

    def discard(self, path: Path) -> None:
        """Delete a proxy found corrupt (it will be built again)."""
        self._forget(path)
        path.unlink(missing_ok=True)
        self.discarded.append(str(path))

    def _forget(self, path: Path) -> None:
        with self._lock:
            known = self._open.pop(path, None)
        if known is not None:
            known[1].close()

    def levels(self, fingerprint: Fingerprint) -> list[ProxyLevel]:
        """The levels with a file on disk for this content (not yet checked)."""
        return [level for level in ProxyLevel if self.has(fingerprint, level)]

    def entries(self) -> list[ProxyEntry]:
        """Every proxy file under the root, sorted by folder and level."""
        found: list[ProxyEntry] = []
        if not self.root.is_dir():
            return found
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            for path in sorted(folder.glob(f"*{PROXY_SUFFIX}")):
                try:
                    size = path.stat().st_size
                except OSError:
                    continue
                found.append(ProxyEntry(folder.name, path.stem, path, size))
        return found

    def remove(self, fingerprint: Fingerprint) -> list[Path]:
        """Delete every proxy of this content; the paths removed."""
        return self._remove_folder(self.folder(fingerprint))

    def clean(self, keep: Iterable[Fingerprint]) -> list[Path]:
        """Delete the proxies of all content but ``keep``; the paths removed."""
        kept = {f.short for f in keep}
        removed: list[Path] = []
        if not self.root.is_dir():
            return removed
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            if folder.name not in kept:
                removed += self._remove_folder(folder)
        return removed

    def _remove_folder(self, folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        removed = sorted(folder.glob(f"*{PROXY_SUFFIX}"))
        for path in removed:
            self._forget(path)
        shutil.rmtree(folder, ignore_errors=True)
        return removed

    def close(self) -> None:
        """Unmap every open proxy."""
        with self._lock:
            files = [proxy for _, proxy in self._open.values()]
            self._open.clear()
        for proxy in files:
            proxy.close()
