"""Resampling loops of the CPU transform in one compiled pass each: the box pre-filter and
the separable (scale and translate) bilinear warp. The tap tables are computed by
:mod:`reelgraph.render.cpu.transform`; the sums here run in its documented order.
"""

from __future__ import annotations

import numba

__all__ = ["box_reduce_into", "separable_warp_into"]


@numba.njit(parallel=True, cache=True, nogil=True)
def box_reduce_into(source, kx, ky, scale, out):  # type: ignore[no-untyped-def]
    """Average ``ky x kx`` blocks of ``source`` into ``out`` (partial blocks count zeros).

    Each block sums its rows first (down each column), then those column sums left to
    right, then multiplies by ``scale`` (``1 / (kx*ky)`` as float32).
    """
    src_h, src_w = source.shape[0], source.shape[1]
    for j in numba.prange(out.shape[0]):
        for i in range(out.shape[1]):
            for c in range(4):
                total = source.dtype.type(0.0)
                for ox in range(kx):
                    col = i * kx + ox
                    if col >= src_w:
                        break
                    column = source.dtype.type(0.0)
                    for oy in range(ky):
                        row = j * ky + oy
                        if row >= src_h:
                            break
                        column += source[row, col, c]
                    total += column
                out[j, i, c] = total * scale


@numba.njit(parallel=True, cache=True, nogil=True)
def separable_warp_into(  # type: ignore[no-untyped-def]
    source, ix0, ix1, wx0, wx1, iy0, iy1, wy0, wy1, use_x1, use_y1, x_lo, y_lo, out
):
    """Two-tap bilinear filtering along x, then along y, into ``out``; zeros elsewhere.

    Output pixel ``(y_lo + j, x_lo + i)`` gets ``h(iy0[j])*wy0[j] + h(iy1[j])*wy1[j]`` with
    ``h(r) = source[r, ix0[i]]*wx0[i] + source[r, ix1[i]]*wx1[i]``; the second tap of an
    axis is left out entirely when ``use_x1``/``use_y1`` is false (all its weights are 0).
    Every other pixel of ``out`` (the transparent canvas around the picture) is set to 0.
    """
    x_hi, y_hi = x_lo + ix0.size, y_lo + iy0.size
    for y in numba.prange(out.shape[0]):
        if y < y_lo or y >= y_hi:
            out[y, :, :] = 0.0
            continue
        j = y - y_lo
        out[y, :x_lo, :] = 0.0
        out[y, x_hi:, :] = 0.0
        for i in range(ix0.size):
            for c in range(4):
                top = source[iy0[j], ix0[i], c] * wx0[i]
                if use_x1:
                    top += source[iy0[j], ix1[i], c] * wx1[i]
                value = top * wy0[j]
                if use_y1:
                    bottom = source[iy1[j], ix0[i], c] * wx0[i]
                    if use_x1:
                        bottom += source[iy1[j], ix1[i], c] * wx1[i]
                    value += bottom * wy1[j]
                out[y, x_lo + i, c] = value
