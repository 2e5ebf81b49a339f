"""A group of edits applied as one: one check, one inverse, one undoable step.

The timeline is checked once, after the last edit of the group, so a group may pass
through states that would be refused on their own (two clips trading places).
JSON form::

    {"kind": "group", "name": "tighten intro", "edits": [{Edit.1}, ...]}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from reelgraph.errors import ReelgraphError
from reelgraph.timeline.edits.base import Edit
from reelgraph.timeline.edits.builder import PatchBuilder
from reelgraph.timeline.edits.fields import Fields

__all__ = ["Group"]


@dataclass(frozen=True, slots=True)
class Group(Edit):
    """Several edits in order, as one edit."""

    edits: tuple[Edit, ...]
    name: str = ""
    kind: ClassVar[str] = "group"

    def build(self, builder: PatchBuilder) -> None:
        for number, edit in enumerate(self.edits):
            try:
                edit.build(builder)
            except ReelgraphError as exc:
                exc.with_context(edit=edit.kind, group_step=number)
                raise

    def fields_to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"edits": [edit.to_data() for edit in self.edits]}
        return {"name": self.name, **data} if self.name else data

    @classmethod
    def from_fields(cls, fields: Fields) -> Group:
        from reelgraph.timeline.edits.registry import edit_from_data

        name = fields.text("name", "")
        items = fields.items("edits")
        at = fields.at("edits")
        return cls(tuple(edit_from_data(item, f"{at}[{n}]") for n, item in enumerate(items)), name)
