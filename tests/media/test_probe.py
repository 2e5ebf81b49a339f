"""probe(): stream facts from headers, exact rates, and the colour rules."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

from reelgraph.media import AudioStreamInfo, MediaInfo, VideoStreamInfo, probe

from .helpers import COUNT_FRAMES, HEIGHT, NTSC, WIDTH


def test_probe_reports_the_exact_ntsc_rate_and_counts(counting_mp4: Path) -> None:
    info = probe(counting_mp4)
    assert isinstance(info, MediaInfo)
    assert info.kind == "video"
    assert info.audio is None
    video = info.video
    assert isinstance(video, VideoStreamInfo)
    assert video.rate == NTSC
    assert isinstance(video.rate, Fraction)
    assert (video.width, video.height) == (WIDTH, HEIGHT)
    assert video.frame_count == COUNT_FRAMES
    # The muxer's own rounding of the last frame's duration is the file's business.
    assert abs(video.duration - COUNT_FRAMES / NTSC) < 1 / NTSC
    assert info.duration == video.duration
    assert (video.codec, video.pix_fmt, video.bit_depth) == ("h264", "yuv420p", 8)
    assert video.has_alpha is False


def test_probe_of_matroska_derives_frame_count_from_duration(
    counting_clips: dict[str, Path],
) -> None:
    video = probe(counting_clips["mkv"]).video
    assert video is not None
    assert video.rate == NTSC
    assert video.frame_count == COUNT_FRAMES


def test_an_untagged_small_clip_is_assumed_bt601_limited(counting_mp4: Path) -> None:
    video = probe(counting_mp4).video
    assert video is not None
    assert (video.colorspace, video.color_range, video.colorspace_assumed) == (
        "bt601",
        "limited",
        True,
    )


def test_an_untagged_hd_clip_is_assumed_bt709(untagged_hd_clip: Path) -> None:
    video = probe(untagged_hd_clip).video
    assert video is not None
    assert (video.colorspace, video.colorspace_assumed) == ("bt709", True)


def test_tagged_matrix_and_range_are_reported_as_declared(
    colour_clip: Callable[[str, str], Path],
) -> None:
    for matrix in ("bt601", "bt709"):
        for color_range in ("limited", "full"):
            video = probe(colour_clip(matrix, color_range)).video
            assert video is not None
            assert (video.colorspace, video.color_range, video.colorspace_assumed) == (
                matrix,
                color_range,
                False,
            )


def test_rgb_sources_with_alpha_are_full_range_rgb(alpha_clip: Path) -> None:
    video = probe(alpha_clip).video
    assert video is not None
    assert (video.colorspace, video.color_range, video.has_alpha) == ("rgb", "full", True)


def test_deep_sources_report_their_bit_depth(deep_clip: Path) -> None:
    video = probe(deep_clip).video
    assert video is not None
    assert (video.pix_fmt, video.bit_depth) == ("yuv444p10le", 10)


def test_still_images_are_kind_image_with_one_frame(tmp_path: Path) -> None:
    pixels = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "still.png")
    Image.fromarray(pixels).save(tmp_path / "still.jpg")
    png, jpg = probe(tmp_path / "still.png"), probe(tmp_path / "still.jpg")
    assert png.kind == jpg.kind == "image"
    assert png.duration is None
    assert png.video is not None and jpg.video is not None
    assert (png.video.rate, png.video.frame_count) == (Fraction(1), 1)
    assert (png.video.colorspace, png.video.color_range) == ("rgb", "full")
    # JPEG declares BT.601 full range (JFIF) - not an assumption.
    assert (jpg.video.colorspace, jpg.video.color_range, jpg.video.colorspace_assumed) == (
        "bt601",
        "full",
        False,
    )


def test_audio_files_are_kind_audio(click_wav: Path) -> None:
    info = probe(click_wav)
    assert info.kind == "audio"
    assert info.video is None
    assert info.audio == AudioStreamInfo(44100, 1, "pcm_s16le", Fraction(1))
    assert info.duration == Fraction(1)


def test_a_file_with_video_and_audio_reports_both(late_video_clip: Path) -> None:
    info = probe(late_video_clip)
    assert info.kind == "video"
    assert info.video is not None and info.audio is not None
    assert info.audio.sample_rate == 48000
    assert info.video.rate == 25
