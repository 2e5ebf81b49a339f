"""VideoReader: frame-accurate random and sequential access by exact time."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reelgraph.media import VideoReader

from .helpers import COUNT_FRAMES, COUNT_GOP, NTSC, grey_of, index_of

FRAME = 1 / NTSC
CONTAINERS = ["mp4", "mkv"]


@pytest.fixture(params=CONTAINERS)
def clip(request: pytest.FixtureRequest, counting_clips: dict[str, Path]) -> Path:
    return counting_clips[request.param]


def test_frames_come_back_as_rgb_uint8_of_the_source_size(counting_mp4: Path) -> None:
    with VideoReader(counting_mp4) as reader:
        frame = reader.frame_at(Fraction(0))
    assert frame.shape == (48, 64, 3)
    assert frame.dtype == np.uint8
    assert abs(int(frame.mean()) - grey_of(0)) <= 2


def test_sequential_reads_return_every_frame_without_seeking(clip: Path) -> None:
    with VideoReader(clip) as reader:
        seen = [index_of(reader.frame_at(i * FRAME)) for i in range(COUNT_FRAMES)]
        assert reader.seek_count == 0
        assert reader.decoded_count == COUNT_FRAMES
    assert seen == list(range(COUNT_FRAMES))


def test_a_time_inside_a_frame_shows_that_frame(clip: Path) -> None:
    with VideoReader(clip) as reader:
        for index in (0, 1, 24, 25, 26, 50, 74):
            assert index_of(reader.frame_at(index * FRAME + FRAME / 2)) == index
            later = (index + 1) * FRAME - Fraction(1, 500)
            assert index_of(reader.frame_at(later)) == index


def test_times_before_zero_and_after_the_end_clamp(clip: Path) -> None:
    with VideoReader(clip) as reader:
        assert index_of(reader.frame_at(Fraction(100))) == COUNT_FRAMES - 1
        assert index_of(reader.frame_at(Fraction(-3))) == 0
        assert index_of(reader.frame_at(COUNT_FRAMES * FRAME)) == COUNT_FRAMES - 1


def test_random_order_reads_are_frame_accurate(clip: Path) -> None:
    order = list(range(COUNT_FRAMES))
    random.Random(11).shuffle(order)
    with VideoReader(clip, cache_frames=0) as reader:
        seen = [index_of(reader.frame_at(i * FRAME)) for i in order]
    assert seen == order


def test_reverse_playback_is_frame_accurate_and_decodes_each_gop_about_once(clip: Path) -> None:
    with VideoReader(clip) as reader:
        reader.frame_at((COUNT_FRAMES - 1) * FRAME)
        before = reader.decoded_count
        seen = [index_of(reader.frame_at(i * FRAME)) for i in reversed(range(COUNT_FRAMES))]
        decoded = reader.decoded_count - before
    assert seen == list(reversed(range(COUNT_FRAMES)))
    # Without the cache every step back would decode up to a whole GOP (~900 frames).
    assert decoded < 3 * COUNT_FRAMES


def test_a_far_forward_jump_seeks_instead_of_decoding_through(counting_mp4: Path) -> None:
    with VideoReader(counting_mp4) as reader:
        reader.frame_at(Fraction(0))
        assert index_of(reader.frame_at(70 * FRAME)) == 70
        assert reader.seek_count == 1
        assert reader.decoded_count < 70
        # A short step forward keeps decoding.
        assert index_of(reader.frame_at(72 * FRAME)) == 72
        assert reader.seek_count == 1


def test_a_backward_jump_seeks_to_the_keyframe_before_the_target(counting_mp4: Path) -> None:
    with VideoReader(counting_mp4, cache_frames=0) as reader:
        reader.frame_at(60 * FRAME)
        seeks = reader.seek_count
        assert index_of(reader.frame_at((COUNT_GOP + 3) * FRAME)) == COUNT_GOP + 3
        assert reader.seek_count == seeks + 1


def test_repeated_requests_come_from_the_cache(counting_mp4: Path) -> None:
    with VideoReader(counting_mp4) as reader:
        first = reader.frame_at(40 * FRAME)
        decoded, seeks = reader.decoded_count, reader.seek_count
        again = reader.frame_at(40 * FRAME + FRAME / 3)
    assert again is first
    assert (reader.decoded_count, reader.seek_count) == (decoded, seeks)


def test_returned_frames_are_read_only(counting_mp4: Path) -> None:
    with VideoReader(counting_mp4) as reader:
        frame = reader.frame_at(Fraction(0))
    with pytest.raises(ValueError):
        frame[0, 0, 0] = 1


def test_time_zero_is_the_first_video_frame(late_video_clip: Path) -> None:
    with VideoReader(late_video_clip) as reader:
        assert reader.start_time == Fraction(12, 25)
        assert index_of(reader.frame_at(Fraction(0))) == 0
        assert index_of(reader.frame_at(Fraction(3, 25))) == 3


def test_a_closed_reader_refuses_reads(counting_mp4: Path) -> None:
    reader = VideoReader(counting_mp4)
    reader.close()
    reader.close()
    with pytest.raises(ValueError):
        reader.frame_at(Fraction(0))


@pytest.mark.parametrize("rate", [Fraction(24), Fraction(60)])
def test_playing_at_another_rate_never_seeks(clip: Path, rate: Fraction) -> None:
    with VideoReader(clip) as reader:
        steps = int(COUNT_FRAMES * FRAME * rate)
        seen = [index_of(reader.frame_at(step / rate)) for step in range(steps)]
        assert reader.seek_count == 0
    assert seen == sorted(seen)
    if clip.suffix == ".mp4":  # exact timestamps (Matroska rounds them to milliseconds)
        assert seen == [int(step / rate / FRAME) for step in range(steps)]


def test_a_still_image_reads_as_one_frame_at_every_time(tmp_path: Path) -> None:
    from PIL import Image

    Image.fromarray(np.full((24, 32, 3), 99, np.uint8)).save(tmp_path / "still.png")
    with VideoReader(tmp_path / "still.png") as reader:
        assert reader.info.frame_count == 1
        assert reader.frame_at(Fraction(0))[0, 0].tolist() == [99, 99, 99]
        assert reader.frame_at(Fraction(7))[0, 0].tolist() == [99, 99, 99]
