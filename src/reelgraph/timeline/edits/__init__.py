"""Edits: every change to a project as a value with a JSON form and an exact inverse.

One API for the CLI, scripts, macros and the UI::

    result = Trim("a", "end", -5).apply(document)
    result.document      # the new document (``document`` is unchanged)
    result.inverse       # a Patch that turns it back, exactly
    result.dirty         # frames of the main sequence to re-render
    Trim.from_data(...)  # or edit_from_data({"schema": "Edit.1", "kind": "trim", ...})

Families: clips (insert, remove, move), trims (trim, slip, slide, ripple, roll, split),
parameters and keyframes, effects, transitions, tracks, groups and patches. A refused edit
raises a coded :class:`~reelgraph.errors.TimelineError` and changes nothing.
"""

from reelgraph.timeline.changes import Change
from reelgraph.timeline.edits.base import EDIT_SCHEMA, Edit, EditResult, Patch, propose
from reelgraph.timeline.edits.clips import InsertClip, MoveClip, RemoveClip
from reelgraph.timeline.edits.effects import AddEffect, MoveEffect, RemoveEffect
from reelgraph.timeline.edits.group import Group
from reelgraph.timeline.edits.params import AddKeyframe, MoveKeyframe, RemoveKeyframe, SetParam
from reelgraph.timeline.edits.registry import EDIT_KINDS, edit_from_data
from reelgraph.timeline.edits.tracks import AddTrack, RemoveTrack, ReorderTrack
from reelgraph.timeline.edits.transitions import AddTransition, RemoveTransition
from reelgraph.timeline.edits.trims import Ripple, Roll, Slide, Slip, Split, Trim

__all__ = [
    "EDIT_KINDS",
    "EDIT_SCHEMA",
    "AddEffect",
    "AddKeyframe",
    "AddTrack",
    "AddTransition",
    "Change",
    "Edit",
    "EditResult",
    "Group",
    "InsertClip",
    "MoveClip",
    "MoveEffect",
    "MoveKeyframe",
    "Patch",
    "RemoveClip",
    "RemoveEffect",
    "RemoveKeyframe",
    "RemoveTrack",
    "RemoveTransition",
    "ReorderTrack",
    "Ripple",
    "Roll",
    "SetParam",
    "Slide",
    "Slip",
    "Split",
    "Trim",
    "edit_from_data",
    "propose",
]
