"""Clip edits (insert, remove, move): what they change and the frames they dirty."""

from __future__ import annotations

import pytest

from reelgraph.errors import EditRefusedError
from reelgraph.project.save import document_to_data
from reelgraph.render.color import parse_color
from reelgraph.testing import clip, color, effect, media, project, track, transition
from reelgraph.timeline.components import Clip, ColorSource, EffectNode
from reelgraph.timeline.edits import InsertClip, MoveClip, RemoveClip

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
                        clip("a", 0, 30, color("#ff0000"), effects=[effect("exposure", stops=1.0)]),
                        clip("b", 20, 30, color("#00ff00")),
                        clip("c", 60, 10, media("x.mp4")),
                    ],
                    [transition("a", "b")],
                ),
                track("V2", "video", [clip("d", 5, 10, color("#0000ff"))]),
            ]
        )
    )


def _clip(document, clip_id):
    return next(c for c in document.clips if c.id == clip_id)


def _new(clip_id="n", track="V2", start=40, duration=10):
    return Clip(clip_id, track, start, duration, ColorSource(parse_color("#808080")))


def test_insert_puts_the_clip_on_its_track_and_dirties_its_frames(document):
    result = InsertClip(_new()).apply(document)
    assert _clip(result.document, "n").start == 40
    assert [c.id for c in result.document.clips] == ["a", "b", "c", "d", "n"]
    assert spans(result) == [(40, 50)]


def test_insert_with_ripple_pushes_the_later_clips_by_its_duration(document):
    result = InsertClip(_new(track="V1", start=50), ripple=True).apply(document)
    assert _clip(result.document, "c").start == 70
    assert _clip(result.document, "b").start == 20
    assert spans(result) == [(50, 80)]


def test_insert_keeps_the_effect_chain_in_order_and_saves_back_identically(document):
    chain = (
        EffectNode("n.fx0", "n", "exposure", (("stops", 2.0),)),
        EffectNode("n.fx1", "n", "invert", ()),
    )
    result = InsertClip(_new(), chain).apply(document)
    assert [e.id for e in result.document.effects] == ["a.fx0", "n.fx0", "n.fx1"]
    assert load(document_to_data(result.document)) == result.document


def test_remove_takes_the_clip_its_effects_and_its_transitions(document):
    result = RemoveClip("a").apply(document)
    assert "a" not in {c.id for c in result.document.clips}
    assert result.document.effects == () and result.document.edges == ()
    assert result.document.transitions == ()
    assert spans(result) == [(0, 30)]


def test_remove_with_ripple_pulls_the_later_clips_back(document):
    result = RemoveClip("d", ripple=True).apply(document)
    assert spans(result) == [(5, 15)]
    result = RemoveClip("c", ripple=True).apply(document)
    assert spans(result) == [(60, 70)]


def test_moving_a_media_clip_dirties_the_frames_it_left_and_the_frames_it_covers(document):
    result = MoveClip("c", 65).apply(document)
    assert _clip(result.document, "c").start == 65
    assert spans(result) == [(60, 75)]


def test_moving_a_solid_colour_dirties_only_the_frames_it_gained_and_lost(document):
    result = MoveClip("d", 8).apply(document)
    assert spans(result) == [(5, 8), (15, 18)]


def test_moving_to_another_track_moves_its_effects_in_document_order_too(document):
    result = MoveClip("a", 30, track="V2").apply(RemoveClip("b").apply(document).document)
    moved = _clip(result.document, "a")
    assert (moved.track, moved.start) == ("V2", 30)
    assert [c.id for c in result.document.clips] == ["c", "d", "a"]
    assert load(document_to_data(result.document)) == result.document


def test_moving_a_clip_joined_by_a_transition_to_another_track_is_refused(document):
    with pytest.raises(EditRefusedError) as info:
        MoveClip("a", 30, track="V2").apply(document)
    assert info.value.params["transition"] == "V1.a->b"
    assert info.value.params["edit"] == "move"
