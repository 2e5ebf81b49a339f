"""Proxies never change timing: frame i of every level is frame i of the original."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from reelgraph.media import VideoReader
from reelgraph.proxies import ProxyLevel, frame_index, reduce_picture
from reelgraph.proxies.build import ProxyBuild
from reelgraph.testing.generated_media import read_frame_number, write_numbered_clip

from .conftest import FRAMES, HEIGHT, WIDTH
from .helpers import build_now

RATE = Fraction(30)


def test_every_level_holds_every_frame_at_the_original_times(media_cache, numbered_source):
    fingerprint = build_now(media_cache, numbered_source)
    with VideoReader(numbered_source) as reader:
        for level in ProxyLevel:
            proxy = media_cache.proxies.get(fingerprint, level)
            assert proxy is not None
            assert len(proxy) == FRAMES
            assert (proxy.meta.width, proxy.meta.height) == (
                WIDTH // level.scale,
                HEIGHT // level.scale,
            )
            for index in range(FRAMES):
                seconds = index / RATE
                assert frame_index(proxy, seconds) == index
                # Times inside a frame show that frame, as the reader does.
                assert frame_index(proxy, seconds + Fraction(1, 90)) == index
                original = reader.frame_at(seconds)
                wanted = reduce_picture(original, level.scale).astype(int)
                diff = np.abs(proxy.frame(index).astype(int) - wanted)
                # Raw levels are the decimated original exactly; JPEG within a tolerance.
                assert diff.max() <= (0 if proxy.meta.codec == "raw" else 24)
                assert diff.mean() <= (0 if proxy.meta.codec == "raw" else 1.5)


def test_the_numbers_drawn_on_the_frames_read_back_at_full_and_half_size(
    media_cache, numbered_source
):
    fingerprint = build_now(media_cache, numbered_source, (ProxyLevel.FULL, ProxyLevel.HALF))
    for level in (ProxyLevel.FULL, ProxyLevel.HALF):
        proxy = media_cache.proxies.get(fingerprint, level)
        assert proxy is not None
        assert [read_frame_number(proxy.frame(i)) for i in range(FRAMES)] == list(range(FRAMES))


def test_times_before_the_start_and_past_the_end_clamp_like_the_reader(
    media_cache, numbered_source
):
    fingerprint = build_now(media_cache, numbered_source, (ProxyLevel.QUARTER,))
    proxy = media_cache.proxies.get(fingerprint, ProxyLevel.QUARTER)
    assert proxy is not None
    assert frame_index(proxy, Fraction(-1)) == 0
    assert frame_index(proxy, Fraction(100)) == FRAMES - 1


def test_a_deep_source_gets_8_bit_proxies(media_cache, tmp_path):
    source = write_numbered_clip(tmp_path / "deep.mkv", 6, width=64, height=48, codec="ffv1")
    fingerprint = build_now(media_cache, source, (ProxyLevel.FULL, ProxyLevel.HALF))
    with VideoReader(source) as reader:
        assert reader.frame_at(0).dtype == np.uint16
        for level in (ProxyLevel.FULL, ProxyLevel.HALF):
            proxy = media_cache.proxies.get(fingerprint, level)
            assert proxy is not None and proxy.frame(0).dtype == np.uint8
            expected = reduce_picture(reader.frame_at(Fraction(2, 30)), level.scale).astype(int)
            assert np.abs(proxy.frame(2).astype(int) - expected).max() <= 24


def test_an_aborted_build_leaves_no_file_behind(media_cache, numbered_source):
    fingerprint = media_cache.index.identify(numbered_source)
    build = ProxyBuild(media_cache.proxies, numbered_source, fingerprint, tuple(ProxyLevel))
    for _ in range(5):
        assert build.step()
    build.abort()
    assert media_cache.proxies.levels(fingerprint) == []
    assert list(media_cache.proxies.folder(fingerprint).iterdir()) == []


@pytest.mark.parametrize("level", list(ProxyLevel))
def test_a_build_of_an_unreadable_file_fails_without_leaving_a_proxy(media_cache, tmp_path, level):
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(b"not a video" * 100)
    fingerprint = media_cache.index.identify(garbage)
    build = ProxyBuild(media_cache.proxies, garbage, fingerprint, (level,))
    with pytest.raises(Exception) as caught:
        build.step()
    assert getattr(caught.value, "code", "").startswith("media.")
    assert media_cache.proxies.levels(fingerprint) == []
