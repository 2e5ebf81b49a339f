"""The compiled kernels against their numpy formulations, bit for bit.

Each reference below is the numpy code the kernel replaced: the kernels must round every
float32 operation the same way, in the same order, or exported bytes would change.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from numpy.typing import NDArray

from reelgraph.render import BlendMode, CpuBackend

Pixels = NDArray[np.float32]


def _spread(plane: Pixels) -> Pixels:
    return np.repeat(plane[..., None], 4, axis=2)


def _reference_blend(cb: Pixels, layer: Pixels, mode: BlendMode, opacity: float) -> Pixels:
    cs = layer if opacity == 1.0 else layer * np.float32(opacity)
    one, two = np.float32(1.0), np.float32(2.0)
    ab, a_s = _spread(cb[..., 3]), _spread(cs[..., 3])
    if mode is BlendMode.NORMAL:
        out = cb * (one - a_s)
        out += cs
    elif mode is BlendMode.ADD:
        out = cb + cs
        out[..., 3] = cb[..., 3] + cs[..., 3] - cb[..., 3] * cs[..., 3]
    elif mode is BlendMode.MULTIPLY:
        out = cs * (one - ab)
        out += cb * (one - a_s)
        out += cs * cb
    elif mode is BlendMode.SCREEN:
        out = cs + cb
        out -= cs * cb
    else:
        low = two * cs * cb
        high = ab * a_s - two * (ab - cb) * (a_s - cs)
        out = cs * (one - ab)
        out += cb * (one - a_s)
        out += np.where(two * cb <= ab, low, high)
    return out


def _random_image(rng: np.random.Generator, shape: tuple[int, int]) -> Pixels:
    """Premultiplied pixels with transparent, opaque and over-range values mixed in."""
    alpha = rng.random(shape, dtype=np.float32)
    alpha[rng.random(shape) < 0.2] = 0.0
    alpha[rng.random(shape) < 0.3] = 1.0
    colour = rng.random((*shape, 3), dtype=np.float32) * np.float32(1.5) * alpha[..., None]
    return np.ascontiguousarray(np.concatenate([colour, alpha[..., None]], axis=2))


@pytest.mark.parametrize("mode", list(BlendMode))
@pytest.mark.parametrize("opacity", [1.0, 0.8, 0.37])
def test_blend_kernel_matches_the_numpy_formulas_exactly(
    cpu: CpuBackend, rng: np.random.Generator, mode: BlendMode, opacity: float
) -> None:
    base, layer = _random_image(rng, (37, 53)), _random_image(rng, (37, 53))
    with np.errstate(all="ignore"):
        expected = _reference_blend(base, layer, mode, opacity)
    got = cpu.to_array(cpu.blend(cpu.from_array(base), cpu.from_array(layer), mode, opacity))
    assert np.array_equal(got.view(np.uint32), expected.view(np.uint32))


def test_kernels_give_the_same_bits_with_any_thread_count(
    cpu: CpuBackend, rng: np.random.Generator
) -> None:
    from reelgraph.render.color import from_working, to_working

    codes = rng.integers(0, 256, (97, 131, 4), dtype=np.uint8)
    base = cpu.from_array(to_working(codes))
    layer = cpu.from_array(_random_image(rng, (97, 131)))
    results = []
    for threads in sorted({1, numba.config.NUMBA_NUM_THREADS}):
        numba.set_num_threads(threads)
        try:
            mixed = cpu.blend(base, layer, BlendMode.OVERLAY, 0.6)
            results.append(from_working(cpu.to_array(mixed), alpha=True).tobytes())
        finally:
            numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    assert len(set(results)) == 1


def _reference_colour_effect(image: Pixels, kind: str, p: dict[str, float]) -> Pixels:
    """The numpy formulation of each colour effect, one pass per operation."""
    out = image.copy()
    colour, alpha = out[..., :3], image[..., 3:4]
    if kind == "exposure":
        gain = 2.0 ** p["stops"]
        return image * np.array([gain, gain, gain, 1.0], dtype=np.float32)
    if kind == "saturation":
        weights = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
        luma = image[..., 0] * weights[0]
        luma += image[..., 1] * weights[1]
        luma += image[..., 2] * weights[2]
        colour -= luma[..., None]
        colour *= np.float32(p["amount"])
        colour += luma[..., None]
        return out
    if kind == "brightness_contrast":
        offset = (p["brightness"] - p["pivot"]) * p["contrast"] + p["pivot"]
        colour *= np.float32(p["contrast"])
        colour += alpha * np.float32(offset)
        return out
    if kind == "invert":
        colour *= np.float32(1.0 - 2.0 * p["amount"])
        colour += alpha * np.float32(p["amount"])
        return out
    gains = np.array([p["red"], p["green"], p["blue"], 1.0], dtype=np.float32)
    return image * gains


CHAIN = [
    ("exposure", {"stops": 0.7}),
    ("saturation", {"amount": 1.3}),
    ("brightness_contrast", {"brightness": 0.05, "contrast": 1.2, "pivot": 0.18}),
    ("invert", {"amount": 0.25}),
    ("color_balance", {"red": 1.1, "green": 0.9, "blue": 1.05}),
]


def test_colour_effects_and_fused_chains_match_the_numpy_formulas_exactly(
    cpu: CpuBackend, rng: np.random.Generator
) -> None:
    from reelgraph.graph.nodes import EffectOpNode, OpacityNode

    image = _random_image(rng, (41, 67))
    handle = cpu.from_array(image)
    expected = image
    steps = []
    for kind, params in CHAIN:
        single = cpu.to_array(cpu.apply_effect(handle, kind, params))
        alone = _reference_colour_effect(image, kind, params)
        assert np.array_equal(single.view(np.uint32), alone.view(np.uint32)), kind
        expected = _reference_colour_effect(expected, kind, params)
        steps.append(EffectOpNode(kind, tuple(params.items())))
        expected = expected * np.float32(0.75)
        steps.append(OpacityNode(0.75))
    steps.append(OpacityNode(1.0))
    fused = cpu.to_array(cpu.apply_fused(handle, steps))
    assert np.array_equal(fused.view(np.uint32), expected.view(np.uint32))


def _reference_box_reduce(source: Pixels, kx: int, ky: int) -> Pixels:
    """Rows summed first, then columns, then scaled: the documented order."""
    src_h, src_w = source.shape[:2]
    rows = np.zeros((-(-src_h // ky), src_w, 4), dtype=np.float32)
    for offset in range(ky):
        part = source[offset::ky]
        rows[: part.shape[0]] += part
    blocks = np.zeros((rows.shape[0], -(-src_w // kx), 4), dtype=np.float32)
    for offset in range(kx):
        part = rows[:, offset::kx]
        blocks[:, : part.shape[1]] += part
    blocks *= np.float32(1.0 / (kx * ky))
    return blocks


@pytest.mark.parametrize(("kx", "ky"), [(2, 2), (3, 3), (4, 2), (1, 5)])
def test_box_reduce_kernel_matches_the_numpy_sums_exactly(
    rng: np.random.Generator, kx: int, ky: int
) -> None:
    from reelgraph.render.cpu.transform import _box_reduce

    source = _random_image(rng, (31, 47))
    expected = _reference_box_reduce(source, kx, ky)
    assert np.array_equal(_box_reduce(source, kx, ky).view(np.uint32), expected.view(np.uint32))


def test_separable_warp_kernel_matches_two_numpy_passes_exactly(
    cpu: CpuBackend, rng: np.random.Generator
) -> None:
    from reelgraph.render.affine import Affine
    from reelgraph.render.cpu.transform import _axis_taps

    source = _random_image(rng, (29, 43))
    affine = Affine.translate(3.3, -1.7) @ Affine.scale(0.77, 1.31)
    got = cpu.to_array(cpu.transform(cpu.from_array(source), affine, 40, 45))
    x_lo, x_hi, ix0, ix1, wx0, wx1 = _axis_taps(40, 43, affine.a, affine.c)
    y_lo, y_hi, iy0, iy1, wy0, wy1 = _axis_taps(45, 29, affine.e, affine.f)
    across = source[:, ix0] * wx0[None, :, None] + source[:, ix1] * wx1[None, :, None]
    expected = np.zeros((45, 40, 4), dtype=np.float32)
    expected[y_lo:y_hi, x_lo:x_hi] = (
        across[iy0] * wy0[:, None, None] + across[iy1] * wy1[:, None, None]
    )
    assert np.array_equal(got.view(np.uint32), expected.view(np.uint32))


def test_compile_ahead_drives_every_kernel_without_error() -> None:
    from reelgraph.render.kernels.warm_up import compile_ahead

    compile_ahead()  # setup runs it; here it only loads the cache (or compiles once)


def test_non_finite_values_are_counted_in_one_pass(rng: np.random.Generator) -> None:
    from reelgraph.render.kernels.checks import count_non_finite

    values = rng.random(1000, dtype=np.float32)
    assert count_non_finite(values) == 0
    values[[3, 500, 999]] = [np.nan, np.inf, -np.inf]
    assert count_non_finite(values) == 3
