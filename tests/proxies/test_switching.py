"""Transparent switching: a request's quality picks a proxy; geometry and timing never change."""

from __future__ import annotations

import numpy as np
import pytest

from reelgraph.engine.engine import Engine
from reelgraph.graph.render_graph import RenderGraph
from reelgraph.project.load import load_project
from reelgraph.proxies import ProxyLevel, Quality
from reelgraph.render.color import from_working
from reelgraph.testing.builders import transform
from reelgraph.testing.generated_media import read_frame_number, write_numbered_clip

from .conftest import FRAMES, HEIGHT, WIDTH, write_project
from .helpers import build_now

SIZES = {
    None: (WIDTH, HEIGHT),
    Quality.FULL: (WIDTH, HEIGHT),
    Quality.HALF: (WIDTH // 2, HEIGHT // 2),
    Quality.QUARTER: (WIDTH // 4, HEIGHT // 4),
}


def _render(document, cache, quality, frame, size=None):
    width, height = size or SIZES[quality]
    with Engine(document, media_cache=cache, quality=quality, width=width, height=height) as engine:
        image = engine.render_frame(frame)
        source = engine.world.resource(RenderGraph).sources()[0]
        return from_working(image), source.proxy, engine.frame_key(frame)


def test_without_a_quality_the_originals_are_served_even_when_proxies_exist(
    document, media_cache, project_dir
):
    build_now(media_cache, project_dir / "clip.mp4")
    _, proxy, _ = _render(document, media_cache, None, 3)
    assert proxy == ""


@pytest.mark.parametrize(
    ("quality", "level"),
    [(Quality.FULL, "full"), (Quality.HALF, "half"), (Quality.QUARTER, "quarter"),
     (Quality.ORIGINAL, "")],
)  # fmt: skip
def test_a_quality_is_served_by_the_smallest_proxy_that_satisfies_it(
    document, media_cache, project_dir, quality, level
):
    build_now(media_cache, project_dir / "clip.mp4")
    _, proxy, _ = _render(document, media_cache, quality, 3, (WIDTH, HEIGHT))
    assert proxy == level


def test_a_missing_level_is_stood_in_for_by_the_next_larger_one(document, media_cache, project_dir):
    build_now(media_cache, project_dir / "clip.mp4", (ProxyLevel.HALF,))
    assert _render(document, media_cache, Quality.QUARTER, 3)[1] == "half"
    assert _render(document, media_cache, Quality.FULL, 3)[1] == ""


def test_while_proxies_are_missing_the_original_is_served(document, media_cache):
    pixels, proxy, _ = _render(document, media_cache, Quality.HALF, 5)
    assert proxy == ""
    assert read_frame_number(pixels) == 5


@pytest.mark.parametrize("quality", [Quality.FULL, Quality.HALF, Quality.QUARTER])
def test_the_same_frame_index_shows_the_same_picture_at_every_level(
    document, media_cache, project_dir, quality
):
    build_now(media_cache, project_dir / "clip.mp4")
    size = SIZES[quality]  # a viewer at the level's own size: a decimated comparison
    for frame in (0, 7, 12, FRAMES - 1):
        pixels, proxy, _ = _render(document, media_cache, quality, frame, size)
        original, _, _ = _render(document, media_cache, None, frame, size)
        assert proxy == quality.value
        if quality is not Quality.QUARTER:  # 4-pixel blocks: too small to read back
            assert read_frame_number(pixels) == frame
        assert pixels.shape == original.shape
        assert np.abs(pixels.astype(int) - original.astype(int)).mean() < 2


def test_the_output_geometry_is_identical_at_every_level(tmp_path, numbered_source, media_cache):
    folder = tmp_path / "pip"
    folder.mkdir()
    (folder / "clip.mp4").write_bytes(numbered_source.read_bytes())
    placed = transform(scale=[0.5, 0.5], position=[90, 30], crop=[8, 4, 12, 6])
    document = load_project(write_project(folder, "clip.mp4", transform=placed))
    build_now(media_cache, folder / "clip.mp4")
    reference, _, _ = _render(document, media_cache, None, 9)
    ref_rows, ref_cols = np.nonzero(reference.max(axis=2) > 127)  # the background is black
    for quality in (Quality.FULL, Quality.HALF, Quality.QUARTER):
        pixels, proxy, _ = _render(document, media_cache, quality, 9, (WIDTH, HEIGHT))
        assert proxy == quality.value
        rows, cols = np.nonzero(pixels.max(axis=2) > 127)
        # The same placement and crop; edges are as soft as a proxy pixel is big (half a
        # quarter-proxy pixel is one canvas pixel here), hence the one-pixel tolerance.
        for got, want in ((rows, ref_rows), (cols, ref_cols)):
            assert abs(int(got.min()) - int(want.min())) <= 1
            assert abs(int(got.max()) - int(want.max())) <= 1
        assert np.abs(pixels.astype(int) - reference.astype(int)).mean() < 6


def test_frames_from_proxies_have_cache_keys_of_their_own(document, media_cache, project_dir):
    build_now(media_cache, project_dir / "clip.mp4")
    keys = {quality: _render(document, media_cache, quality, 4, (WIDTH, HEIGHT))[2]
            for quality in (None, Quality.ORIGINAL, Quality.FULL, Quality.HALF)}  # fmt: skip
    assert keys[None] == keys[Quality.ORIGINAL]
    assert len({keys[None], keys[Quality.FULL], keys[Quality.HALF]}) == 3


def test_a_source_changed_on_disk_no_longer_matches_its_proxies_or_cache_keys(
    document, media_cache, project_dir, tmp_path
):
    build_now(media_cache, project_dir / "clip.mp4")
    _, proxy, key_before = _render(document, media_cache, Quality.HALF, 2)
    assert proxy == "half"
    # The same name, other content (frames numbered from 100): a new fingerprint.
    other = write_numbered_clip(tmp_path / "other.mp4", FRAMES + 100, width=WIDTH, height=HEIGHT)
    (project_dir / "clip.mp4").write_bytes(other.read_bytes())
    pixels, proxy, key_after = _render(document, media_cache, Quality.HALF, 2)
    assert proxy == ""  # never a stale proxy: the original is served
    assert key_after != key_before
    assert read_frame_number(pixels) == 2


def test_a_corrupt_proxy_is_never_shown_and_is_deleted(document, media_cache, project_dir):
    fingerprint = build_now(media_cache, project_dir / "clip.mp4", (ProxyLevel.HALF,))
    path = media_cache.proxies.path(fingerprint, ProxyLevel.HALF)
    proxy = media_cache.proxies.get(fingerprint, ProxyLevel.HALF)
    assert proxy is not None
    offset = proxy._table[6][0]
    media_cache.proxies.close()
    data = bytearray(path.read_bytes())
    data[offset : offset + 64] = bytes(64)  # frame 6 damaged in place
    path.write_bytes(bytes(data))
    pixels, proxy_name, _ = _render(document, media_cache, Quality.HALF, 6)
    assert proxy_name == "half"  # chosen (the file opened), then found damaged at frame 6
    assert read_frame_number(pixels) == 6  # served from the original, reduced
    assert not path.exists() and str(path) in media_cache.proxies.discarded
    assert _render(document, media_cache, Quality.HALF, 6)[1] == ""


def test_a_truncated_proxy_is_deleted_and_the_original_served(document, media_cache, project_dir):
    fingerprint = build_now(media_cache, project_dir / "clip.mp4", (ProxyLevel.HALF,))
    path = media_cache.proxies.path(fingerprint, ProxyLevel.HALF)
    path.write_bytes(path.read_bytes()[:-100])
    pixels, proxy, _ = _render(document, media_cache, Quality.HALF, 3)
    assert proxy == "" and read_frame_number(pixels) == 3
    assert not path.exists()


def test_an_engine_told_to_refresh_sees_a_file_changed_under_it(
    document, media_cache, project_dir, tmp_path
):
    build_now(media_cache, project_dir / "clip.mp4")
    with Engine(document, media_cache=media_cache, quality=Quality.HALF) as engine:
        before = engine.frame_key(2)
        engine.render_frame(2)
        other = write_numbered_clip(tmp_path / "o.mp4", FRAMES + 1, width=WIDTH, height=HEIGHT)
        (project_dir / "clip.mp4").write_bytes(other.read_bytes())
        engine.media.refresh()
        assert engine.frame_key(2) != before
        assert read_frame_number(from_working(engine.render_frame(2))) == 2
        assert engine.world.resource(RenderGraph).sources()[0].proxy == ""


def test_each_request_may_carry_its_own_quality(document, media_cache, project_dir):
    build_now(media_cache, project_dir / "clip.mp4")
    with Engine(document, media_cache=media_cache, width=WIDTH, height=HEIGHT) as engine:
        served = []
        for quality in (Quality.QUARTER, None, Quality.from_zoom(0.4), Quality.ORIGINAL):
            pixels = from_working(engine.render_frame(6, quality=quality))
            served.append(engine.world.resource(RenderGraph).sources()[0].proxy)
            assert pixels.shape == (HEIGHT, WIDTH, 3)
            if quality is not Quality.QUARTER:
                assert read_frame_number(pixels) == 6
    # A request's quality applies to that request only; the engine's own is originals.
    assert served == ["quarter", "", "half", ""]
