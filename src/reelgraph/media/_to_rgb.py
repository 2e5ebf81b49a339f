"""Display conversion: a decoded frame to display-referred RGB(A) pixels, once, by swscale.

The matrix and range come from the probe (:class:`VideoStreamInfo`), never from a guess,
and the conversion is FFmpeg's swscale with ``ACCURATE_RND | BITEXACT``, so the same frame
gives the same pixels on every machine. swscale splits a picture into slices for its
threads and computes each exactly as the whole (tests compare 1 and several threads, odd
sizes included), so :func:`conversion_threads` changes the speed, never the pixels.

FFmpeg quirk: for deep YUV and gray sources swscale's 16-bit output puts white at about
``0xFF00`` (``0xFFC0`` for full-range 10-bit) rather than ``0xFFFF``, and ignores the range
of gray. Each converter therefore measures, once, what swscale makes of an exact black
and white frame in the source's own format and, when that differs from ``0..0xFFFF``,
maps its deep output onto the full scale through a 64K-entry lookup table.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import av
import numpy as np
from av.video.reformatter import ColorRange, Interpolation, VideoReformatter

from reelgraph.media._colorimetry import pixel_layout, sws_colorspace, sws_range

if TYPE_CHECKING:
    from reelgraph.media.probe import VideoStreamInfo

__all__ = ["EXACT_SWS_FLAGS", "RgbConverter", "conversion_threads", "display_format"]

EXACT_SWS_FLAGS = (
    Interpolation.BICUBIC
    | Interpolation.ACCURATE_RND
    | Interpolation.BITEXACT
    | Interpolation.FULL_CHR_H_INT
    | Interpolation.FULL_CHR_H_INP
)
"""swscale flags for every conversion: bicubic chroma, exact rounding, CPU-independent."""

# More swscale threads than this gain nothing on a 1080p frame (measured: 2 threads halve
# the time, 4 and 8 do no better).
_MOST_THREADS = 4


def conversion_threads() -> int:
    """swscale threads for a frame conversion: the cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(_MOST_THREADS, cores))


_FULL = 65535
# Reference levels of 16-bit YUV: limited range puts black at 16 << 8 and white at 235 << 8.
_LEVELS = {"full": (0, 65535), "limited": (16 << 8, 235 << 8)}
_NEUTRAL = 1 << 15
_REF_W, _REF_H = 32, 4  # wide and tall enough for any chroma subsampling


def display_format(bit_depth: int, has_alpha: bool) -> str:
    """The packed RGB(A) format frames of this depth are delivered in."""
    if bit_depth > 8:
        return "rgba64le" if has_alpha else "rgb48le"
    return "rgba" if has_alpha else "rgb24"


class RgbConverter:
    """Converts decoded frames of one stream to display-referred RGB(A) arrays.

    Arrays are ``(H, W, 3)`` or, when the stream has alpha, ``(H, W, 4)`` with straight
    (not premultiplied) alpha; ``uint8`` for 8-bit sources, ``uint16`` on the full 16-bit
    scale for deeper ones. Returned arrays are read-only (they may be shared by caches).
    """

    def __init__(self, info: VideoStreamInfo, threads: int | None = None) -> None:
        self._info = info
        self._threads = conversion_threads() if threads is None else threads
        self._format = display_format(info.bit_depth, info.has_alpha)
        self._matrix = sws_colorspace(info.colorspace)
        self._range = sws_range(info.color_range)
        # One reformatter per stream keeps swscale's context cached between frames.
        self._reformatter = VideoReformatter()
        levels = self._measure_levels() if info.bit_depth > 8 else None
        self._luts: tuple[np.ndarray, np.ndarray] | None = None
        if levels is not None:
            black, white, opaque = levels
            self._luts = (_stretch_table(black, white), _stretch_table(0.0, opaque))

    def __call__(self, frame: av.VideoFrame) -> np.ndarray:
        """Convert one decoded frame.

        Raises:
            av.error.FFmpegError: swscale refused the frame (translated by the caller).
        """
        array = self._swscale(frame)
        if self._luts is not None:
            array = self._rescale(array)
        array = np.ascontiguousarray(array)
        array.setflags(write=False)
        return array

    def _swscale(self, frame: av.VideoFrame) -> np.ndarray:
        rgb = self._reformatter.reformat(
            frame,
            format=self._format,
            src_colorspace=self._matrix,
            dst_colorspace=self._matrix,
            src_color_range=self._range,
            dst_color_range=ColorRange.JPEG,
            interpolation=EXACT_SWS_FLAGS,
            threads=self._threads,
        )
        return rgb.to_ndarray()  # type: ignore[no-any-return]

    def _measure_levels(self) -> tuple[float, float, float] | None:
        """swscale's output for black, white and opaque; None when already full scale."""
        try:
            reference = self._reference_frame()
            if reference is None:
                return None
            measured = self._swscale(reference).astype(np.float64)
        except (av.error.FFmpegError, ValueError):
            return None  # a format swscale cannot write: leave its output as it is
        white, black = measured[1, 4, 0], measured[1, _REF_W - 4, 0]
        opaque = measured[1, 4, 3] if self._info.has_alpha else float(_FULL)
        if black == 0 and white == _FULL and opaque == _FULL:
            return None
        if white <= black or opaque <= 0:
            return None  # nothing sensible to stretch: keep swscale's output
        return black, white, opaque

    def _reference_frame(self) -> av.VideoFrame | None:
        """Exact black and white (opaque) in the source's format; None for RGB sources."""
        layout = pixel_layout(self._info.pix_fmt)
        if not (layout.is_yuv or layout.is_gray):
            return None  # RGB formats reach 0xFFFF by bit replication already
        black, white = _LEVELS[self._info.color_range]
        # Gray stays gray (swscale treats YUV -> gray as a range change of its own).
        if layout.is_yuv:
            base_fmt = "yuva444p16le" if layout.has_alpha else "yuv444p16le"
            planes = [(white, black), (_NEUTRAL, _NEUTRAL), (_NEUTRAL, _NEUTRAL), (_FULL, _FULL)]
        else:
            base_fmt = "ya16le" if layout.has_alpha else "gray16le"
            planes = [(white, black)]
        base = av.VideoFrame(_REF_W, _REF_H, base_fmt)
        for plane, (left, right) in zip(base.planes, planes, strict=False):
            row = np.zeros(plane.line_size // 2, dtype=np.uint16)
            half = _REF_W // 2
            if base_fmt == "ya16le":  # packed: luma and alpha interleaved
                row[: 2 * _REF_W : 2] = [left] * half + [right] * half
                row[1 : 2 * _REF_W : 2] = _FULL
            else:
                row[:half], row[half:_REF_W] = left, right
            plane.update(np.tile(row, _REF_H).tobytes())
        return self._reformatter.reformat(
            base,
            format=self._info.pix_fmt,
            src_colorspace=self._matrix,
            dst_colorspace=self._matrix,
            src_color_range=self._range,
            dst_color_range=self._range,
            interpolation=EXACT_SWS_FLAGS,
            threads=1,
        )

    def _rescale(self, array: np.ndarray) -> np.ndarray:
        """Map swscale's levels onto ``0..0xFFFF`` through the lookup tables."""
        assert self._luts is not None
        colour, alpha = self._luts
        if array.shape[2] == 3:
            return colour[array]
        out = np.empty_like(array)
        out[..., :3] = colour[array[..., :3]]
        out[..., 3] = alpha[array[..., 3]]
        return out


def _stretch_table(black: float, white: float) -> np.ndarray:
    """A 16-bit lookup table taking ``black..white`` to ``0..0xFFFF`` (clipped, rounded)."""
    levels = (np.arange(_FULL + 1, dtype=np.float64) - black) * (_FULL / (white - black))
    return np.clip(np.rint(levels), 0, _FULL).astype(np.uint16)
