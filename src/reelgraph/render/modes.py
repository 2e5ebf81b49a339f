"""The named choices a backend's compositing calls take: blend modes and wipe shapes."""

from __future__ import annotations

import enum

__all__ = ["BlendMode", "WipeDirection"]


class BlendMode(enum.Enum):
    """How a layer combines with what lies under it (W3C separable blend modes).

    Every mode composites with source-over alpha, ``ao = as + ab - as*ab``; they differ in
    the colour term. Formulas are applied to scene-linear premultiplied values, so
    MULTIPLY/SCREEN/OVERLAY look different from the same modes applied to sRGB-encoded
    values (e.g. OVERLAY pivots at linear 0.5, about sRGB 0.74).
    """

    NORMAL = "normal"
    """Premultiplied over: ``Co = Cs + Cb*(1 - as)``."""
    ADD = "add"
    """Linear dodge: ``Co = Cs + Cb``, never clipped (linear light may exceed 1)."""
    MULTIPLY = "multiply"
    """``B(cb, cs) = cb*cs``: darkens; white is neutral."""
    SCREEN = "screen"
    """``B(cb, cs) = cb + cs - cb*cs``: lightens; black is neutral."""
    OVERLAY = "overlay"
    """MULTIPLY (doubled) where the base is below 0.5, SCREEN (doubled) above."""


class WipeDirection(enum.Enum):
    """Which way the incoming image ``b`` is revealed over ``a`` during a wipe."""

    LEFT_TO_RIGHT = "left_to_right"
    """``b`` enters at the left edge; the edge travels right."""
    RIGHT_TO_LEFT = "right_to_left"
    """``b`` enters at the right edge; the edge travels left."""
    TOP_TO_BOTTOM = "top_to_bottom"
    """``b`` enters at the top edge; the edge travels down."""
    BOTTOM_TO_TOP = "bottom_to_top"
    """``b`` enters at the bottom edge; the edge travels up."""
    RADIAL = "radial"
    """``b`` grows as a circle from the frame centre until it covers the corners."""
    CLOCK = "clock"
    """``b`` is swept in clockwise from 12 o'clock about the frame centre."""
