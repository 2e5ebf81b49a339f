"""The compiled kernel against the numpy path, its determinism, and its cache under the guard."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap

import numba
import numpy as np
import pytest
from reelgraph_lut import kernel
from reelgraph_lut.cube import CubeLut
from reelgraph_lut.plugin import grade_with_numpy
from reelgraph_lut.transfer import evaluate, srgb_decode_table, srgb_encode_table

TOLERANCE = 1e-5
UNIT = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
# Domains other than [0, 1], different per channel (min row, max row).
WIDE_1D = np.array([[-0.05, 0.0, -0.2], [1.2, 1.5, 1.1]])
WIDE_3D = np.array([[0.0, -0.1, 0.05], [1.1, 1.0, 1.3]])


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261125)


def make_image(rng: np.random.Generator, height: int = 48, width: int = 64) -> np.ndarray:
    """Premultiplied pixels: opaque, transparent, semi-transparent; in and out of range."""
    straight = rng.uniform(-0.3, 1.6, (height, width, 3)).astype(np.float32)
    straight[::7] *= 3.0  # highlights up to ~5
    straight[:, ::5] = rng.uniform(0.0, 0.01, (height, (width + 4) // 5, 3))  # near black
    alpha = rng.choice([0.0, 1.0, 0.25, 0.5, 0.8], (height, width, 1)).astype(np.float32)
    alpha[:, ::3] = rng.uniform(0.0, 1.0, (height, (width + 2) // 3, 1))
    image = np.concatenate([straight * alpha, alpha], axis=-1)
    return image.astype(np.float32)


def random_lut(rng: np.random.Generator, tables: str, wide_domains: bool) -> CubeLut:
    """A random grade: smooth tables (slopes of a few at most) that overshoot [0, 1].

    Real grades are smooth; white-noise tables would multiply the last-bit differences
    between the two paths' sRGB curves (1e-7) by their slopes (tens) past any tolerance.
    """
    table_1d = table_3d = None
    if "1d" in tables:
        ramp = np.linspace(0.0, 1.0, 64)[:, None]
        table_1d = ramp ** rng.uniform(0.6, 1.4, 3) * 1.1 - 0.05 + rng.normal(0, 0.002, (64, 3))
    if "3d" in tables:
        axis = np.linspace(0.0, 1.0, 17)
        lattice = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1)
        mix = np.eye(3) + rng.uniform(-0.2, 0.2, (3, 3))
        table_3d = lattice @ mix.T + rng.uniform(-0.1, 0.1, 3) + rng.normal(0, 0.01, lattice.shape)
    if wide_domains:
        return CubeLut("random", table_1d, table_3d, WIDE_1D, WIDE_3D)
    return CubeLut("random", table_1d, table_3d, UNIT, UNIT)


def params(**changes: object) -> dict[str, object]:
    base = {
        "file": "unused.cube",
        "interpolation": "tetrahedral",
        "strength": 1.0,
        "input": "srgb",
        "input_range": "full",
        "output_range": "full",
    }
    return {**base, **changes}


def grade(image: np.ndarray, lut: CubeLut, options: dict[str, object]) -> np.ndarray:
    return kernel.grade(
        image,
        table_1d=None if lut.table_1d is None else lut.table_1d.astype(np.float32),
        domain_1d=lut.domain_1d,
        table_3d=None if lut.table_3d is None else lut.table_3d.astype(np.float32),
        domain_3d=lut.domain_3d,
        tetrahedral=options["interpolation"] == "tetrahedral",
        srgb=options["input"] == "srgb",
        legal_in=options["input_range"] == "legal",
        legal_out=options["output_range"] == "legal",
        strength=float(options["strength"]),  # type: ignore[arg-type]
    )


COMBINATIONS = list(
    itertools.product(
        ["1d", "3d", "1d+3d"],
        ["tetrahedral", "trilinear"],
        ["srgb", "linear"],
        [("full", "full"), ("legal", "full"), ("full", "legal"), ("legal", "legal")],
    )
)


@pytest.mark.parametrize(("tables", "interpolation", "encoding", "ranges"), COMBINATIONS)
@pytest.mark.parametrize("strength", [1.0, 0.5])
def test_the_kernel_matches_the_numpy_path(rng, tables, interpolation, encoding, ranges, strength):
    image = make_image(rng)
    options = params(
        interpolation=interpolation,
        input=encoding,
        input_range=ranges[0],
        output_range=ranges[1],
        strength=strength,
    )
    for wide_domains in (False, True):
        lut = random_lut(rng, tables, wide_domains)
        expected = grade_with_numpy(image, lut, options)
        assert np.abs(grade(image, lut, options) - expected).max() <= TOLERANCE


def test_colour_under_zero_alpha_stays_zero_and_alpha_is_unchanged(rng):
    image = make_image(rng)
    lut = random_lut(rng, "1d+3d", wide_domains=False)
    out = grade(image, lut, params(strength=0.5))
    clear = image[..., 3] == 0
    assert clear.any() and not out[clear][:, :3].any()
    np.testing.assert_array_equal(out[..., 3], image[..., 3])


def test_a_lut_that_changes_nothing_returns_the_image(rng):
    image = make_image(rng)
    axis = np.linspace(0.0, 1.0, 33)
    identity = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1)
    out = grade(image, CubeLut("", None, identity), params(input="linear"))
    inside = np.clip(image[..., :3], 0.0, image[..., 3:])  # in the domain: unchanged
    np.testing.assert_allclose(out[..., :3], inside, atol=2e-6)


def test_the_kernels_curves_are_the_tables_bit_for_bit(rng):
    x = rng.uniform(0.0, 1.0, 4096).astype(np.float32)
    image = np.stack([x[:1024], x[1024:2048], x[2048:3072], np.ones(1024, np.float32)], -1)
    shaper = np.array([[0.0] * 3, [1.0] * 3])  # reads the unit domain exactly
    out = grade(image[None], CubeLut("", shaper, None), params())[0]
    expected = evaluate(srgb_decode_table(), evaluate(srgb_encode_table(), image[:, :3]))
    np.testing.assert_array_equal(out[:, :3], expected)


def test_infinite_and_nan_input_neither_crash_nor_touch_alpha(rng):
    image = np.zeros((1, 6, 4), np.float32)
    image[0, :, 0] = [np.inf, -np.inf, np.nan, 3e38, -3e38, 1e-45]
    image[..., 3] = 1.0
    out = grade(image, random_lut(rng, "1d+3d", wide_domains=True), params(strength=0.5))
    np.testing.assert_array_equal(out[..., 3], 1.0)
    assert np.isfinite(out[..., 1:3]).all()


@pytest.fixture
def restore_threads():
    threads = numba.get_num_threads()
    yield
    numba.set_num_threads(threads)


def test_results_are_bit_identical_across_runs_and_thread_counts(rng, restore_threads):
    image = make_image(rng, 301, 700)  # several tasks per thread, a partial last block
    lut = random_lut(rng, "1d+3d", wide_domains=True)
    options = params(input_range="legal", output_range="legal", strength=0.5)
    runs = []
    for threads in sorted({1, 2, numba.config.NUMBA_NUM_THREADS}):
        numba.set_num_threads(threads)
        runs += [grade(image, lut, options), grade(image, lut, options)]
    first = runs[0].view(np.uint32)
    assert all(np.array_equal(first, run.view(np.uint32)) for run in runs[1:])


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_importing_the_plugin_leaves_numba_to_the_first_frame():
    code = """
        import sys
        import reelgraph_lut.plugin
        print("numba" in sys.modules)
    """
    assert run_python(code) == "False"


def test_under_the_plugin_guard_the_kernel_loads_from_its_cache_without_writing(tmp_path):
    kernel.compile_ahead()  # fills the cache where this process may write (setup.sh does)
    if not os.access(kernel.__file__.rpartition("/")[0] + "/__pycache__", os.W_OK):
        pytest.skip("the package's __pycache__ is read-only here: no cache to load")
    code = f"""
        from reelgraph.plugins.guard import GuardRules, guarded
        rules = GuardRules("lut", frozenset(), {str(tmp_path)!r})
        with guarded(rules):
            from reelgraph_lut import kernel
            kernel.compile_ahead()
        stats = kernel._grade_pixels.stats
        print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()), rules.denials)
    """
    assert run_python(code) == "1 0 []"
