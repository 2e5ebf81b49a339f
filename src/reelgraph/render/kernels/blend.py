"""Blend modes on premultiplied float32 RGBA in one compiled pass (see ``Backend.blend``).

The formulas and their operation order are those of :mod:`reelgraph.render.cpu.blend`'s
documentation: the layer is scaled by the opacity first, then combined with the base.
"""

from __future__ import annotations

import numba
import numpy as np

from reelgraph.render.modes import BlendMode

__all__ = ["MODE_CODES", "blend_into"]

#: The kernel's integer code for each mode.
MODE_CODES = {
    BlendMode.NORMAL: 0,
    BlendMode.ADD: 1,
    BlendMode.MULTIPLY: 2,
    BlendMode.SCREEN: 3,
    BlendMode.OVERLAY: 4,
}

_ONE = np.float32(1.0)
_TWO = np.float32(2.0)


@numba.njit(inline="always")
def _mix(cb, cs, ab, a_s, is_alpha, mode):  # type: ignore[no-untyped-def]
    """One channel of one pixel: base ``cb``, scaled layer ``cs``, their alphas."""
    if mode == 0:
        return cb * (_ONE - a_s) + cs
    if mode == 1:
        return (ab + a_s) - ab * a_s if is_alpha else cb + cs
    if mode == 2:
        return cs * (_ONE - ab) + cb * (_ONE - a_s) + cs * cb
    if mode == 3:
        return (cs + cb) - cs * cb
    # Both sides are computed and one is selected: no branch to mispredict per pixel.
    low = _TWO * cs * cb
    high = ab * a_s - _TWO * (ab - cb) * (a_s - cs)
    mixed = low if _TWO * cb <= ab else high
    return cs * (_ONE - ab) + cb * (_ONE - a_s) + mixed


@numba.njit(inline="always")
def _blend_row(base, layer, y, mode, opacity, scale, out):  # type: ignore[no-untyped-def]
    for x in range(base.shape[1]):
        ab = base[y, x, 3]
        a_s = layer[y, x, 3] * opacity if scale else layer[y, x, 3]
        for c in range(4):
            cs = layer[y, x, c] * opacity if scale else layer[y, x, c]
            out[y, x, c] = _mix(base[y, x, c], cs, ab, a_s, c == 3, mode)


@numba.njit(parallel=True, cache=True, nogil=True)
def blend_into(base, layer, mode, opacity, scale, out):  # type: ignore[no-untyped-def]
    """``out = layer*opacity`` blended over ``base`` with mode code ``mode``.

    Args:
        base: ``(H, W, 4)`` float32 premultiplied.
        layer: same shape.
        mode: a value of :data:`MODE_CODES`.
        opacity: float32 factor applied to all four layer channels when ``scale``.
        scale: whether to multiply by ``opacity`` (``False`` for opacity 1: exact copy).
        out: ``(H, W, 4)`` float32 result (may not alias the inputs).
    """
    for y in numba.prange(base.shape[0]):
        # One specialised row loop per mode: the mode test stays out of the pixel loop.
        if mode == 0:
            _blend_row(base, layer, y, 0, opacity, scale, out)
        elif mode == 1:
            _blend_row(base, layer, y, 1, opacity, scale, out)
        elif mode == 2:
            _blend_row(base, layer, y, 2, opacity, scale, out)
        elif mode == 3:
            _blend_row(base, layer, y, 3, opacity, scale, out)
        else:
            _blend_row(base, layer, y, 4, opacity, scale, out)
