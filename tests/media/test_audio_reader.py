"""AudioReader: sample-accurate, resampled, on the video's time zero."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelgraph.errors import NoStreamError
from reelgraph.media import AudioReader

from .helpers import CLICK_44K


def test_a_click_survives_resampling_at_the_same_instant(click_wav: Path) -> None:
    reader = AudioReader(click_wav, 48000)
    samples = reader.read(0, 48000)
    assert samples.shape == (2, 48000)
    assert samples.dtype == np.float32
    expected = CLICK_44K * 48000 / 44100
    for channel in samples:
        assert abs(int(np.argmax(np.abs(channel))) - expected) <= 1
    reader.close()


def test_a_mono_source_is_duplicated_into_both_channels(click_wav: Path) -> None:
    samples = AudioReader(click_wav, 48000).read(0, 48000)
    assert np.array_equal(samples[0], samples[1])


def test_at_the_source_rate_samples_are_unchanged(click_wav: Path) -> None:
    samples = AudioReader(click_wav, 44100, channels=1).read(0, 44100)
    assert samples.shape == (1, 44100)
    assert int(np.argmax(samples[0])) == CLICK_44K
    assert samples[0, CLICK_44K] == pytest.approx(20000 / 32768)


def test_reads_split_anywhere_join_up_exactly(click_wav: Path) -> None:
    reader = AudioReader(click_wav, 48000)
    whole = reader.read(0, 20000)
    parts = np.concatenate([reader.read(0, 7777), reader.read(7777, 12223)], axis=1)
    assert np.array_equal(whole, parts)


def test_samples_outside_the_stream_are_silence(click_wav: Path) -> None:
    reader = AudioReader(click_wav, 48000)
    assert not reader.read(-100, 100).any()
    assert not reader.read(48000, 500).any()
    straddling = reader.read(-10, 20)
    assert straddling.shape == (2, 20)


def test_sample_zero_is_the_first_video_frame(late_video_clip: Path) -> None:
    # Video starts at 0.48 s; the click is at 1.0 s of the file: 0.52 s after time zero.
    samples = AudioReader(late_video_clip, 48000).read(0, 48000)
    assert int(np.argmax(np.abs(samples[0]))) == 24960


def test_a_file_without_audio_has_no_stream(counting_mp4: Path) -> None:
    with pytest.raises(NoStreamError) as caught:
        AudioReader(counting_mp4, 48000)
    assert caught.value.code == "media.no_stream"
