"""The rounded integer mean of ``s x s`` blocks: proxy pictures in one compiled pass.

Integer arithmetic only, so the result is exactly that of the numpy formulation in
:func:`reelgraph.proxies.reduce.reduce_picture` (edges extended by replication) on any
machine and thread count.
"""

from __future__ import annotations

import numba

__all__ = ["box_mean_into"]


@numba.njit(parallel=True, cache=True, nogil=True)
def box_mean_into(picture, scale, deep, out):  # type: ignore[no-untyped-def]
    """``out[j, i, c]`` = rounded mean of the ``scale x scale`` block at ``(j*s, i*s)``.

    Rows and columns past the picture's edge repeat its last row and column. ``deep``:
    ``picture`` is ``uint16`` on the full 16-bit scale and the mean is rounded to 8 bits
    in the same step (``(sum*255 + n*65535//2) // (n*65535)``); else ``(sum + n//2) // n``.
    """
    height, width, channels = picture.shape
    # Unsigned 64-bit throughout: numba widens a signed/unsigned mix to float64.
    count = numba.uint64(scale * scale)
    half = count // numba.uint64(2)
    full = numba.uint64(65535)
    deep_half = count * full // numba.uint64(2)
    for j in numba.prange(out.shape[0]):
        for i in range(out.shape[1]):
            for c in range(channels):
                total = numba.uint64(0)
                for dy in range(scale):
                    row = min(j * scale + dy, height - 1)
                    for dx in range(scale):
                        col = min(i * scale + dx, width - 1)
                        total += numba.uint64(picture[row, col, c])
                if deep:
                    value = (total * numba.uint64(255) + deep_half) // (count * full)
                else:
                    value = (total + half) // count
                out[j, i, c] = numba.uint8(value)
