"""The sRGB curves as tables: accuracy, mirroring, and independence from the libm."""

from __future__ import annotations

import numpy as np
import pytest
from reelgraph_lut.transfer import (
    evaluate,
    float32_rounding_margins,
    srgb_decode_table,
    srgb_encode_table,
)

from reelgraph.render.color import linear_to_srgb as exact_encode
from reelgraph.render.color import srgb_to_linear as exact_decode

CURVES = [(srgb_encode_table, exact_encode), (srgb_decode_table, exact_decode)]


@pytest.mark.parametrize(("table", "exact"), CURVES)
def test_the_tables_are_within_2e7_of_the_float64_curves_in_the_display_range(table, exact):
    x = np.linspace(0.0, 1.0, 2_000_001, dtype=np.float32)
    assert np.abs(evaluate(table(), x) - exact(x)).max() <= 2e-7


@pytest.mark.parametrize(("table", "exact"), CURVES)
def test_values_above_1_keep_the_same_relative_accuracy(table, exact):
    x = np.geomspace(1.0, 1e12, 200_001).astype(np.float32)
    assert np.abs(evaluate(table(), x) / exact(x) - 1.0).max() <= 6e-7


@pytest.mark.parametrize("table", [srgb_encode_table, srgb_decode_table])
def test_negative_values_are_mirrored_and_infinity_and_nan_pass_through(table):
    x = np.geomspace(1e-6, 1e3, 1001).astype(np.float32)
    np.testing.assert_array_equal(evaluate(table(), -x), -evaluate(table(), x))
    special = evaluate(table(), np.array([np.inf, -np.inf, np.nan], dtype=np.float32))
    assert special[0] == np.inf and special[1] == -np.inf and np.isnan(special[2])


def test_decoding_saturates_at_the_largest_float32_instead_of_overflowing():
    huge = evaluate(srgb_decode_table(), np.array([1e20, 3e38], dtype=np.float32))
    np.testing.assert_array_equal(huge, np.finfo(np.float32).max)


@pytest.mark.parametrize("table", [srgb_encode_table, srgb_decode_table])
def test_no_sample_is_near_a_float32_rounding_tie_so_any_libm_builds_the_same_table(table):
    # A float64 pow a few ulps off (another libm, another CPU) rounds every sample alike.
    assert float32_rounding_margins(table()).min() > 64
