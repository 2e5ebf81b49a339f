"""Random access on long-GOP media: frame-accurate, and cheaper than decoding every frame.

After a seek, frames stamped well before the target that nothing refers to (most
B-frames) are skipped while rolling forward; the frame returned is still exactly the
one a sequential read shows.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest

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
