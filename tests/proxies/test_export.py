"""Exports read the originals unless told to use proxies."""

from __future__ import annotations

import dataclasses

import numpy as np

from reelgraph.export.job import export_project
from reelgraph.export.presets import resolve_settings
from reelgraph.proxies import MediaCache, ProxyFile, ProxyLevel, ProxyWriter

from .helpers import build_now


def _forge_grey_full_proxy(cache: MediaCache, path) -> None:  # type: ignore[no-untyped-def]
    """Replace the full proxy by flat grey frames (same content name, same times)."""
    fingerprint = build_now(cache, path, (ProxyLevel.FULL,))
    target = cache.proxies.path(fingerprint, ProxyLevel.FULL)
    real = ProxyFile(target)
    meta, pts = dataclasses.replace(real.meta, codec="raw"), list(real.pts)
    real.close()
    writer = ProxyWriter(target, meta)
    for stamp in pts:
        writer.add(stamp, np.full((meta.height, meta.width, 3), 128, dtype=np.uint8))
    writer.finish()


def test_exports_use_the_originals_unless_told_to_use_proxies(document, project_dir, tmp_path):
    settings = resolve_settings("a.mp4", None, {}, {})
    reference = export_project(document, tmp_path / "ref.mp4", settings, end=6)
    _forge_grey_full_proxy(MediaCache(), project_dir / "clip.mp4")  # the cache exports use
    plain = export_project(document, tmp_path / "a.mp4", settings, end=6)
    assert plain.frame_hashes == reference.frame_hashes
    draft = export_project(document, tmp_path / "b.mp4", settings, end=6, proxies=True)
    assert len(set(draft.frame_hashes)) == 1  # every frame the grey stand-in
    assert draft.frame_hashes[0] not in reference.frame_hashes
