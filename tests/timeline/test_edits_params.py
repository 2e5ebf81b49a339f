"""Parameter and keyframe edits: values, defaults, keys, refusals and dirty spans."""

from __future__ import annotations

import pytest

from reelgraph.errors import EditFormatError, EditRefusedError, ProjectValidationError
from reelgraph.testing import clip, color, effect, keys, project, track, transition
from reelgraph.timeline.components import TransitionKind
from reelgraph.timeline.edits import (
    AddKeyframe,
    MoveKeyframe,
    RemoveKeyframe,
    SetParam,
    edit_from_data,
)
from reelgraph.timeline.keyframes import Animated, Interp, Keyframe

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
                            opacity=keys((0, 0.0), (10, 1.0)),
                            effects=[effect("exposure", stops=1.0)],
                        ),
                        clip("b", 15, 20, color("#00ff00")),
                    ],
                    [transition("a", "b")],
                ),
                track("V2", "video", [clip("c", 40, 10, color("#0000ff"))], name="top"),
            ]
        )
    )


def _find(document, group, item_id):
    return next(c for c in getattr(document, group) if c.id == item_id)


def test_setting_a_clip_parameter_dirties_the_clip(document):
    result = SetParam("c", "opacity", 0.5).apply(document)
    assert _find(result.document, "clips", "c").opacity == 0.5
    assert spans(result) == [(40, 50)]


def test_transform_fields_are_set_by_their_dotted_names(document):
    result = SetParam("c", "transform.scale", [2, 1]).apply(document)
    assert _find(result.document, "clips", "c").transform.scale == (2.0, 1.0)
    anchor = SetParam("c", "transform.anchor", [0, 1]).apply(document)
    assert _find(anchor.document, "clips", "c").transform.anchor == (0.0, 1.0)


def test_none_resets_a_field_to_its_default(document):
    result = SetParam("a", "opacity", None).apply(document)
    assert _find(result.document, "clips", "a").opacity == 1.0


def test_an_effect_parameter_is_set_and_removed_by_name(document):
    result = SetParam("a.fx0", "stops", 2).apply(document)
    assert _find(result.document, "effects", "a.fx0").params == (("stops", 2.0),)
    assert spans(result) == [(0, 20)]
    cleared = SetParam("a.fx0", "stops", None).apply(document)
    assert _find(cleared.document, "effects", "a.fx0").params == ()


def test_an_out_of_range_effect_parameter_is_refused(document):
    with pytest.raises(ProjectValidationError):
        SetParam("a.fx0", "stops", 100).apply(document)


def test_disabling_a_track_dirties_all_its_clips_and_renaming_it_nothing(document):
    assert spans(SetParam("V1", "enabled", False).apply(document)) == [(0, 35)]
    assert spans(SetParam("V2", "name", "titles").apply(document)) == []


def test_a_transition_parameter_dirties_the_overlap(document):
    result = SetParam("V1.a->b", "kind", "wipe").apply(document)
    assert result.document.transitions[0].kind is TransitionKind.WIPE
    assert spans(result) == [(15, 20)]


def test_a_parameter_the_target_does_not_have_is_refused(document):
    with pytest.raises(EditRefusedError) as info:
        SetParam("V2", "opacity", 0.5).apply(document)
    assert info.value.params["reason"] == "no_such_param"


def test_a_value_of_the_wrong_form_is_an_edit_format_error():
    with pytest.raises(EditFormatError) as info:
        edit_from_data({"kind": "set_param", "target": "a", "param": "blend", "value": "glow"})
    assert info.value.params["path"] == "$.value"
    with pytest.raises(EditFormatError):
        SetParam("a", "opacity", "loud")


def test_adding_a_keyframe_to_a_constant_makes_it_that_single_key(document):
    result = AddKeyframe("c", "opacity", 3, 0.25, "ease_in").apply(document)
    assert _find(result.document, "clips", "c").opacity == Animated(
        (Keyframe(3.0, 0.25, Interp.EASE_IN),)
    )


def test_adding_a_keyframe_where_one_is_replaces_it(document):
    result = AddKeyframe("a", "opacity", 10, 0.5).apply(document)
    keys_after = _find(result.document, "clips", "a").opacity.keys
    assert [(k.frame, k.value) for k in keys_after] == [(0.0, 0.0), (10.0, 0.5)]


def test_a_keyframe_of_another_shape_is_refused(document):
    with pytest.raises(EditRefusedError) as info:
        AddKeyframe("a", "opacity", 5, [1.0, 2.0]).apply(document)
    assert info.value.params["reason"] == "bad_value"


def test_moving_a_keyframe_keeps_the_keys_sorted(document):
    result = MoveKeyframe("a", "opacity", 0, 15).apply(document)
    keys_after = _find(result.document, "clips", "a").opacity.keys
    assert [(k.frame, k.value) for k in keys_after] == [(10.0, 1.0), (15.0, 0.0)]


def test_moving_onto_another_keyframe_or_from_nowhere_is_refused(document):
    with pytest.raises(EditRefusedError) as onto:
        MoveKeyframe("a", "opacity", 0, 10).apply(document)
    with pytest.raises(EditRefusedError) as missing:
        MoveKeyframe("a", "opacity", 3, 4).apply(document)
    assert (onto.value.params["reason"], missing.value.params["reason"]) == (
        "keyframe_exists",
        "no_keyframe",
    )


def test_removing_the_last_keyframe_leaves_its_value_as_a_constant(document):
    once = RemoveKeyframe("a", "opacity", 0).apply(document)
    twice = RemoveKeyframe("a", "opacity", 10).apply(once.document)
    assert _find(twice.document, "clips", "a").opacity == 1.0


def test_a_parameter_without_keyframes_refuses_them(document):
    with pytest.raises(EditRefusedError) as info:
        AddKeyframe("a", "blend", 0, 1.0).apply(document)
    assert info.value.params["reason"] == "not_keyframable"
