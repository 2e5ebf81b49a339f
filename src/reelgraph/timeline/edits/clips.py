"""Clip edits: insert, remove and move a clip (optionally rippling the rest of the track).

JSON forms::

    {"kind": "insert", "track": "V1", "clip": {Clip.1 with its effects}, "ripple": false}
    {"kind": "remove", "clip": "a", "ripple": false}
    {"kind": "move", "clip": "a", "start": 40, "track": "V2"}

``ripple`` on insert pushes every clip of the track that starts at or after the new clip
later by its duration; on remove it pulls every clip after the removed one earlier by its
duration. Removing a clip removes its effects and the transitions that name it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from reelgraph.errors import EditRefusedError, ProjectValidationError
from reelgraph.project.parse import parse_clip
from reelgraph.project.save import clip_to_data
from reelgraph.timeline.components import Clip, EffectNode
from reelgraph.timeline.edits.base import Edit
from reelgraph.timeline.edits.builder import PatchBuilder
from reelgraph.timeline.edits.fields import Fields
from reelgraph.timeline.edits.timing import shift_clips

__all__ = ["InsertClip", "MoveClip", "RemoveClip"]


@dataclass(frozen=True, slots=True)
class InsertClip(Edit):
    """Put a new clip (with its effect chain, in order) on its track."""

    clip: Clip
    effects: tuple[EffectNode, ...] = ()
    ripple: bool = False
    kind: ClassVar[str] = "insert"

    def build(self, builder: PatchBuilder) -> None:
        track = builder.track(self.clip.track)
        for effect in self.effects:
            if effect.clip != self.clip.id:
                raise EditRefusedError(
                    f"effect {effect.id!r} belongs to {effect.clip!r}, not {self.clip.id!r}",
                    id=effect.id,
                )
        if self.ripple:
            shift_clips(builder, track.id, self.clip.start - 1, self.clip.duration)
        builder.insert(builder.clip_slot(track.id, self.clip.start), self.clip)
        builder.set_chain(self.clip.id, self.effects)

    def fields_to_data(self) -> dict[str, Any]:
        data = {"track": self.clip.track, "clip": clip_to_data(self.clip, self.effects)}
        return {**data, "ripple": True} if self.ripple else data

    @classmethod
    def from_fields(cls, fields: Fields) -> InsertClip:
        track = fields.text("track")
        value = fields.fragment("clip", "Clip.1")
        ripple = fields.flag("ripple")
        try:
            parsed = parse_clip(value, track)
        except ProjectValidationError as exc:
            raise fields.parse_error("clip", exc) from None
        return cls(parsed.clips[0], parsed.effects, ripple)


@dataclass(frozen=True, slots=True)
class RemoveClip(Edit):
    """Take a clip off the timeline, with its effects and the transitions that name it."""

    clip: str
    ripple: bool = False
    kind: ClassVar[str] = "remove"

    def build(self, builder: PatchBuilder) -> None:
        clip = builder.clip(self.clip)
        for transition in builder.transitions_of(clip.id):
            builder.remove(transition)
        builder.set_chain(clip.id, ())
        builder.remove(clip)
        if self.ripple:
            shift_clips(builder, clip.track, clip.start, -clip.duration)

    def fields_to_data(self) -> dict[str, Any]:
        return {"clip": self.clip, **({"ripple": True} if self.ripple else {})}

    @classmethod
    def from_fields(cls, fields: Fields) -> RemoveClip:
        return cls(fields.text("clip"), fields.flag("ripple"))


@dataclass(frozen=True, slots=True)
class MoveClip(Edit):
    """Place a clip at another start frame, and optionally on another track.

    A clip joined by a transition can move along its track only while the transition's
    overlap holds; to move it to another track, remove the transition first.
    """

    clip: str
    start: int
    track: str | None = None
    kind: ClassVar[str] = "move"

    def build(self, builder: PatchBuilder) -> None:
        clip = builder.clip(self.clip)
        moved = replace(clip, start=self.start)
        if self.track is None or self.track == clip.track:
            builder.replace(moved)
            return
        builder.track(self.track)
        joined = builder.transitions_of(clip.id)
        if joined:
            raise EditRefusedError(
                f"clip {clip.id!r} is joined by transition {joined[0].id!r}; "
                "remove the transition before moving the clip to another track",
                clip=clip.id,
                transition=joined[0].id,
            )
        effects = builder.effects_of(clip.id)
        builder.remove(clip)
        moved = replace(moved, track=self.track)
        builder.insert(builder.clip_slot(self.track, self.start), moved)
        builder.set_chain(clip.id, effects, reposition=True)

    def fields_to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"clip": self.clip, "start": self.start}
        return {**data, "track": self.track} if self.track is not None else data

    @classmethod
    def from_fields(cls, fields: Fields) -> MoveClip:
        return cls(fields.text("clip"), fields.integer("start"), fields.text("track", None))
