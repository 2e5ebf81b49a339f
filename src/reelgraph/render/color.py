"""Colour at the edges of the engine: display-referred integers in, working floats out.

The working format of every backend is premultiplied, scene-linear ``float32`` RGBA with
Rec.709 primaries, stored ``(H, W, 4)`` C-contiguous. This module converts to and from it:

* :func:`to_working` decodes display-referred ``uint8``/``uint16`` pixels (straight alpha)
  with the sRGB piecewise EOTF and premultiplies.
* :func:`from_working` flattens or unpremultiplies, clips to ``[0, 1]`` and encodes with
  the sRGB OETF, rounding half up, exactly (see :class:`_EncodeTables`).
* :func:`srgb_to_linear`, :func:`linear_to_srgb` and :func:`parse_color` read colours
  written in project files.

Video that is nominally Rec.709 (BT.1886 display) is decoded with the sRGB curve too: the
primaries are the same, the curves differ only near black, and one curve for all inputs
keeps stills and video matching. Alpha is never transfer-encoded.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reelgraph.render.buffer_pool import POOL
from reelgraph.render.kernels import colour as colour_kernels

__all__ = [
    "from_working",
    "linear_to_srgb",
    "parse_color",
    "srgb_to_linear",
    "to_working",
]

# The sRGB piecewise curve (IEC 61966-2-1): linear segment below these knees.
_ENCODED_KNEE = 0.04045
_LINEAR_KNEE = 0.0031308
_HEX_COLOR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_MAX_CODE = {8: 255, 16: 65535}
_DTYPES = {8: np.uint8, 16: np.uint16}


def srgb_to_linear(x: ArrayLike) -> NDArray[np.float64]:
    """Decode sRGB-encoded values with the piecewise sRGB EOTF.

    Negative values are mirrored (``f(-x) == -f(x)``) so out-of-gamut colours survive.

    Args:
        x: encoded values, any shape; ``[0, 1]`` is the display range.

    Returns:
        Linear values as ``float64``, same shape as ``x``.
    """
    v = np.asarray(x, dtype=np.float64)
    a = np.abs(v)
    low = a / 12.92
    high = ((np.maximum(a, _ENCODED_KNEE) + 0.055) / 1.055) ** 2.4
    return np.copysign(np.where(a <= _ENCODED_KNEE, low, high), v)


def linear_to_srgb(x: ArrayLike) -> NDArray[np.float64]:
    """Encode linear values with the piecewise sRGB OETF (inverse of :func:`srgb_to_linear`).

    Args:
        x: linear values, any shape; negative values are mirrored.

    Returns:
        Encoded values as ``float64``, same shape as ``x``, not clipped.
    """
    v = np.asarray(x, dtype=np.float64)
    a = np.abs(v)
    low = a * 12.92
    high = 1.055 * np.maximum(a, _LINEAR_KNEE) ** (1.0 / 2.4) - 0.055
    return np.copysign(np.where(a <= _LINEAR_KNEE, low, high), v)


def to_working(pixels: NDArray[Any]) -> NDArray[np.float32]:
    """Convert display-referred pixels to the working format.

    The transfer curve is applied by table lookup (256 entries for ``uint8``, 65536 for
    ``uint16``), so every code decodes to the same float on every run and machine.

    Args:
        pixels: ``(H, W, 3)`` or ``(H, W, 4)`` ``uint8`` or ``uint16``, sRGB-encoded colour,
            straight (not premultiplied) alpha; three channels mean opaque.

    Returns:
        ``(H, W, 4)`` ``float32`` C-contiguous, premultiplied scene-linear RGBA.

    Raises:
        ValueError: the shape or dtype is not one of those above.
    """
    if pixels.ndim != 3 or pixels.shape[2] not in (3, 4):
        raise ValueError(f"expected (H, W, 3) or (H, W, 4) pixels, got shape {pixels.shape}")
    bit_depth = {np.dtype(np.uint8): 8, np.dtype(np.uint16): 16}.get(pixels.dtype)
    if bit_depth is None:
        raise ValueError(f"expected uint8 or uint16 pixels, got {pixels.dtype}")
    tables = _decode_tables(bit_depth)
    height, width, _ = pixels.shape
    out = POOL.take((height, width, 4))
    colour_kernels.decode_into(pixels, tables.colour, tables.alpha, out)
    return out


def from_working(
    image: NDArray[np.float32], bit_depth: int = 8, alpha: bool = False
) -> NDArray[np.unsignedinteger[Any]]:
    """Convert a working image to display-referred integer pixels.

    With ``alpha=True`` colour is unpremultiplied where alpha > 0 (colour under zero alpha
    becomes black) and alpha is written straight. With ``alpha=False`` the image is
    flattened over black, which for premultiplied data means keeping the colour as it is;
    for opaque images both agree. Colour is clipped to ``[0, 1]`` and encoded with the sRGB
    OETF; alpha is clipped and quantised linearly. Both round half up, exactly: code ``k``
    is chosen when ``EOTF((k - 0.5) / max) <= value < EOTF((k + 0.5) / max)``, so
    ``from_working(to_working(x), ...) == x`` for every code (alpha > 0 for the colour).

    Args:
        image: ``(H, W, 4)`` ``float32`` premultiplied scene-linear RGBA.
        bit_depth: 8 for ``uint8`` output, 16 for ``uint16``.
        alpha: also return straight alpha as a fourth channel.

    Returns:
        ``(H, W, 3)`` (or ``(H, W, 4)`` with ``alpha``) ``uint8``/``uint16``, C-contiguous.

    Raises:
        ValueError: bad shape, dtype or bit depth.
    """
    if image.ndim != 3 or image.shape[2] != 4:
        raise ValueError(f"expected an (H, W, 4) working image, got shape {image.shape}")
    if bit_depth not in _MAX_CODE:
        raise ValueError(f"bit_depth must be 8 or 16, got {bit_depth!r}")
    image = np.ascontiguousarray(image, dtype=np.float32)
    height, width, _ = image.shape
    out = np.empty((height, width, 4 if alpha else 3), dtype=_DTYPES[bit_depth])
    tables = _encode_tables(bit_depth)
    colour_kernels.encode_into(
        image,
        image.view(np.int32),
        tables.shift,
        tables.base,
        tables.start,
        tables.next_threshold,
        alpha,
        _MAX_CODE[bit_depth],
        out,
    )
    return out


def parse_color(value: object) -> tuple[float, float, float, float]:
    """Read a colour written in a project file.

    Accepted forms: ``[r, g, b]`` or ``[r, g, b, a]`` with sRGB-encoded components in
    ``[0, 1]`` (alpha straight and linear), or ``"#rrggbb"`` / ``"#rrggbbaa"``.

    Args:
        value: the colour as written.

    Returns:
        ``(r, g, b, a)`` premultiplied scene-linear floats.

    Raises:
        ValueError: the value is not one of the forms above.
    """
    if isinstance(value, str):
        match = _HEX_COLOR.fullmatch(value.strip())
        if match is None:
            raise ValueError(f"not a colour: {value!r}; write '#rrggbb' or '#rrggbbaa'")
        digits = match.group(1)
        components = [int(digits[i : i + 2], 16) / 255.0 for i in range(0, len(digits), 2)]
    elif isinstance(value, Sequence) and len(value) in (3, 4):
        components = [_component(item, value) for item in value]
    else:
        raise ValueError(
            f"not a colour: {value!r}; write [r, g, b], [r, g, b, a] (0..1) or '#rrggbb'"
        )
    alpha = components[3] if len(components) == 4 else 1.0
    r, g, b = (float(c) * alpha for c in srgb_to_linear(components[:3]))
    return (r, g, b, alpha)


def _component(item: object, whole: object) -> float:
    if isinstance(item, bool) or not isinstance(item, (int, float)):
        raise ValueError(f"not a colour: {whole!r}; components must be numbers in 0..1")
    number = float(item)
    if not (math.isfinite(number) and 0.0 <= number <= 1.0):
        raise ValueError(f"not a colour: {whole!r}; component {item!r} is outside 0..1")
    return number


@dataclass(frozen=True, slots=True)
class _DecodeTables:
    """Per-code decode tables: ``colour[k]`` is EOTF(k/max), ``alpha[k]`` is k/max."""

    colour: NDArray[np.float32]
    alpha: NDArray[np.float32]


@functools.cache
def _decode_tables(bit_depth: int) -> _DecodeTables:
    codes = np.arange(_MAX_CODE[bit_depth] + 1, dtype=np.float64) / _MAX_CODE[bit_depth]
    return _DecodeTables(
        colour=srgb_to_linear(codes).astype(np.float32),
        alpha=codes.astype(np.float32),
    )


@dataclass(frozen=True, slots=True)
class _EncodeTables:
    """Exact OETF quantiser indexed by the top bits of a float32.

    With ``thresholds[k]`` the smallest float32 that encodes to ``k + 1``, ``start[i]`` is
    the code of the first float of bucket ``i``, where bucket ``i`` holds the floats whose
    int32 bit pattern shifted right by ``shift`` is ``i + base``; ``next_threshold[i]`` is
    ``thresholds[start[i]]``, or NaN (never reached) past the top code. Buckets are narrow
    enough that each holds at most one threshold, so one comparison finishes the job.
    """

    shift: int
    base: int
    start: NDArray[np.uint16]
    next_threshold: NDArray[np.float32]


# Mantissa bits kept per bucket: the fewest (smallest table, fewest cache misses) for which
# no bucket straddles two decision thresholds, as checked when the table is built.
_BUCKET_MANTISSA_BITS = {8: 8, 16: 15}


@functools.cache
def _encode_tables(bit_depth: int) -> _EncodeTables:
    top = _MAX_CODE[bit_depth]
    boundaries = srgb_to_linear((np.arange(top, dtype=np.float64) + 0.5) / top)
    thresholds = boundaries.astype(np.float32)
    low = thresholds.astype(np.float64) < boundaries
    thresholds[low] = np.nextafter(thresholds[low], np.float32(np.inf))
    shift = 23 - _BUCKET_MANTISSA_BITS[bit_depth]
    base = (int(thresholds[:1].view(np.int32)[0]) >> shift) - 1
    last = int(np.array([1.0], dtype=np.float32).view(np.int32)[0]) >> shift
    bucket_bits = (np.arange(base, last + 1, dtype=np.int64) << shift).astype(np.int32)
    starts = np.searchsorted(thresholds, bucket_bits.view(np.float32), side="right")
    if np.any(np.diff(starts) > 1):
        raise AssertionError("encode buckets too coarse for exact quantisation")
    # NaN compares false (quietly), so nothing, not even +inf, steps past the top code.
    next_threshold = np.append(thresholds, np.float32(np.nan))[starts]
    return _EncodeTables(shift, base, starts.astype(np.uint16), next_threshold)
