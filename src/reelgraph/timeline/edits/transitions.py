"""Transition edits: join two overlapping clips of a track with a transition, or unjoin them.

JSON forms (the track is the clips' own; an id defaults to ``<track>.<from>-><to>``)::

    {"kind": "add_transition", "transition": {Transition.1}}
    {"kind": "remove_transition", "transition": "V1.a->b"}
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from reelgraph.errors import ProjectValidationError
from reelgraph.project.parse import parse_transition
from reelgraph.project.save import transition_to_data
from reelgraph.timeline.components import Transition
from reelgraph.timeline.edits.base import Edit
from reelgraph.timeline.edits.builder import PatchBuilder
from reelgraph.timeline.edits.fields import Fields

__all__ = ["AddTransition", "RemoveTransition"]


@dataclass(frozen=True, slots=True)
class AddTransition(Edit):
    """Join ``from_clip`` to ``to_clip`` (which must overlap its end) with a transition.

    ``transition.track`` and ``transition.id`` may be empty: the track is then the clips'
    and the id ``<track>.<from>-><to>``, as when a project file leaves it out.
    """

    transition: Transition
    kind: ClassVar[str] = "add_transition"

    def build(self, builder: PatchBuilder) -> None:
        first = builder.clip(self.transition.from_clip)
        builder.clip(self.transition.to_clip)
        track = self.transition.track or first.track
        builder.track(track)
        default_id = f"{track}.{self.transition.from_clip}->{self.transition.to_clip}"
        transition = replace(self.transition, track=track, id=self.transition.id or default_id)
        builder.insert(builder.transition_slot(track), transition)

    def fields_to_data(self) -> dict[str, Any]:
        body = transition_to_data(self.transition)
        if not self.transition.id:
            del body["id"]
        return {
            "transition": body,
            **({"track": self.transition.track} if self.transition.track else {}),
        }

    @classmethod
    def from_fields(cls, fields: Fields) -> AddTransition:
        value = fields.fragment("transition", "Transition.1")
        track = fields.text("track", "")
        try:
            parsed = parse_transition(value, track)
        except ProjectValidationError as exc:
            raise fields.parse_error("transition", exc) from None
        return cls(replace(parsed, id=value.get("id", "")))


@dataclass(frozen=True, slots=True)
class RemoveTransition(Edit):
    """Remove a transition; its clips must then no longer overlap (or the edit is refused)."""

    transition: str
    kind: ClassVar[str] = "remove_transition"

    def build(self, builder: PatchBuilder) -> None:
        builder.remove(builder.require("transitions", self.transition, Transition))

    def fields_to_data(self) -> dict[str, Any]:
        return {"transition": self.transition}

    @classmethod
    def from_fields(cls, fields: Fields) -> RemoveTransition:
        return cls(fields.text("transition"))
