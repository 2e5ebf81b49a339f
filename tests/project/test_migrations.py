"""Older project files open through upgrade-on-read migrations; newer ones are refused whole."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from reelgraph.errors import MigrationError, SchemaTooNewError, UnknownSchemaError
from reelgraph.project.json_schema import project_json_schema
from reelgraph.project.load import load_project
from reelgraph.project.migrations import MIGRATIONS, upgrade_document
from reelgraph.testing import clip, color, project, track
from reelgraph.timeline.components import TrackKind


def legacy_project() -> dict:
    """A file in the layout before sequences (Project.0) with an in/out clip (Clip.0)."""
    return {
        "schema": "Project.0",
        "name": "old",
        "width": 64,
        "height": 48,
        "fps": "30000/1001",
        "sample_rate": 44100,
        "tracks": [
            {
                "schema": "Track.1",
                "id": "V1",
                "kind": "video",
                "clips": [
                    {"schema": "Clip.0", "id": "a", "in": 5, "out": 20, "source": color("#ff0000")},
                    clip("b", 20, 10, color("#0000ff")),
                ],
            }
        ],
    }


def test_a_legacy_project_0_file_opens_through_its_migrations(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(legacy_project()))
    document = load_project(path)
    assert document.name == "old" and document.main == "main"
    assert (document.format.width, document.format.height) == (64, 48)
    assert document.format.rate.numerator == 30000 and document.format.sample_rate == 44100
    assert [(c.id, c.start, c.duration) for c in document.clips] == [("a", 5, 15), ("b", 20, 10)]
    assert [t.kind for t in document.tracks] == [TrackKind.VIDEO]


def test_an_upgraded_file_satisfies_the_published_schema():
    jsonschema.validate(upgrade_document(legacy_project()), project_json_schema())


def test_migrations_leave_the_data_they_are_given_unchanged():
    old = legacy_project()
    before = copy.deepcopy(old)
    upgrade_document(old)
    assert old == before


def test_a_current_file_passes_through_the_migrations_unchanged():
    data = project([track("V1", "video", [clip("a", 0, 10, color("#fff"))])])
    assert upgrade_document(data) == data


def test_every_migration_upgrades_by_exactly_one_version():
    for label in MIGRATIONS:
        name, _, version = label.rpartition(".")
        minimal = {"schema": label, "in": 0, "out": 1}
        assert MIGRATIONS[label](minimal, ())["schema"] == f"{name}.{int(version) + 1}"


def test_a_clip_0_without_integer_frames_is_a_coded_migration_error(tmp_path):
    data = legacy_project()
    data["tracks"][0]["clips"][0]["out"] = "late"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    with pytest.raises(MigrationError) as caught:
        load_project(path)
    assert caught.value.code == "project.migration"
    assert caught.value.params["path"] == "sequences[0].tracks[0].clips[0].out"


def test_a_field_the_old_layout_did_not_have_is_named_after_the_upgrade(tmp_path):
    data = legacy_project()
    data["colour_space"] = "weird"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    with pytest.raises(Exception, match="colour_space") as caught:
        load_project(path)
    assert caught.value.code == "project.invalid"


def test_a_file_from_a_newer_reelgraph_is_refused_and_left_untouched(tmp_path):
    data = project([track("V1", "video", [clip("a", 0, 10, color("#fff"))])])
    data["sequences"][0]["tracks"][0]["clips"][0]["schema"] = "Clip.2"
    path = tmp_path / "new.json"
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError) as caught:
        load_project(path)
    error = caught.value
    assert isinstance(error, UnknownSchemaError)
    assert error.code == "project.too_new"
    assert error.params["schema"] == "Clip.2" and error.params["current"] == "Clip.1"
    assert "upgrade reelgraph" in error.message
    assert path.read_bytes() == before


def test_a_newer_version_inside_an_old_file_is_refused_before_any_migration(tmp_path):
    data = legacy_project()
    data["tracks"][0]["schema"] = "Track.5"
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SchemaTooNewError):
        load_project(path)


def test_an_old_version_without_a_migration_is_refused_with_a_coded_error(tmp_path):
    data = project([track("V1", "video", [])])
    data["sequences"][0]["tracks"][0]["schema"] = "Track.0"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    with pytest.raises(UnknownSchemaError) as caught:
        load_project(path)
    assert caught.value.code == "project.unknown_schema"
    assert "no migration" in caught.value.message
