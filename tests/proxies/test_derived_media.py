"""Filmstrips and audio peaks: made once per content, cached, and exactly what they say."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from PIL import Image

from reelgraph.media import probe
from reelgraph.proxies import ProxyLevel
from reelgraph.proxies.thumbnails import cached_filmstrip, filmstrip_times, make_filmstrip
from reelgraph.proxies.waveform import cached_peaks, make_peaks, peaks_of
from reelgraph.testing.generated_media import read_frame_number, write_numbered_clip

from .conftest import FRAMES, HEIGHT, WIDTH
from .helpers import build_now


def test_a_filmstrip_shows_the_frames_at_the_centres_of_equal_spans(media_cache, numbered_source):
    fingerprint = media_cache.index.identify(numbered_source)
    info = probe(numbered_source).video
    assert info is not None
    strip = make_filmstrip(
        media_cache.thumbnails, fingerprint, numbered_source, info, count=4, width=64
    )
    assert (strip.width, strip.height) == (64, 48)
    pixels = np.asarray(Image.open(strip.path))
    assert pixels.shape == (48, 4 * 64, 3)
    times = filmstrip_times(Fraction(FRAMES, 30), 4)
    assert strip.times == tuple(f"{t.numerator}/{t.denominator}" for t in times)
    shown = [read_frame_number(pixels[:, i * 64 : (i + 1) * 64]) for i in range(4)]
    assert shown == [int(t * 30) for t in times]  # 3, 9, 15, 21
    assert cached_filmstrip(media_cache.thumbnails, fingerprint, count=4, width=64) == strip


def test_a_filmstrip_taken_from_a_proxy_matches_one_from_the_original(media_cache, numbered_source):
    fingerprint = build_now(media_cache, numbered_source, (ProxyLevel.HALF,))
    info = probe(numbered_source).video
    assert info is not None
    proxy = media_cache.proxies.get(fingerprint, ProxyLevel.HALF)
    strip = make_filmstrip(media_cache.thumbnails, fingerprint, numbered_source, info,
                           count=3, width=WIDTH // 2, proxy=proxy)  # fmt: skip
    pixels = np.asarray(Image.open(strip.path))
    assert pixels.shape == (HEIGHT // 2, 3 * WIDTH // 2, 3)
    assert [read_frame_number(pixels[:, i * 64 : (i + 1) * 64]) for i in range(3)] == [4, 12, 20]


def test_peaks_are_the_minimum_and_maximum_of_each_bucket():
    samples = np.array([[0.0, 0.5, -0.25, 1.0, 0.125], [0, 0, 0, 0, -1]], dtype=np.float32)
    peaks = peaks_of(samples, 2)
    assert peaks.shape == (2, 3, 2)
    assert peaks[0].tolist() == [[0.0, 0.5], [-0.25, 1.0], [0.125, 0.125]]
    assert peaks[1, 2].tolist() == [-1.0, -1.0]


def test_waveform_peaks_of_a_clip_are_computed_once_and_cached(media_cache, tmp_path):
    rate = 48000
    t = np.arange(rate // 2) / rate
    tone = np.stack([0.5 * np.sin(2 * np.pi * 440 * t), 0.25 * np.sin(2 * np.pi * 440 * t)])
    source = write_numbered_clip(tmp_path / "av.mov", 15, audio=tone.astype(np.float32))
    info = probe(source).audio
    assert info is not None
    fingerprint = media_cache.index.identify(source)
    peaks = make_peaks(media_cache.waveforms, fingerprint, source, info, per_second=100)
    data = peaks.load()
    assert data.shape == (2, peaks.buckets, 2) and peaks.buckets >= 50
    assert abs(float(data[0, 10, 1]) - 0.5) < 0.02 and abs(float(data[0, 10, 0]) + 0.5) < 0.02
    assert abs(float(data[1, 10, 1]) - 0.25) < 0.02
    assert cached_peaks(media_cache.waveforms, fingerprint) == peaks
