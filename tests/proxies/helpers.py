"""Building proxies synchronously in tests (no job system)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reelgraph.media_index import Fingerprint
from reelgraph.proxies import MediaCache, ProxyLevel
from reelgraph.proxies.build import ProxyBuild


def build_now(
    cache: MediaCache,
    path: Path,
    levels: Sequence[ProxyLevel] = tuple(ProxyLevel),
) -> Fingerprint:
    """Build ``levels`` for the file at ``path`` here and now; its fingerprint."""
    fingerprint = cache.index.identify(path)
    build = ProxyBuild(cache.proxies, path, fingerprint, levels)
    while build.step():
        pass
    return fingerprint
