"""The sRGB transfer curves as float32 tables, for the compiled kernel.

The kernel (:mod:`reelgraph_lut.kernel`) must give the same bits on every machine, so it
calls no ``pow``: libm implementations differ in the last bit across CPUs and versions.
Each curve is instead sampled once, here, and the kernel interpolates linearly between
samples, using only IEEE-754 additions and multiplications.

The samples are spaced per octave, like the floats themselves: octave ``[2**e, 2**(e+1))``
holds ``entries_per_octave`` evenly spaced samples, from ``first_exponent`` up to
``2**128`` (beyond the largest float32). Entry ``k`` is the curve at
``2**(first_exponent + k // n) * (1 + (k % n) / n)`` with ``n = entries_per_octave``, so a
float32's bit pattern indexes the table directly: the exponent and leading mantissa bits
give the entry, the remaining mantissa bits the fraction between it and the next. The
relative error is then the same at every magnitude: within 2e-7 of the float64 curve in
``[0, 1]`` and a few 1e-7 relative above 1 (HDR highlights, super-whites, wide domains).

Below ``2**first_exponent`` (under the curve's knee) the curve is the straight line
``linear_slope * x``; negative values are mirrored, as the engine's curves do; infinity
and NaN pass through. Samples too large for float32 are clamped to its largest value, so
the decoding curve saturates rather than overflowing to infinity.

The float64 samples are rounded to float32 once; :func:`float32_rounding_margins` checks
that none lies near a rounding tie, so another libm's float64 ``pow`` (a few ulp apart)
still rounds to the same table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "TransferTable",
    "evaluate",
    "float32_rounding_margins",
    "srgb_decode_table",
    "srgb_encode_table",
]

# The sRGB piecewise curve (IEC 61966-2-1), as in reelgraph.render.color.
_LINEAR_KNEE, _ENCODED_KNEE = 0.0031308, 0.04045
_MANTISSA_BITS, _EXPONENT_BIAS = 23, 127
_LAST_EXPONENT = 128  # the table ends at 2**128: every finite float32 is inside it
# 1024 samples per octave keep linear interpolation within 1.5e-7 of both curves (the
# EOTF's power 2.4 needs them); the kernel reads this layout (kernel._FRACTION_BITS).
_ENTRIES_PER_OCTAVE = 1024
_FLOAT32_MAX = float(np.finfo(np.float32).max)
_INFINITY_BITS = 0x7F800000  # float32 +inf; NaNs lie above it


@dataclass(frozen=True, slots=True)
class TransferTable:
    """A transfer curve sampled per octave (see the module docstring for the layout).

    Attributes:
        curve: ``"srgb_encode"`` (the OETF) or ``"srgb_decode"`` (the EOTF).
        values: ``(octaves * entries_per_octave + 1,)`` float32 samples.
        first_exponent: the table starts at ``2**first_exponent``; the curve is linear
            below it.
        entries_per_octave: samples per octave, a power of two.
        linear_slope: the curve's slope below the table.
    """

    curve: str
    values: NDArray[np.float32]
    first_exponent: int
    entries_per_octave: int
    linear_slope: float

    @property
    def first_bits(self) -> int:
        """The float32 bit pattern of ``2**first_exponent``, where the table starts."""
        return (self.first_exponent + _EXPONENT_BIAS) << _MANTISSA_BITS

    @property
    def fraction_bits(self) -> int:
        """Mantissa bits below the entry index: the fraction between two samples."""
        return _MANTISSA_BITS - (self.entries_per_octave.bit_length() - 1)


def _srgb_encode64(x: NDArray[np.float64]) -> NDArray[np.float64]:
    high = 1.055 * np.maximum(x, _LINEAR_KNEE) ** (1.0 / 2.4) - 0.055
    return np.where(x <= _LINEAR_KNEE, x * 12.92, high)


def _srgb_decode64(x: NDArray[np.float64]) -> NDArray[np.float64]:
    high = ((np.maximum(x, _ENCODED_KNEE) + 0.055) / 1.055) ** 2.4
    return np.where(x <= _ENCODED_KNEE, x / 12.92, high)


# name: (the float64 curve, its knee, the slope of its straight line under the knee)
_CURVES = {
    "srgb_encode": (_srgb_encode64, _LINEAR_KNEE, 12.92),
    "srgb_decode": (_srgb_decode64, _ENCODED_KNEE, 1.0 / 12.92),
}


def _sample_points(first_exponent: int, entries_per_octave: int) -> NDArray[np.float64]:
    octaves = _LAST_EXPONENT - first_exponent
    k = np.arange(octaves * entries_per_octave + 1)
    mantissa = 1.0 + (k % entries_per_octave) / entries_per_octave
    return np.ldexp(mantissa, first_exponent + k // entries_per_octave)  # exact


def _build(curve: str, first_exponent: int, entries_per_octave: int) -> TransferTable:
    function, _, slope = _CURVES[curve]
    samples = function(_sample_points(first_exponent, entries_per_octave))
    values = np.minimum(samples, _FLOAT32_MAX).astype(np.float32)
    return TransferTable(curve, values, first_exponent, entries_per_octave, slope)


@functools.cache
def srgb_encode_table() -> TransferTable:
    """The sRGB OETF (linear to encoded), from ``2**-9`` (under its knee, 0.0031308)."""
    return _build("srgb_encode", -9, _ENTRIES_PER_OCTAVE)


@functools.cache
def srgb_decode_table() -> TransferTable:
    """The sRGB EOTF (encoded to linear), from ``2**-5`` (under its knee, 0.04045)."""
    return _build("srgb_decode", -5, _ENTRIES_PER_OCTAVE)


def evaluate(table: TransferTable, x: NDArray[np.float32]) -> NDArray[np.float32]:
    """The table's curve at ``x``, in numpy, computed as the kernel computes it (for tests)."""
    x = np.asarray(x, dtype=np.float32)
    magnitude = np.abs(x)
    bits = magnitude.view(np.int32).astype(np.int64)
    inside = (bits >= table.first_bits) & (bits < _INFINITY_BITS)
    offset = np.where(inside, bits - table.first_bits, 0)
    index = offset >> table.fraction_bits
    step = np.float32(2.0**-table.fraction_bits)
    fraction = (offset & ((1 << table.fraction_bits) - 1)).astype(np.float32) * step
    low = table.values[index]
    curved = low + (table.values[index + 1] - low) * fraction
    under = np.where(bits < table.first_bits, magnitude, 0) * np.float32(table.linear_slope)
    out = np.where(inside, curved, np.where(bits < table.first_bits, under, magnitude))
    return np.where(x >= 0, out, -out).astype(np.float32, copy=False)


def float32_rounding_margins(table: TransferTable) -> NDArray[np.float64]:
    """How far each ``pow``-computed sample lies from a float32 rounding tie, in float64 ulps.

    A margin above a few ulps means any float64 ``pow`` within that many ulps of this
    one rounds the sample to the same float32: the table does not depend on the libm.
    Samples on the straight line and those clamped to the float32 maximum are left out.
    """
    function, knee, _ = _CURVES[table.curve]
    points = _sample_points(table.first_exponent, table.entries_per_octave)
    exact = function(points)
    exact = exact[(points > knee) & (exact < _FLOAT32_MAX)]
    rounded = exact.astype(np.float32)
    up = np.nextafter(rounded, np.float32(np.inf)).astype(np.float64)
    down = np.nextafter(rounded, np.float32(-np.inf)).astype(np.float64)
    centre = rounded.astype(np.float64)
    distance = np.minimum(np.abs(exact - (centre + up) / 2), np.abs(exact - (centre + down) / 2))
    margins: NDArray[np.float64] = distance / np.spacing(exact)
    return margins
