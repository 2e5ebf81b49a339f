"""Helpers for tests of reelgraph and of plugins: project builders and generated media."""

from reelgraph.testing.builders import (
    clip,
    color,
    effect,
    generator,
    keys,
    media,
    nested,
    project,
    sequence,
    track,
    transform,
    transition,
)

__all__ = [
    "clip",
    "color",
    "effect",
    "generator",
    "keys",
    "media",
    "nested",
    "project",
    "sequence",
    "track",
    "transform",
    "transition",
]
