"""Saving: the project file's JSON form is the exact inverse of loading it."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reelgraph.project.load import load_project, load_project_data
from reelgraph.project.save import color_to_data, document_to_data, save_project
from reelgraph.render.color import parse_color
from reelgraph.testing import clip, color, keys, media, project, track, transform, transition

from ..timeline.edit_strategies import EXAMPLES, FULL, project_data

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def _round_trip(document):
    return load_project_data(document_to_data(document), document.base_dir)


def test_the_bundled_demo_saves_and_loads_back_identically():
    document = load_project(EXAMPLES_DIR / "demo.json")
    assert _round_trip(document) == document


def test_every_field_that_differs_from_its_default_is_written_back():
    document = load_project_data(
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
                            media("m.mp4"),
                            source_in=3,
                            speed="-1/2",
                            transform=transform(
                                position=keys((0, [1, 2]), (5, [3, 4], "ease_in_out")),
                                scale=[1.5, 2],
                                rotation=-0.0,
                                anchor=[0, 1],
                                crop=[1, 2, 3, 4],
                                fit="cover",
                            ),
                            opacity=0.5,
                            blend="screen",
                            gain_db=-6,
                            fade_in=2,
                            fade_out=3,
                        ),
                        clip("b", 15, 10, color("#ff000080")),
                    ],
                    [transition("a", "b", "wipe", direction="top_to_bottom", softness=0.5)],
                    name="pictures",
                    enabled=False,
                )
            ],
            rate="30000/1001",
            background="#102030",
            export={"schema": "ExportSettings.1", "preset": "h264", "rate": "25", "crf": 18},
        ),
        Path("."),
    )
    data = document_to_data(document)
    assert data["sequences"][0]["tracks"][0]["transitions"][0].get("id") is None
    assert _round_trip(document) == document
    assert repr(_round_trip(document).clips[0].transform.rotation) == "-0.0"


@settings(max_examples=1000 if FULL else 100, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=3, max_size=4)
    | st.from_regex(r"#[0-9a-f]{6}([0-9a-f]{2})?", fullmatch=True)
)
def test_every_colour_a_file_can_hold_is_written_so_it_parses_back_identically(written):
    parsed = parse_color(written)
    assert parse_color(color_to_data(parsed)) == parsed


def test_a_colour_that_a_hex_string_gives_exactly_is_written_as_one():
    assert color_to_data(parse_color("#ff8000")) == "#ff8000"
    assert color_to_data(parse_color("#ff800080")) == "#ff800080"
    assert color_to_data(parse_color([1.0, 0.5, 0.0, 0.5])) == [1.0, 0.5, 0.0, 0.5]


@EXAMPLES
@given(project_data())
def test_generated_projects_load_save_and_load_to_the_identical_document(data):
    document = load_project_data(data, Path("."))
    assert _round_trip(document) == document


def test_saving_writes_the_file_atomically_and_it_loads_back(tmp_path):
    document = load_project_data(
        project([track("V1", "video", [clip("a", 0, 5, color("#00ff00"))])]), tmp_path
    )
    save_project(document, tmp_path / "p.json")
    assert load_project(tmp_path / "p.json") == document
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]
    assert json.loads((tmp_path / "p.json").read_text())["schema"] == "Project.1"


def test_saving_into_another_folder_keeps_media_paths_pointing_at_the_same_files(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "out").mkdir()
    document = load_project_data(
        project([track("V1", "video", [clip("a", 0, 5, media("media/x.mp4"))])]), tmp_path
    )
    save_project(document, tmp_path / "out" / "p.json")
    saved = load_project(tmp_path / "out" / "p.json")
    assert saved.clips[0].source.path == "../media/x.mp4"
    assert saved.resolve_media(saved.clips[0].source.path).resolve() == (
        tmp_path / "media" / "x.mp4"
    )
