"""Small numpy helpers shared by the CPU backend's modules.

CPU images are ``(H, W, 4)`` C-contiguous ``float32`` arrays, premultiplied scene-linear
RGBA, marked read-only once they are handed out so nobody edits a shared frame.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from reelgraph.render.buffer_pool import POOL

__all__ = ["bands", "check_image", "check_same_size", "freeze", "spread", "transparent"]

Pixels = NDArray[np.float32]
"""``(H, W, 4)`` float32 premultiplied scene-linear RGBA."""

# Pixels per band for band-wise processing: a band's temporaries stay in cache.
_BAND_PIXELS = 65536


def freeze(array: Pixels) -> Pixels:
    """Mark an array read-only and return it (the image handle contract: immutable)."""
    array.flags.writeable = False
    return array


def check_image(image: object) -> Pixels:
    """Return ``image`` if it is a CPU image, else raise.

    Raises:
        TypeError: not an ``(H, W, 4)`` float32 ndarray (e.g. another backend's handle).
    """
    if (
        not isinstance(image, np.ndarray)
        or image.dtype != np.float32
        or image.ndim != 3
        or image.shape[2] != 4
    ):
        raise TypeError(f"not a CPU backend image: {type(image).__name__}")
    return image


def check_same_size(a: Pixels, b: Pixels) -> None:
    """Raise ``ValueError`` unless two images have the same width and height."""
    if a.shape != b.shape:
        raise ValueError(
            f"images differ in size: {a.shape[1]}x{a.shape[0]} and {b.shape[1]}x{b.shape[0]}"
        )


def transparent(width: int, height: int) -> Pixels:
    """A new all-zero ``(height, width, 4)`` image (a recycled buffer, cleared)."""
    out = POOL.take((height, width, 4))
    out.fill(0.0)
    return out


def spread(plane: NDArray[np.float32]) -> Pixels:
    """Repeat an ``(H, W)`` plane into all four channels of an ``(H, W, 4)`` array.

    Numpy broadcasts an ``(H, W, 1)`` operand over four channels with four-element inner
    loops, several times slower than same-shape operands; four plane copies cost less
    than the broadcast they replace whenever the result is used in more than one product.
    """
    out = np.empty((*plane.shape, 4), dtype=np.float32)
    for channel in range(4):
        out[..., channel] = plane
    return out


def bands(height: int, width: int) -> list[slice]:
    """Row slices covering ``height`` rows, about 64k pixels each.

    Per-pixel work done band by band gives the same result as on the whole image (nothing
    is summed across bands) while its temporaries stay in cache.
    """
    rows = max(1, _BAND_PIXELS // max(width, 1))
    return [slice(top, min(top + rows, height)) for top in range(0, height, rows)]
