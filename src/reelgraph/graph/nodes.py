"""Render graph nodes: frozen, hashable descriptions of one step of a frame's picture.

A node says *what* to compute with its parameters already evaluated at the frame; the
backend decides *how*. Equal nodes with equal inputs compute equal pictures, which is
what lets the graph share work and (later) key its cache on content.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeAlias

from reelgraph.render.backend import Affine, BlendMode, WipeDirection
from reelgraph.timeline.components import ImageSequenceSource, MediaSource
from reelgraph.timeline.keyframes import Value

__all__ = [
    "BlendNode",
    "DissolveNode",
    "EffectOpNode",
    "FusedNode",
    "GeneratorNode",
    "Node",
    "OpacityNode",
    "PluginEffectNode",
    "SolidNode",
    "SourceNode",
    "TransformNode",
    "WipeNode",
]


@dataclass(frozen=True, slots=True)
class SourceNode:
    """The source picture shown at ``seconds`` from the source's start (no inputs).

    ``proxy`` names the proxy level serving it (``""``: the original); its picture is
    the original's divided by ``scale`` on each side, which the clip's transform makes
    up for, so the output geometry is the same at every level.
    """

    source: MediaSource | ImageSequenceSource
    seconds: Fraction
    proxy: str = ""
    scale: int = 1
    opaque_size: tuple[int, int] | None = None
    """The picture's size when every pixel is opaque (None: it may have transparency)."""

    @property
    def request(self) -> tuple[Any, ...]:
        """The key of its picture among a tick's decoded pictures."""
        if not self.proxy:
            return (self.source, self.seconds)
        return (self.source, self.seconds, self.proxy)


@dataclass(frozen=True, slots=True)
class SolidNode:
    """A ``width x height`` picture of one premultiplied linear colour (no inputs)."""

    width: int
    height: int
    rgba: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class EffectOpNode:
    """An effect of kind ``kind`` with evaluated ``params`` (one input)."""

    kind: str
    params: tuple[tuple[str, Value], ...]


@dataclass(frozen=True, slots=True)
class TransformNode:
    """Resample the input onto a ``width x height`` canvas through ``affine`` (one input)."""

    affine: Affine
    width: int
    height: int
    crop: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class OpacityNode:
    """Scale the input's alpha (and premultiplied colour) by ``factor`` (one input)."""

    factor: float


@dataclass(frozen=True, slots=True)
class DissolveNode:
    """Cross-dissolve from input 0 to input 1 at ``progress`` in [0, 1] (two inputs)."""

    progress: float


@dataclass(frozen=True, slots=True)
class WipeNode:
    """Wipe from input 0 to input 1 at ``progress`` in [0, 1] (two inputs)."""

    progress: float
    direction: WipeDirection
    softness: float


@dataclass(frozen=True, slots=True)
class BlendNode:
    """Composite input 1 (layer) over input 0 (base) with ``mode`` and ``opacity``."""

    mode: BlendMode
    opacity: float


@dataclass(frozen=True, slots=True)
class FusedNode:
    """Per-pixel single-input steps applied in order in one pass (one input)."""

    steps: tuple[EffectOpNode | OpacityNode, ...]


@dataclass(frozen=True, slots=True)
class PluginEffectNode:
    """A plugin effect ``kind`` (``"lut"``, ``"lut.apply"``) with evaluated ``params`` (one input).

    Evaluated on the CPU through the plugin host, whatever the backend; ``revision`` is
    the plugin's content hash, so a changed plugin never matches an old cache key.
    """

    kind: str
    params: tuple[tuple[str, Value | str], ...]
    revision: str = ""
    keeps_alpha: bool = False
    """The plugin declares the effect never changes alpha (see ``OpSpec.keeps_alpha``)."""


@dataclass(frozen=True, slots=True)
class GeneratorNode:
    """A plugin generator's ``width x height`` picture with evaluated ``params`` (no inputs).

    Evaluated on the CPU through the plugin host; ``revision`` as for
    :class:`PluginEffectNode`.
    """

    kind: str
    width: int
    height: int
    params: tuple[tuple[str, Value | str], ...]
    revision: str = ""


Node: TypeAlias = (
    SourceNode
    | SolidNode
    | EffectOpNode
    | TransformNode
    | OpacityNode
    | DissolveNode
    | WipeNode
    | BlendNode
    | FusedNode
    | PluginEffectNode
    | GeneratorNode
)
