"""Display conversion: a decoded frame to display-referred RGB(A) pixels, once, by swscale.

The matrix and range come from the probe (:class:`VideoStreamInfo`), never from a guess,
and the conversion is FFmpeg's swscale with ``ACCURATE_RND | BITEXACT`` on one thread, so
the same frame gives the same pixels on every machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import av
import numpy as np
from av.video.reformatter import ColorRange, Interpolation, VideoReformatter

from reelgraph.media._colorimetry import sws_colorspace, sws_range

if TYPE_CHECKING:
    from reelgraph.media.probe import VideoStreamInfo

__all__ = ["EXACT_SWS_FLAGS", "RgbConverter", "display_format"]

EXACT_SWS_FLAGS = (
    Interpolation.BICUBIC
    | Interpolation.ACCURATE_RND
    | Interpolation.BITEXACT
    | Interpolation.FULL_CHR_H_INT
    | Interpolation.FULL_CHR_H_INP
)
"""swscale flags for every conversion: bicubic chroma, exact rounding, CPU-independent."""


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

    def __init__(self, info: VideoStreamInfo) -> None:
        self._format = display_format(info.bit_depth, info.has_alpha)
        self._matrix = sws_colorspace(info.colorspace)
        self._range = sws_range(info.color_range)
        # One reformatter per stream keeps swscale's context cached between frames.
        self._reformatter = VideoReformatter()

    def __call__(self, frame: av.VideoFrame) -> np.ndarray:
        """Convert one decoded frame.

        Raises:
            av.error.FFmpegError: swscale refused the frame (translated by the caller).
        """
        rgb = self._reformatter.reformat(
            frame,
            format=self._format,
            src_colorspace=self._matrix,
            dst_colorspace=self._matrix,
            src_color_range=self._range,
            dst_color_range=ColorRange.JPEG,
            interpolation=EXACT_SWS_FLAGS,
            threads=1,
        )
        array = np.ascontiguousarray(rgb.to_ndarray())
        array.setflags(write=False)
        return array
