"""Whole-image checks in one compiled pass (instead of a numpy reduction per question)."""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["count_non_finite"]


@numba.njit(parallel=True, cache=True, nogil=True)
def count_non_finite(values):  # type: ignore[no-untyped-def]
    """How many of ``values`` (a flat float32 array) are NaN or infinite."""
    bad = 0
    for i in numba.prange(values.size):
        bad += 0 if np.isfinite(values[i]) else 1
    return bad
