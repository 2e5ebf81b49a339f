"""Two-image transitions on CPU images: dissolve and wipes.

A wipe is ``a*(1 - m) + b*m`` with a mask ``m`` built on a normalised coordinate ``s``
(0 -> 1 across the frame in the wipe's direction); see ``Backend.wipe`` for the contract.
Linear wipes build a one-dimensional mask that broadcasts along the other axis.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from reelgraph.render.buffer_pool import POOL
from reelgraph.render.cpu.pixels import Pixels, bands, check_same_size
from reelgraph.render.kernels.dissolve import dissolve_into
from reelgraph.render.modes import WipeDirection

__all__ = ["dissolve", "wipe", "wipe_mask"]


def dissolve(a: Pixels, b: Pixels, t: float) -> Pixels:
    """``a*(1 - t) + b*t`` with ``t`` clamped to [0, 1]; the ends return ``a`` or ``b`` itself.

    Raises:
        ValueError: the images differ in size, or ``t`` is not finite.
    """
    check_same_size(a, b)
    t = _unit(t, "t")
    if t == 0.0:
        return a
    if t == 1.0:
        return b
    out = POOL.take(a.shape)
    dissolve_into(a, b, np.float32(1.0 - t), np.float32(t), out)
    return out


def wipe(a: Pixels, b: Pixels, t: float, direction: WipeDirection, softness: float) -> Pixels:
    """Reveal ``b`` over ``a``; see ``Backend.wipe``.

    Raises:
        ValueError: the images differ in size, ``t`` is not finite, or ``softness`` is
            negative or not finite.
    """
    check_same_size(a, b)
    t = _unit(t, "t")
    if not (math.isfinite(softness) and softness >= 0.0):
        raise ValueError(f"softness must be finite and >= 0, got {softness!r}")
    if t == 0.0:
        return a
    if t == 1.0:
        return b
    height, width = a.shape[:2]
    mask = wipe_mask(width, height, t, direction, softness)
    # Lay the mask out so numpy's inner loops run along rows, not over 4 channels.
    mask = mask[..., None] if mask.shape[1] == 1 else np.repeat(mask[..., None], 4, axis=2)
    out = np.empty_like(a)
    for rows in bands(height, width):
        band_mask = mask if mask.shape[0] == 1 else mask[rows]
        band = out[rows]
        np.multiply(a[rows], np.float32(1.0) - band_mask, out=band)
        band += b[rows] * band_mask
    return out


def wipe_mask(
    width: int, height: int, t: float, direction: WipeDirection, softness: float
) -> NDArray[np.float32]:
    """How much of ``b`` each pixel shows, for ``0 < t < 1``.

    Returns:
        float32 in [0, 1], shape ``(1, width)`` or ``(height, 1)`` for linear wipes (to
        broadcast) and ``(height, width)`` for RADIAL and CLOCK.
    """
    distance, length = _travel(width, height, direction)
    if softness > 0.0:
        ramp = np.clip((t * (1.0 + softness) - distance / length) / softness, 0.0, 1.0)
        mask = ramp * ramp * (3.0 - 2.0 * ramp)
    else:
        # Edge at s = t, i.e. t * length pixels from the start; a pixel's coverage is how
        # far the edge is past its near side, clipped to one pixel.
        mask = np.clip(t * length - distance + 0.5, 0.0, 1.0)
    return mask.astype(np.float32)


def _travel(
    width: int, height: int, direction: WipeDirection
) -> tuple[NDArray[np.float64], NDArray[np.float64] | float]:
    """Pixel-centre distance from where the wipe starts, and the length of the full travel.

    Both in pixels, so ``s = distance / length``; for linear wipes the distances are
    exact half-integers, which keeps hard edges on pixel boundaries exact.
    """
    xs = (np.arange(width, dtype=np.float64) + 0.5)[None, :]
    ys = (np.arange(height, dtype=np.float64) + 0.5)[:, None]
    if direction is WipeDirection.LEFT_TO_RIGHT:
        return xs, float(width)
    if direction is WipeDirection.RIGHT_TO_LEFT:
        return width - xs, float(width)
    if direction is WipeDirection.TOP_TO_BOTTOM:
        return ys, float(height)
    if direction is WipeDirection.BOTTOM_TO_TOP:
        return height - ys, float(height)
    dx, dy = xs - width / 2.0, ys - height / 2.0
    radius = np.hypot(dx, dy)
    if direction is WipeDirection.RADIAL:
        return radius, math.hypot(width / 2.0, height / 2.0)
    if direction is WipeDirection.CLOCK:
        # atan2(dx, -dy) is 0 at 12 o'clock and grows clockwise on a y-down screen; the
        # travel is measured along the circle through the pixel, so edges anti-alias.
        turn = np.arctan2(dx, -dy) / (2.0 * math.pi) % 1.0
        circumference = 2.0 * math.pi * np.maximum(radius, 0.5)
        return turn * circumference, circumference
    raise ValueError(f"unknown wipe direction {direction!r}")


def _unit(value: float, name: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return min(max(number, 0.0), 1.0)
