"""Affine resampling of CPU images: crop, box pre-filter, then a bilinear warp.

Coordinates follow :mod:`reelgraph.render.affine`: pixel ``(col, row)`` has its centre at
``(col + 0.5, row + 0.5)``. A sample at source position ``(u, v)`` reads the four pixels
around ``(u - 0.5, v - 0.5)`` in index space with bilinear weights; neighbours outside the
source count as transparent, which anti-aliases the edges. Axis-aligned maps (scale and
translate, the common case) are resampled separably with per-column and per-row taps; other
maps gather four neighbours per output pixel, a band of rows at a time.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from reelgraph.render.affine import Affine
from reelgraph.render.buffer_pool import POOL
from reelgraph.render.cpu.pixels import Pixels, bands, spread, transparent
from reelgraph.render.kernels.resample import box_reduce_into, separable_warp_into

__all__ = ["warp"]


def warp(
    image: Pixels,
    affine: Affine,
    width: int,
    height: int,
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0),
) -> Pixels:
    """Resample ``image`` through ``affine`` onto a transparent ``width x height`` canvas.

    Args:
        image: ``(H, W, 4)`` float32 premultiplied source.
        affine: maps source pixel coordinates to output pixel coordinates.
        width: output width, >= 1.
        height: output height, >= 1.
        crop: source pixels hidden at the ``(left, top, right, bottom)`` edges.

    Returns:
        ``(height, width, 4)`` float32; ``image`` itself for an identity map onto its own
        size without crop.

    Raises:
        ValueError: a size < 1 or a negative or non-finite crop.
    """
    if width < 1 or height < 1:
        raise ValueError(f"output size must be at least 1x1, got {width}x{height}")
    cropped = _apply_crop(image, affine, crop)
    if cropped is None or not _invertible(cropped[1]):
        return transparent(width, height)
    source, affine = cropped
    offset = affine.integer_offset
    if offset is not None:
        if offset == (0, 0) and source.shape[:2] == (height, width):
            return source
        return _paste(source, offset, width, height)
    source, affine = _prefilter(source, affine)
    if affine.is_axis_aligned:
        return _warp_separable(source, affine, width, height)
    return _warp_general(source, affine, width, height)


def _invertible(affine: Affine) -> bool:
    """Finite, and not shrinking a pixel below 1e-12 of its area (nothing would show)."""
    values = (affine.a, affine.b, affine.c, affine.d, affine.e, affine.f)
    return all(math.isfinite(v) for v in values) and abs(affine.determinant) >= 1e-12


def _apply_crop(
    image: Pixels, affine: Affine, crop: tuple[float, float, float, float]
) -> tuple[Pixels, Affine] | None:
    """Cut the crop's bounding pixels out, dim partly covered edge pixels, keep placement.

    Returns ``None`` when the crop hides everything.
    """
    if any(not math.isfinite(v) or v < 0.0 for v in crop):
        raise ValueError(f"crop amounts must be finite and >= 0, got {crop!r}")
    if all(v == 0.0 for v in crop):
        return image, affine
    left, top, right, bottom = (float(v) for v in crop)
    src_h, src_w = image.shape[:2]
    x_lo, x_hi, y_lo, y_hi = left, src_w - right, top, src_h - bottom
    if x_hi <= x_lo or y_hi <= y_lo:
        return None
    col0, col1 = math.floor(x_lo), math.ceil(x_hi)
    row0, row1 = math.floor(y_lo), math.ceil(y_hi)
    sub = image[row0:row1, col0:col1]
    cover_x = _coverage(col0, col1, x_lo, x_hi)
    cover_y = _coverage(row0, row1, y_lo, y_hi)
    if np.any(cover_x < 1.0) or np.any(cover_y < 1.0):
        sub = sub * cover_y[:, None, None]
        sub *= cover_x[None, :, None]
    return np.ascontiguousarray(sub), affine @ Affine.translate(col0, row0)


def _coverage(first: int, stop: int, lo: float, hi: float) -> NDArray[np.float32]:
    """Fraction of each pixel ``[i, i + 1)``, ``first <= i < stop``, inside ``[lo, hi)``."""
    edges = np.arange(first, stop, dtype=np.float64)
    covered = np.minimum(edges + 1.0, hi) - np.maximum(edges, lo)
    return np.clip(covered, 0.0, 1.0).astype(np.float32)


def _paste(source: Pixels, offset: tuple[int, int], width: int, height: int) -> Pixels:
    """Exact copy of ``source`` moved by whole pixels onto a transparent canvas."""
    dx, dy = offset
    out = transparent(width, height)
    src_h, src_w = source.shape[:2]
    x0, x1 = max(dx, 0), min(dx + src_w, width)
    y0, y1 = max(dy, 0), min(dy + src_h, height)
    if x0 < x1 and y0 < y1:
        out[y0:y1, x0:x1] = source[y0 - dy : y1 - dy, x0 - dx : x1 - dx]
    return out


def _prefilter(source: Pixels, affine: Affine) -> tuple[Pixels, Affine]:
    """Box-reduce axes the map shrinks by more than 2x, so bilinear taps don't skip pixels.

    Each source axis is reduced by ``floor(1 / scale)``, where ``scale`` is the length of
    that axis' unit vector after the map; the remaining shrink is at most 2x.
    """
    src_h, src_w = source.shape[:2]
    factors = []
    axes = ((math.hypot(affine.a, affine.d), src_w), (math.hypot(affine.b, affine.e), src_h))
    for length, size in axes:
        # The epsilon keeps 1 / (1/3) from flooring to 2.
        factors.append(min(size, int(1.0 / length + 1e-9)) if length < 0.5 else 1)
    kx, ky = factors
    if kx == 1 and ky == 1:
        return source, affine
    return _box_reduce(source, kx, ky), affine @ Affine.scale(kx, ky)


def _box_reduce(source: Pixels, kx: int, ky: int) -> Pixels:
    """Average ``ky x kx`` blocks; a partial block at the far edges averages with transparency.

    That keeps geometry exact: reduced pixel ``j`` covers source ``[j*k, (j + 1)*k)``.
    Rows are summed first (whole contiguous rows per step), then columns, in a fixed order.
    """
    src_h, src_w = source.shape[:2]
    blocks = np.empty((-(-src_h // ky), -(-src_w // kx), 4), dtype=np.float32)
    box_reduce_into(source, kx, ky, np.float32(1.0 / (kx * ky)), blocks)
    return blocks


def _axis_taps(
    out_size: int, src_size: int, scale: float, offset: float
) -> tuple[int, int, NDArray[np.intp], NDArray[np.intp], NDArray[np.float32], NDArray[np.float32]]:
    """Two-tap bilinear filters for one axis of ``out = scale * src + offset``.

    Returns:
        ``(lo, hi, i0, i1, w0, w1)``: output indices ``lo <= j < hi`` are the only ones
        with any source weight; for those, ``w0 * src[i0] + w1 * src[i1]`` is the sample
        (indices clamped into range, weights zero where a tap falls outside).
    """
    centres = (np.arange(out_size, dtype=np.float64) + 0.5 - offset) / scale - 0.5
    centres = _snap(np.clip(centres, -2.0, src_size + 1.0))
    first = np.floor(centres)
    frac = centres - first
    i0 = first.astype(np.intp)
    i1 = i0 + 1
    w0 = np.where((i0 >= 0) & (i0 < src_size), 1.0 - frac, 0.0).astype(np.float32)
    w1 = np.where((i1 >= 0) & (i1 < src_size), frac, 0.0).astype(np.float32)
    live = np.flatnonzero((w0 > 0.0) | (w1 > 0.0))
    if live.size == 0:
        return 0, 0, i0[:0], i1[:0], w0[:0], w1[:0]
    lo, hi = int(live[0]), int(live[-1]) + 1
    last = src_size - 1
    return lo, hi, np.clip(i0[lo:hi], 0, last), np.clip(i1[lo:hi], 0, last), w0[lo:hi], w1[lo:hi]


def _warp_separable(source: Pixels, affine: Affine, width: int, height: int) -> Pixels:
    """Scale-and-translate warp: filter along x, then along y; one pass over the canvas."""
    src_h, src_w = source.shape[:2]
    x_lo, x_hi, ix0, ix1, wx0, wx1 = _axis_taps(width, src_w, affine.a, affine.c)
    y_lo, y_hi, iy0, iy1, wy0, wy1 = _axis_taps(height, src_h, affine.e, affine.f)
    if x_lo == x_hi or y_lo == y_hi:
        return transparent(width, height)
    out = POOL.take((height, width, 4))  # the kernel writes every pixel, zeros around
    use_x1, use_y1 = bool(np.any(wx1 > 0.0)), bool(np.any(wy1 > 0.0))
    separable_warp_into(
        source, ix0, ix1, wx0, wx1, iy0, iy1, wy0, wy1, use_x1, use_y1, x_lo, y_lo, out
    )
    return out


def _warp_general(source: Pixels, affine: Affine, width: int, height: int) -> Pixels:
    """Any invertible map: per output pixel, gather and weight four source neighbours."""
    src_h, src_w = source.shape[:2]
    corners_x, corners_y = affine.apply([0.0, src_w, 0.0, src_w], [0.0, 0.0, src_h, src_h])
    x_lo = max(0, math.floor(float(corners_x.min())) - 1)
    x_hi = min(width, math.ceil(float(corners_x.max())) + 1)
    y_lo = max(0, math.floor(float(corners_y.min())) - 1)
    y_hi = min(height, math.ceil(float(corners_y.max())) + 1)
    out = transparent(width, height)
    if x_lo >= x_hi or y_lo >= y_hi:
        return out
    # A one-pixel transparent border lets every tap index the source without range checks.
    padded = np.zeros((src_h + 2, src_w + 2, 4), dtype=np.float32)
    padded[1:-1, 1:-1] = source
    flat = padded.reshape(-1, 4)
    inverse = affine.inverse()
    xs = np.arange(x_lo, x_hi, dtype=np.float64)[None, :] + 0.5
    for rows in bands(y_hi - y_lo, x_hi - x_lo):
        ys = np.arange(y_lo + rows.start, y_lo + rows.stop, dtype=np.float64)[:, None] + 0.5
        u, v = inverse.apply(xs, ys)
        # Index space of the padded source: pixel centres at integers, source pixel 0 at 1.
        region = out[y_lo + rows.start : y_lo + rows.stop, x_lo:x_hi]
        _bilinear(flat, src_w + 2, src_h + 2, u + 0.5, v + 0.5, region)
    return out


def _bilinear(
    flat: NDArray[np.float32],
    padded_w: int,
    padded_h: int,
    p: NDArray[np.float64],
    q: NDArray[np.float64],
    out: Pixels,
) -> None:
    """Add bilinear samples of a transparent-bordered source at ``(p, q)`` into ``out``.

    Args:
        flat: the padded source as ``(padded_h * padded_w, 4)`` rows; its outer ring is 0.
        padded_w: padded width.
        padded_h: padded height.
        p: ``(h, w)`` column positions, pixel centres at integers.
        q: ``(h, w)`` row positions.
        out: ``(h, w, 4)`` float32 to accumulate into (zeros for plain samples).
    """
    col, col_frac = _taps(p, padded_w)
    row, row_frac = _taps(q, padded_h)
    corner = row * padded_w + col
    one = np.float32(1.0)
    neighbours = (
        (0, (one - row_frac) * (one - col_frac)),
        (1, (one - row_frac) * col_frac),
        (padded_w, row_frac * (one - col_frac)),
        (padded_w + 1, row_frac * col_frac),
    )
    for step, weight in neighbours:
        gathered = np.take(flat, (corner + step).ravel(), axis=0).reshape(out.shape)
        gathered *= spread(weight)
        out += gathered


def _taps(position: NDArray[np.float64], size: int) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """Left/top neighbour index and the weight of the right/bottom one along one axis.

    Positions are clipped into the padded range first; far outside, both neighbours are
    border pixels (or the far one has weight 0), so the sample is transparent.
    """
    position = _snap(np.clip(position, 0.0, size - 1.0))
    first = np.minimum(np.floor(position), size - 2.0)
    return first.astype(np.intp), (position - first).astype(np.float32)


def _snap(position: NDArray[np.float64]) -> NDArray[np.float64]:
    """Round positions within 1e-6 of a pixel centre onto it.

    Composed maps carry rounding noise (a quarter turn about a centre lands 1e-13 off);
    snapping makes such samples exact copies, and keeps weights like 1e-13 from
    multiplying into float32 underflow.
    """
    nearest = np.rint(position)
    return np.where(np.abs(position - nearest) < 1e-6, nearest, position)
