"""reelgraph plugin ``lut``: apply ``.cube`` 1D and 3D LUTs to the picture.

In a project: ``{"schema": "Effect.1", "kind": "lut", "params": {"file": "grade.cube"}}``.
See :mod:`reelgraph_lut.plugin` for the parameters, :mod:`reelgraph_lut.cube` for the file
format, :mod:`reelgraph_lut.interpolate` for the interpolation and :mod:`reelgraph_lut.kernel`
for the compiled pass that grades frames (imported on first use: it brings in numba).
"""

from reelgraph_lut.cube import CubeError, CubeLut, parse_cube, read_cube, write_cube
from reelgraph_lut.interpolate import apply_1d, tetrahedral, trilinear

__all__ = [
    "CubeError",
    "CubeLut",
    "apply_1d",
    "parse_cube",
    "read_cube",
    "tetrahedral",
    "trilinear",
    "write_cube",
]
