"""LUT interpolation against an independent, straightforward per-pixel computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from reelgraph_lut.interpolate import apply_1d, tetrahedral, trilinear

TOLERANCE = 1e-5


def reference_trilinear(table: np.ndarray, rgb: tuple[float, float, float]) -> np.ndarray:
    """Textbook trilinear interpolation of one point, in float64."""
    n = table.shape[0]
    pos = [c * (n - 1) for c in rgb]
    base = [min(math.floor(p), n - 2) for p in pos]
    f = [p - b for p, b in zip(pos, base, strict=True)]
    total = np.zeros(3)
    for dr in (0, 1):
        for dg in (0, 1):
            for db in (0, 1):
                weight = (f[0] if dr else 1 - f[0]) * (f[1] if dg else 1 - f[1])
                weight *= f[2] if db else 1 - f[2]
                total += weight * table[base[0] + dr, base[1] + dg, base[2] + db]
    return total


def reference_tetrahedral(table: np.ndarray, rgb: tuple[float, float, float]) -> np.ndarray:
    """Tetrahedral interpolation of one point: the six cases written out (Kasson et al.)."""
    n = table.shape[0]
    pos = [c * (n - 1) for c in rgb]
    i, j, k = (min(math.floor(p), n - 2) for p in pos)
    fr, fg, fb = pos[0] - i, pos[1] - j, pos[2] - k

    def c(a: int, b: int, d: int) -> np.ndarray:
        return table[i + a, j + b, k + d].astype(np.float64)

    if fr > fg:
        if fg > fb:  # r > g > b
            return (
                (1 - fr) * c(0, 0, 0)
                + (fr - fg) * c(1, 0, 0)
                + (fg - fb) * c(1, 1, 0)
                + fb * c(1, 1, 1)
            )
        if fr > fb:  # r > b >= g
            return (
                (1 - fr) * c(0, 0, 0)
                + (fr - fb) * c(1, 0, 0)
                + (fb - fg) * c(1, 0, 1)
                + fg * c(1, 1, 1)
            )
        # b >= r > g
        return (
            (1 - fb) * c(0, 0, 0)
            + (fb - fr) * c(0, 0, 1)
            + (fr - fg) * c(1, 0, 1)
            + fg * c(1, 1, 1)
        )
    if fb > fg:  # b > g >= r
        return (
            (1 - fb) * c(0, 0, 0)
            + (fb - fg) * c(0, 0, 1)
            + (fg - fr) * c(0, 1, 1)
            + fr * c(1, 1, 1)
        )
    if fb > fr:  # g >= b > r
        return (
            (1 - fg) * c(0, 0, 0)
            + (fg - fb) * c(0, 1, 0)
            + (fb - fr) * c(0, 1, 1)
            + fr * c(1, 1, 1)
        )
    # g >= r >= b
    return (1 - fg) * c(0, 0, 0) + (fg - fr) * c(0, 1, 0) + (fr - fb) * c(1, 1, 0) + fb * c(1, 1, 1)


def identity(size: int) -> np.ndarray:
    g = np.linspace(0.0, 1.0, size)
    return np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1).astype(np.float32)


@pytest.fixture
def points() -> np.ndarray:
    rng = np.random.default_rng(20261125)
    random = rng.random((3000, 3), dtype=np.float32)
    # Lattice points, faces, ties between channels and the corners: the awkward cases.
    special = np.array(
        [[0, 0, 0], [1, 1, 1], [0.5, 0.5, 0.5], [1, 0, 0], [0.25, 0.25, 0.9], [0.3, 0.7, 0.3]],
        dtype=np.float32,
    )
    return np.concatenate([random, special])


@pytest.mark.parametrize("size", [2, 17, 33, 65])
def test_tetrahedral_matches_the_per_pixel_reference(size, points):
    table = np.random.default_rng(size).random((size, size, size, 3)).astype(np.float32)
    fast = tetrahedral(table, points)
    slow = np.array([reference_tetrahedral(table, tuple(map(float, p))) for p in points])
    assert np.abs(fast - slow).max() < TOLERANCE


@pytest.mark.parametrize("size", [2, 33, 65])
def test_trilinear_matches_the_per_pixel_reference(size, points):
    table = np.random.default_rng(size + 1).random((size, size, size, 3)).astype(np.float32)
    fast = trilinear(table, points)
    slow = np.array([reference_trilinear(table, tuple(map(float, p))) for p in points])
    assert np.abs(fast - slow).max() < TOLERANCE


@pytest.mark.parametrize("lookup", [tetrahedral, trilinear])
def test_an_identity_lut_is_the_identity(lookup, points):
    assert np.abs(lookup(identity(33), points) - points).max() < TOLERANCE


@pytest.mark.parametrize("lookup", [tetrahedral, trilinear])
def test_a_33_point_affine_grade_is_reproduced_exactly(lookup, points):
    matrix = np.array([[0.9, 0.08, 0.02], [0.05, 0.85, 0.1], [0.0, 0.15, 0.95]])
    lift = np.array([0.02, 0.0, 0.05])
    table = (identity(33).astype(np.float64) @ matrix.T + lift).astype(np.float32)
    expected = points.astype(np.float64) @ matrix.T + lift
    assert np.abs(lookup(table, points) - expected).max() < TOLERANCE


def test_a_smooth_curve_is_within_the_interpolation_bound(points):
    def curve(x: np.ndarray) -> np.ndarray:
        return x * x * (3.0 - 2.0 * x)  # smoothstep: |f''| <= 6

    table = curve(identity(33).astype(np.float64)).astype(np.float32)
    error = np.abs(tetrahedral(table, points) - curve(points.astype(np.float64))).max()
    assert error <= 6.0 / 8.0 / 32**2 + TOLERANCE  # h^2/8 max|f''| with h = 1/32


def test_tetrahedral_keeps_the_neutral_axis_exactly():
    table = np.random.default_rng(3).random((9, 9, 9, 3)).astype(np.float32)
    greys = np.repeat(np.linspace(0, 1, 50, dtype=np.float32)[:, None], 3, axis=1)
    diagonal = np.array([table[i, i, i] for i in range(9)])
    expected = np.stack(
        [np.interp(greys[:, 0] * 8, np.arange(9), diagonal[:, c]) for c in range(3)], 1
    )
    assert np.abs(tetrahedral(table, greys) - expected).max() < TOLERANCE


def test_a_1d_table_interpolates_each_channel_on_its_own():
    table = np.array([[0, 0, 1], [0.5, 1, 0.5], [1, 0, 0]], dtype=np.float32)
    out = apply_1d(table, np.array([[0.25, 0.5, 1.0]], dtype=np.float32))
    np.testing.assert_allclose(out, [[0.25, 1.0, 0.0]], atol=1e-7)
