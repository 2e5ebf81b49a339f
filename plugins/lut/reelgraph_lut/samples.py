"""Sample grades, computed rather than shipped: for tests, demos and benchmarks.

:func:`teal_orange` is a typical display-referred look (cool shadows, warm highlights, a
gentle S-curve, a little extra saturation); ``write_cube(path, teal_orange(33))`` makes
a ``grade.cube`` like the one the benchmarks use.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["identity", "teal_orange"]


def identity(size: int = 33) -> NDArray[np.float64]:
    """The ``(n, n, n, 3)`` ``[r, g, b]`` table that changes nothing."""
    axis = np.linspace(0.0, 1.0, size)
    return np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1)


def teal_orange(size: int = 33) -> NDArray[np.float64]:
    """A teal-and-orange look as an ``(n, n, n, 3)`` table over sRGB-encoded values."""
    rgb = identity(size)
    luma = rgb @ np.array([0.2126, 0.7152, 0.0722])
    curve = luma + 0.35 * (luma * luma * (3.0 - 2.0 * luma) - luma)  # soft S-curve
    shadows, highlights = (1.0 - luma) ** 2, luma**2
    tint = shadows[..., None] * np.array([-0.06, 0.02, 0.07]) + highlights[..., None] * np.array(
        [0.07, 0.02, -0.06]
    )
    graded = curve[..., None] + 1.15 * (rgb - luma[..., None]) + tint
    clipped: NDArray[np.float64] = np.clip(graded, 0.0, 1.0)
    return clipped
