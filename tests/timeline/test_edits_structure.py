"""Effect, transition, track, group and patch edits."""

from __future__ import annotations

import pytest

from reelgraph.errors import EditFormatError, EditRefusedError, OverlapError, TimelineError
from reelgraph.project.save import document_to_data
from reelgraph.testing import clip, color, effect, media, project, track, transition
from reelgraph.timeline.components import EffectNode, GraphEdge, Track, TrackKind, Transition
from reelgraph.timeline.edits import (
    AddEffect,
    AddTrack,
    AddTransition,
    Edit,
    Group,
    MoveClip,
    MoveEffect,
    Patch,
    RemoveEffect,
    RemoveTrack,
    RemoveTransition,
    ReorderTrack,
    Trim,
    edit_from_data,
)

from .edit_strategies import load, spans


@pytest.fixture
def document():
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
                            effects=[effect("exposure", stops=1.0), effect("invert")],
                        ),
                        clip("b", 15, 20, color("#00ff00")),
                    ],
                    [transition("a", "b")],
                ),
                track("V2", "video", [clip("c", 40, 10, media("x.mp4"))]),
                track("V3", "video", [clip("d", 45, 10, color("#0000ff"))]),
            ]
        )
    )


def _chain(document, clip_id):
    following = {e.source: e.target for e in document.edges}
    chain, node = [], following.get(clip_id)
    while node is not None:
        chain.append(node)
        node = following.get(node)
    return chain


def test_an_effect_is_added_at_its_place_in_the_chain_with_a_fresh_id(document):
    result = AddEffect(EffectNode("", "a", "saturation", (("amount", 0.5),)), 1).apply(document)
    assert _chain(result.document, "a") == ["a.fx0", "a.fx2", "a.fx1"]
    assert spans(result) == [(0, 20)]
    assert load(document_to_data(result.document)) == result.document


def test_an_effect_moves_within_its_chain_and_is_removed_from_it(document):
    moved = MoveEffect("a.fx1", 0).apply(document)
    assert _chain(moved.document, "a") == ["a.fx1", "a.fx0"]
    removed = RemoveEffect("a.fx0").apply(document)
    assert _chain(removed.document, "a") == ["a.fx1"]
    assert removed.document.edges == (GraphEdge("a", "a.fx1"),)


def test_an_effect_at_an_index_outside_the_chain_is_refused(document):
    with pytest.raises(EditRefusedError) as info:
        MoveEffect("a.fx1", 2).apply(document)
    assert info.value.params["reason"] == "bad_index"


def test_removing_a_transition_alone_leaves_an_overlap_and_is_refused(document):
    with pytest.raises(OverlapError):
        RemoveTransition("V1.a->b").apply(document)


def test_a_transition_over_a_real_overlap_is_added_and_dirties_it(document):
    apart = Group((RemoveTransition("V1.a->b"), Trim("a", "end", -5))).apply(document).document
    joined = Group((Trim("a", "end", 5), AddTransition(Transition("", "", "a", "b"))))
    result = joined.apply(apart)
    assert result.document.transitions[0].id == "V1.a->b"
    assert spans(result) == [(15, 20)]


def test_a_transition_without_an_overlap_is_refused(document):
    apart = Group((RemoveTransition("V1.a->b"), Trim("a", "end", -5))).apply(document).document
    with pytest.raises(TimelineError) as info:
        AddTransition(Transition("t", "", "a", "b")).apply(apart)
    assert info.value.code == "timeline.error"


def test_a_track_is_added_at_its_place_and_the_ones_above_move_up(document):
    result = AddTrack(Track("V0", "main", TrackKind.VIDEO, 0)).apply(document)
    order = sorted(result.document.tracks, key=lambda t: t.index)
    assert [t.id for t in order] == ["V0", "V1", "V2", "V3"]
    assert spans(result) == []
    assert load(document_to_data(result.document)) == result.document


def test_a_track_added_from_json_brings_its_clips(document):
    edit = edit_from_data(
        {
            "kind": "add_track",
            "sequence": "main",
            "track": track("T", "video", [clip("t1", 60, 5, color("#ffffff"))]),
        }
    )
    result = edit.apply(document)
    assert [t.id for t in result.document.tracks][-1] == "T"
    assert spans(result) == [(60, 65)]


def test_removing_a_track_removes_everything_on_it_and_renumbers(document):
    result = RemoveTrack("V1").apply(document)
    assert [(t.id, t.index) for t in result.document.tracks] == [("V2", 0), ("V3", 1)]
    assert result.document.effects == () and result.document.transitions == ()
    assert spans(result) == [(0, 35)]


def test_reordering_a_track_dirties_only_where_it_overlaps_the_tracks_it_passed(document):
    result = ReorderTrack("V3", 0).apply(document)
    assert [t.id for t in result.document.tracks] == ["V3", "V1", "V2"]
    assert [(t.id, t.index) for t in result.document.tracks] == [("V3", 0), ("V1", 1), ("V2", 2)]
    assert spans(result) == [(45, 50)]
    assert load(document_to_data(result.document)) == result.document


def test_a_group_applies_all_or_nothing(document):
    swap = Group((MoveClip("c", 45), MoveClip("d", 40)), "swap")
    result = swap.apply(document)
    assert {c.id: c.start for c in result.document.clips}["c"] == 45
    with pytest.raises(OverlapError) as info:
        Group((MoveClip("c", 70), MoveClip("d", 70, "V2"))).apply(document)
    assert info.value.params["edit"] == "group"


def test_a_patch_only_applies_to_the_document_it_was_made_for(document):
    result = Trim("c", "end", -2).apply(document)
    with pytest.raises(EditRefusedError) as info:
        result.inverse.apply(document)
    assert info.value.params["reason"] == "patch_mismatch"
    again = Edit.from_data(result.inverse.to_data())
    assert isinstance(again, Patch) and again.apply(result.document).document == document


def test_an_edit_of_another_kind_is_refused_by_a_subclass_reader():
    with pytest.raises(EditFormatError):
        Trim.from_data({"kind": "slip", "clip": "a", "delta": 1})
    with pytest.raises(EditFormatError) as info:
        edit_from_data({"kind": "trim", "clip": "a", "side": "end", "delta": 1, "oops": 1})
    assert info.value.params["path"] == "$.oops"
