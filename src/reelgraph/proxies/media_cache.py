"""The media side of the cache folder: the index, the proxies, thumbnails and waveforms.

::

    <cache>/media-index.json        fingerprints, known paths, probe results
    <cache>/proxies/<content>/      full|half|quarter.rgproxy
    <cache>/thumbnails/<content>-*  filmstrips
    <cache>/waveforms/<content>-*   audio peaks

Everything here is derived from media content and may be deleted at any time.
"""

from __future__ import annotations

import os
from pathlib import Path

from reelgraph.cache.disk import default_cache_dir
from reelgraph.media_index.index import MediaIndex
from reelgraph.proxies.library import ProxyLibrary

__all__ = ["MediaCache"]


class MediaCache:
    """The media index, proxy library and derived-media folders under one cache folder.

    Args:
        root: The cache folder (default: :func:`~reelgraph.cache.default_cache_dir`).
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = (Path(root) if root is not None else default_cache_dir()).absolute()
        self.index = MediaIndex.in_folder(self.root)
        self.proxies = ProxyLibrary.in_cache(self.root)

    @property
    def thumbnails(self) -> Path:
        """Folder of filmstrip thumbnails."""
        return self.root / "thumbnails"

    @property
    def waveforms(self) -> Path:
        """Folder of audio peak files."""
        return self.root / "waveforms"

    def save(self) -> None:
        """Save the index; a read-only cache folder is not an error (it is only a cache)."""
        try:
            self.index.save()
        except OSError:
            pass

    def close(self) -> None:
        """Save the index and unmap open proxies."""
        self.save()
        self.proxies.close()
