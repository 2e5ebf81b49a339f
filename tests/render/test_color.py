"""The colour edges: decode/encode exactness, premultiplication, float helpers, parsing."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from reelgraph.render import from_working, linear_to_srgb, parse_color, srgb_to_linear, to_working


def _all_uint8_colour_alpha_pairs() -> NDArray[Any]:
    """(256, 256, 4) uint8: every grey code (columns) under every alpha code (rows)."""
    codes = np.arange(256, dtype=np.uint8)
    grey, alpha = np.meshgrid(codes, codes)
    return np.stack([grey, 255 - grey, grey // 3, alpha], axis=-1)


def test_every_uint8_code_round_trips_under_every_nonzero_alpha() -> None:
    pixels = _all_uint8_colour_alpha_pairs()
    back = from_working(to_working(pixels), bit_depth=8, alpha=True)
    visible = pixels[..., 3] > 0
    np.testing.assert_array_equal(back[visible], pixels[visible])
    np.testing.assert_array_equal(back[..., 3], pixels[..., 3])


def test_zero_alpha_pixels_come_back_black_and_transparent() -> None:
    pixels = _all_uint8_colour_alpha_pairs()[:1]
    back = from_working(to_working(pixels), bit_depth=8, alpha=True)
    assert not back.any()


def test_every_uint8_rgb_code_round_trips_without_alpha() -> None:
    codes = np.arange(256, dtype=np.uint8)
    pixels = np.stack([codes, codes[::-1], np.roll(codes, 7)], axis=-1).reshape(16, 16, 3)
    np.testing.assert_array_equal(from_working(to_working(pixels)), pixels)


def test_every_uint16_code_round_trips_when_opaque() -> None:
    codes = np.arange(65536, dtype=np.uint16).reshape(256, 256)
    pixels = np.stack([codes, codes[::-1], codes.T, np.full_like(codes, 65535)], axis=-1)
    np.testing.assert_array_equal(from_working(to_working(pixels), 16, alpha=True), pixels)


def test_sampled_uint16_codes_round_trip_under_random_alpha(rng: np.random.Generator) -> None:
    pixels = rng.integers(1, 65536, size=(128, 128, 4)).astype(np.uint16)
    pixels[0, :, 3] = 1  # the smallest alpha is the hardest case for unpremultiplying
    np.testing.assert_array_equal(from_working(to_working(pixels), 16, alpha=True), pixels)


def test_to_working_premultiplies_straight_alpha() -> None:
    pixels = np.array([[[255, 128, 0, 128]]], dtype=np.uint8)
    image = to_working(pixels)
    alpha = np.float32(128 / 255)
    expected = [np.float32(1.0) * alpha, np.float32(srgb_to_linear(128 / 255)) * alpha, 0.0]
    assert image.dtype == np.float32 and image.shape == (1, 1, 4)
    assert image.flags.c_contiguous
    np.testing.assert_array_equal(image[0, 0, :3], np.array(expected, dtype=np.float32))
    assert image[0, 0, 3] == alpha


def test_three_channel_input_is_opaque() -> None:
    image = to_working(np.zeros((2, 3, 3), dtype=np.uint16))
    assert image.shape == (2, 3, 4)
    np.testing.assert_array_equal(image[..., 3], 1.0)


def test_decoding_follows_the_piecewise_srgb_curve() -> None:
    codes = np.arange(256, dtype=np.uint8).reshape(1, 256, 1).repeat(3, axis=2)
    decoded = to_working(codes)[0, :, 0].astype(np.float64)
    np.testing.assert_allclose(decoded, srgb_to_linear(np.arange(256) / 255), rtol=1e-7)


def test_encoding_rounds_half_up_like_a_float64_reference(rng: np.random.Generator) -> None:
    linear = rng.uniform(-0.1, 1.2, size=(64, 64, 4)).astype(np.float32)
    linear[..., 3] = 1.0
    for depth, top in ((8, 255), (16, 65535)):
        reference = np.clip(linear_to_srgb(linear[..., :3].astype(np.float64)), 0, 1)
        expected = np.floor(reference * top + 0.5)
        np.testing.assert_array_equal(from_working(linear, depth).astype(np.float64), expected)


def test_values_at_the_decision_boundary_round_up() -> None:
    boundary = float(srgb_to_linear(100.5 / 255))
    above = np.float32(boundary)
    if float(above) < boundary:
        above = np.nextafter(above, np.float32(2))
    below = np.nextafter(above, np.float32(0))
    image = np.zeros((1, 2, 4), dtype=np.float32)
    image[0, :, 0] = [below, above]
    image[..., 3] = 1.0
    assert from_working(image)[0, :, 0].tolist() == [100, 101]


def test_out_of_range_light_is_clipped() -> None:
    image = np.array([[[2.5, -0.5, np.inf, 1.0], [-np.inf, 1.0, 0.0, 1.0]]], dtype=np.float32)
    assert from_working(image).tolist() == [[[255, 0, 255], [0, 255, 0]]]
    assert from_working(image, 16).tolist() == [[[65535, 0, 65535], [0, 65535, 0]]]


def test_without_alpha_the_image_is_flattened_over_black() -> None:
    image = np.array([[[0.25, 0.25, 0.25, 0.5]]], dtype=np.float32)
    flat = from_working(image)[0, 0, 0]
    straight = from_working(image, alpha=True)[0, 0, 0]
    assert flat == round(float(linear_to_srgb(0.25)) * 255)
    assert straight == round(float(linear_to_srgb(0.5)) * 255)


@pytest.mark.parametrize(
    ("pixels", "message"),
    [
        (np.zeros((2, 2), dtype=np.uint8), "shape"),
        (np.zeros((2, 2, 2), dtype=np.uint8), "shape"),
        (np.zeros((2, 2, 4), dtype=np.float32), "uint8 or uint16"),
    ],
)
def test_to_working_rejects_other_layouts(pixels: NDArray[Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_working(pixels)


def test_from_working_rejects_unknown_bit_depths() -> None:
    with pytest.raises(ValueError, match="bit_depth"):
        from_working(np.zeros((1, 1, 4), dtype=np.float32), bit_depth=10)


def test_float_helpers_invert_each_other_and_mirror_negatives() -> None:
    values = np.linspace(-1.5, 1.5, 301)
    np.testing.assert_allclose(linear_to_srgb(srgb_to_linear(values)), values, atol=1e-12)
    assert float(srgb_to_linear(0.5)) == pytest.approx(0.214041140, abs=1e-9)
    assert float(srgb_to_linear(-0.5)) == -float(srgb_to_linear(0.5))


def test_float_helpers_are_continuous_at_the_knee() -> None:
    knee = 0.04045
    assert float(srgb_to_linear(knee)) == pytest.approx(knee / 12.92, rel=1e-6)
    assert float(srgb_to_linear(np.nextafter(knee, 1.0))) == pytest.approx(knee / 12.92, rel=1e-6)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("#ffffff", (1.0, 1.0, 1.0, 1.0)),
        ("#000000", (0.0, 0.0, 0.0, 1.0)),
        ("#FF000080", (128 / 255, 0.0, 0.0, 128 / 255)),
        ([1.0, 0.0, 0.0], (1.0, 0.0, 0.0, 1.0)),
        ([0.5, 0.5, 0.5, 0.5], (0.5 * 0.214041140, 0.5 * 0.214041140, 0.5 * 0.214041140, 0.5)),
        ((0, 1, 0), (0.0, 1.0, 0.0, 1.0)),
    ],
)
def test_parse_color_reads_lists_and_hex_as_premultiplied_linear(
    written: object, expected: tuple[float, float, float, float]
) -> None:
    parsed = parse_color(written)
    assert all(isinstance(c, float) for c in parsed)
    assert parsed == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    "written",
    [
        "#fff",
        "red",
        "#gggggg",
        "ffffff",
        [0.1, 0.2],
        [1.0, 2.0, 3.0],
        [True, 0.0, 0.0],
        [0.1, "a", 0.3],
        [math.nan, 0.0, 0.0],
        None,
        0.5,
        [0.1, 0.2, 0.3, 0.4, 0.5],
    ],
)
def test_parse_color_rejects_malformed_colours_with_a_clear_message(written: object) -> None:
    with pytest.raises(ValueError, match="not a colour"):
        parse_color(written)
