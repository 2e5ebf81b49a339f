"""Dissolves and wipes: exact endpoints, coverage per direction, soft edges."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from reelgraph.render import CpuBackend, WipeDirection

W, H = 64, 48
Image = NDArray[np.float32]
Pair = tuple[Image, Image]
LINEAR = [
    WipeDirection.LEFT_TO_RIGHT,
    WipeDirection.RIGHT_TO_LEFT,
    WipeDirection.TOP_TO_BOTTOM,
    WipeDirection.BOTTOM_TO_TOP,
]


@pytest.fixture
def black_and_white(cpu: CpuBackend) -> Pair:
    """``a`` transparent black, ``b`` opaque white: alpha of the result is the mask."""
    return cpu.solid(W, H, (0.0, 0.0, 0.0, 0.0)), cpu.solid(W, H, (1.0, 1.0, 1.0, 1.0))


def _random(cpu: CpuBackend, rng: np.random.Generator) -> Image:
    return cpu.from_array(rng.random((H, W, 4), dtype=np.float32))


def test_dissolve_ends_are_exactly_the_inputs(cpu: CpuBackend, rng: np.random.Generator) -> None:
    a, b = _random(cpu, rng), _random(cpu, rng)
    np.testing.assert_array_equal(cpu.to_array(cpu.dissolve(a, b, 0.0)), cpu.to_array(a))
    np.testing.assert_array_equal(cpu.to_array(cpu.dissolve(a, b, 1.0)), cpu.to_array(b))
    np.testing.assert_array_equal(cpu.to_array(cpu.dissolve(a, b, 1.5)), cpu.to_array(b))


def test_dissolve_midpoint_is_the_average(cpu: CpuBackend, rng: np.random.Generator) -> None:
    a, b = _random(cpu, rng), _random(cpu, rng)
    expected = (cpu.to_array(a) + cpu.to_array(b)) / 2
    np.testing.assert_allclose(cpu.to_array(cpu.dissolve(a, b, 0.5)), expected, rtol=1e-6)


@pytest.mark.parametrize("direction", list(WipeDirection))
@pytest.mark.parametrize("softness", [0.0, 0.3])
def test_wipe_ends_are_exactly_the_inputs(
    cpu: CpuBackend, rng: np.random.Generator, direction: WipeDirection, softness: float
) -> None:
    a, b = _random(cpu, rng), _random(cpu, rng)
    start = cpu.wipe(a, b, 0.0, direction, softness)
    end = cpu.wipe(a, b, 1.0, direction, softness)
    np.testing.assert_array_equal(cpu.to_array(start), cpu.to_array(a))
    np.testing.assert_array_equal(cpu.to_array(end), cpu.to_array(b))


@pytest.mark.parametrize("direction", LINEAR)
@pytest.mark.parametrize("softness", [0.0, 0.25])
def test_linear_wipes_cover_half_the_frame_half_way(
    cpu: CpuBackend,
    black_and_white: Pair,
    direction: WipeDirection,
    softness: float,
) -> None:
    mask = cpu.to_array(cpu.wipe(*black_and_white, 0.5, direction, softness))[..., 3]
    assert mask.mean() == pytest.approx(0.5, abs=1e-6)


@pytest.mark.parametrize(
    ("direction", "revealed"),
    [
        (WipeDirection.LEFT_TO_RIGHT, (slice(None), slice(0, W // 2))),
        (WipeDirection.RIGHT_TO_LEFT, (slice(None), slice(W // 2, W))),
        (WipeDirection.TOP_TO_BOTTOM, (slice(0, H // 2), slice(None))),
        (WipeDirection.BOTTOM_TO_TOP, (slice(H // 2, H), slice(None))),
    ],
)
def test_a_hard_wipe_reveals_the_side_it_starts_from(
    cpu: CpuBackend,
    black_and_white: Pair,
    direction: WipeDirection,
    revealed: tuple[slice, slice],
) -> None:
    mask = cpu.to_array(cpu.wipe(*black_and_white, 0.5, direction))[..., 3]
    expected = np.zeros((H, W), dtype=np.float32)
    expected[revealed] = 1.0
    np.testing.assert_array_equal(mask, expected)


def test_a_hard_edge_between_pixels_is_anti_aliased(cpu: CpuBackend, black_and_white: Pair) -> None:
    mask = cpu.to_array(cpu.wipe(*black_and_white, 10.25 / W, WipeDirection.LEFT_TO_RIGHT))
    np.testing.assert_allclose(mask[0, 8:13, 3], [1.0, 1.0, 0.25, 0.0, 0.0])


def test_softness_spreads_the_edge_over_a_smooth_monotone_ramp(
    cpu: CpuBackend, black_and_white: Pair
) -> None:
    mask = cpu.to_array(cpu.wipe(*black_and_white, 0.5, WipeDirection.LEFT_TO_RIGHT, 0.25))
    row = mask[0, :, 3]
    assert np.all(np.diff(row) <= 0.0)
    partial = np.flatnonzero((row > 0.0) & (row < 1.0))
    # The ramp spans s in (0.375, 0.625): 16 of 64 columns, centred on the middle.
    assert partial.tolist() == list(range(24, 40))
    np.testing.assert_allclose(row[24:40] + row[24:40][::-1], 1.0, atol=1e-6)
    assert np.all(mask[..., 3] == row)


def test_radial_wipe_grows_from_the_centre(cpu: CpuBackend, black_and_white: Pair) -> None:
    mask = cpu.to_array(cpu.wipe(*black_and_white, 0.3, WipeDirection.RADIAL))[..., 3]
    assert mask[H // 2, W // 2] == 1.0
    assert mask[0, 0] == 0.0 and mask[-1, -1] == 0.0


def test_clock_wipe_sweeps_clockwise_from_twelve(cpu: CpuBackend, black_and_white: Pair) -> None:
    mask = cpu.to_array(cpu.wipe(*black_and_white, 0.25, WipeDirection.CLOCK))[..., 3]
    assert mask[8, W - 16] == 1.0  # upper right quadrant: swept
    assert mask[8, 16] == 0.0  # upper left: not yet
    assert mask[H - 8, W - 16] == 0.0  # lower right: not yet


def test_negative_softness_is_rejected(cpu: CpuBackend, black_and_white: Pair) -> None:
    with pytest.raises(ValueError, match="softness"):
        cpu.wipe(*black_and_white, 0.5, WipeDirection.LEFT_TO_RIGHT, -0.1)
