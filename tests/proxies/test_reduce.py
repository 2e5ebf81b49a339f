"""Proxy pictures are exact box reductions of the original, rounded to 8 bits."""

from __future__ import annotations

import numpy as np
import pytest

from reelgraph.proxies.quality import ProxyLevel, Quality, proxy_size
from reelgraph.proxies.reduce import reduce_picture, to_8bit


def test_a_half_reduction_is_the_rounded_mean_of_each_two_by_two_block():
    rng = np.random.default_rng(1)
    picture = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    reduced = reduce_picture(picture, 2)
    expected = picture.reshape(3, 2, 4, 2, 3).astype(np.float64).mean(axis=(1, 3))
    assert reduced.shape == (3, 4, 3)
    assert np.array_equal(reduced, np.floor(expected + 0.5).astype(np.uint8))


def test_sides_that_do_not_divide_are_rounded_up_by_repeating_the_edge():
    picture = np.full((5, 7, 3), 200, dtype=np.uint8)
    assert reduce_picture(picture, 4).shape == (2, 2, 3)
    assert (reduce_picture(picture, 4) == 200).all()
    assert proxy_size(7, 5, ProxyLevel.QUARTER) == (2, 2)


def test_deep_pictures_are_averaged_at_full_precision_then_rounded_to_8_bits():
    picture = np.full((4, 4, 3), 65535, dtype=np.uint16)
    picture[0, 0] = 0
    assert reduce_picture(picture, 1).dtype == np.uint8
    assert (to_8bit(np.array([0, 257, 65535], dtype=np.uint16)) == [0, 1, 255]).all()
    # One black pixel in four: 0.75 of white is 191.25, which rounds to 191.
    assert reduce_picture(picture, 2)[0, 0, 0] == 191


@pytest.mark.parametrize(
    ("quality", "levels"),
    [
        (Quality.ORIGINAL, ()),
        (Quality.FULL, (ProxyLevel.FULL,)),
        (Quality.HALF, (ProxyLevel.HALF, ProxyLevel.FULL)),
        (Quality.QUARTER, (ProxyLevel.QUARTER, ProxyLevel.HALF, ProxyLevel.FULL)),
    ],
)
def test_a_quality_is_satisfied_by_levels_of_at_least_its_resolution(quality, levels):
    assert quality.candidates == levels


def test_a_zoom_factor_picks_the_quality_it_needs():
    assert Quality.from_zoom(1.0) is Quality.FULL
    assert Quality.from_zoom(0.5) is Quality.HALF
    assert Quality.from_zoom(0.3) is Quality.HALF
    assert Quality.from_zoom(0.2) is Quality.QUARTER


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
@pytest.mark.parametrize("shape", [(36, 64, 3), (37, 53, 4), (5, 3, 3), (1, 1, 3)])
@pytest.mark.parametrize("scale", [2, 3, 4])
def test_the_compiled_reduction_equals_the_numpy_formulation(dtype, shape, scale):
    from reelgraph.proxies.reduce import reduce_picture_reference

    top = np.iinfo(dtype).max
    rng = np.random.default_rng(scale)
    picture = rng.integers(0, top, size=shape, dtype=dtype, endpoint=True)
    picture[0, :, 0] = top  # full-scale blocks: the largest sums
    picture.flags.writeable = False  # decoded frames come read-only
    reduced = reduce_picture(picture, scale)
    expected = reduce_picture_reference(picture, scale)
    assert reduced.dtype == expected.dtype == np.uint8
    assert np.array_equal(reduced, expected)
