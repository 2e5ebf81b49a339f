"""Blend modes on premultiplied CPU images.

With premultiplied colour the W3C form ``Co = Cs*(1 - ab) + Cb*(1 - as) +
as*ab*B(Cb/ab, Cs/as)`` needs no division for these modes: ``as*ab*B`` is a polynomial in
the premultiplied values. Every formula here, applied to the alpha channel as if it were
a colour, also yields ``as + ab - as*ab``, so all four channels go through one expression
(ADD is the exception and fixes alpha afterwards). The per-pixel work is one compiled pass,
:func:`reelgraph.render.kernels.blend.blend_into`.
"""

from __future__ import annotations

import numpy as np

from reelgraph.render.buffer_pool import POOL
from reelgraph.render.cpu.pixels import Pixels, check_same_size
from reelgraph.render.kernels.blend import MODE_CODES, blend_into
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
    out = POOL.take(base.shape)
    blend_into(base, layer, MODE_CODES[mode], np.float32(opacity), opacity != 1.0, out)
    return out
