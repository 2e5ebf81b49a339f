"""Effects: numeric checks of each kernel, and parameter validation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from reelgraph.render import EFFECT_KINDS, EFFECTS, CpuBackend, effect_params
from reelgraph.render.cpu.effects import CPU_EFFECTS, gaussian_kernel

PIXEL = (0.125, 0.25, 0.0625, 0.5)  # premultiplied; straight (0.25, 0.5, 0.125)


def _apply(
    cpu: CpuBackend,
    kind: str,
    params: dict[str, float],
    rgba: tuple[float, float, float, float] = PIXEL,
) -> NDArray[Any]:
    image = cpu.solid(4, 3, rgba)
    return cpu.to_array(cpu.apply_effect(image, kind, params))[0, 0]


@pytest.mark.parametrize("kind", [k for k in EFFECT_KINDS if k != "invert"])
def test_every_effect_but_invert_is_the_identity_at_its_defaults(
    cpu: CpuBackend, kind: str
) -> None:
    np.testing.assert_allclose(_apply(cpu, kind, {}), PIXEL, rtol=1e-6)


def test_the_cpu_registry_implements_exactly_the_effect_table() -> None:
    assert tuple(CPU_EFFECTS) == EFFECT_KINDS
    for kind, (_kernel, defaults) in CPU_EFFECTS.items():
        assert defaults == EFFECTS[kind].defaults


def test_exposure_multiplies_colour_by_two_to_the_stops(cpu: CpuBackend) -> None:
    out = _apply(cpu, "exposure", {"stops": 2.0})
    np.testing.assert_array_equal(out, np.float32([0.5, 1.0, 0.25, 0.5]))


def test_zero_saturation_gives_rec709_luma(cpu: CpuBackend) -> None:
    out = _apply(cpu, "saturation", {"amount": 0.0})
    luma = 0.2126 * 0.125 + 0.7152 * 0.25 + 0.0722 * 0.0625
    np.testing.assert_allclose(out, [luma, luma, luma, 0.5], rtol=1e-6)


def test_saturation_above_one_pushes_colour_away_from_grey(cpu: CpuBackend) -> None:
    out = _apply(cpu, "saturation", {"amount": 2.0})
    luma = 0.2126 * 0.125 + 0.7152 * 0.25 + 0.0722 * 0.0625
    expected = [2 * c - luma for c in PIXEL[:3]] + [0.5]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_contrast_pivots_about_the_given_grey_in_straight_colour(cpu: CpuBackend) -> None:
    out = _apply(cpu, "brightness_contrast", {"contrast": 2.0, "pivot": 0.25})
    # Straight (0.25, 0.5, 0.125) -> (0.25, 0.75, 0.0); premultiplied by 0.5.
    np.testing.assert_allclose(out, [0.125, 0.375, 0.0, 0.5], atol=1e-7)


def test_brightness_adds_to_straight_colour_and_keeps_transparency(cpu: CpuBackend) -> None:
    out = _apply(cpu, "brightness_contrast", {"brightness": 0.25})
    np.testing.assert_allclose(out, [0.25, 0.375, 0.1875, 0.5], atol=1e-7)
    clear = _apply(cpu, "brightness_contrast", {"brightness": 0.25}, rgba=(0, 0, 0, 0))
    assert not clear.any()


def test_invert_flips_straight_colour_under_alpha(cpu: CpuBackend) -> None:
    out = _apply(cpu, "invert", {})
    np.testing.assert_allclose(out, [0.375, 0.25, 0.4375, 0.5], atol=1e-7)
    half = _apply(cpu, "invert", {"amount": 0.5})
    np.testing.assert_allclose(half, [0.25, 0.25, 0.25, 0.5], atol=1e-7)


def test_color_balance_scales_each_channel(cpu: CpuBackend) -> None:
    out = _apply(cpu, "color_balance", {"red": 2.0, "blue": 0.5})
    np.testing.assert_array_equal(out, np.float32([0.25, 0.25, 0.03125, 0.5]))


def test_gaussian_kernel_is_normalised_symmetric_and_three_sigma_wide() -> None:
    kernel = gaussian_kernel(2.0)
    assert kernel.size == 13
    assert float(kernel.astype(np.float64).sum()) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_array_equal(kernel, kernel[::-1])
    assert gaussian_kernel(0.0).tolist() == [1.0]
    assert gaussian_kernel(0.01).tolist() == [1.0]


def test_blurring_an_impulse_spreads_it_by_the_kernel(cpu: CpuBackend) -> None:
    pixels = np.zeros((21, 21, 4), dtype=np.float32)
    pixels[10, 10] = 1.0
    out = cpu.to_array(cpu.apply_effect(cpu.from_array(pixels), "gaussian_blur", {"radius": 1.5}))
    kernel = gaussian_kernel(1.5)
    half = kernel.size // 2
    np.testing.assert_allclose(out[10, 10 - half : 11 + half, 3], kernel * kernel[half], rtol=1e-6)
    assert float(out[..., 3].sum(dtype=np.float64)) == pytest.approx(1.0, abs=1e-5)
    np.testing.assert_allclose(out[..., 0], out[..., 0].T, atol=1e-9)


def test_blur_edges_fade_to_transparency_unless_repeated(cpu: CpuBackend) -> None:
    image = cpu.solid(32, 24, (0.5, 0.5, 0.5, 1.0))
    faded = cpu.to_array(cpu.apply_effect(image, "gaussian_blur", {"radius": 2.0}))
    kept = cpu.to_array(
        cpu.apply_effect(image, "gaussian_blur", {"radius": 2.0, "repeat_edges": 1.0})
    )
    # A corner keeps about a quarter of the kernel (a bit more: the centre tap is shared).
    assert 0.25 < faded[0, 0, 3] < 0.5 and faded[12, 16, 3] == pytest.approx(1.0, abs=1e-6)
    # Premultiplied: colour fades with alpha, so the straight colour stays 0.5.
    assert faded[0, 0, 0] / faded[0, 0, 3] == pytest.approx(0.5, rel=1e-6)
    np.testing.assert_allclose(kept, cpu.to_array(image), rtol=1e-6)


def test_unknown_effects_are_rejected_with_the_list_of_known_ones(cpu: CpuBackend) -> None:
    with pytest.raises(ValueError, match="known effects: exposure, saturation"):
        cpu.apply_effect(cpu.solid(1, 1, PIXEL), "sepia", {})


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("exposure", {"stop": 1.0}, "has no parameter 'stop'; it takes stops"),
        ("exposure", {"stops": float("inf")}, "finite"),
        ("exposure", {"stops": "1"}, "number"),
        ("exposure", {"stops": 100.0}, r"\[-64.0, 64.0\]"),
        ("gaussian_blur", {"radius": -1.0}, "radius must be in"),
    ],
)
def test_bad_parameters_are_rejected(kind: str, params: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        effect_params(kind, params)  # type: ignore[arg-type]


def test_effect_params_fills_in_defaults() -> None:
    assert effect_params("brightness_contrast", {"contrast": 2}) == {
        "brightness": 0.0,
        "contrast": 2.0,
        "pivot": 0.18,
    }
