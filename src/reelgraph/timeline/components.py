"""Timeline components: the typed records that timeline entities carry in the World.

They are also the parsed form of the project file (``project.load`` builds them), so a
project document and the world it is loaded into never disagree. All are frozen; an edit
replaces a component rather than mutating it. Times are integer frames at the sequence
rate; speeds are exact Fractions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypeAlias

from reelgraph.timeline.keyframes import Param

__all__ = [
    "Clip",
    "ColorSource",
    "EffectNode",
    "GeneratorSource",
    "GraphEdge",
    "ImageSequenceSource",
    "MediaSource",
    "Playhead",
    "Sequence",
    "SequenceSource",
    "Source",
    "Track",
    "TrackKind",
    "Transform",
    "Transition",
    "TransitionKind",
]


class TrackKind(enum.Enum):
    """What a track carries."""

    VIDEO = "video"
    AUDIO = "audio"


class TransitionKind(enum.Enum):
    """How one clip gives way to the next."""

    DISSOLVE = "dissolve"
    WIPE = "wipe"


@dataclass(frozen=True, slots=True)
class MediaSource:
    """A video file, an audio file or a still image; ``path`` is relative to the project."""

    path: str


@dataclass(frozen=True, slots=True)
class ImageSequenceSource:
    """Numbered images (``pattern`` is printf-style, e.g. ``seq/f_%04d.png``) at ``rate``."""

    pattern: str
    start_number: int
    rate: Fraction


@dataclass(frozen=True, slots=True)
class ColorSource:
    """A solid colour filling the canvas; ``color`` is premultiplied linear RGBA."""

    color: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class SequenceSource:
    """Another sequence of the project used as a clip (a nested sequence)."""

    sequence: str


@dataclass(frozen=True, slots=True)
class GeneratorSource:
    """A picture made by a plugin generator (``"text.title"``) at the project's size.

    ``params`` may be keyframed (frames relative to the clip's start); strings (text, file
    names, choices) are constant.
    """

    generator: str
    params: tuple[tuple[str, Param | str], ...] = ()


Source: TypeAlias = (
    MediaSource | ImageSequenceSource | ColorSource | SequenceSource | GeneratorSource
)


@dataclass(frozen=True, slots=True)
class Transform:
    """Where a clip's picture lands on the canvas.

    ``position`` is the canvas point (project pixels) where the source's ``anchor``
    (a fraction of the source size; (0.5, 0.5) is its centre) is placed; ``None`` means
    the canvas centre. ``scale`` multiplies the source size, ``rotation`` is in degrees
    clockwise, ``crop`` removes (left, top, right, bottom) source pixels. ``fit`` first
    sizes the source to the canvas: ``contain`` (whole picture, aspect kept; the default),
    ``cover`` (fill, aspect kept), ``stretch`` (fill exactly) or ``none`` (native pixels).
    """

    position: Param | None = None
    scale: Param = 1.0
    rotation: Param = 0.0
    anchor: tuple[float, float] = (0.5, 0.5)
    crop: Param = (0.0, 0.0, 0.0, 0.0)
    fit: str = "contain"


@dataclass(frozen=True, slots=True)
class Sequence:
    """A timeline of tracks; the project's ``main`` sequence is the one rendered."""

    id: str


@dataclass(frozen=True, slots=True)
class Track:
    """A video or audio track of a sequence; video tracks stack upward by ``index``."""

    id: str
    sequence: str
    kind: TrackKind
    index: int
    enabled: bool = True
    name: str = ""


@dataclass(frozen=True, slots=True)
class Clip:
    """A piece of a source placed on a track.

    The clip shows timeline frames ``[start, start + duration)``. Its first frame shows
    the source at ``source_in`` frames (at the sequence rate) from the source's start;
    ``speed`` is the exact playback rate (2 = twice as fast, 1/2 = slow motion, negative
    = reverse, which plays the same source span backwards).
    """

    id: str
    track: str
    start: int
    duration: int
    source: Source
    source_in: int = 0
    speed: Fraction = Fraction(1)
    transform: Transform = field(default_factory=Transform)
    opacity: Param = 1.0
    blend: str = "normal"
    gain_db: Param = 0.0
    fade_in: int = 0
    fade_out: int = 0

    @property
    def end(self) -> int:
        """The first frame after the clip."""
        return self.start + self.duration

    def source_seconds(self, frame: int, rate: Fraction) -> Fraction:
        """The source time (seconds from the source's start) shown at timeline ``frame``."""
        offset = frame - self.start
        if self.speed < 0:
            offset = self.duration - 1 - offset
        return (Fraction(self.source_in) + Fraction(offset) * abs(self.speed)) / rate


@dataclass(frozen=True, slots=True)
class Transition:
    """A transition over the overlap of two clips of one track, ``from_clip`` first."""

    id: str
    track: str
    from_clip: str
    to_clip: str
    kind: TransitionKind = TransitionKind.DISSOLVE
    direction: str = "left_to_right"
    softness: float = 0.0


@dataclass(frozen=True, slots=True)
class EffectNode:
    """An effect applied to a clip's picture; ``params`` may be keyframed."""

    id: str
    clip: str
    kind: str
    params: tuple[tuple[str, Param | str], ...] = ()


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """An edge of a clip's effect chain: ``target`` takes the picture of ``source``.

    A chain starts at the clip (its id as ``source``) and runs through effect node ids.
    """

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Playhead:
    """The frame of a sequence that the next tick renders."""

    sequence: str
    frame: int
