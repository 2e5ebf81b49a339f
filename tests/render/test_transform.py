"""Resampling through an affine map: exact fast paths, geometry, anti-aliasing, crop."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from reelgraph.render import Affine, CpuBackend, clip_transform

W, H = 64, 48


def _random_image(rng: np.random.Generator, width: int = W, height: int = H) -> NDArray[Any]:
    pixels = rng.random((height, width, 4), dtype=np.float32)
    pixels[..., :3] *= pixels[..., 3:]
    return pixels


def _checkerboard(width: int = W, height: int = H) -> NDArray[Any]:
    rows, cols = np.indices((height, width))
    pixels = np.ones((height, width, 4), dtype=np.float32)
    pixels[..., :3] = ((rows + cols) % 2)[..., None]
    return pixels


def test_identity_is_exact(cpu: CpuBackend, rng: np.random.Generator) -> None:
    image = cpu.from_array(_random_image(rng))
    out = cpu.transform(image, Affine.identity(), W, H)
    np.testing.assert_array_equal(cpu.to_array(out), cpu.to_array(image))


def test_identity_onto_a_larger_canvas_pads_with_transparency(
    cpu: CpuBackend, rng: np.random.Generator
) -> None:
    pixels = _random_image(rng)
    out = cpu.to_array(cpu.transform(cpu.from_array(pixels), Affine.identity(), W + 4, H + 2))
    np.testing.assert_array_equal(out[:H, :W], pixels)
    assert not out[H:].any() and not out[:, W:].any()


def test_integer_translation_is_an_exact_shifted_copy(
    cpu: CpuBackend, rng: np.random.Generator
) -> None:
    pixels = _random_image(rng)
    out = cpu.to_array(cpu.transform(cpu.from_array(pixels), Affine.translate(5, -3), W, H))
    np.testing.assert_array_equal(out[: H - 3, 5:], pixels[3:, : W - 5])
    assert not out[H - 3 :].any() and not out[:, :5].any()


def test_half_pixel_translation_averages_neighbours_and_fades_the_edge(cpu: CpuBackend) -> None:
    pixels = np.zeros((H, W, 4), dtype=np.float32)
    pixels[..., 0] = np.arange(W, dtype=np.float32)
    pixels[..., 3] = 1.0
    out = cpu.to_array(cpu.transform(cpu.from_array(pixels), Affine.translate(0.5, 0), W, H))
    np.testing.assert_array_equal(out[0, 1:, 0], np.arange(W - 1) + 0.5)
    assert out[0, 0, 3] == 0.5  # half of the first source pixel, half transparency
    assert out[0, 0, 0] == 0.0


def test_quarter_turn_moves_a_marked_pixel_where_expected(cpu: CpuBackend) -> None:
    pixels = np.zeros((H, W, 4), dtype=np.float32)
    pixels[5, 10] = [1.0, 0.5, 0.25, 1.0]
    affine = clip_transform(W, H, H, W, rotation_deg=90.0)
    out = cpu.to_array(cpu.transform(cpu.from_array(pixels), affine, H, W))
    # Centre (10.5, 5.5) is (-21.5, -18.5) from the anchor; clockwise a quarter turn gives
    # (18.5, -21.5), placed about the canvas centre (24, 32): pixel column 42, row 10.
    expected = np.zeros((W, H, 4), dtype=np.float32)
    expected[10, 42] = [1.0, 0.5, 0.25, 1.0]
    np.testing.assert_array_equal(out, expected)


def test_mirroring_flips_exactly(cpu: CpuBackend, rng: np.random.Generator) -> None:
    pixels = _random_image(rng)
    affine = clip_transform(W, H, W, H, scale=(-1.0, 1.0))
    out = cpu.to_array(cpu.transform(cpu.from_array(pixels), affine, W, H))
    np.testing.assert_array_equal(out, pixels[:, ::-1])


@pytest.mark.parametrize(("factor", "rotation"), [(0.5, 0.0), (0.25, 0.0), (0.25, 30.0)])
def test_shrinking_a_checkerboard_gives_its_mean_grey(
    cpu: CpuBackend, factor: float, rotation: float
) -> None:
    size = (int(W * factor), int(H * factor))
    affine = clip_transform(W, H, *size, scale=(factor, factor), rotation_deg=rotation)
    out = cpu.to_array(cpu.transform(cpu.from_array(_checkerboard()), affine, *size))
    opaque = out[..., 3] == 1.0
    assert opaque.sum() >= out[..., 3].size // 3
    np.testing.assert_allclose(out[opaque][:, :3], 0.5, atol=1e-6)


def test_shrinking_past_two_times_keeps_thin_lines_visible(cpu: CpuBackend) -> None:
    pixels = np.zeros((H, W, 4), dtype=np.float32)
    pixels[:, 1::8] = 1.0  # one-pixel lines every 8 pixels
    out = cpu.to_array(cpu.transform(cpu.from_array(pixels), Affine.scale(0.125), 8, 6))
    np.testing.assert_allclose(out[..., 3], 0.125, atol=1e-6)


def test_the_box_prefilter_keeps_the_footprint_exact(cpu: CpuBackend) -> None:
    image = cpu.from_array(np.ones((H, W, 4), dtype=np.float32))
    out = cpu.to_array(cpu.transform(image, Affine.scale(0.2), W, H))
    # 64 x 48 pixels shrink to 12.8 x 9.6: the last column is 4/5 covered, the last row 3/5.
    np.testing.assert_allclose(out[0, :14, 3], [1.0] * 12 + [0.8, 0.0], atol=1e-6)
    np.testing.assert_allclose(out[:11, 0, 3], [1.0] * 9 + [0.6, 0.0], atol=1e-6)
    assert out[9, 12, 3] == pytest.approx(0.48, abs=1e-6)


def test_pixels_outside_the_source_are_transparent(cpu: CpuBackend) -> None:
    image = cpu.from_array(np.ones((H, W, 4), dtype=np.float32))
    affine = clip_transform(W, H, W, H, scale=(0.5, 0.5), rotation_deg=10.0)
    out = cpu.to_array(cpu.transform(image, affine, W, H))
    assert not out[:4].any() and not out[-4:].any() and not out[:, :8].any()
    assert out[H // 2, W // 2, 3] == 1.0
    assert np.all(out <= 1.0 + 1e-6)


def test_a_collapsed_map_gives_a_transparent_canvas(cpu: CpuBackend) -> None:
    image = cpu.from_array(np.ones((H, W, 4), dtype=np.float32))
    out = cpu.to_array(cpu.transform(image, Affine.scale(0.0, 1.0), W, H))
    assert out.shape == (H, W, 4) and not out.any()


def test_crop_hides_pixels_without_moving_the_rest(
    cpu: CpuBackend, rng: np.random.Generator
) -> None:
    pixels = _random_image(rng)
    out = cpu.to_array(
        cpu.transform(cpu.from_array(pixels), Affine.identity(), W, H, crop=(10, 2, 3, 4))
    )
    np.testing.assert_array_equal(out[2 : H - 4, 10 : W - 3], pixels[2 : H - 4, 10 : W - 3])
    assert not out[:2].any() and not out[H - 4 :].any()
    assert not out[:, :10].any() and not out[:, W - 3 :].any()


def test_fractional_crop_partly_covers_the_edge_pixel(cpu: CpuBackend) -> None:
    image = cpu.from_array(np.ones((H, W, 4), dtype=np.float32))
    out = cpu.to_array(cpu.transform(image, Affine.identity(), W, H, crop=(10.25, 0, 0, 0)))
    assert out[0, 9, 3] == 0.0 and out[0, 10, 3] == 0.75 and out[0, 11, 3] == 1.0


def test_crop_and_placement_compose(cpu: CpuBackend, rng: np.random.Generator) -> None:
    pixels = _random_image(rng)
    affine = Affine.translate(-10, 0)  # move the cropped-in part to the left edge
    out = cpu.to_array(cpu.transform(cpu.from_array(pixels), affine, 20, H, crop=(10, 0, 34, 0)))
    np.testing.assert_array_equal(out, pixels[:, 10:30])


def test_cropping_everything_away_gives_transparency(cpu: CpuBackend) -> None:
    image = cpu.from_array(np.ones((H, W, 4), dtype=np.float32))
    out = cpu.to_array(cpu.transform(image, Affine.identity(), W, H, crop=(40, 0, 30, 0)))
    assert not out.any()


def test_negative_crop_is_rejected(cpu: CpuBackend) -> None:
    image = cpu.from_array(np.ones((H, W, 4), dtype=np.float32))
    with pytest.raises(ValueError, match="crop"):
        cpu.transform(image, Affine.identity(), W, H, crop=(-1, 0, 0, 0))


def test_upscaling_interpolates_between_pixel_centres(cpu: CpuBackend) -> None:
    pixels = np.zeros((1, 2, 4), dtype=np.float32)
    pixels[0, 1] = 1.0
    pixels[..., 3] = 1.0
    out = cpu.to_array(cpu.transform(cpu.from_array(pixels), Affine.scale(4.0, 1.0), 8, 1))
    # Output centres 0.5..7.5 sample source x = 0.125..1.875; centres sit at 0.5 and 1.5,
    # and beyond them the transparent outside fades colour and alpha alike (premultiplied).
    np.testing.assert_allclose(out[0, :, 0], [0, 0, 0.125, 0.375, 0.625, 0.875, 0.875, 0.625])
    np.testing.assert_allclose(out[0, :, 3], [0.625, 0.875, 1, 1, 1, 1, 0.875, 0.625])


def test_separable_and_general_paths_agree(cpu: CpuBackend, rng: np.random.Generator) -> None:
    image = cpu.from_array(_random_image(rng))
    aligned = clip_transform(W, H, W, H, scale=(1.3, 0.7), position=(30.2, 20.7))
    # A rotation of 360 degrees is not exactly axis-aligned in floating point.
    turned = aligned @ Affine(a=1.0, b=1e-12, d=-1e-12, e=1.0)
    fast = cpu.to_array(cpu.transform(image, aligned, W, H))
    slow = cpu.to_array(cpu.transform(image, turned, W, H))
    np.testing.assert_allclose(fast, slow, atol=1e-5)
