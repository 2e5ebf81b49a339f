import json
from pathlib import Path

import jsonschema
import pytest

from reelgraph.errors import (
    NestingCycleError,
    OverlapError,
    ProjectNotFoundError,
    ProjectSyntaxError,
    ProjectValidationError,
    TimelineError,
    TimeRangeError,
    UnknownReferenceError,
    UnknownSchemaError,
    ZeroLengthClipError,
)
from reelgraph.project.json_schema import project_json_schema
from reelgraph.project.load import load_project, load_project_data
from reelgraph.testing import clip, color, keys, nested, project, sequence, track, transition
from reelgraph.timeline.components import ColorSource, TrackKind

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(data):
    return load_project_data(data, Path("."))


def red_clip(clip_id="a", start=0, duration=10, **fields):
    return clip(clip_id, start, duration, color("#ff0000"), **fields)


def test_the_bundled_demo_loads_and_validates_against_the_published_schema():
    data = json.loads((EXAMPLES / "demo.json").read_text())
    jsonschema.validate(data, project_json_schema())
    document = load_project(EXAMPLES / "demo.json")
    assert document.main == "main"
    assert {t.kind for t in document.tracks} == {TrackKind.VIDEO, TrackKind.AUDIO}
    assert document.base_dir == EXAMPLES


def test_a_minimal_project_becomes_components():
    document = load(project([track("V1", "video", [red_clip()])]))
    (only,) = document.clips
    assert only.track == "V1" and only.duration == 10
    assert isinstance(only.source, ColorSource)
    assert only.source.color == pytest.approx((1.0, 0.0, 0.0, 1.0))


def test_a_missing_file_is_a_not_found_error(tmp_path):
    with pytest.raises(ProjectNotFoundError) as info:
        load_project(tmp_path / "nope.json")
    assert isinstance(info.value, FileNotFoundError)
    assert info.value.code == "project.not_found"


def test_malformed_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"schema": "Project.1",\n  "format": }')
    with pytest.raises(ProjectSyntaxError) as info:
        load_project(path)
    assert info.value.params["line"] == 2
    assert info.value.code == "project.syntax"


def test_a_wrong_type_names_the_exact_field_path():
    data = project([track("V1", "video", [red_clip(), red_clip("b", 10, "long")])])
    with pytest.raises(ProjectValidationError) as info:
        load(data)
    assert info.value.params["path"] == "sequences[0].tracks[0].clips[1].duration"


def test_a_typo_in_a_field_name_is_refused():
    data = project([track("V1", "video", [red_clip(opactiy=0.5)])])
    with pytest.raises(ProjectValidationError, match="unknown field"):
        load(data)


def test_a_bad_source_names_the_field_inside_the_source():
    data = project([track("V1", "video", [clip("a", 0, 5, {"schema": "MediaSource.1"})])])
    with pytest.raises(ProjectValidationError) as info:
        load(data)
    assert info.value.params["path"] == "sequences[0].tracks[0].clips[0].source"
    assert "path" in info.value.message


def test_an_unknown_schema_name_is_refused_with_its_path():
    data = project([track("V1", "video", [red_clip()])])
    data["sequences"][0]["tracks"][0]["clips"][0]["schema"] = "Clipp.1"
    with pytest.raises(UnknownSchemaError) as info:
        load(data)
    assert info.value.params["path"] == "sequences[0].tracks[0].clips[0].schema"


def test_a_newer_schema_version_is_refused_rather_than_misread():
    data = project([])
    data["schema"] = "Project.7"
    with pytest.raises(UnknownSchemaError, match="newer"):
        load(data)


def test_zero_length_clips_are_refused():
    with pytest.raises(ZeroLengthClipError) as info:
        load(project([track("V1", "video", [red_clip(duration=0)])]))
    assert info.value.params["clip"] == "a"


def test_negative_starts_are_out_of_range():
    with pytest.raises(TimeRangeError):
        load(project([track("V1", "video", [red_clip(start=-1)])]))


def test_overlapping_clips_without_a_transition_are_refused():
    with pytest.raises(OverlapError):
        load(project([track("V1", "video", [red_clip(), red_clip("b", 5, 10)])]))


def test_overlapping_clips_joined_by_a_transition_are_accepted():
    document = load(
        project([track("V1", "video", [red_clip(), red_clip("b", 5, 10)], [transition("a", "b")])])
    )
    assert document.transitions[0].from_clip == "a"


def test_a_transition_needs_a_real_overlap():
    with pytest.raises(TimelineError, match="overlap"):
        load(
            project(
                [track("V1", "video", [red_clip(), red_clip("b", 10, 10)], [transition("a", "b")])]
            )
        )


def test_a_transition_to_an_unknown_clip_is_an_unknown_reference():
    with pytest.raises(UnknownReferenceError):
        load(project([track("V1", "video", [red_clip()], [transition("a", "zz")])]))


def test_duplicate_ids_are_refused():
    with pytest.raises(ProjectValidationError, match="already used"):
        load(project([track("V1", "video", [red_clip(), red_clip("a", 20)])]))


def test_a_sequence_nested_in_itself_is_a_cycle():
    inner = sequence("inner", [track("I1", "video", [clip("loop", 0, 5, nested("inner"))])])
    data = project(
        [track("V1", "video", [clip("n", 0, 5, nested("inner"))])], extra_sequences=[inner]
    )
    with pytest.raises(NestingCycleError):
        load(data)


def test_nesting_an_unknown_sequence_is_an_unknown_reference():
    with pytest.raises(UnknownReferenceError):
        load(project([track("V1", "video", [clip("n", 0, 5, nested("ghost"))])]))


def test_keyframes_must_increase():
    data = project([track("V1", "video", [red_clip(opacity=keys((5, 1.0), (2, 0.0)))])])
    with pytest.raises(ProjectValidationError, match="increasing"):
        load(data)


def test_a_bad_colour_is_a_validation_error_with_a_path():
    data = project([track("V1", "video", [clip("a", 0, 5, color([1.0, 2.0]))])])
    with pytest.raises(ProjectValidationError) as info:
        load(data)
    assert info.value.params["path"].startswith("sequences[0].tracks[0].clips[0].source")


def test_an_audio_track_cannot_hold_a_colour():
    with pytest.raises(ProjectValidationError, match="audio track"):
        load(project([track("A1", "audio", [red_clip()])]))


def test_a_built_in_effect_with_an_unknown_parameter_names_its_path():
    from reelgraph.testing import effect

    data = project([track("V1", "video", [red_clip(effects=[effect("exposure", stop=1.0)])])])
    with pytest.raises(ProjectValidationError) as info:
        load(data)
    assert info.value.params["path"] == "sequences[0].tracks[0].clips[0].effects[0].params.stop"


def test_an_out_of_range_keyframed_effect_value_is_refused():
    from reelgraph.testing import effect

    blur = effect("gaussian_blur", radius=keys((0, 1.0), (5, -3.0)))
    with pytest.raises(ProjectValidationError, match="radius"):
        load(project([track("V1", "video", [red_clip(effects=[blur])])]))
