"""World resources of the engine: the clock, the target, colour, and per-tick products."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from reelgraph.render.backend import Backend

__all__ = [
    "ColorProfile",
    "CompositedFrame",
    "DecodedFrames",
    "FrameStatus",
    "MixedAudio",
    "RenderBackend",
    "RenderTarget",
    "Timebase",
    "TimelineChanged",
]


@dataclass(frozen=True, slots=True)
class Timebase:
    """The project clock: video ``rate`` (exact) and audio ``sample_rate``/``channels``."""

    rate: Fraction
    sample_rate: int
    channels: int


@dataclass(frozen=True, slots=True)
class ColorProfile:
    """The working space and the edges' conversions (fixed for now; OCIO later)."""

    working: str = "scene-linear Rec.709, premultiplied float32 RGBA"
    transfer: str = "sRGB piecewise EOTF/OETF at the edges"
    output_matrix: str = "bt709"
    output_range: str = "limited"


@dataclass(frozen=True, slots=True)
class RenderTarget:
    """The canvas the graph renders at (may differ from the project's format)."""

    width: int
    height: int


@dataclass(frozen=True, slots=True)
class RenderBackend:
    """The backend the Composite set evaluates the graph with."""

    backend: Backend


@dataclass
class DecodedFrames:
    """Source pictures decoded for the current tick, keyed by ``SourceNode.request``.

    That is ``(source, seconds)``, or ``(source, seconds, proxy level)`` for a proxy.
    """

    frames: dict[tuple[Any, ...], np.ndarray] = field(default_factory=dict)


@dataclass
class FrameStatus:
    """What the Decode set found for this tick: ``pixels`` when the frame was cached, or
    when it shows one source picture as it is (``shown_as_is``; nothing to composite, see
    :mod:`reelgraph.graph.passthrough`)."""

    frame: int
    pixels: np.ndarray | None = None
    shown_as_is: bool = False


@dataclass
class CompositedFrame:
    """The finished picture of the tick: ``(H, W, 4)`` premultiplied linear float32."""

    frame: int
    image: np.ndarray


@dataclass
class MixedAudio:
    """The mixed samples belonging to the tick's frame, ``(channels, n)`` float32."""

    frame: int
    samples: np.ndarray


@dataclass(frozen=True, slots=True)
class TimelineChanged:
    """Event: the timeline's components changed; derived indexes must be rebuilt."""

    reason: str = ""
