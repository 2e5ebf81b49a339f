"""Every edit kind by its label, and reading any edit from its JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from reelgraph.project.labels import split_label
from reelgraph.timeline.edits.base import Edit, Patch
from reelgraph.timeline.edits.clips import InsertClip, MoveClip, RemoveClip
from reelgraph.timeline.edits.effects import AddEffect, MoveEffect, RemoveEffect
from reelgraph.timeline.edits.fields import Fields
from reelgraph.timeline.edits.group import Group
from reelgraph.timeline.edits.params import AddKeyframe, MoveKeyframe, RemoveKeyframe, SetParam
from reelgraph.timeline.edits.tracks import AddTrack, RemoveTrack, ReorderTrack
from reelgraph.timeline.edits.transitions import AddTransition, RemoveTransition
from reelgraph.timeline.edits.trims import Ripple, Roll, Slide, Slip, Split, Trim

__all__ = ["EDIT_KINDS", "edit_from_data"]

#: Edit kind label -> edit class.
EDIT_KINDS: Mapping[str, type[Edit]] = MappingProxyType(
    {
        cls.kind: cls
        for cls in (
            InsertClip,
            RemoveClip,
            MoveClip,
            Trim,
            Slip,
            Slide,
            Ripple,
            Roll,
            Split,
            SetParam,
            AddKeyframe,
            MoveKeyframe,
            RemoveKeyframe,
            AddEffect,
            MoveEffect,
            RemoveEffect,
            AddTransition,
            RemoveTransition,
            AddTrack,
            RemoveTrack,
            ReorderTrack,
            Group,
            Patch,
        )
    }
)


def edit_from_data(data: Any, path: str = "$") -> Edit:
    """Read an edit from its JSON form (``"schema": "Edit.1"`` may be left out).

    Raises:
        EditFormatError: not an object, an unknown kind or schema, or a bad field; the
            error's ``path`` names the field.
    """
    fields = Fields(data, path)
    label = fields.raw("schema", "Edit.1")
    parsed = split_label(label)
    if parsed is None or parsed[0] != "Edit" or not 1 <= parsed[1] <= 1:
        raise fields.error("schema", f"expected 'Edit.1', got {label!r}")
    kind = fields.text("kind")
    cls = EDIT_KINDS.get(kind)
    if cls is None:
        raise fields.error("kind", f"unknown edit kind {kind!r}; known: {', '.join(EDIT_KINDS)}")
    edit = cls.from_fields(fields)
    fields.done()
    return edit
