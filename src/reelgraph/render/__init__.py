"""Rendering: the working colour format, the backend contract and the CPU reference backend.

The working format is premultiplied, scene-linear ``float32`` RGBA with Rec.709 primaries,
``(H, W, 4)`` C-contiguous. :mod:`~reelgraph.render.color` converts at the edges;
:class:`Backend` is the contract that :class:`CpuBackend` (and later a GPU backend)
implements. Nothing here imports ``av`` or ``wgpu``.
"""

from __future__ import annotations

from reelgraph.render.affine import Affine, clip_transform
from reelgraph.render.backend import Backend
from reelgraph.render.color import (
    from_working,
    linear_to_srgb,
    parse_color,
    srgb_to_linear,
    to_working,
)
from reelgraph.render.cpu import CpuBackend
from reelgraph.render.effects import EFFECT_KINDS, EFFECTS, EffectSpec, effect_params
from reelgraph.render.modes import BlendMode, WipeDirection

__all__ = [
    "EFFECTS",
    "EFFECT_KINDS",
    "Affine",
    "Backend",
    "BlendMode",
    "CpuBackend",
    "EffectSpec",
    "WipeDirection",
    "clip_transform",
    "effect_params",
    "from_working",
    "linear_to_srgb",
    "parse_color",
    "srgb_to_linear",
    "to_working",
]
