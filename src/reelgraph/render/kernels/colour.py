"""The colour edges of the engine in one compiled pass: integer pixels to and from working.

These are the loops of :func:`reelgraph.render.color.to_working` and
:func:`reelgraph.render.color.from_working`; the tables (sRGB decode per code, the exact
encode quantiser) are built there, in numpy, and passed in.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["decode_into", "encode_into"]

_ZERO = np.float32(0.0)
_ONE = np.float32(1.0)
_HALF = np.float32(0.5)
_TINY = np.finfo(np.float32).tiny


@numba.njit(parallel=True, cache=True, nogil=True)
def decode_into(pixels, colour, alpha, out):  # type: ignore[no-untyped-def]
    """Display-referred codes to premultiplied linear float32.

    Args:
        pixels: ``(H, W, 3)`` or ``(H, W, 4)`` unsigned integer codes, straight alpha.
        colour: per-code linear value of the colour channels (float32).
        alpha: per-code alpha value (float32).
        out: ``(H, W, 4)`` float32.
    """
    height, width, channels = pixels.shape
    top = colour.size - 1
    for y in numba.prange(height):
        for x in range(width):
            if channels == 3:
                for c in range(3):
                    out[y, x, c] = colour[min(pixels[y, x, c], top)]
                out[y, x, 3] = _ONE
            else:
                a = alpha[min(pixels[y, x, 3], top)]
                for c in range(3):
                    out[y, x, c] = colour[min(pixels[y, x, c], top)] * a
                out[y, x, 3] = a


@numba.njit(inline="always")
def _code(value, bits, shift, base, start, next_threshold):  # type: ignore[no-untyped-def]
    """The exact sRGB code of one linear float32 (``bits`` is its int32 pattern)."""
    index = (bits >> shift) - base
    index = min(max(index, 0), start.size - 1)
    code = start[index]
    if next_threshold[index] <= value:
        code += 1
    return code


@numba.njit(parallel=True, cache=True, nogil=True)
def encode_into(image, bits, shift, base, start, next_threshold, straight, top, out):  # type: ignore[no-untyped-def]
    """Premultiplied linear float32 to display-referred codes.

    Args:
        image: ``(H, W, 4)`` float32 premultiplied linear.
        bits: ``image`` viewed as int32 (the quantiser buckets by bit pattern).
        shift, base, start, next_threshold: the encode tables (see
            ``reelgraph.render.color._EncodeTables``).
        straight: unpremultiply colour and write straight alpha as a fourth channel
            (``out`` has 4 channels); otherwise colour is kept as it is (flattened over black).
        top: the largest code (255 or 65535), for alpha.
        out: ``(H, W, 3)`` or ``(H, W, 4)`` uint8/uint16.
    """
    height, width = image.shape[0], image.shape[1]
    scale = np.float32(top)
    for y in numba.prange(height):
        if not straight:
            for x in range(width):
                for c in range(3):
                    out[y, x, c] = _code(
                        image[y, x, c], bits[y, x, c], shift, base, start, next_threshold
                    )
        else:
            _encode_straight_row(image, y, shift, base, start, next_threshold, scale, out)


@numba.njit(inline="always")
def _encode_straight_row(image, y, shift, base, start, next_threshold, scale, out):  # type: ignore[no-untyped-def]
    """One row with unpremultiplied colour and straight alpha."""
    width = image.shape[1]
    # Straight colour is computed first, then bucketed by its own bit pattern.
    colour = np.empty(width * 3, dtype=np.float32)
    colour_bits = colour.view(np.int32)
    for x in range(width):
        a = min(max(image[y, x, 3], _ZERO), _ONE)
        divisor = max(a, _TINY)
        for c in range(3):
            colour[x * 3 + c] = min(max(image[y, x, c], _ZERO), a) / divisor
        out[y, x, 3] = np.uint16(a * scale + _HALF)
    for x in range(width):
        for c in range(3):
            i = x * 3 + c
            out[y, x, c] = _code(colour[i], colour_bits[i], shift, base, start, next_threshold)
