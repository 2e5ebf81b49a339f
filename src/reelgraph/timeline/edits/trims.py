"""Trim edits: trim, slip, slide, ripple, roll and split.

All keep the picture of the frames that stay (see :mod:`.timing`). ``delta`` is in frames;
for trims and ripples a positive delta makes the clip longer on that ``side``. JSON forms::

    {"kind": "trim",   "clip": "a", "side": "start" | "end", "delta": -5}
    {"kind": "slip",   "clip": "a", "delta": 10}        # source_in += 10, clip stays put
    {"kind": "slide",  "clip": "b", "delta": 4}         # b moves, its neighbours follow
    {"kind": "ripple", "clip": "a", "side": "end", "delta": -5}  # later clips follow
    {"kind": "roll",   "clip": "a", "delta": 3}         # the cut after a moves
    {"kind": "split",  "clip": "a", "at": 15, "new_id": "a.2"}

A clip's *neighbours* are the clips it is joined to by a transition or that touch it
exactly (end to start) on its track. Keyframes stay where they are relative to the clip's
start, except that :class:`Split` moves the right part's keys with its new start.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from reelgraph.errors import EditRefusedError
from reelgraph.timeline.components import Clip, EffectNode, Transform, Transition
from reelgraph.timeline.edits.base import Edit
from reelgraph.timeline.edits.builder import PatchBuilder
from reelgraph.timeline.edits.fields import Fields
from reelgraph.timeline.edits.timing import (
    shift_clips,
    shift_param,
    source_frames,
    trim_head,
    trim_tail,
)
from reelgraph.timeline.keyframes import Param

__all__ = ["Ripple", "Roll", "Slide", "Slip", "Split", "Trim"]

_SIDES = ("start", "end")


def _previous(builder: PatchBuilder, clip: Clip) -> Clip | None:
    for transition in builder.transitions_of(clip.id):
        if transition.to_clip == clip.id:
            return builder.clip(transition.from_clip)
    touching = [c for c in builder.clips_on(clip.track) if c.end == clip.start and c.id != clip.id]
    return touching[0] if touching else None


def _next(builder: PatchBuilder, clip: Clip) -> Clip | None:
    for transition in builder.transitions_of(clip.id):
        if transition.from_clip == clip.id:
            return builder.clip(transition.to_clip)
    touching = [c for c in builder.clips_on(clip.track) if c.start == clip.end and c.id != clip.id]
    return touching[0] if touching else None


@dataclass(frozen=True, slots=True)
class Trim(Edit):
    """Move one edge of a clip; the other clips stay where they are."""

    clip: str
    side: str
    delta: int
    kind: ClassVar[str] = "trim"

    def build(self, builder: PatchBuilder) -> None:
        clip = builder.clip(self.clip)
        if self.side == "start":
            builder.replace(trim_head(clip, -self.delta))
        else:
            builder.replace(trim_tail(clip, self.delta))

    def fields_to_data(self) -> dict[str, Any]:
        return {"clip": self.clip, "side": self.side, "delta": self.delta}

    @classmethod
    def from_fields(cls, fields: Fields) -> Trim:
        return cls(fields.text("clip"), fields.choice("side", _SIDES), fields.integer("delta"))


@dataclass(frozen=True, slots=True)
class Slip(Edit):
    """Show another part of the source in the same place: ``source_in`` moves by ``delta``."""

    clip: str
    delta: int
    kind: ClassVar[str] = "slip"

    def build(self, builder: PatchBuilder) -> None:
        clip = builder.clip(self.clip)
        builder.replace(replace(clip, source_in=clip.source_in + self.delta))

    def fields_to_data(self) -> dict[str, Any]:
        return {"clip": self.clip, "delta": self.delta}

    @classmethod
    def from_fields(cls, fields: Fields) -> Slip:
        return cls(fields.text("clip"), fields.integer("delta"))


@dataclass(frozen=True, slots=True)
class Slide(Edit):
    """Move a clip along its track; the neighbour before ends and the one after starts with it."""

    clip: str
    delta: int
    kind: ClassVar[str] = "slide"

    def build(self, builder: PatchBuilder) -> None:
        clip = builder.clip(self.clip)
        before, after = _previous(builder, clip), _next(builder, clip)
        builder.replace(replace(clip, start=clip.start + self.delta))
        if before is not None:
            builder.replace(trim_tail(before, self.delta))
        if after is not None:
            builder.replace(trim_head(after, self.delta))

    def fields_to_data(self) -> dict[str, Any]:
        return {"clip": self.clip, "delta": self.delta}

    @classmethod
    def from_fields(cls, fields: Fields) -> Slide:
        return cls(fields.text("clip"), fields.integer("delta"))


@dataclass(frozen=True, slots=True)
class Ripple(Edit):
    """Lengthen (or shorten) one side of a clip and move every later clip of the track with it.

    On the ``start`` side the clip keeps its start and reveals (or hides) source at its
    head; either way the clips that start after it move by ``delta``.
    """

    clip: str
    side: str
    delta: int
    kind: ClassVar[str] = "ripple"

    def build(self, builder: PatchBuilder) -> None:
        clip = builder.clip(self.clip)
        if self.side == "start":
            longer = trim_head(clip, -self.delta)
            changed = replace(longer, start=clip.start)
        else:
            changed = trim_tail(clip, self.delta)
        shift_clips(builder, clip.track, clip.start, self.delta, skip=(clip.id,))
        builder.replace(changed)

    def fields_to_data(self) -> dict[str, Any]:
        return {"clip": self.clip, "side": self.side, "delta": self.delta}

    @classmethod
    def from_fields(cls, fields: Fields) -> Ripple:
        return cls(fields.text("clip"), fields.choice("side", _SIDES), fields.integer("delta"))


@dataclass(frozen=True, slots=True)
class Roll(Edit):
    """Move the cut between a clip and the next one: one ends later, the other starts later."""

    clip: str
    delta: int
    kind: ClassVar[str] = "roll"

    def build(self, builder: PatchBuilder) -> None:
        clip = builder.clip(self.clip)
        after = _next(builder, clip)
        if after is None:
            raise EditRefusedError(
                f"no clip follows {clip.id!r} directly on {clip.track!r}; there is no cut to roll",
                clip=clip.id,
                reason="no_cut",
            )
        builder.replace(trim_tail(clip, self.delta))
        builder.replace(trim_head(after, self.delta))

    def fields_to_data(self) -> dict[str, Any]:
        return {"clip": self.clip, "delta": self.delta}

    @classmethod
    def from_fields(cls, fields: Fields) -> Roll:
        return cls(fields.text("clip"), fields.integer("delta"))


@dataclass(frozen=True, slots=True)
class Split(Edit):
    """Cut a clip in two at timeline frame ``at``; the right part gets ``new_id``.

    The right part takes a copy of the effect chain (ids ``<new_id>.fx<n>``), the fade-out
    and the transition out of the clip; the left part keeps the id, the fade-in and the
    transition into it. Without ``new_id`` the right part is ``<clip>.<n>``, the first
    unused ``n`` from 2.
    """

    clip: str
    at: int
    new_id: str | None = None
    kind: ClassVar[str] = "split"

    def build(self, builder: PatchBuilder) -> None:
        clip = builder.clip(self.clip)
        if not clip.start < self.at < clip.end:
            raise EditRefusedError(
                f"frame {self.at} is not inside clip {clip.id!r} ({clip.start}-{clip.end})",
                clip=clip.id,
                frame=self.at,
                reason="outside_clip",
            )
        new_id = self.new_id or _free_id(builder, clip.id)
        offset = self.at - clip.start
        if clip.speed > 0:
            left_in = clip.source_in
            right_in = clip.source_in + source_frames(clip, offset)
        else:
            left_in = clip.source_in + source_frames(clip, clip.duration - offset)
            right_in = clip.source_in
        builder.replace(replace(clip, duration=offset, fade_out=0, source_in=left_in))
        right = _right_part(clip, new_id, offset, right_in)
        builder.insert(builder.position("clips", clip.id) + 1, right)  # type: ignore[operator]
        chain = [
            EffectNode(f"{new_id}.fx{n}", new_id, e.kind, _shifted(e.params, offset))
            for n, e in enumerate(builder.effects_of(clip.id))
        ]
        builder.set_chain(new_id, chain)
        for transition in builder.transitions_of(clip.id):
            if transition.from_clip == clip.id:
                builder.replace(_handed_over(transition, new_id), key=transition.id)

    def fields_to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"clip": self.clip, "at": self.at}
        return {**data, "new_id": self.new_id} if self.new_id is not None else data

    @classmethod
    def from_fields(cls, fields: Fields) -> Split:
        return cls(fields.text("clip"), fields.integer("at"), fields.text("new_id", None))


def _handed_over(transition: Transition, from_clip: str) -> Transition:
    """The transition out of a split clip, now out of its right part (a default id follows)."""
    default = f"{transition.track}.{transition.from_clip}->{transition.to_clip}"
    moved = replace(transition, from_clip=from_clip)
    if transition.id == default:
        moved = replace(moved, id=f"{transition.track}.{from_clip}->{transition.to_clip}")
    return moved


def _free_id(builder: PatchBuilder, base: str) -> str:
    number = 2
    while builder.exists(f"{base}.{number}"):
        number += 1
    return f"{base}.{number}"


def _shifted(
    params: tuple[tuple[str, Param | str], ...], offset: int
) -> tuple[tuple[str, Param | str], ...]:
    return tuple((name, shift_param(value, offset)) for name, value in params)


def _right_part(clip: Clip, new_id: str, offset: int, source_in: int) -> Clip:
    t = clip.transform
    transform = Transform(
        position=None if t.position is None else shift_param(t.position, offset),
        scale=shift_param(t.scale, offset),
        rotation=shift_param(t.rotation, offset),
        anchor=t.anchor,
        crop=shift_param(t.crop, offset),
        fit=t.fit,
    )
    return replace(
        clip,
        id=new_id,
        start=clip.start + offset,
        duration=clip.duration - offset,
        source_in=source_in,
        transform=transform,
        opacity=shift_param(clip.opacity, offset),
        gain_db=shift_param(clip.gain_db, offset),
        fade_in=0,
    )
