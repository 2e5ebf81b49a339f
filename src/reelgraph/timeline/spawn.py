"""Put a loaded project's timeline into a World as entities, and read it back."""

from __future__ import annotations

from reelgraph.ecs import World
from reelgraph.project.document import ProjectDocument
from reelgraph.timeline.components import (
    Clip,
    EffectNode,
    GraphEdge,
    Sequence,
    Track,
    Transition,
)
from reelgraph.timeline.index import TimelineIndex

__all__ = ["index_from_world", "spawn_timeline"]


def spawn_timeline(world: World, document: ProjectDocument) -> None:
    """One entity per sequence, track, clip, transition, effect node and graph edge.

    Entities are spawned in document order, so entity ids (and every query over them)
    are the same on every run.
    """
    for group in (
        document.sequences,
        document.tracks,
        document.clips,
        document.transitions,
        document.effects,
        document.edges,
    ):
        for component in group:
            world.spawn(component)


def index_from_world(world: World) -> TimelineIndex:
    """A fresh :class:`TimelineIndex` of the timeline components in ``world``."""
    return TimelineIndex(
        sequences=[c for _, c in world.query(Sequence)],
        tracks=[c for _, c in world.query(Track)],
        clips=[c for _, c in world.query(Clip)],
        transitions=[c for _, c in world.query(Transition)],
        effects=[c for _, c in world.query(EffectNode)],
        edges=[c for _, c in world.query(GraphEdge)],
    )
