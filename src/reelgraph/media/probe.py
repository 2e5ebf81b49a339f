"""Probing: what a media file holds, read from its headers without decoding it.

:func:`probe` is the engine's one look at a file before it is used: sizes, the exact frame
rate, durations as Fractions, and the colour facts (matrix, range, bit depth, alpha) the
readers use to convert pixels — so a decoded frame is never converted by a guess.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import av
from av.container import InputContainer

from reelgraph.errors import DecodeError, MediaNotFoundError, NoStreamError
from reelgraph.media._colorimetry import color_range_name, matrix_name, pixel_layout
from reelgraph.media._funnel import reading

__all__ = [
    "IMAGE_EXTENSIONS",
    "AudioStreamInfo",
    "MediaInfo",
    "VideoStreamInfo",
    "probe",
]

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"})
"""File extensions (lower case) read as still images."""

# FFmpeg's microsecond time base for container-level durations.
_AV_TIME_BASE = 1_000_000


@dataclass(frozen=True, slots=True)
class VideoStreamInfo:
    """The video stream of a file, or a still image, or an image sequence.

    Attributes:
        width: Frame width in pixels.
        height: Frame height in pixels.
        rate: Average frame rate, exact (``Fraction(30000, 1001)``); ``1`` for stills.
        frame_count: Number of frames, from the header or ``duration * rate``; None when
            neither is known.
        duration: Length in seconds; ``0`` for a still image, which has no length of its own.
        codec: FFmpeg decoder name (``"h264"``, ``"prores"``, ``"png"``).
        pix_fmt: FFmpeg pixel format name (``"yuv420p10le"``).
        bit_depth: 8, 10, 12 or 16.
        colorspace: YUV matrix (``"bt709"``, ``"bt601"``, ``"bt2020"``, ``"smpte240m"``,
            ``"fcc"``), or ``"rgb"`` / ``"gray"`` for formats without one.
        color_range: ``"limited"`` or ``"full"``.
        colorspace_assumed: The file did not declare its matrix; ``colorspace`` is the
            engine's rule (BT.709 from 720 lines up, else BT.601).
        has_alpha: Frames carry an alpha channel.
    """

    width: int
    height: int
    rate: Fraction
    frame_count: int | None
    duration: Fraction
    codec: str
    pix_fmt: str
    bit_depth: int
    colorspace: str
    color_range: str
    colorspace_assumed: bool
    has_alpha: bool


@dataclass(frozen=True, slots=True)
class AudioStreamInfo:
    """The audio stream of a file.

    Attributes:
        sample_rate: Samples per second per channel.
        channels: Number of channels.
        codec: FFmpeg decoder name (``"aac"``, ``"pcm_s16le"``).
        duration: Length in seconds.
    """

    sample_rate: int
    channels: int
    codec: str
    duration: Fraction


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """Everything the engine needs to know about a media file before using it.

    Attributes:
        path: The path as given.
        kind: ``"video"`` (moving pictures, with or without sound), ``"image"`` (a still)
            or ``"audio"`` (sound only).
        video: The video stream (or still), if any.
        audio: The audio stream, if any.
        duration: The longest stream's length in seconds; None for a still image.
    """

    path: str
    kind: Literal["video", "image", "audio"]
    video: VideoStreamInfo | None
    audio: AudioStreamInfo | None
    duration: Fraction | None


def probe(path: str | os.PathLike[str]) -> MediaInfo:
    """Read a media file's headers and describe its streams.

    Only the headers (and the few packets FFmpeg reads to find stream parameters) are
    read, so probing a long file is quick.

    Args:
        path: A video, audio or still-image file.

    Returns:
        The file's :class:`MediaInfo`.

    Raises:
        MediaNotFoundError: the file does not exist.
        DecodeError: the file is not readable media (garbage, truncated, corrupt headers).
        NoStreamError: the file holds neither video nor audio.
    """
    path_str = os.fspath(path)
    if not os.path.exists(path_str):
        raise MediaNotFoundError(f"media file not found: {path_str}", path=path_str)
    with reading(path_str), open_input(path_str) as container:
        return describe(container, path_str)


def open_input(path: str) -> InputContainer:
    """Open ``path`` for reading (call inside :func:`~reelgraph.media._funnel.reading`)."""
    return av.open(path, "r", metadata_errors="ignore")


def describe(container: InputContainer, path: str) -> MediaInfo:
    """Describe an already opened container (shared by :func:`probe` and the readers).

    Raises:
        NoStreamError: neither video nor audio.
        DecodeError: a stream's parameters are unusable.
    """
    vstream = best_video_stream(container)
    astream = container.streams.best("audio")
    if vstream is None and astream is None:
        raise NoStreamError(f"{path} holds neither video nor audio", path=path)
    still = _is_still(container, path) and vstream is not None
    video = _video_info(container, vstream, path, still) if vstream is not None else None
    audio = _audio_info(container, astream) if astream is not None else None
    kind: Literal["video", "image", "audio"] = (
        "image" if still else "video" if video is not None else "audio"
    )
    durations = [s.duration for s in (video, audio) if s is not None]
    duration = None if still else max(durations)
    return MediaInfo(path, kind, video, audio, duration)


def best_video_stream(container: InputContainer) -> av.VideoStream | None:
    """The main video stream: the first that is not cover art, else None."""
    streams = list(container.streams.video)
    for stream in streams:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    return None


def _is_still(container: InputContainer, path: str) -> bool:
    name = container.format.name
    ext = os.path.splitext(path)[1].lower()
    return ext in IMAGE_EXTENSIONS or name == "image2" or name.endswith("_pipe")


def _container_duration(container: InputContainer) -> Fraction | None:
    if container.duration is None or container.duration <= 0:
        return None
    return Fraction(container.duration, _AV_TIME_BASE)


def _stream_duration(container: InputContainer, stream: av.stream.Stream) -> Fraction | None:
    if stream.duration is not None and stream.duration > 0 and stream.time_base is not None:
        return Fraction(stream.duration) * stream.time_base
    return _container_duration(container)


def _video_rate(stream: av.VideoStream) -> Fraction | None:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate is not None and rate > 0:
            return Fraction(rate)
    return None


def _video_info(
    container: InputContainer, stream: av.VideoStream, path: str, still: bool
) -> VideoStreamInfo:
    ctx = stream.codec_context
    pix_fmt = ctx.pix_fmt
    if not pix_fmt or not ctx.width or not ctx.height:
        raise DecodeError(
            f"{path}: the video stream has no usable picture size or format", path=path
        )
    try:
        layout = pixel_layout(pix_fmt)
    except ValueError as exc:
        raise DecodeError(f"{path}: unknown pixel format {pix_fmt}", path=path) from exc
    colorspace, assumed = matrix_name(ctx.colorspace or 0, layout, ctx.height)
    color_range = color_range_name(ctx.color_range or 0, pix_fmt, layout)
    if still:
        rate, frame_count, duration = Fraction(1), 1, Fraction(0)
    else:
        found_rate = _video_rate(stream)
        if found_rate is None:
            raise DecodeError(f"{path}: the video stream has no frame rate", path=path)
        rate = found_rate
        duration = _stream_duration(container, stream) or Fraction(0)
        frame_count = stream.frames if stream.frames > 0 else None
        if frame_count is None and duration > 0:
            frame_count = round(duration * rate)
        if duration == 0 and frame_count:
            duration = frame_count / rate
    return VideoStreamInfo(
        width=ctx.width,
        height=ctx.height,
        rate=rate,
        frame_count=frame_count,
        duration=duration,
        codec=ctx.name,
        pix_fmt=pix_fmt,
        bit_depth=layout.bit_depth,
        colorspace=colorspace,
        color_range=color_range,
        colorspace_assumed=assumed,
        has_alpha=layout.has_alpha,
    )


def _audio_info(container: InputContainer, stream: av.AudioStream) -> AudioStreamInfo:
    ctx = stream.codec_context
    return AudioStreamInfo(
        sample_rate=ctx.sample_rate,
        channels=ctx.channels,
        codec=ctx.name,
        duration=_stream_duration(container, stream) or Fraction(0),
    )
