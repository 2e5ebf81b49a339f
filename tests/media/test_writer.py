"""MediaWriter: round trips for every codec, and byte-identical output run after run."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reelgraph.errors import EncodeError, OutputWriteError, UnsupportedCodecError
from reelgraph.media import (
    AudioEncodeSettings,
    AudioReader,
    MediaWriter,
    VideoEncodeSettings,
    VideoReader,
    probe,
)

from .helpers import ORANGE

RATE = Fraction(25)
FRAMES = 8

VIDEO_CASES = [
    # codec, pix_fmt, container format, extension, decoder name, colorspace, tolerance
    ("h264", "yuv420p", "mp4", "mp4", "h264", "bt709", 12.0),
    ("h265", "yuv420p", "mp4", "mp4", "hevc", "bt709", 12.0),
    ("prores", "yuv422p10le", "mov", "mov", "prores", "bt709", 6.0),
    ("ffv1", "yuv444p", "matroska", "mkv", "ffv1", "bt709", 1.0),
    ("ffv1", "bgr0", "matroska", "mkv", "ffv1", "rgb", 0.0),
]
AUDIO_CASES = [
    # codec, container format, extension, tolerance
    ("aac", "mp4", "m4a", 0.05),
    ("flac", "matroska", "mka", 1 / 32768),
    ("pcm_s16le", "mov", "mov", 1 / 32768),
    ("pcm_s24le", "wav", "wav", 1 / 2**23),
]


def moving_bar(index: int, dtype: type = np.uint8) -> np.ndarray:
    scale = 257 if dtype is np.uint16 else 1
    frame = np.empty((48, 64, 3), dtype=dtype)
    frame[...] = np.array(ORANGE) * scale
    frame[:, index * 4 : index * 4 + 8] = 255 * scale
    return frame


def tone_with_click() -> np.ndarray:
    t = np.arange(48000) / 48000
    samples = np.stack([0.3 * np.sin(2 * np.pi * 440 * t), 0.3 * np.sin(2 * np.pi * 660 * t)])
    samples[:, 12345] += 0.5
    return samples.astype(np.float32)


def write_clip(
    path: Path, video: VideoEncodeSettings | None, audio: AudioEncodeSettings | None, fmt: str
) -> str:
    """Write the test frames and tone (in odd chunk sizes); the file's SHA-256."""
    with MediaWriter(path, video, audio, fmt) as writer:
        if video is not None:
            for index in range(FRAMES):
                writer.write_video(moving_bar(index))
        if audio is not None:
            samples = tone_with_click()
            for start in range(0, samples.shape[1], 777):
                writer.write_audio(samples[:, start : start + 777])
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("codec", "pix_fmt", "fmt", "ext", "decoder", "matrix", "tolerance"), VIDEO_CASES
)
def test_video_round_trips_and_is_byte_identical(
    tmp_path: Path,
    codec: str,
    pix_fmt: str,
    fmt: str,
    ext: str,
    decoder: str,
    matrix: str,
    tolerance: float,
) -> None:
    settings = VideoEncodeSettings(codec, 64, 48, RATE, pix_fmt=pix_fmt, gop=4)
    # The temporary name's extension says nothing: the format is explicit.
    first = write_clip(tmp_path / f"a.{ext}.part", settings, None, fmt)
    second = write_clip(tmp_path / f"b.{ext}", settings, None, fmt)
    assert first == second
    info = probe(tmp_path / f"b.{ext}")
    assert info.video is not None
    video = info.video
    assert (video.codec, video.width, video.height, video.rate) == (decoder, 64, 48, RATE)
    assert video.frame_count == FRAMES
    assert (video.colorspace, video.colorspace_assumed) == (matrix, False)
    assert video.color_range == ("full" if matrix == "rgb" else "limited")
    with VideoReader(tmp_path / f"b.{ext}") as reader:
        for index in range(FRAMES):
            frame = reader.frame_at(index / RATE).astype(float)
            if frame.dtype != np.uint8 and reader.info.bit_depth > 8:
                frame /= 257
            assert np.abs(frame - moving_bar(index)).mean() <= max(tolerance, 0.5), index


def test_sixteen_bit_frames_keep_their_full_scale(tmp_path: Path) -> None:
    settings = VideoEncodeSettings("ffv1", 64, 48, RATE, pix_fmt="yuv444p10le")
    with MediaWriter(tmp_path / "deep.mkv", settings, None, "matroska") as writer:
        writer.write_video(moving_bar(0, np.uint16))
    with VideoReader(tmp_path / "deep.mkv") as reader:
        frame = reader.frame_at(Fraction(0))
    assert frame.dtype == np.uint16
    assert np.abs(frame[:, 2].astype(int) - 65535).max() <= 64  # white stays white
    assert np.abs(frame[:, 40].astype(int) - np.array(ORANGE) * 257).max() <= 128


@pytest.mark.parametrize(("codec", "fmt", "ext", "tolerance"), AUDIO_CASES)
def test_audio_round_trips_sample_aligned_and_is_byte_identical(
    tmp_path: Path, codec: str, fmt: str, ext: str, tolerance: float
) -> None:
    settings = AudioEncodeSettings(codec)
    first = write_clip(tmp_path / f"a.{ext}", None, settings, fmt)
    second = write_clip(tmp_path / f"b.{ext}", None, settings, fmt)
    assert first == second
    info = probe(tmp_path / f"b.{ext}")
    assert info.audio is not None
    assert (info.audio.sample_rate, info.audio.channels) == (48000, 2)
    decoded = AudioReader(tmp_path / f"b.{ext}", 48000).read(0, 48000)
    expected = tone_with_click()
    # Placed by timestamps, the click lands on its sample even through AAC's priming.
    assert int(np.argmax(np.abs(decoded[0]))) == 12345
    if codec == "aac":
        assert np.abs(decoded - expected)[:, 2048:-2048].mean() < tolerance
    else:
        assert np.abs(decoded - expected).max() <= tolerance


# Runs in a fresh interpreter, optionally pinned to one core, and prints the file's hash.
_WRITE_ON_CORES = """
import hashlib, os, sys
from fractions import Fraction
import numpy as np
from reelgraph.media import AudioEncodeSettings, MediaWriter, VideoEncodeSettings
if sys.argv[2] == "one":
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
video = VideoEncodeSettings("h264", 64, 48, Fraction(25))
with MediaWriter(sys.argv[1], video, AudioEncodeSettings("aac"), "mp4") as writer:
    for index in range(8):
        frame = np.full((48, 64, 3), 90, np.uint8)
        frame[:, index * 4 : index * 4 + 8] = 255
        writer.write_video(frame)
        writer.write_audio(np.full((2, 1920), 0.01 * index, np.float32))
print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity")
def test_video_with_audio_is_byte_identical_on_one_core_and_on_all(tmp_path: Path) -> None:
    hashes = [
        subprocess.run(
            [sys.executable, "-c", _WRITE_ON_CORES, str(tmp_path / f"{cores}.mp4"), cores],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for cores in ("all", "one")
    ]
    assert hashes[0] == hashes[1]
    assert len(hashes[0]) == 64


def test_output_carries_no_encoder_version_strings(tmp_path: Path) -> None:
    write_clip(
        tmp_path / "a.mkv",
        VideoEncodeSettings("ffv1", 64, 48, RATE),
        AudioEncodeSettings("flac"),
        "matroska",
    )
    data = (tmp_path / "a.mkv").read_bytes()
    assert b"Lavf6" not in data and b"Lavc6" not in data


def test_a_missing_folder_is_an_output_write_error(tmp_path: Path) -> None:
    with pytest.raises(OutputWriteError) as caught:
        MediaWriter(
            tmp_path / "missing" / "out.mp4", VideoEncodeSettings("h264", 64, 48, RATE), None
        )
    assert caught.value.code == "output.write_failed"
    assert caught.value.params["path"] == str(tmp_path / "missing" / "out.mp4")
    assert isinstance(caught.value, OSError)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_an_output_write_error() -> None:
    with pytest.raises(OutputWriteError) as caught:
        with MediaWriter(
            "/dev/full", VideoEncodeSettings("ffv1", 64, 48, RATE), None, "matroska"
        ) as writer:
            for index in range(FRAMES):
                writer.write_video(moving_bar(index))
    assert "space" in caught.value.message


def test_frames_of_the_wrong_size_are_refused(tmp_path: Path) -> None:
    with MediaWriter(
        tmp_path / "a.mkv",
        VideoEncodeSettings("ffv1", 64, 48, RATE),
        AudioEncodeSettings("flac"),
        "matroska",
    ) as writer:
        with pytest.raises(EncodeError):
            writer.write_video(np.zeros((48, 32, 3), np.uint8))
        with pytest.raises(EncodeError):
            writer.write_video(np.zeros((48, 64, 3), np.float32))
        with pytest.raises(EncodeError):
            writer.write_audio(np.zeros((1, 100), np.float32))


def test_a_container_that_cannot_hold_the_codec_is_unsupported(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedCodecError) as caught:
        MediaWriter(tmp_path / "a.wav", VideoEncodeSettings("h264", 64, 48, RATE), None, "wav")
    assert caught.value.params["codec"] == "h264"


@pytest.mark.parametrize(("name", "fmt"), [("a.mp4", "bogus"), ("a.weird", None)])
def test_an_unknown_container_format_is_unsupported(
    tmp_path: Path, name: str, fmt: str | None
) -> None:
    with pytest.raises(UnsupportedCodecError) as caught:
        MediaWriter(tmp_path / name, VideoEncodeSettings("h264", 64, 48, RATE), None, fmt)
    assert caught.value.code == "media.unsupported_codec"


def test_writing_nothing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EncodeError):
        MediaWriter(tmp_path / "a.mp4", None, None)
