"""CPU implementations of the effects in :mod:`reelgraph.render.effects`.

Each takes an ``(H, W, 4)`` float32 premultiplied image and the full, validated parameter
dict, and returns a new array. Colour effects are per-pixel linear maps, which commute with
premultiplication, so they run on premultiplied values directly, as steps of a compiled
per-pixel program (:mod:`reelgraph.render.kernels.pixel_ops`) that a fused chain of them
shares.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from reelgraph.render.buffer_pool import POOL
from reelgraph.render.cpu.pixels import Pixels, bands
from reelgraph.render.effects import EFFECTS, effect_params
from reelgraph.render.kernels import pixel_ops

__all__ = [
    "CPU_EFFECTS",
    "ColourStep",
    "apply_effect",
    "colour_step",
    "opacity_step",
    "run_colour_steps",
]

EffectKernel = Callable[[Pixels, Mapping[str, float]], Pixels]

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


ColourStep = tuple[int, tuple[float, ...]]
"""One step of a per-pixel program: an opcode of :mod:`reelgraph.render.kernels.pixel_ops`
and its parameters."""


def colour_step(kind: str, params: Mapping[str, float]) -> ColourStep:
    """The per-pixel program step of a colour effect (validated, complete ``params``).

    Colour effects are linear maps of premultiplied values: exposure and colour balance
    scale colour, saturation mixes each channel with luma, brightness/contrast and invert
    are ``C*scale + alpha*offset`` (straight ``c -> (c + brightness - pivot)*contrast +
    pivot`` and ``c -> c + (1 - 2c)*amount``, multiplied through by alpha).

    Raises:
        KeyError: ``kind`` is not a per-pixel colour effect.
    """
    if kind == "exposure":
        return pixel_ops.EXPOSURE, (2.0 ** params["stops"],)
    if kind == "saturation":
        return pixel_ops.SATURATION, (params["amount"],)
    if kind == "brightness_contrast":
        contrast = params["contrast"]
        offset = (params["brightness"] - params["pivot"]) * contrast + params["pivot"]
        return pixel_ops.AFFINE, (contrast, offset)
    if kind == "invert":
        amount = params["amount"]
        return pixel_ops.AFFINE, (1.0 - 2.0 * amount, amount)
    if kind == "color_balance":
        return pixel_ops.GAINS, (params["red"], params["green"], params["blue"])
    raise KeyError(kind)


def opacity_step(factor: float) -> ColourStep:
    """The program step that scales all four channels by ``factor``."""
    return pixel_ops.OPACITY, (factor,)


def run_colour_steps(image: Pixels, steps: Sequence[ColourStep]) -> Pixels:
    """Run per-pixel steps on ``image`` in one pass; exactly the steps run one by one."""
    codes = np.array([code for code, _ in steps], dtype=np.int32)
    params = np.zeros((len(steps), 4), dtype=np.float32)
    for row, (_, values) in enumerate(steps):
        params[row, : len(values)] = values
    out = POOL.take(image.shape)
    pixel_ops.run_program_into(image, codes, params, pixel_ops.LUMA, out)
    return out


def _colour_effect(kind: str) -> EffectKernel:
    def kernel(image: Pixels, params: Mapping[str, float]) -> Pixels:
        return run_colour_steps(image, [colour_step(kind, params)])

    kernel.__name__ = f"_{kind}"
    return kernel


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
    **{
        kind: (_colour_effect(kind), EFFECTS[kind].defaults)
        for kind in ("exposure", "saturation", "brightness_contrast", "invert", "color_balance")
    },
    "gaussian_blur": (_gaussian_blur, EFFECTS["gaussian_blur"].defaults),
}
"""Effect kind -> (CPU kernel, default parameters); keys match ``EFFECT_KINDS``."""
