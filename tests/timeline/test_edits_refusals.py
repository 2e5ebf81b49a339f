"""Every refusal raises the right code, names the edit and leaves the project as it was."""

from __future__ import annotations

import pytest

from reelgraph.errors import ReelgraphError
from reelgraph.project.save import document_to_data
from reelgraph.testing import clip, color, nested, project, sequence, track
from reelgraph.timeline.components import Clip, ColorSource, SequenceSource, Track, TrackKind
from reelgraph.timeline.edits import (
    AddTrack,
    InsertClip,
    MoveClip,
    RemoveClip,
    SetParam,
    Slip,
    Split,
    Trim,
)
from reelgraph.timeline.history import History

from .edit_strategies import load

DOCUMENT = load(
    project(
        [
            track(
                "V1",
                "video",
                [clip("a", 0, 10, color("#ff0000")), clip("b", 20, 10, color("#00ff00"))],
            ),
            track("A1", "audio", []),
            track("V2", "video", [clip("use", 0, 10, nested("inner"))]),
        ],
        extra_sequences=[sequence("inner", [track("N1", "video", [])])],
    )
)
SOLID = ColorSource((1.0, 1.0, 1.0, 1.0))

REFUSALS = [
    ("a negative duration", Trim("a", "end", -12), "timeline.zero_length"),
    ("a zero duration", InsertClip(Clip("z", "V1", 40, 0, SOLID)), "timeline.zero_length"),
    ("an overlap without a transition", MoveClip("b", 5), "timeline.overlap"),
    ("a start before frame 0", MoveClip("a", -1), "timeline.out_of_range"),
    ("a negative source_in", Slip("a", -1), "timeline.out_of_range"),
    ("fades longer than the clip", SetParam("a", "fade_in", 11), "timeline.out_of_range"),
    ("an unknown clip", Trim("nope", "end", 1), "timeline.unknown_reference"),
    ("an unknown track", MoveClip("a", 0, track="nope"), "timeline.unknown_reference"),
    ("an unknown target", SetParam("nope", "opacity", 1), "timeline.unknown_reference"),
    (
        "an unknown sequence",
        AddTrack(Track("T", "nope", TrackKind.VIDEO, 0)),
        "timeline.unknown_reference",
    ),
    ("a duplicate id", InsertClip(Clip("b", "V1", 40, 5, SOLID)), "edit.refused"),
    ("an id a file cannot hold", InsertClip(Clip("a b", "V1", 40, 5, SOLID)), "edit.refused"),
    ("a split outside the clip", Split("a", 10), "edit.refused"),
    ("a picture on an audio track", MoveClip("a", 0, track="A1"), "project.invalid"),
    (
        "a nesting loop",
        InsertClip(Clip("loop", "N1", 0, 5, SequenceSource("main"))),
        "timeline.nesting_cycle",
    ),
    ("removing what is not there", RemoveClip("nope"), "timeline.unknown_reference"),
]


@pytest.mark.parametrize(("why", "edit", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_an_edit_that_would_break_the_timeline_is_refused_with_its_code(why, edit, code):
    saved = document_to_data(DOCUMENT)
    history = History(DOCUMENT)
    with pytest.raises(ReelgraphError) as info:
        history.apply(edit)
    assert info.value.code == code, why
    assert info.value.params["edit"] == edit.kind
    assert history.document is DOCUMENT and document_to_data(DOCUMENT) == saved
    assert not history.can_undo()
