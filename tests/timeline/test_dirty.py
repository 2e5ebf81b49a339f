"""Dirty spans: nesting, transitions, temporal reach, disabled tracks, merging."""

from __future__ import annotations

from fractions import Fraction

import pytest

from reelgraph.testing import (
    clip,
    color,
    effect,
    keys,
    media,
    nested,
    project,
    sequence,
    track,
    transition,
)
from reelgraph.time import TimeRange
from reelgraph.timeline.components import Clip, ColorSource, EffectNode, Track, TrackKind
from reelgraph.timeline.dirty import merge_spans, nested_span
from reelgraph.timeline.edits import (
    AddEffect,
    AddKeyframe,
    AddTrack,
    Group,
    InsertClip,
    MoveClip,
    MoveEffect,
    MoveKeyframe,
    RemoveClip,
    RemoveEffect,
    RemoveKeyframe,
    RemoveTrack,
    RemoveTransition,
    ReorderTrack,
    Ripple,
    Roll,
    SetParam,
    Slide,
    Slip,
    Split,
    Trim,
)

from .edit_strategies import load, spans


def _nesting(*uses):
    inner = sequence("inner", [track("N1", "video", [clip("k", 0, 20, media("x.mp4"))])])
    return load(project([track("V1", "video", list(uses))], extra_sequences=[inner]))


def test_spans_are_sorted_merged_and_never_before_frame_zero():
    merged = merge_spans([(10, 12), (-3, 2), (12, 15), (30, 30), (1, 4)])
    assert merged == (TimeRange(0, 4), TimeRange(10, 5))


def test_a_nesting_clip_maps_nested_frames_through_its_source_in_and_speed():
    forward = Clip("u", "V1", 10, 20, ColorSource((0, 0, 0, 1)), source_in=4, speed=Fraction(2))
    assert nested_span(forward, 15, 20) == (16, 18)
    backward = Clip("u", "V1", 40, 10, ColorSource((0, 0, 0, 1)), source_in=10, speed=Fraction(-1))
    assert nested_span(backward, 15, 20) == (40, 45)
    assert nested_span(forward, 100, 120) is None


def test_an_edit_in_a_nested_sequence_dirties_every_place_it_is_used():
    document = _nesting(
        clip("u1", 0, 20, nested("inner")),
        clip("u2", 30, 10, nested("inner"), source_in=10, speed="-1"),
        clip("u3", 50, 20, nested("inner"), source_in=4, speed="2"),
    )
    result = Trim("k", "end", -5).apply(document)
    # u1 shows inner 15-19 at 15-19; u2 at 30-34 (reversed); u3 at 56-57, widened by a
    # frame either side for resampled audio.
    assert spans(result) == [(15, 20), (30, 35), (55, 59)]


def test_nesting_two_levels_deep_maps_through_both():
    middle = sequence("middle", [track("M1", "video", [clip("m", 5, 30, nested("inner"))])])
    inner = sequence("inner", [track("N1", "video", [clip("k", 0, 20, media("x.mp4"))])])
    document = load(
        project(
            [track("V1", "video", [clip("top", 100, 40, nested("middle"))])],
            extra_sequences=[middle, inner],
        )
    )
    assert spans(Trim("k", "end", -5).apply(document)) == [(120, 125)]


def test_an_unused_sequence_dirties_nothing():
    assert spans(Trim("k", "end", -5).apply(_nesting())) == []


def test_effects_with_temporal_reach_widen_the_span_within_their_clip():
    document = load(
        project(
            [
                track(
                    "V1",
                    "video",
                    [clip("a", 0, 30, media("x.mp4"), effects=[effect("smear")])],
                )
            ]
        )
    )
    reach = {"smear": 3}.get
    result = Trim("a", "end", -5).apply(document, reach=lambda kind: reach(kind, 0))
    assert spans(result) == [(22, 30)]
    assert spans(Trim("a", "end", -5).apply(document)) == [(25, 30)]


def test_changes_on_a_disabled_track_dirty_nothing():
    document = load(
        project([track("V1", "video", [clip("a", 0, 30, media("x.mp4"))], enabled=False)])
    )
    assert spans(Trim("a", "end", -5).apply(document)) == []
    assert spans(SetParam("V1", "enabled", True).apply(document)) == [(0, 30)]


def test_a_solid_colour_change_dirties_its_whole_clip():
    document = load(project([track("V1", "video", [clip("a", 5, 10, color("#ff0000"))])]))
    result = SetParam("a", "source", {"schema": "ColorSource.1", "color": "#00ff00"}).apply(
        document
    )
    assert spans(result) == [(5, 15)]


def _table_document():
    return load(
        project(
            [
                track(
                    "V1",
                    "video",
                    [
                        clip(
                            "a",
                            0,
                            20,
                            color("#ff0000"),
                            opacity=keys((0, 0.0), (10, 1.0)),
                            effects=[effect("exposure", stops=1.0), effect("invert")],
                        ),
                        clip("b", 15, 20, color("#00ff00")),
                        clip("c", 40, 10, media("x.mp4"), source_in=5),
                    ],
                    [transition("a", "b")],
                ),
                track("V2", "video", [clip("d", 10, 10, media("x.mp4"))]),
            ]
        )
    )


SOLID = ColorSource((1.0, 1.0, 1.0, 1.0))
DIRTY_BY_KIND = [
    (InsertClip(Clip("n", "V2", 30, 10, SOLID)), [(30, 40)]),
    (RemoveClip("d"), [(10, 20)]),
    (MoveClip("d", 12), [(10, 22)]),
    (Trim("c", "end", -2), [(48, 50)]),
    (Slip("c", 1), [(40, 50)]),
    (Slide("c", 2), [(40, 52)]),
    (Ripple("c", "end", 3), [(50, 53)]),
    (Roll("a", 2), [(15, 22)]),
    (Split("c", 45), [(45, 50)]),
    (SetParam("c", "opacity", 0.5), [(40, 50)]),
    (AddKeyframe("c", "opacity", 2, 0.5), [(40, 50)]),
    (MoveKeyframe("a", "opacity", 10, 12), [(0, 20)]),
    (RemoveKeyframe("a", "opacity", 0), [(0, 20)]),
    (AddEffect(EffectNode("", "d", "invert")), [(10, 20)]),
    (MoveEffect("a.fx1", 0), [(0, 20)]),
    (RemoveEffect("a.fx0"), [(0, 20)]),
    (Group((RemoveTransition("V1.a->b"), Trim("a", "end", -5))), [(15, 20)]),
    (AddTrack(Track("V9", "main", TrackKind.VIDEO, 0)), []),
    (RemoveTrack("V2"), [(10, 20)]),
    (ReorderTrack("V2", 0), [(10, 20)]),
    (SetParam("V1", "enabled", False), [(0, 35), (40, 50)]),
]


@pytest.mark.parametrize(
    ("edit", "expected"), DIRTY_BY_KIND, ids=[e.kind for e, _ in DIRTY_BY_KIND]
)
def test_each_kind_of_edit_dirties_exactly_the_frames_it_changes(edit, expected):
    document = _table_document()
    result = edit.apply(document)
    assert spans(result) == expected
    assert spans(result.inverse.apply(result.document)) == expected
