"""Cross-fade of two premultiplied images in one compiled pass (see ``Backend.dissolve``)."""

from __future__ import annotations

import numba

__all__ = ["dissolve_into"]


@numba.njit(parallel=True, cache=True, nogil=True)
def dissolve_into(a, b, weight_a, weight_b, out):  # type: ignore[no-untyped-def]
    """``out = a*weight_a + b*weight_b`` per channel (float32 weights, rounded per step)."""
    for y in numba.prange(a.shape[0]):
        for x in range(a.shape[1]):
            for c in range(4):
                out[y, x, c] = a[y, x, c] * weight_a + b[y, x, c] * weight_b
