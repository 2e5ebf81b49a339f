"""The ``lut`` plugin: one effect, ``lut.apply`` (``"kind": "lut"`` for short).

Parameters:

* ``file``: the ``.cube`` file, relative to the project's folder.
* ``interpolation``: ``tetrahedral`` (default) or ``trilinear`` for 3D tables.
* ``strength``: 0..1, mixes the graded colour with the original in linear light.
* ``input``: the encoding the LUT expects. ``srgb`` (default; most grading LUTs are
  display-referred): the linear working colour is encoded with the sRGB curve before the
  lookup and decoded after it. ``linear``: the lookup reads linear values directly.
* ``input_range`` / ``output_range``: ``full`` (default) or ``legal``: the LUT expects /
  produces video-range values (16..235 of 255), which are mapped from / back to full range.

The lookup acts on straight (un-premultiplied) colour, so transparent edges keep their
colour; alpha is never changed. Input outside the LUT's domain is clamped to it, as every
``.cube`` reader does. Steps, per pixel: unpremultiply, encode (``srgb``), legal-range in,
1D shaper, 3D table, legal-range out, decode, mix by strength, premultiply.

The grading runs as one compiled pass (:mod:`reelgraph_lut.kernel`, numba). The numpy
path here, :func:`grade_with_numpy`, is the reference the kernel is tested against, and
grades instead where numba cannot be imported.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from types import MappingProxyType, ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from reelgraph.plugins.protocols import OpSpec, PluginContext, PluginValue
from reelgraph_lut.cube import CubeLut, read_cube
from reelgraph_lut.interpolate import apply_1d, tetrahedral, to_unit, trilinear

__all__ = ["LutPlugin", "create", "grade_with_numpy", "linear_to_srgb", "srgb_to_linear"]

_SPEC = OpSpec(
    summary="Apply a .cube 1D/3D LUT (tetrahedral or trilinear), mixed by strength.",
    defaults=MappingProxyType(
        {
            "file": "",
            "interpolation": "tetrahedral",
            "strength": 1.0,
            "input": "srgb",
            "input_range": "full",
            "output_range": "full",
        }
    ),
    ranges=MappingProxyType({"strength": (0.0, 1.0)}),
    choices=MappingProxyType(
        {
            "interpolation": ("tetrahedral", "trilinear"),
            "input": ("srgb", "linear"),
            "input_range": ("full", "legal"),
            "output_range": ("full", "legal"),
        }
    ),
    paths=("file",),
    keeps_alpha=True,  # colour is graded; alpha passes through unchanged
)
_BAND = 1 << 16  # pixels per band: the temporaries of one band stay in cache
_LEGAL_LOW, _LEGAL_SPAN = 16.0 / 255.0, 219.0 / 255.0


def linear_to_srgb(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """The sRGB OETF in float32 (negative values mirrored), as the engine's edges use."""
    a = np.abs(x)
    high = np.float32(1.055) * np.power(np.maximum(a, np.float32(0.0031308)), np.float32(1 / 2.4))
    out = np.where(a <= 0.0031308, a * np.float32(12.92), high - np.float32(0.055))
    return np.copysign(out, x).astype(np.float32, copy=False)


def srgb_to_linear(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """The sRGB EOTF in float32 (negative values mirrored)."""
    a = np.abs(x)
    high = np.power(
        (np.maximum(a, np.float32(0.04045)) + np.float32(0.055)) / np.float32(1.055),
        np.float32(2.4),
    )
    out = np.where(a <= 0.04045, a / np.float32(12.92), high)
    return np.copysign(out, x).astype(np.float32, copy=False)


class LutPlugin:
    """Implements the ``effect`` feature (see ``reelgraph.plugins.protocols.EffectPlugin``)."""

    def __init__(self, context: PluginContext | None = None) -> None:
        self.context = context
        self._luts: dict[tuple[str, int, int], tuple[CubeLut, Any, Any]] = {}

    def effect_specs(self) -> Mapping[str, OpSpec]:
        """``apply``: the plugin's one effect."""
        return {"apply": _SPEC}

    def apply_effect(
        self, name: str, image: NDArray[np.float32], params: Mapping[str, PluginValue]
    ) -> NDArray[np.float32]:
        """Grade ``image`` (``(H, W, 4)`` premultiplied linear float32) through the LUT."""
        if name != "apply":
            raise ValueError(f"unknown effect {name!r}")
        path = str(params["file"])
        if not path:
            raise ValueError("the lut effect needs a 'file' (a .cube file)")
        lut, table_1d, table_3d = self._load(path)
        kernel = _compiled_kernel()
        if kernel is None:
            return _grade_in_bands(image, lut, table_1d, table_3d, params)
        graded: NDArray[np.float32] = kernel.grade(
            image,
            table_1d=table_1d,
            domain_1d=lut.domain_1d,
            table_3d=table_3d,
            domain_3d=lut.domain_3d,
            tetrahedral=params["interpolation"] == "tetrahedral",
            srgb=params["input"] == "srgb",
            legal_in=params["input_range"] == "legal",
            legal_out=params["output_range"] == "legal",
            strength=float(params["strength"]),  # type: ignore[arg-type]
        )
        return graded

    def _load(self, path: str) -> tuple[CubeLut, Any, Any]:
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        cached = self._luts.get(key)
        if cached is None:
            lut = read_cube(path)
            cached = (lut, *_float32_tables(lut))
            self._luts = {key: cached}  # one LUT kept: a project rarely alternates many
        return cached


@functools.cache
def _compiled_kernel() -> ModuleType | None:
    """:mod:`reelgraph_lut.kernel`, or None where numba cannot be imported."""
    try:
        from reelgraph_lut import kernel
    except ImportError:
        return None
    return kernel


def _float32_tables(lut: CubeLut) -> tuple[Any, Any]:
    table_1d = None if lut.table_1d is None else lut.table_1d.astype(np.float32)
    table_3d = None if lut.table_3d is None else lut.table_3d.astype(np.float32)
    return table_1d, table_3d


def grade_with_numpy(
    image: NDArray[np.float32], lut: CubeLut, params: Mapping[str, PluginValue]
) -> NDArray[np.float32]:
    """Grade ``image`` (``(H, W, 4)`` premultiplied linear float32) in numpy, step by step.

    The reference for :mod:`reelgraph_lut.kernel`, and the effect where numba is missing;
    ``params`` are the effect's, all given.
    """
    return _grade_in_bands(image, lut, *_float32_tables(lut), params)


def _grade_in_bands(
    image: NDArray[np.float32],
    lut: CubeLut,
    table_1d: NDArray[np.float32] | None,
    table_3d: NDArray[np.float32] | None,
    params: Mapping[str, PluginValue],
) -> NDArray[np.float32]:
    pixels = image.reshape(-1, 4)
    out = np.empty_like(pixels)
    for start in range(0, pixels.shape[0], _BAND):
        band = pixels[start : start + _BAND]
        out[start : start + _BAND] = _grade(band, lut, table_1d, table_3d, params)
    return out.reshape(image.shape)


def _grade(
    band: NDArray[np.float32],
    lut: CubeLut,
    table_1d: NDArray[np.float32] | None,
    table_3d: NDArray[np.float32] | None,
    params: Mapping[str, PluginValue],
) -> NDArray[np.float32]:
    alpha = band[:, 3:4]
    if alpha.min() == 1.0:  # opaque video: premultiplied is straight
        original = band[:, :3]
    else:
        opaque = alpha > 0
        safe = np.where(opaque, alpha, np.float32(1.0))
        original = np.where(opaque, band[:, :3] / safe, np.float32(0.0))
    colour = linear_to_srgb(original) if params["input"] == "srgb" else original.copy()
    if params["input_range"] == "legal":
        colour = colour * np.float32(_LEGAL_SPAN) + np.float32(_LEGAL_LOW)
    if table_1d is not None:
        colour = apply_1d(table_1d, to_unit(colour, lut.domain_1d))
    if table_3d is not None:
        lookup = tetrahedral if params["interpolation"] == "tetrahedral" else trilinear
        colour = lookup(table_3d, to_unit(colour, lut.domain_3d))
    if params["output_range"] == "legal":
        colour = (colour - np.float32(_LEGAL_LOW)) / np.float32(_LEGAL_SPAN)
    graded = srgb_to_linear(colour) if params["input"] == "srgb" else colour
    strength = np.float32(float(params["strength"]))  # type: ignore[arg-type]
    if strength != 1.0:
        graded = original + (graded - original) * strength
    out = np.empty_like(band)
    out[:, :3] = graded * alpha if alpha.min() != 1.0 else graded
    out[:, 3:4] = alpha
    return out


def create(context: PluginContext) -> LutPlugin:
    """The entry point: the plugin object."""
    return LutPlugin(context)
