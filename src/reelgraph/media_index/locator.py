"""Where a project's media are now, and what content they hold, decided once per run.

:class:`SourceLocator` answers two questions for the engine's media pool: the path to
open for a media path of the project (the path itself, or the file it was relinked to
when it went missing), and the content fingerprint there (from the index when the file
is unchanged, so an unchanged file is never read just to be identified).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.media_index.index import MediaIndex
from reelgraph.media_index.relink import Relink, find_relink, search_folders

__all__ = ["SourceLocator"]


class SourceLocator:
    """Resolves media paths (relinking missing ones) and fingerprints them, once each.

    Args:
        index: The media index (updated with what is learned).
        project_folder: Searched for moved media, with the configured search folders.
    """

    def __init__(self, index: MediaIndex, project_folder: Path | None) -> None:
        self.index = index
        self._folders = search_folders(project_folder)
        self._lock = threading.Lock()
        self._located: dict[Path, Path] = {}
        self._fingerprints: dict[Path, Fingerprint | None] = {}
        self.relinks: dict[Path, Relink] = {}
        """Missing paths found elsewhere in this run, by missing path."""

    def locate(self, path: Path) -> Path:
        """The file to open for ``path``: itself, or its relinked replacement if missing."""
        with self._lock:
            found = self._located.get(path)
        if found is not None:
            return found
        found = path
        if not path.exists():
            relink = find_relink(self.index, Path(os.path.abspath(path)), self._folders)
            if relink is not None:
                found = relink.found
                with self._lock:
                    self.relinks[path] = relink
        with self._lock:
            self._located[path] = found
        return found

    def fingerprint(self, path: Path) -> Fingerprint | None:
        """The content fingerprint of the file at ``locate(path)``; None if unreadable."""
        with self._lock:
            if path in self._fingerprints:
                return self._fingerprints[path]
        where = self.locate(path)
        try:
            found: Fingerprint | None = self.index.identify(where)
        except OSError:
            found = None
        with self._lock:
            self._fingerprints[path] = found
        return found

    def forget(self) -> None:
        """Look again at every path on next use (files may have changed or moved)."""
        with self._lock:
            self._located.clear()
            self._fingerprints.clear()
