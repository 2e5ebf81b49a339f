"""Random access on long-GOP media: frame-accurate, and cheaper than decoding every frame.

After a seek, frames stamped well before the target that nothing refers to (most
B-frames) are skipped while rolling forward; the frame returned is still exactly the
one a sequential read shows.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from av.video.frame import PictureType

from reelgraph.media import MediaWriter, VideoEncodeSettings, VideoReader
from reelgraph.testing.generated_media import numbered_frame, read_frame_number

FRAMES, GOP = 150, 60
FRAME = Fraction(1, 30)


@pytest.fixture(scope="module")
def long_gop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scrub") / "long-gop.mp4"
    settings = VideoEncodeSettings(
        codec="h264", width=64, height=48, rate=Fraction(30), crf=12, preset="medium", gop=GOP
    )
    writer = MediaWriter(str(path), settings, None)
    for index in range(FRAMES):
        writer.write_video(numbered_frame(index))
    writer.close()
    return path


@pytest.fixture(scope="module")
def b_frame_heavy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Smooth motion (x264 codes about a third of it as B-frames), one 120-frame GOP."""
    path = tmp_path_factory.mktemp("scrub") / "b-frames.mp4"
    settings = VideoEncodeSettings(
        codec="h264", width=96, height=64, rate=Fraction(30), crf=20, preset="medium", gop=120
    )
    writer = MediaWriter(str(path), settings, None)
    ys, xs = np.mgrid[0:64, 0:96]
    for index in range(120):
        frame = np.empty((64, 96, 3), dtype=np.uint8)
        frame[..., 0] = (xs * 2 + index) % 256
        frame[..., 1] = (ys * 3 + 2 * index) % 256
        frame[..., 2] = 128
        frame[20:36, 10 + index // 3 : 26 + index // 3] = 255  # a square drifting right
        writer.write_video(frame)
    writer.close()
    return path


def test_random_access_gives_the_exact_pixels_of_a_plain_sequential_decode(b_frame_heavy):
    with av.open(str(b_frame_heavy)) as container:
        kinds = [PictureType(f.pict_type) for f in container.decode(video=0)]
    assert kinds.count(PictureType.B) > len(kinds) // 4, "not B-frame heavy enough for this test"
    with VideoReader(b_frame_heavy, cache_frames=0) as plain:
        expected = [plain.frame_at(i * FRAME) for i in range(len(kinds))]
        assert plain.seek_count == 0
    rng = random.Random(3)
    jumps = [rng.randrange(len(kinds)) for _ in range(60)]
    walk, frame = [], rng.randrange(5)
    while frame < len(kinds):
        walk.append(frame)
        frame += rng.choice((1, 2, 3, 5, 9, 17))
    with VideoReader(b_frame_heavy, cache_frames=0) as reader:
        for i in jumps + walk:
            assert np.array_equal(reader.frame_at(i * FRAME), expected[i]), f"frame {i}"
        assert reader.decoded_count < len(jumps + walk) * len(kinds) // 2


def test_random_requests_return_exactly_the_requested_frames(long_gop):
    rng = random.Random(11)
    wanted = [rng.randrange(FRAMES) for _ in range(60)]
    with VideoReader(long_gop) as reader:
        assert [read_frame_number(reader.frame_at(i * FRAME)) for i in wanted] == wanted


def test_a_far_jump_skips_frames_nothing_refers_to(long_gop):
    with VideoReader(long_gop, cache_frames=0) as reader:
        assert read_frame_number(reader.frame_at((GOP + 50) * FRAME)) == GOP + 50
        # From the keyframe at 60 to 110 is 51 frames in display order; B-frames are skipped.
        assert reader.decoded_count < 1 + 51


def test_a_random_jump_then_stepping_back_still_plays_in_reverse(long_gop):
    with VideoReader(long_gop) as reader:
        reader.frame_at(100 * FRAME)
        seen = [read_frame_number(reader.frame_at(i * FRAME)) for i in range(99, 80, -1)]
    assert seen == list(range(99, 80, -1))


def test_a_forward_jump_within_a_gop_skips_frames_nothing_refers_to(b_frame_heavy):
    """The open decoder goes on and skips what nothing refers to.

    The GOP is long (120 frames) so the skip shows on any machine: frames a decoder's
    frame threads already hold when the jump comes (one per thread, up to 16) are
    decoded in full.
    """
    with VideoReader(b_frame_heavy, cache_frames=0) as reader:
        first, target = _keyframes(b_frame_heavy)[0], 100
        with av.open(str(b_frame_heavy)) as container:
            kinds = [PictureType(f.pict_type) for f in container.decode(video=0)]
        assert kinds[first + 1 : target + 1].count(PictureType.I) == 0, "one GOP is needed"
        reader.frame_at(first * FRAME)
        before = reader.decoded_count
        picture = reader.frame_at(target * FRAME)
        assert reader.seek_count == 0  # the open decoder went on
        assert reader.decoded_count - before < target - first
    with VideoReader(b_frame_heavy, cache_frames=0) as plain:
        for index in range(target + 1):
            expected = plain.frame_at(index * FRAME)
    assert np.array_equal(picture, expected)


def test_forward_scrubbing_in_random_steps_returns_exactly_the_requested_frames(long_gop):
    rng = random.Random(5)
    for _ in range(4):
        wanted, frame = [], rng.randrange(10)
        while frame < FRAMES:
            wanted.append(frame)
            frame += rng.choice((1, 1, 2, 3, 4, 7, 15, 30))
        with VideoReader(long_gop, cache_frames=0) as reader:
            assert [read_frame_number(reader.frame_at(i * FRAME)) for i in wanted] == wanted


def test_playing_on_after_a_forward_jump_shows_every_frame(long_gop):
    with VideoReader(long_gop, cache_frames=0) as reader:
        first, second = _keyframes(long_gop)[:2]
        reader.frame_at(first * FRAME)
        played = range(second - 2, second + 30)  # on across the next keyframe
        shown = [read_frame_number(reader.frame_at(i * FRAME)) for i in played]
        assert shown == list(played)
        assert reader.seek_count == 0


def _keyframes(path: Path) -> list[int]:
    """The clip's keyframes as frame numbers (x264 adds some at scene cuts)."""
    numbers = []
    with av.open(str(path)) as container:
        for packet in container.demux(container.streams.video[0]):
            if packet.is_keyframe and packet.pts is not None:
                numbers.append(round(packet.pts * packet.time_base / FRAME))
    return sorted(numbers)
