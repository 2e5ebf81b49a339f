"""The video stream of a :class:`~reelgraph.media.writer.MediaWriter`: RGB in, packets out.

Display-referred RGB is converted once by swscale with the BT.709 matrix (limited range
for YUV, full range for RGB formats) and tagged BT.709 in the stream and on every frame,
so players decode it with the matrix it was encoded with.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
from av.container import OutputContainer
from av.video.reformatter import ColorRange, Colorspace, VideoReformatter

from reelgraph.errors import EncodeError
from reelgraph.media._colorimetry import pixel_layout
from reelgraph.media._funnel import add_stream
from reelgraph.media._to_rgb import EXACT_SWS_FLAGS, conversion_threads
from reelgraph.media.encode_settings import VideoEncodeSettings
from reelgraph.media.x264_level import pinned_x264_level

__all__ = ["VideoTrack"]

# AVColorPrimaries / AVColorTransferCharacteristic / AVColorSpace / AVColorRange values.
_BT709 = 1
_SPC_RGB = 0
_RANGE_LIMITED = 1
_RANGE_FULL = 2

_INPUT_FORMATS = {
    (3, np.dtype(np.uint8)): "rgb24",
    (4, np.dtype(np.uint8)): "rgba",
    (3, np.dtype(np.uint16)): "rgb48le",
    (4, np.dtype(np.uint16)): "rgba64le",
}


def _encoder_options(settings: VideoEncodeSettings) -> dict[str, str]:
    # bitexact keeps version strings out; the thread count is pinned because x264/x265
    # output depends on it (and 0 would mean "the machine's core count").
    options = {"flags": "+bitexact", "threads": str(settings.threads)}
    if settings.codec in ("h264", "h265"):
        options["preset"] = settings.preset
        if settings.crf is not None:
            options["crf"] = str(settings.crf)
    level = pinned_x264_level() if settings.codec == "h264" else None
    if level is not None:  # the same SIMD functions on every machine of a level
        options["x264-params"] = f"asm={level}"
    if settings.codec == "h265":
        options["x265-params"] = f"log-level=error:pools={settings.threads}:frame-threads=1:info=0"
    if settings.codec == "prores":
        options["profile"] = str(settings.prores_profile)
    return options


class VideoTrack:
    """Converts, tags and encodes frames for one output video stream.

    Args:
        container: The output container (the stream is added to it).
        settings: The encoding settings.
    """

    def __init__(self, container: OutputContainer, settings: VideoEncodeSettings) -> None:
        self.settings = settings
        rate = Fraction(settings.rate)
        stream = add_stream(container, settings.encoder, settings.codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = (
            settings.width,
            settings.height,
            settings.pix_fmt,
        )
        stream.time_base = 1 / rate
        ctx = stream.codec_context
        ctx.time_base = 1 / rate
        ctx.thread_count = settings.threads
        if settings.gop is not None:
            ctx.gop_size = settings.gop
        self._rgb_target = pixel_layout(settings.pix_fmt).is_yuv is False
        self._range = _RANGE_FULL if self._rgb_target else _RANGE_LIMITED
        ctx.color_primaries, ctx.color_trc = _BT709, _BT709
        ctx.colorspace = _SPC_RGB if self._rgb_target else _BT709
        ctx.color_range = self._range
        ctx.options = _encoder_options(settings)
        self.stream = stream
        self._reformatter = VideoReformatter()
        self.conversion_threads = conversion_threads()
        """swscale threads of the RGB to YUV conversion (the bytes are the same for any)."""
        self._index = 0
        self._shrink_deep_input = not self._rgb_target and self._deep_white_overshoots()

    def _convert(self, source: av.VideoFrame) -> av.VideoFrame:
        return self._reformatter.reformat(
            source,
            format=self.settings.pix_fmt,
            src_colorspace=Colorspace.ITU709,
            dst_colorspace=Colorspace.ITU709,
            src_color_range=ColorRange.JPEG,
            dst_color_range=ColorRange.JPEG if self._rgb_target else ColorRange.MPEG,
            interpolation=EXACT_SWS_FLAGS,
            threads=self.conversion_threads,
        )

    def _deep_white_overshoots(self) -> bool:
        """Whether swscale puts 16-bit white above legal white (it takes 0xFF00 as white).

        FFmpeg quirk: from ``rgb48`` to YUV, swscale scales as if white were ``0xFF00``, so
        ``0xFFFF`` lands a little above 235 (scaled to the depth). Measured once here; when
        so, 16-bit input is first scaled by 256/257 (exactly, in integers).
        """
        depth = pixel_layout(self.settings.pix_fmt).bit_depth
        white = np.full((4, 16, 3), 0xFFFF, dtype=np.uint16)
        converted = self._convert(av.VideoFrame.from_ndarray(white, format="rgb48le"))
        luma = np.frombuffer(bytes(converted.planes[0]), np.uint16 if depth > 8 else np.uint8)
        return int(luma[0]) > 235 << (depth - 8)

    def encode(self, rgb: np.ndarray) -> list[av.Packet]:
        """Encode one frame of display RGB(A); the packets that came out.

        Args:
            rgb: ``(H, W, 3)`` or ``(H, W, 4)`` ``uint8`` or ``uint16`` (full scale) pixels
                of the settings' size; alpha is kept only by formats that have alpha.

        Raises:
            EncodeError: wrong shape or type.
            av.error.FFmpegError: the encoder failed (translated by the writer).
        """
        frame = self._convert(self._to_frame(rgb))
        frame.color_primaries, frame.color_trc = _BT709, _BT709
        frame.colorspace = _SPC_RGB if self._rgb_target else _BT709
        frame.color_range = self._range
        frame.pts = self._index
        frame.time_base = self.stream.codec_context.time_base
        self._index += 1
        return list(self.stream.encode(frame))

    def _to_frame(self, rgb: np.ndarray) -> av.VideoFrame:
        s = self.settings
        channels = rgb.shape[2] if rgb.ndim == 3 else 0
        fmt = _INPUT_FORMATS.get((channels, rgb.dtype))
        if fmt is None or rgb.shape[:2] != (s.height, s.width):
            raise EncodeError(
                f"frame {self._index} is {rgb.shape} {rgb.dtype}; the export takes "
                f"({s.height}, {s.width}, 3|4) uint8 or uint16",
                frame=self._index,
            )
        if rgb.dtype == np.uint16 and self._shrink_deep_input:
            scaled = rgb.astype(np.uint32)
            scaled[..., :3] = (scaled[..., :3] * 256 + 128) // 257
            rgb = scaled.astype(np.uint16)
        return av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format=fmt)

    def flush(self) -> list[av.Packet]:
        """Drain the encoder; the remaining packets."""
        return list(self.stream.encode(None))
