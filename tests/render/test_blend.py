"""Blend modes against pixels computed by hand from the documented formulas.

Base: Cb = (0.25, 0.5, 0.125), ab = 0.5 (straight 0.5, 1.0, 0.25).
Layer: Cs = (0.375, 0.125, 0.5), as = 0.75 (straight 0.5, 1/6, 2/3).
All values are dyadic, so float32 arithmetic is exact and the checks can be too.
"""

from __future__ import annotations

import numpy as np
import pytest

from reelgraph.render import BlendMode, CpuBackend

BASE = (0.25, 0.5, 0.125, 0.5)
LAYER = (0.375, 0.125, 0.5, 0.75)


@pytest.mark.parametrize(
    ("mode", "opacity", "expected"),
    [
        # Cs + Cb*(1 - as); as + ab*(1 - as) = 0.875
        (BlendMode.NORMAL, 1.0, (0.4375, 0.25, 0.53125, 0.875)),
        # opacity 0.5: Cs = (0.1875, 0.0625, 0.25), as = 0.375; Cb*(0.625) added
        (BlendMode.NORMAL, 0.5, (0.34375, 0.375, 0.328125, 0.6875)),
        # Cs + Cb, alpha as + ab - as*ab
        (BlendMode.ADD, 1.0, (0.625, 0.625, 0.625, 0.875)),
        (BlendMode.ADD, 0.5, (0.4375, 0.5625, 0.375, 0.6875)),
        # Cs*0.5 + Cb*0.25 + Cs*Cb = (.1875+.0625+.09375, .0625+.125+.0625, .25+.03125+.0625)
        (BlendMode.MULTIPLY, 1.0, (0.34375, 0.25, 0.34375, 0.875)),
        # Cs*0.5 + Cb*0.625 + Cs*Cb with Cs halved
        (BlendMode.MULTIPLY, 0.5, (0.296875, 0.375, 0.234375, 0.6875)),
        # Cs + Cb - Cs*Cb
        (BlendMode.SCREEN, 1.0, (0.53125, 0.5625, 0.5625, 0.875)),
        # 2Cb <= ab in red and blue (X = 2CsCb), not in green (X = as*ab - 2(ab-Cb)(as-Cs))
        (BlendMode.OVERLAY, 1.0, (0.4375, 0.5625, 0.40625, 0.875)),
    ],
)
def test_each_mode_matches_a_hand_computed_pixel(
    cpu: CpuBackend, mode: BlendMode, opacity: float, expected: tuple[float, ...]
) -> None:
    base = cpu.solid(2, 2, BASE)
    layer = cpu.solid(2, 2, LAYER)
    out = cpu.to_array(cpu.blend(base, layer, mode, opacity))
    np.testing.assert_array_equal(out, np.broadcast_to(np.float32(expected), (2, 2, 4)))


def test_overlay_screens_where_the_base_is_light(cpu: CpuBackend) -> None:
    # Cb = 0.375 (straight 0.75), ab = 0.5; Cs = 0.25 (straight 0.5), as = 0.5.
    # X = 0.25 - 2*0.125*0.25 = 0.1875; Co = 0.25*0.5 + 0.375*0.5 + 0.1875 = 0.5.
    base = cpu.solid(1, 1, (0.375, 0.375, 0.375, 0.5))
    layer = cpu.solid(1, 1, (0.25, 0.25, 0.25, 0.5))
    out = cpu.to_array(cpu.blend(base, layer, BlendMode.OVERLAY, 1.0))
    np.testing.assert_array_equal(out[0, 0], np.float32([0.5, 0.5, 0.5, 0.75]))


@pytest.mark.parametrize("mode", list(BlendMode))
def test_a_transparent_layer_leaves_the_base_unchanged(cpu: CpuBackend, mode: BlendMode) -> None:
    base = cpu.solid(3, 2, BASE)
    out = cpu.blend(base, cpu.solid(3, 2, (0.0, 0.0, 0.0, 0.0)), mode, 1.0)
    np.testing.assert_array_equal(cpu.to_array(out), cpu.to_array(base))


@pytest.mark.parametrize("mode", list(BlendMode))
def test_over_a_transparent_base_every_mode_shows_the_layer(
    cpu: CpuBackend, mode: BlendMode
) -> None:
    layer = cpu.solid(3, 2, LAYER)
    out = cpu.blend(cpu.solid(3, 2, (0.0, 0.0, 0.0, 0.0)), layer, mode, 1.0)
    np.testing.assert_array_equal(cpu.to_array(out), cpu.to_array(layer))


def test_zero_opacity_returns_the_base(cpu: CpuBackend) -> None:
    base = cpu.solid(2, 2, BASE)
    out = cpu.blend(base, cpu.solid(2, 2, LAYER), BlendMode.SCREEN, 0.0)
    np.testing.assert_array_equal(cpu.to_array(out), cpu.to_array(base))


def test_add_is_not_clipped_in_linear_light(cpu: CpuBackend) -> None:
    bright = cpu.solid(1, 1, (0.75, 0.75, 0.75, 1.0))
    out = cpu.to_array(cpu.blend(bright, bright, BlendMode.ADD, 1.0))
    np.testing.assert_array_equal(out[0, 0], np.float32([1.5, 1.5, 1.5, 1.0]))


def test_blend_modes_accept_their_string_values(cpu: CpuBackend) -> None:
    base, layer = cpu.solid(1, 1, BASE), cpu.solid(1, 1, LAYER)
    by_name = cpu.blend(base, layer, "screen", 1.0)  # type: ignore[arg-type]
    by_enum = cpu.blend(base, layer, BlendMode.SCREEN, 1.0)
    np.testing.assert_array_equal(cpu.to_array(by_name), cpu.to_array(by_enum))
    assert [m.value for m in BlendMode] == ["normal", "add", "multiply", "screen", "overlay"]


def test_images_of_different_sizes_cannot_be_blended(cpu: CpuBackend) -> None:
    with pytest.raises(ValueError, match="differ in size"):
        cpu.blend(cpu.solid(2, 2, BASE), cpu.solid(3, 2, LAYER), BlendMode.NORMAL, 1.0)
