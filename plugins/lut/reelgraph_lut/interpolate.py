"""LUT lookups, vectorised in numpy: 1D linear, 3D trilinear and 3D tetrahedral.

Every function takes points ``(P, 3)`` already mapped into the table's unit domain and
clipped to ``[0, 1]`` (see :func:`to_unit`), and returns ``(P, 3)``. The float32 tables give
results within about 1e-6 of a float64 computation for values in ``[0, 1]``.

Tetrahedral interpolation splits the lattice cell into six tetrahedra along its main
diagonal and blends the four corners of the one holding the point: with the fractions
sorted ``f1 >= f2 >= f3`` along axes ``a1, a2, a3``, the corners are ``c000``, ``c000 +
e(a1)``, ``c000 + e(a1) + e(a2)`` and ``c111`` with weights ``1 - f1``, ``f1 - f2``,
``f2 - f3``, ``f3``. It reproduces the neutral axis exactly and needs four lookups per
point where trilinear needs eight.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["apply_1d", "tetrahedral", "to_unit", "trilinear"]

Points = NDArray[np.float32]


def to_unit(points: Points, domain: NDArray[np.float64]) -> Points:
    """Map ``points`` from ``domain`` (``(2, 3)``: min row, max row) into ``[0, 1]``, clipped."""
    if not domain[0].any() and (domain[1] == 1.0).all():
        return np.clip(points, np.float32(0.0), np.float32(1.0))  # the usual unit domain
    low = domain[0].astype(np.float32)
    span = (domain[1] - domain[0]).astype(np.float32)
    unit: Points = (points - low) / span
    np.clip(unit, 0.0, 1.0, out=unit)
    return unit


def apply_1d(table: NDArray[np.float32], points: Points) -> Points:
    """Per-channel linear interpolation in an ``(n, 3)`` table."""
    size = table.shape[0]
    position = points * np.float32(size - 1)
    index = np.minimum(position.astype(np.int32), size - 2)
    fraction = position - index
    out = np.empty_like(points)
    for channel in range(3):
        column = table[:, channel]
        low = column[index[:, channel]]
        high = column[index[:, channel] + 1]
        out[:, channel] = low + (high - low) * fraction[:, channel]
    return out


def _cell(size: int, points: Points) -> tuple[NDArray[np.intp], Points]:
    position = points * np.float32(size - 1)
    index = np.minimum(position.astype(np.intp), size - 2)
    fraction = position - index.astype(np.float32)
    base = (index[:, 0] * size + index[:, 1]) * size + index[:, 2]
    return base, fraction


def trilinear(table: NDArray[np.float32], points: Points) -> Points:
    """Trilinear interpolation in an ``(n, n, n, 3)`` ``[r, g, b]`` table."""
    size = table.shape[0]
    flat = table.reshape(-1, 3)
    base, fraction = _cell(size, points)
    fr, fg, fb = (fraction[:, i : i + 1] for i in range(3))
    sr, sg = size * size, size

    def at(offset: int) -> Points:
        # np.take on rows is several times faster than fancy indexing here.
        return np.take(flat, base + offset, axis=0)

    c00 = at(0) + (at(sr) - at(0)) * fr
    c10 = at(sg) + (at(sr + sg) - at(sg)) * fr
    c01 = at(1) + (at(sr + 1) - at(1)) * fr
    c11 = at(sg + 1) + (at(sr + sg + 1) - at(sg + 1)) * fr
    c0 = c00 + (c10 - c00) * fg
    c1 = c01 + (c11 - c01) * fg
    return c0 + (c1 - c0) * fb


def tetrahedral(table: NDArray[np.float32], points: Points) -> Points:
    """Tetrahedral interpolation in an ``(n, n, n, 3)`` ``[r, g, b]`` table."""
    size = table.shape[0]
    flat = table.reshape(-1, 3)
    base, fraction = _cell(size, points)
    fr, fg, fb = fraction[:, 0], fraction[:, 1], fraction[:, 2]
    sr, sg, sb = size * size, size, 1
    r_ge_g, g_ge_b, r_ge_b = fr >= fg, fg >= fb, fr >= fb
    f1 = np.maximum(np.maximum(fr, fg), fb)
    f2 = np.maximum(np.minimum(fr, fg), np.minimum(np.maximum(fr, fg), fb))  # the median
    f3 = np.minimum(np.minimum(fr, fg), fb)
    # The strides of the largest and smallest fractions' axes; ties go to the axis order
    # r, g, b, so the two are always different axes.
    largest = np.where(r_ge_g & r_ge_b, sr, np.where(g_ge_b, sg, sb))
    smallest = np.where(r_ge_b & g_ge_b, sb, np.where(r_ge_g, sg, sr))
    corner = base + (sr + sg + sb)
    out = np.take(flat, base, axis=0)
    out *= (1.0 - f1)[:, None]
    out += np.take(flat, base + largest, axis=0) * (f1 - f2)[:, None]
    out += np.take(flat, corner - smallest, axis=0) * (f2 - f3)[:, None]
    out += np.take(flat, corner, axis=0) * f3[:, None]
    return out
