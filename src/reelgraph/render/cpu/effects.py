"""CPU implementations of the effects in :mod:`reelgraph.render.effects`.

Each takes an ``(H, W, 4)`` float32 premultiplied image and the full, validated parameter
dict, and returns a new array. Colour effects are per-pixel linear maps, which commute with
premultiplication, so they run on premultiplied values directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import NDArray

from reelgraph.render.cpu.pixels import Pixels, bands
from reelgraph.render.effects import EFFECTS, effect_params

__all__ = ["CPU_EFFECTS", "apply_effect"]

EffectKernel = Callable[[Pixels, Mapping[str, float]], Pixels]

# Rec.709 / sRGB luma weights for linear RGB.
_LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
# Gaussian taps lighter than this (relative to the whole kernel) are dropped: they cannot
# change a float32 result visibly, and dropping them keeps tiny radii an exact identity.
_MIN_TAP = 1e-6


def apply_effect(image: Pixels, kind: str, params: Mapping[str, float]) -> Pixels:
    """Validate ``params`` against the effect table and run the CPU kernel.

    Raises:
        ValueError: unknown kind or parameter, or a bad value.
    """
    resolved = effect_params(kind, params)
    kernel, _defaults = CPU_EFFECTS[kind]
    return kernel(image, resolved)


def _exposure(image: Pixels, params: Mapping[str, float]) -> Pixels:
    gain = 2.0 ** params["stops"]
    return image * np.array([gain, gain, gain, 1.0], dtype=np.float32)


def _saturation(image: Pixels, params: Mapping[str, float]) -> Pixels:
    amount = np.float32(params["amount"])
    # Spelled out rather than a matmul: BLAS may reorder or fuse the products.
    luma = image[..., 0] * _LUMA[0]
    luma += image[..., 1] * _LUMA[1]
    luma += image[..., 2] * _LUMA[2]
    out = image.copy()
    for channel in range(3):
        colour = out[..., channel]
        colour -= luma
        colour *= amount
        colour += luma
    return out


def _brightness_contrast(image: Pixels, params: Mapping[str, float]) -> Pixels:
    # Straight c -> (c + brightness - pivot) * contrast + pivot; times alpha this is
    # C * contrast + alpha * ((brightness - pivot) * contrast + pivot).
    contrast = params["contrast"]
    offset = (params["brightness"] - params["pivot"]) * contrast + params["pivot"]
    alpha_term = image[..., 3] * np.float32(offset)
    out = image.copy()
    for channel in range(3):
        colour = out[..., channel]
        colour *= np.float32(contrast)
        colour += alpha_term
    return out


def _invert(image: Pixels, params: Mapping[str, float]) -> Pixels:
    # Straight c -> c + (1 - 2c) * amount; premultiplied: C * (1 - 2 amount) + alpha * amount.
    amount = params["amount"]
    alpha_term = image[..., 3] * np.float32(amount)
    out = image.copy()
    for channel in range(3):
        colour = out[..., channel]
        colour *= np.float32(1.0 - 2.0 * amount)
        colour += alpha_term
    return out


def _color_balance(image: Pixels, params: Mapping[str, float]) -> Pixels:
    gains = np.array([params["red"], params["green"], params["blue"], 1.0], dtype=np.float32)
    return image * gains


def _gaussian_blur(image: Pixels, params: Mapping[str, float]) -> Pixels:
    weights = gaussian_kernel(params["radius"])
    if weights.size == 1:
        return image.copy()
    repeat = params["repeat_edges"] >= 0.5
    rows = _convolve_axis(image, weights, axis=1, repeat=repeat)
    return _convolve_axis(rows, weights, axis=0, repeat=repeat)


def gaussian_kernel(sigma: float) -> NDArray[np.float32]:
    """Normalised 1-D Gaussian taps for standard deviation ``sigma`` pixels.

    The kernel spans ``ceil(3 * sigma)`` pixels each side, minus taps lighter than
    ``1e-6`` of the total; ``sigma = 0`` (or tiny) gives the single tap ``[1.0]``.

    Returns:
        ``(2k + 1,)`` float32 summing to 1 (in float64, before rounding).
    """
    half = math.ceil(3.0 * sigma)
    if half == 0:
        return np.ones(1, dtype=np.float32)
    # math.exp underflows quietly to 0.0 where numpy (errors raised) would not.
    taps = [math.exp(-0.5 * (i / sigma) ** 2) for i in range(-half, half + 1)]
    total = math.fsum(taps)
    weights = np.array([w / total for w in taps], dtype=np.float64)
    keep = np.flatnonzero(weights >= _MIN_TAP)
    trim = int(keep[0])
    weights = weights[trim : weights.size - trim]
    return (weights / weights.sum()).astype(np.float32)


def _convolve_axis(image: Pixels, weights: NDArray[np.float32], axis: int, repeat: bool) -> Pixels:
    """Correlate along ``axis`` (0 rows, 1 columns) with a symmetric odd-length kernel.

    Taps are summed in a fixed order from one edge of the kernel to the other, so the
    result is deterministic; bands of output rows are finished one at a time so the
    accumulator stays in cache. Outside the image is transparent, or the edge repeated.
    """
    half = weights.size // 2
    pad = [(0, 0)] * 3
    pad[axis] = (half, half)
    padded = np.pad(image, pad, mode="edge" if repeat else "constant")
    height, width = image.shape[:2]
    out = np.empty_like(image)
    for rows in bands(height, width):
        band = out[rows]
        for tap, weight in enumerate(weights):
            if axis == 0:
                window = padded[rows.start + tap : rows.stop + tap]
            else:
                window = padded[rows, tap : tap + width]
            if tap == 0:
                np.multiply(window, weight, out=band)
            else:
                band += window * weight
    return out


CPU_EFFECTS: dict[str, tuple[EffectKernel, Mapping[str, float]]] = {
    "exposure": (_exposure, EFFECTS["exposure"].defaults),
    "saturation": (_saturation, EFFECTS["saturation"].defaults),
    "brightness_contrast": (_brightness_contrast, EFFECTS["brightness_contrast"].defaults),
    "invert": (_invert, EFFECTS["invert"].defaults),
    "color_balance": (_color_balance, EFFECTS["color_balance"].defaults),
    "gaussian_blur": (_gaussian_blur, EFFECTS["gaussian_blur"].defaults),
}
"""Effect kind -> (CPU kernel, default parameters); keys match ``EFFECT_KINDS``."""
