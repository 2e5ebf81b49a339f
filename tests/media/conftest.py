"""Media fixtures, generated with PyAV (never committed): tiny, seeded, session-scoped."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from av.video.reformatter import ColorRange, Colorspace, VideoReformatter

from .helpers import CLICK_44K, COUNT_FRAMES, COUNT_GOP, HEIGHT, NTSC, ORANGE, WIDTH, grey_of


def _write_video(
    path: Path,
    frames: list[np.ndarray],
    *,
    codec: str = "libx264",
    rate: Fraction = NTSC,
    pix_fmt: str = "yuv420p",
    fmt: str | None = None,
    options: dict[str, str] | None = None,
    gop: int | None = None,
    colorspace: int | None = None,
    color_range: int | None = None,
    first_pts: int = 0,
) -> Path:
    """Encode RGB frames; tag the matrix/range only when asked (else untagged)."""
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = pix_fmt
        ctx = stream.codec_context
        ctx.options = {"threads": "1", **(options or {})}
        if gop:
            ctx.gop_size = gop
        if colorspace is not None:
            ctx.colorspace = colorspace
        if color_range is not None:
            ctx.color_range = color_range
        reformatter = VideoReformatter()
        matrix = Colorspace.ITU601 if colorspace in (5, 6) else Colorspace.ITU709
        for index, rgb in enumerate(frames):
            source = av.VideoFrame.from_ndarray(
                rgb, format="rgb24" if rgb.shape[2] == 3 else "rgba"
            )
            frame = reformatter.reformat(
                source,
                format=pix_fmt,
                src_colorspace=matrix,
                dst_colorspace=matrix,
                src_color_range=ColorRange.JPEG,
                dst_color_range=ColorRange.JPEG if color_range == 2 else ColorRange.MPEG,
            )
            if colorspace is not None:
                frame.colorspace = colorspace
            if color_range is not None:
                frame.color_range = color_range
            frame.pts = first_pts + index
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def _solid(value: tuple[int, ...] | int, channels: int = 3) -> np.ndarray:
    return np.broadcast_to(np.array(value, dtype=np.uint8), (HEIGHT, WIDTH, channels)).copy()


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def counting_clips(media_dir: Path) -> dict[str, Path]:
    """75 frames at 30000/1001 fps, GOP 25 with B-frames; frame i is grey 16 + 3i."""
    frames = [_solid(grey_of(i)) for i in range(COUNT_FRAMES)]
    options = {"crf": "8", "preset": "veryfast"}
    return {
        ext: _write_video(
            media_dir / f"count.{ext}", frames, fmt=fmt, options=options, gop=COUNT_GOP
        )
        for ext, fmt in (("mp4", "mp4"), ("mkv", "matroska"))
    }


@pytest.fixture(scope="session")
def counting_mp4(counting_clips: dict[str, Path]) -> Path:
    return counting_clips["mp4"]


@pytest.fixture(scope="session")
def untagged_hd_clip(media_dir: Path) -> Path:
    """One untagged 1280x720 frame: the engine must assume BT.709."""
    frame = np.zeros((720, 1280, 3), dtype=np.uint8)
    return _write_video(
        media_dir / "hd.mp4", [frame], rate=Fraction(25), options={"preset": "ultrafast"}
    )


@pytest.fixture(scope="session")
def colour_clip(media_dir: Path) -> Callable[[str, str], Path]:
    """An ffv1 clip of solid orange, converted and tagged with a matrix and a range."""
    made: dict[tuple[str, str], Path] = {}

    def make(matrix: str, color_range: str) -> Path:
        if (matrix, color_range) not in made:
            path = media_dir / f"orange_{matrix}_{color_range}.mkv"
            made[(matrix, color_range)] = _write_video(
                path,
                [_solid(ORANGE)] * 2,
                codec="ffv1",
                pix_fmt="yuv444p",
                fmt="matroska",
                rate=Fraction(25),
                colorspace=1 if matrix == "bt709" else 6,
                color_range=2 if color_range == "full" else 1,
            )
        return made[(matrix, color_range)]

    return make


@pytest.fixture(scope="session")
def alpha_clip(media_dir: Path) -> Path:
    """ffv1 BGRA frames: orange at half opacity."""
    return _write_video(
        media_dir / "alpha.mkv",
        [_solid((*ORANGE, 128), 4)] * 2,
        codec="ffv1",
        pix_fmt="bgra",
        fmt="matroska",
        rate=Fraction(25),
    )


@pytest.fixture(scope="session")
def deep_clip(media_dir: Path) -> Path:
    """ffv1 yuv444p10le, BT.709 limited: a white left half and a black right half."""
    frame = _solid(0)
    frame[:, : WIDTH // 2] = 255
    return _write_video(
        media_dir / "deep.mkv",
        [frame] * 2,
        codec="ffv1",
        pix_fmt="yuv444p10le",
        fmt="matroska",
        rate=Fraction(25),
        colorspace=1,
        color_range=1,
    )


def _encode_pcm(
    container: av.container.OutputContainer, stream: av.AudioStream, samples: np.ndarray, rate: int
) -> None:
    """Encode mono int16 samples into a pcm_s16le stream, 1000 at a time."""
    for start in range(0, len(samples), 1000):
        frame = av.AudioFrame.from_ndarray(
            samples[None, start : start + 1000], format="s16", layout="mono"
        )
        frame.sample_rate, frame.pts = rate, start
        container.mux(stream.encode(frame))
    container.mux(stream.encode(None))


@pytest.fixture(scope="session")
def click_wav(media_dir: Path) -> Path:
    """One second of mono 44.1 kHz silence with a click at sample 10 000."""
    samples = np.zeros(44100, dtype=np.int16)
    samples[CLICK_44K] = 20000
    path = media_dir / "click.wav"
    with av.open(str(path), "w") as out:
        _encode_pcm(out, out.add_stream("pcm_s16le", rate=44100, layout="mono"), samples, 44100)
    return path


@pytest.fixture(scope="session")
def late_video_clip(media_dir: Path) -> Path:
    """Matroska: video starting at 0.48 s (frame pts 12 at 25 fps), audio at 0 with a click
    at exactly 1 s (48 kHz)."""
    path = media_dir / "late_video.mkv"
    samples = np.zeros(96000, dtype=np.int16)
    samples[48000] = 20000
    with av.open(str(path), "w", format="matroska") as out:
        stream = out.add_stream("ffv1", rate=25)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        audio = out.add_stream("pcm_s16le", rate=48000, layout="mono")
        for index in range(10):
            frame = av.VideoFrame.from_ndarray(_solid(grey_of(index)), format="rgb24")
            frame = frame.reformat(format="yuv420p")
            frame.pts = 12 + index
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
        _encode_pcm(out, audio, samples, 48000)
    return path


@pytest.fixture(scope="session")
def garbage_mp4(media_dir: Path) -> Path:
    path = media_dir / "garbage.mp4"
    path.write_bytes(np.random.default_rng(7).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    return path


@pytest.fixture(scope="session")
def truncated_mp4(media_dir: Path, counting_mp4: Path) -> Path:
    data = counting_mp4.read_bytes()
    path = media_dir / "truncated.mp4"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture(scope="session")
def corrupt_mp4(media_dir: Path) -> Path:
    """Noise frames (so every packet matters) with a run of zeros across the middle."""
    rng = np.random.default_rng(3)
    frames = [rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8) for _ in range(30)]
    clean = _write_video(media_dir / "noise.mp4", frames, rate=Fraction(25), gop=10)
    data = bytearray(clean.read_bytes())
    middle = data.find(b"mdat") + len(data) // 3
    data[middle : middle + 3000] = bytes(3000)
    path = media_dir / "corrupt.mp4"
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="session")
def subtitles_only(media_dir: Path) -> Path:
    path = media_dir / "captions.srt"
    path.write_text("1\n00:00:00,000 --> 00:00:01,000\nhello\n", encoding="utf-8")
    return path
