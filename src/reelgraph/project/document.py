"""The parsed project: format, export block and the timeline's entities.

A :class:`ProjectDocument` is what :func:`reelgraph.project.load_project` returns and
what :func:`reelgraph.timeline.spawn_timeline` puts into a World.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from reelgraph.timeline.components import Clip, EffectNode, GraphEdge, Sequence, Track, Transition

__all__ = ["Format", "ProjectDocument"]


@dataclass(frozen=True, slots=True)
class Format:
    """The canvas and clock of the project."""

    width: int
    height: int
    rate: Fraction
    sample_rate: int = 48000
    channels: int = 2
    background: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)


@dataclass(frozen=True, slots=True)
class ProjectDocument:
    """A loaded project; ``base_dir`` is the folder media paths are relative to."""

    name: str
    format: Format
    main: str
    sequences: tuple[Sequence, ...]
    tracks: tuple[Track, ...]
    clips: tuple[Clip, ...]
    transitions: tuple[Transition, ...] = ()
    effects: tuple[EffectNode, ...] = ()
    edges: tuple[GraphEdge, ...] = ()
    export: dict[str, Any] = field(default_factory=dict)
    base_dir: Path = Path(".")

    def resolve_media(self, path: str) -> Path:
        """A media path of the project as an absolute path."""
        candidate = Path(path)
        return candidate if candidate.is_absolute() else (self.base_dir / candidate)
