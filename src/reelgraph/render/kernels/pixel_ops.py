"""Chains of per-pixel colour steps in one compiled pass.

A step is an opcode and up to four float32 parameters; a program (the steps of one fused
chain, or a single effect) runs on each pixel in registers, step after step, with the
same float32 operations in the same order as the one-effect-at-a-time formulation, so a
fused chain gives exactly the pixels of its steps run separately.

Opcodes and parameters (colour ``c`` is premultiplied, ``a`` is alpha):

* ``EXPOSURE`` ``(gain,)``: ``c*gain``
* ``SATURATION`` ``(amount,)``: ``(c - luma)*amount + luma``, luma in Rec.709 weights
* ``AFFINE`` ``(scale, offset)``: ``c*scale + a*offset`` (brightness/contrast, invert)
* ``GAINS`` ``(red, green, blue)``: ``c*gain`` per channel
* ``OPACITY`` ``(factor,)``: all four channels times ``factor``
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["AFFINE", "EXPOSURE", "GAINS", "LUMA", "OPACITY", "SATURATION", "run_program_into"]

EXPOSURE = 0
SATURATION = 1
AFFINE = 2
GAINS = 3
OPACITY = 4

#: Rec.709 / sRGB luma weights for linear RGB.
LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


@numba.njit(parallel=True, cache=True, nogil=True)
def run_program_into(image, codes, params, luma, out):  # type: ignore[no-untyped-def]
    """Run the steps ``codes[i]`` with ``params[i]`` (``(n, 4)`` float32) on every pixel.

    Args:
        image: ``(H, W, 4)`` float32 premultiplied.
        codes: ``(n,)`` int opcodes (module constants).
        params: ``(n, 4)`` float32 parameters.
        luma: :data:`LUMA`.
        out: ``(H, W, 4)`` float32 (may be ``image`` itself only if it is writable).
    """
    steps = codes.size
    for y in numba.prange(image.shape[0]):
        for x in range(image.shape[1]):
            r = image[y, x, 0]
            g = image[y, x, 1]
            b = image[y, x, 2]
            a = image[y, x, 3]
            for i in range(steps):
                code = codes[i]
                if code == EXPOSURE:
                    gain = params[i, 0]
                    r, g, b = r * gain, g * gain, b * gain
                elif code == SATURATION:
                    amount = params[i, 0]
                    y_ = r * luma[0] + g * luma[1] + b * luma[2]
                    r = (r - y_) * amount + y_
                    g = (g - y_) * amount + y_
                    b = (b - y_) * amount + y_
                elif code == AFFINE:
                    scale, offset = params[i, 0], params[i, 1]
                    term = a * offset
                    r, g, b = r * scale + term, g * scale + term, b * scale + term
                elif code == GAINS:
                    r, g, b = r * params[i, 0], g * params[i, 1], b * params[i, 2]
                else:
                    factor = params[i, 0]
                    r, g, b, a = r * factor, g * factor, b * factor, a * factor
            out[y, x, 0] = r
            out[y, x, 1] = g
            out[y, x, 2] = b
            out[y, x, 3] = a
