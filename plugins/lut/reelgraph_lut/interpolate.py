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
    low = domain[0].astype(np.float32)
    span = (domain[1] - domain[0]).astype(np.float32)
    unit = (points - low) / span
    return np.clip(unit, 0.0, 1.0, out=unit)


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


def _cell(size: int, points: Points) -> tuple[NDArray[np.int64], Points]:
    position = points * np.float32(size - 1)
    index = np.minimum(position.astype(np.int64), size - 2)
    fraction = (position - index).astype(np.float32)
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
        return flat[base + offset]

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
    strides = np.array([size * size, size, 1], dtype=np.int64)
    r_ge_g, g_ge_b, r_ge_b = fr >= fg, fg >= fb, fr >= fb
    # Ties go to the axis order r, g, b, so the three axes are always distinct.
    largest = np.where(r_ge_g & r_ge_b, 0, np.where(g_ge_b, 1, 2))
    smallest = np.where(r_ge_b & g_ge_b, 2, np.where(r_ge_g, 1, 0))
    middle = 3 - largest - smallest
    f1 = np.take_along_axis(fraction, largest[:, None], axis=1)
    f2 = np.take_along_axis(fraction, middle[:, None], axis=1)
    f3 = np.take_along_axis(fraction, smallest[:, None], axis=1)
    first = base + strides[largest]
    second = first + strides[middle]
    out = flat[base] * (1.0 - f1)
    out += flat[first] * (f1 - f2)
    out += flat[second] * (f2 - f3)
    out += flat[base + strides.sum()] * f3
    return out
