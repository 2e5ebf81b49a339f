"""The lut effect: colour handling around the lookup (encoding, ranges, strength, alpha)."""

from __future__ import annotations

import numpy as np
import pytest
from reelgraph_lut.cube import write_cube
from reelgraph_lut.plugin import create, linear_to_srgb, srgb_to_linear

from reelgraph.render.color import linear_to_srgb as engine_oetf
from reelgraph.render.color import srgb_to_linear as engine_eotf


def params(file, **changes):
    base = {
        "file": str(file),
        "interpolation": "tetrahedral",
        "strength": 1.0,
        "input": "srgb",
        "input_range": "full",
        "output_range": "full",
    }
    return {**base, **changes}


def lattice(size: int = 17) -> np.ndarray:
    g = np.linspace(0.0, 1.0, size)
    return np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1)


@pytest.fixture
def identity_cube(tmp_path):
    path = tmp_path / "identity.cube"
    write_cube(path, lattice())
    return path


@pytest.fixture
def invert_cube(tmp_path):
    path = tmp_path / "invert.cube"
    write_cube(path, 1.0 - lattice())
    return path


def image(rgb, alpha=1.0) -> np.ndarray:
    out = np.zeros((2, 3, 4), dtype=np.float32)
    out[..., :3] = np.asarray(rgb, dtype=np.float32) * alpha
    out[..., 3] = alpha
    return out


def test_the_float32_curves_match_the_engines():
    x = np.linspace(-0.5, 1.5, 1001, dtype=np.float32)
    np.testing.assert_allclose(linear_to_srgb(x), engine_oetf(x), atol=2e-6)
    np.testing.assert_allclose(srgb_to_linear(x), engine_eotf(x), atol=2e-6)


def test_an_identity_lut_leaves_in_range_colours_alone(identity_cube):
    picture = image([0.18, 0.5, 0.9], alpha=0.5)
    out = create(None).apply_effect("apply", picture, params(identity_cube))
    np.testing.assert_allclose(out, picture, atol=2e-6)


def test_the_lut_reads_srgb_encoded_values_by_default(invert_cube):
    out = create(None).apply_effect("apply", image([0.18, 0.18, 0.18]), params(invert_cube))
    expected = engine_eotf(1.0 - engine_oetf(0.18))
    np.testing.assert_allclose(out[0, 0, :3], expected, atol=1e-5)


def test_a_linear_lut_reads_linear_values(invert_cube):
    plugin = create(None)
    out = plugin.apply_effect(
        "apply", image([0.18, 0.18, 0.18]), params(invert_cube, input="linear")
    )
    np.testing.assert_allclose(out[0, 0, :3], 0.82, atol=1e-5)


def test_strength_mixes_with_the_original_in_linear_light(invert_cube):
    half = create(None).apply_effect(
        "apply", image([0.5, 0.2, 0.0]), params(invert_cube, input="linear", strength=0.5)
    )
    np.testing.assert_allclose(half[0, 0, :3], [0.5, 0.5, 0.5], atol=1e-5)


def test_colour_is_graded_unpremultiplied_and_alpha_is_kept(invert_cube):
    out = create(None).apply_effect(
        "apply", image([0.2, 0.4, 0.6], alpha=0.25), params(invert_cube, input="linear")
    )
    np.testing.assert_allclose(out[0, 0], [0.8 * 0.25, 0.6 * 0.25, 0.4 * 0.25, 0.25], atol=1e-6)
    clear = create(None).apply_effect("apply", image([0, 0, 0], alpha=0.0), params(invert_cube))
    assert not clear.any()


def test_legal_range_luts_see_video_levels(identity_cube):
    out = create(None).apply_effect(
        "apply", image([0.0, 1.0, 0.5]), params(identity_cube, input="linear", input_range="legal")
    )
    np.testing.assert_allclose(
        out[0, 0, :3], [16 / 255, 235 / 255, (16 + 219 * 0.5) / 255], atol=1e-5
    )
    both = create(None).apply_effect(
        "apply",
        image([0.0, 1.0, 0.5]),
        params(identity_cube, input="linear", input_range="legal", output_range="legal"),
    )
    np.testing.assert_allclose(both[0, 0, :3], [0.0, 1.0, 0.5], atol=1e-5)


def test_values_outside_the_domain_are_clamped_to_it(identity_cube):
    out = create(None).apply_effect(
        "apply", image([2.0, -0.5, 0.5]), params(identity_cube, input="linear")
    )
    np.testing.assert_allclose(out[0, 0, :3], [1.0, 0.0, 0.5], atol=1e-6)


def test_a_missing_file_parameter_is_an_error():
    with pytest.raises(ValueError, match="needs a 'file'"):
        create(None).apply_effect("apply", image([0, 0, 0]), params(""))
