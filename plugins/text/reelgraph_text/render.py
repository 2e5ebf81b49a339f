"""Rendering a block of text into a working-format picture.

FreeType (through Pillow) rasterises each line into an 8-bit anti-aliased coverage mask at
the target resolution, at sub-pixel positions; coverage is then used as *linear* coverage:
every layer is its premultiplied scene-linear colour times the mask, and the layers are
composited with "over" in linear light (box, shadow, outline, fill, bottom to top). That
is what makes edges blend like light does, instead of the darkened fringes of compositing
sRGB-encoded values.

Layout: lines split at ``\\n``; each line's advance comes from the shaping engine (Raqm
when Pillow has it, so kerning and CJK work); lines are ``line_spacing`` times the font's
ascent + descent apart and aligned left, centre or right inside the block; the block's
``anchor`` point (e.g. ``bottom_center``) is placed at ``position``, given as fractions
of the frame. ``scale`` multiplies the font size, outline, shadow and box padding around
that point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

__all__ = ["ANCHORS", "TextStyle", "render_text"]

Rgba = tuple[float, float, float, float]

ANCHORS: dict[str, tuple[float, float]] = {
    f"{v}_{h}" if (v, h) != ("center", "center") else "center": (hx, vy)
    for v, vy in (("top", 0.0), ("center", 0.5), ("bottom", 1.0))
    for h, hx in (("left", 0.0), ("center", 0.5), ("right", 1.0))
}
"""Anchor name -> the fractions of the text block's width and height it points at."""

_ALIGN = {"left": 0.0, "center": 0.5, "right": 1.0}
_LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC


@dataclass(frozen=True, slots=True)
class TextStyle:
    """Everything that decides the picture of a text block.

    Colours are premultiplied linear RGBA (as :func:`reelgraph.render.color.parse_color`
    gives them); lengths are pixels before ``scale``; ``position`` is a fraction of the
    frame's width and height.
    """

    text: str
    font: Path
    size: float
    color: Rgba
    position: tuple[float, float]
    anchor: str = "center"
    align: str = "center"
    line_spacing: float = 1.2
    outline_color: Rgba = (0.0, 0.0, 0.0, 1.0)
    outline_width: float = 0.0
    shadow_color: Rgba = (0.0, 0.0, 0.0, 0.0)
    shadow_offset: tuple[float, float] = (4.0, 4.0)
    shadow_blur: float = 0.0
    box_color: Rgba = (0.0, 0.0, 0.0, 0.0)
    box_padding: float = 24.0
    opacity: float = 1.0
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class _Layout:
    lines: tuple[str, ...]
    starts: tuple[tuple[float, float], ...]  # each line's left end of the baseline
    box: tuple[float, float, float, float]  # the block: left, top, right, bottom


def _layout(style: TextStyle, font: ImageFont.FreeTypeFont, width: int, height: int) -> _Layout:
    lines = tuple(style.text.split("\n"))
    ascent, descent = font.getmetrics()
    pitch = (ascent + descent) * style.line_spacing
    widths = [font.getlength(line) for line in lines]
    block_w = max(widths) if widths else 0.0
    block_h = pitch * (len(lines) - 1) + ascent + descent
    fx, fy = ANCHORS[style.anchor]
    left = style.position[0] * width - fx * block_w
    top = style.position[1] * height - fy * block_h
    align = _ALIGN[style.align]
    starts = tuple(
        (left + align * (block_w - w), top + ascent + i * pitch) for i, w in enumerate(widths)
    )
    return _Layout(lines, starts, (left, top, left + block_w, top + block_h))


def render_text(width: int, height: int, style: TextStyle) -> NDArray[np.float32]:
    """The text block on a transparent ``(height, width, 4)`` premultiplied linear frame."""
    out = np.zeros((height, width, 4), dtype=np.float32)
    scale = style.scale
    if not style.text or style.size * scale < 0.5 or style.opacity <= 0.0:
        return out
    font = ImageFont.truetype(str(style.font), style.size * scale, layout_engine=_LAYOUT)
    layout = _layout(style, font, width, height)
    stroke = style.outline_width * scale
    offset = (style.shadow_offset[0] * scale, style.shadow_offset[1] * scale)
    blur = style.shadow_blur * scale
    pad = style.box_padding * scale
    margin = stroke + 3.0 * blur + max(abs(offset[0]), abs(offset[1])) + pad + 0.3 * font.size
    left, top, right, bottom = layout.box
    x0, y0 = max(0, math.floor(left - margin)), max(0, math.floor(top - margin))
    x1, y1 = min(width, math.ceil(right + margin)), min(height, math.ceil(bottom + margin))
    if x1 <= x0 or y1 <= y0:
        return out
    region = out[y0:y1, x0:x1]
    origin = (float(x0), float(y0))
    if style.box_color[3] > 0.0:
        box = (left - pad, top - pad, right + pad, bottom + pad)
        _over(region, style.box_color, _rectangle(box, origin, region.shape[:2]))
    if style.shadow_color[3] > 0.0:
        shifted = (origin[0] - offset[0], origin[1] - offset[1])
        shadow = _mask(layout, font, shifted, region.shape[:2], stroke, blur)
        _over(region, style.shadow_color, shadow)
    if stroke > 0.0 and style.outline_color[3] > 0.0:
        _over(region, style.outline_color, _mask(layout, font, origin, region.shape[:2], stroke))
    _over(region, style.color, _mask(layout, font, origin, region.shape[:2], 0.0))
    if style.opacity < 1.0:
        region *= np.float32(style.opacity)
    return out


def _mask(
    layout: _Layout,
    font: ImageFont.FreeTypeFont,
    origin: tuple[float, float],
    shape: tuple[int, ...],
    stroke: float,
    blur: float = 0.0,
) -> NDArray[np.float32]:
    """FreeType's anti-aliased coverage of the lines, ``(h, w)`` in [0, 1]."""
    image = Image.new("L", (shape[1], shape[0]), 0)
    draw = ImageDraw.Draw(image)
    for line, (x, y) in zip(layout.lines, layout.starts, strict=True):
        draw.text(
            (x - origin[0], y - origin[1]),
            line,
            font=font,
            fill=255,
            anchor="ls",
            stroke_width=stroke,
            stroke_fill=255,
        )
    if blur > 0.0:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(image, dtype=np.float32) * np.float32(1.0 / 255.0)


def _rectangle(
    box: tuple[float, float, float, float], origin: tuple[float, float], shape: tuple[int, ...]
) -> NDArray[np.float32]:
    """Exact area coverage of an axis-aligned rectangle with fractional edges."""

    def axis(low: float, high: float, start: float, count: int) -> NDArray[np.float32]:
        cells = start + np.arange(count, dtype=np.float64)
        covered = np.clip(np.minimum(cells + 1, high) - np.maximum(cells, low), 0.0, 1.0)
        result: NDArray[np.float32] = covered.astype(np.float32)
        return result

    rows = axis(box[1], box[3], origin[1], shape[0])
    cols = axis(box[0], box[2], origin[0], shape[1])
    return rows[:, None] * cols[None, :]


def _over(region: NDArray[np.float32], color: Rgba, coverage: NDArray[np.float32]) -> None:
    """Composite ``color`` times ``coverage`` over ``region`` in place (premultiplied)."""
    alpha = coverage * np.float32(color[3])
    keep = 1.0 - alpha
    for channel in range(4):
        plane = region[..., channel]
        plane *= keep
        plane += coverage * np.float32(color[channel])
