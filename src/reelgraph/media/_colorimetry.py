"""Facts about pixel formats and colour tags: bit depth, alpha, YUV matrix and range.

FFmpeg tags a stream with integer ``AVColorSpace`` / ``AVColorRange`` values; this module
turns them into the names :class:`~reelgraph.media.probe.VideoStreamInfo` reports, and
applies the engine's rule for untagged YUV (BT.709 from 720 lines up, BT.601 below,
reported as *assumed*, never silently guessed).
"""

from __future__ import annotations

from dataclasses import dataclass

import av
from av.video.reformatter import ColorRange, Colorspace

__all__ = [
    "PixelLayout",
    "color_range_name",
    "matrix_name",
    "pixel_layout",
    "sws_colorspace",
    "sws_range",
]

# AVColorSpace values (libavutil/pixfmt.h) that swscale can convert, by our name.
_MATRIX_TAGS: dict[int, str] = {
    1: "bt709",
    4: "fcc",
    5: "bt601",  # BT470BG
    6: "bt601",  # SMPTE170M: the same matrix
    7: "smpte240m",
    9: "bt2020",  # BT2020_NCL
    10: "bt2020",  # BT2020_CL: swscale only has the non-constant-luminance matrix
}

_SWS_MATRIX: dict[str, Colorspace] = {
    "bt709": Colorspace.ITU709,
    "bt601": Colorspace.ITU601,
    "fcc": Colorspace.FCC,
    "smpte240m": Colorspace.SMPTE240M,
    "bt2020": Colorspace.BT2020,
}

_RANGE_LIMITED = 1  # AVCOL_RANGE_MPEG
_RANGE_FULL = 2  # AVCOL_RANGE_JPEG


@dataclass(frozen=True, slots=True)
class PixelLayout:
    """What a pixel format holds, as far as display conversion cares.

    Attributes:
        bit_depth: 8, 10, 12 or 16 (the deepest colour component, rounded up).
        has_alpha: The format carries alpha (palette formats count: PNG palettes may).
        is_yuv: Colour is stored as luma plus two chroma planes, so a matrix applies.
        is_gray: Luma only (no matrix, but a range applies).
    """

    bit_depth: int
    has_alpha: bool
    is_yuv: bool
    is_gray: bool


def pixel_layout(pix_fmt: str) -> PixelLayout:
    """Describe ``pix_fmt`` (an FFmpeg pixel format name such as ``"yuv420p10le"``).

    Raises:
        ValueError: FFmpeg does not know the name.
    """
    fmt = av.VideoFormat(pix_fmt)
    colour = [c for c in fmt.components if not c.is_alpha]
    bits = max((c.bits for c in colour), default=8)
    depth = 8 if bits <= 8 else 10 if bits <= 10 else 12 if bits <= 12 else 16
    has_alpha = fmt.has_palette or any(c.is_alpha for c in fmt.components)
    is_yuv = not fmt.is_rgb and not fmt.has_palette and len(colour) >= 3
    is_gray = len(colour) == 1 and not fmt.has_palette
    return PixelLayout(depth, has_alpha, is_yuv, is_gray)


def matrix_name(tag: int, layout: PixelLayout, height: int) -> tuple[str, bool]:
    """The YUV matrix of a stream and whether it was assumed.

    Args:
        tag: The stream's ``AVColorSpace`` value.
        layout: The stream's pixel layout.
        height: Frame height in lines, for the untagged rule.

    Returns:
        ``(name, assumed)``: ``"rgb"`` or ``"gray"`` for formats without a matrix; for YUV
        the tagged matrix, or BT.709 (height >= 720) / BT.601 with ``assumed=True`` when
        the tag is missing or names a matrix swscale cannot apply.
    """
    if not layout.is_yuv:
        return ("gray" if layout.is_gray else "rgb"), False
    if tag in _MATRIX_TAGS:
        return _MATRIX_TAGS[tag], False
    return ("bt709" if height >= 720 else "bt601"), True


def color_range_name(tag: int, pix_fmt: str, layout: PixelLayout) -> str:
    """``"limited"`` or ``"full"``: the tag if given, else full for RGB, gray and yuvj*."""
    if tag == _RANGE_LIMITED:
        return "limited"
    if tag == _RANGE_FULL:
        return "full"
    if layout.is_yuv and not pix_fmt.startswith("yuvj"):
        return "limited"
    return "full"


def sws_colorspace(name: str) -> Colorspace:
    """The swscale matrix for one of our matrix names (RGB and gray get BT.709; unused)."""
    return _SWS_MATRIX.get(name, Colorspace.ITU709)


def sws_range(name: str) -> ColorRange:
    """The swscale range for ``"limited"`` or ``"full"``."""
    return ColorRange.JPEG if name == "full" else ColorRange.MPEG
