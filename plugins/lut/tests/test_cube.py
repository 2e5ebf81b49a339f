"""Reading and writing .cube files."""

from __future__ import annotations

import numpy as np
import pytest
from reelgraph_lut.cube import CubeError, parse_cube, read_cube, write_cube

SMALL = """# a comment
TITLE "Two by two"
LUT_3D_SIZE 2
DOMAIN_MIN 0 0 0
DOMAIN_MAX 1 1 2   # blue covers 0..2

0 0 0
1 0 0
0 1 0
1 1 0
0 0 1
1 0 1
0 1 1
1 1 1
"""


def test_a_3d_table_is_read_red_fastest_into_rgb_order():
    lut = parse_cube(SMALL)
    assert lut.title == "Two by two"
    assert lut.table_3d is not None and lut.table_3d.shape == (2, 2, 2, 3)
    for r in (0, 1):
        for g in (0, 1):
            for b in (0, 1):
                assert tuple(lut.table_3d[r, g, b]) == (r, g, b)
    np.testing.assert_array_equal(lut.domain_3d, [[0, 0, 0], [1, 1, 2]])


def test_a_shaper_1d_table_comes_before_the_3d_one():
    text = "LUT_1D_SIZE 3\nLUT_3D_SIZE 2\nLUT_1D_INPUT_RANGE 0 4\n0 0 0\n.5 .5 .5\n1 1 1\n"
    text += "\n".join(
        " ".join(str(v) for v in (r, g, b)) for b in (0, 1) for g in (0, 1) for r in (0, 1)
    )
    lut = parse_cube(text)
    assert lut.table_1d is not None and lut.table_1d.shape == (3, 3)
    np.testing.assert_array_equal(lut.domain_1d, [[0, 0, 0], [4, 4, 4]])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("LUT_3D_SIZE 2\n0 0 0\n", "1 data lines, expected 8"),
        ("LUT_3D_SIZE 1\n", "outside 2..256"),
        ("LUT_3D_SIZE 2\nGAMMA 2.2\n", ":2: unknown keyword 'GAMMA'"),
        ("LUT_1D_SIZE 2\n0 0\n1 1 1\n", ":2: expected 3 number"),
        ("LUT_1D_SIZE 2\n0 0 nan\n1 1 1\n", "finite"),
        ('TITLE "x"\n', "no LUT_1D_SIZE or LUT_3D_SIZE"),
        ("LUT_1D_SIZE 2\nDOMAIN_MIN 1 1 1\nDOMAIN_MAX 0 0 0\n0 0 0\n1 1 1\n", "above"),
    ],
)
def test_malformed_files_name_the_problem_and_line(text, problem):
    with pytest.raises(CubeError, match=problem):
        parse_cube(text, source="x.cube")


def test_a_written_table_reads_back_exactly(tmp_path):
    rng = np.random.default_rng(7)
    table = rng.random((5, 5, 5, 3))
    write_cube(tmp_path / "t.cube", table, title="random")
    lut = read_cube(tmp_path / "t.cube")
    np.testing.assert_allclose(lut.table_3d, table, atol=1e-8)
    assert lut.title == "random"
