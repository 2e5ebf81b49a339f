"""Effect edits: add an effect to a clip's chain, move it in the chain, remove it.

JSON forms (``index`` is the place in the chain, 0 first; absent: at the end)::

    {"kind": "add_effect", "clip": "a", "effect": {Effect.1}, "index": 0}
    {"kind": "move_effect", "effect": "a.fx0", "index": 1}
    {"kind": "remove_effect", "effect": "a.fx0"}

An effect without an id gets ``<clip>.fx<n>``, the first unused ``n``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from reelgraph.errors import EditRefusedError, ProjectValidationError
from reelgraph.project.parse import parse_effect
from reelgraph.project.save import effect_to_data
from reelgraph.timeline.components import EffectNode
from reelgraph.timeline.edits.base import Edit
from reelgraph.timeline.edits.builder import PatchBuilder
from reelgraph.timeline.edits.fields import Fields

__all__ = ["AddEffect", "MoveEffect", "RemoveEffect"]


def _place(chain: list[EffectNode], index: int | None, effect: EffectNode) -> list[EffectNode]:
    at = len(chain) if index is None else index
    if not 0 <= at <= len(chain):
        raise EditRefusedError(
            f"the chain has {len(chain)} effect(s); index {at} is outside 0..{len(chain)}",
            index=at,
            reason="bad_index",
        )
    return [*chain[:at], effect, *chain[at:]]


def _free_id(builder: PatchBuilder, clip_id: str) -> str:
    number = 0
    while builder.exists(f"{clip_id}.fx{number}"):
        number += 1
    return f"{clip_id}.fx{number}"


@dataclass(frozen=True, slots=True)
class AddEffect(Edit):
    """Put an effect into a clip's chain at ``index`` (default: last)."""

    effect: EffectNode
    index: int | None = None
    kind: ClassVar[str] = "add_effect"

    def build(self, builder: PatchBuilder) -> None:
        clip = builder.clip(self.effect.clip)
        effect = (
            self.effect if self.effect.id else replace(self.effect, id=_free_id(builder, clip.id))
        )
        builder.set_chain(clip.id, _place(builder.effects_of(clip.id), self.index, effect))

    def fields_to_data(self) -> dict[str, Any]:
        body = effect_to_data(self.effect)
        if not self.effect.id:
            del body["id"]
        data = {"clip": self.effect.clip, "effect": body}
        return data if self.index is None else {**data, "index": self.index}

    @classmethod
    def from_fields(cls, fields: Fields) -> AddEffect:
        clip_id = fields.text("clip")
        value = fields.fragment("effect", "Effect.1")
        index = fields.integer("index", None)
        try:
            effect = parse_effect(value, clip_id)
        except ProjectValidationError as exc:
            raise fields.parse_error("effect", exc) from None
        return cls(effect, index)


@dataclass(frozen=True, slots=True)
class MoveEffect(Edit):
    """Move an effect to place ``index`` of its clip's chain."""

    effect: str
    index: int
    kind: ClassVar[str] = "move_effect"

    def build(self, builder: PatchBuilder) -> None:
        effect = builder.require("effects", self.effect, EffectNode)
        rest = [e for e in builder.effects_of(effect.clip) if e.id != effect.id]
        builder.set_chain(effect.clip, _place(rest, self.index, effect))

    def fields_to_data(self) -> dict[str, Any]:
        return {"effect": self.effect, "index": self.index}

    @classmethod
    def from_fields(cls, fields: Fields) -> MoveEffect:
        return cls(fields.text("effect"), fields.integer("index"))


@dataclass(frozen=True, slots=True)
class RemoveEffect(Edit):
    """Take an effect out of its clip's chain."""

    effect: str
    kind: ClassVar[str] = "remove_effect"

    def build(self, builder: PatchBuilder) -> None:
        effect = builder.require("effects", self.effect, EffectNode)
        rest = [e for e in builder.effects_of(effect.clip) if e.id != effect.id]
        builder.set_chain(effect.clip, rest)

    def fields_to_data(self) -> dict[str, Any]:
        return {"effect": self.effect}

    @classmethod
    def from_fields(cls, fields: Fields) -> RemoveEffect:
        return cls(fields.text("effect"))
