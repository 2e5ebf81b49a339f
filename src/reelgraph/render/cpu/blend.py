"""Blend modes on premultiplied CPU images.

With premultiplied colour the W3C form ``Co = Cs*(1 - ab) + Cb*(1 - as) +
as*ab*B(Cb/ab, Cs/as)`` needs no division for these modes: ``as*ab*B`` is a polynomial in
the premultiplied values. Every formula here, applied to the alpha channel as if it were
a colour, also yields ``as + ab - as*ab``, so all four channels go through one expression
(ADD is the exception and fixes alpha afterwards).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from reelgraph.render.cpu.pixels import Pixels, bands, check_same_size, spread
from reelgraph.render.modes import BlendMode

__all__ = ["blend"]


def blend(base: Pixels, layer: Pixels, mode: BlendMode, opacity: float) -> Pixels:
    """Composite ``layer`` (scaled by ``opacity``) over ``base``; see ``Backend.blend``.

    Args:
        base: ``(H, W, 4)`` float32 premultiplied.
        layer: same shape as ``base``.
        mode: the blend mode.
        opacity: multiplies all channels of ``layer``; clamped to [0, 1].

    Returns:
        A new ``(H, W, 4)`` float32 array.

    Raises:
        ValueError: the images differ in size, or ``opacity`` is not finite.
    """
    check_same_size(base, layer)
    opacity = float(opacity)
    if not np.isfinite(opacity):
        raise ValueError(f"opacity must be finite, got {opacity!r}")
    opacity = min(max(opacity, 0.0), 1.0)
    if opacity == 0.0:
        return base.copy()
    formula = _MODES[mode]
    out = np.empty_like(base)
    for rows in bands(*base.shape[:2]):
        source = layer[rows] if opacity == 1.0 else layer[rows] * np.float32(opacity)
        out[rows] = formula(base[rows], source)
    return out


def _complement_alpha(image: Pixels) -> Pixels:
    """``1 - alpha`` in all four channels."""
    return spread(np.float32(1.0) - image[..., 3])


def _normal(cb: Pixels, cs: Pixels) -> Pixels:
    out = cb * _complement_alpha(cs)
    out += cs
    return out


def _add(cb: Pixels, cs: Pixels) -> Pixels:
    out = cb + cs
    ab, a_s = cb[..., 3], cs[..., 3]
    out[..., 3] = ab + a_s - ab * a_s
    return out


def _multiply(cb: Pixels, cs: Pixels) -> Pixels:
    out = cs * _complement_alpha(cb)
    out += cb * _complement_alpha(cs)
    out += cs * cb
    return out


def _screen(cb: Pixels, cs: Pixels) -> Pixels:
    out = cs + cb
    out -= cs * cb
    return out


def _overlay(cb: Pixels, cs: Pixels) -> Pixels:
    ab = spread(cb[..., 3])
    a_s = spread(cs[..., 3])
    low = np.float32(2.0) * cs * cb
    high = ab * a_s - np.float32(2.0) * (ab - cb) * (a_s - cs)
    out = cs * (np.float32(1.0) - ab)
    out += cb * (np.float32(1.0) - a_s)
    out += np.where(np.float32(2.0) * cb <= ab, low, high)
    return out


_MODES: dict[BlendMode, Callable[[Pixels, Pixels], Pixels]] = {
    BlendMode.NORMAL: _normal,
    BlendMode.ADD: _add,
    BlendMode.MULTIPLY: _multiply,
    BlendMode.SCREEN: _screen,
    BlendMode.OVERLAY: _overlay,
}
