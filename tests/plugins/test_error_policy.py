"""Plugin nodes in a render: the error policy, incidents, and checks before rendering."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelgraph.cli.main import main
from reelgraph.engine.engine import Engine
from reelgraph.errors import (
    PluginFeatureError,
    PluginNotFoundError,
    PluginTimeoutError,
    ProjectValidationError,
)
from reelgraph.export.job import render_to_memory
from reelgraph.plugins.discovery import PATH_VARIABLE
from reelgraph.plugins.host import (
    ENV_ON_ERROR,
    ENV_TIMEOUT,
    placeholder_frame,
    plugins_for_document,
)
from reelgraph.project.load import load_project_data
from reelgraph.testing import clip, color, effect, project, track

BAD_PLUGINS = Path(__file__).parent / "bad_plugins"
GREY = "#808080"


def document(kind: str, frames: int = 2, **params):
    data = project(
        [
            track(
                "V1", "video", [clip("c", 0, frames, color(GREY), effects=[effect(kind, **params)])]
            )
        ],
        width=40,
        height=24,
    )
    return load_project_data(data, Path("."))


def plain_grey() -> np.ndarray:
    data = project([track("V1", "video", [clip("c", 0, 1, color(GREY))])], width=40, height=24)
    with Engine(load_project_data(data, Path(".")), plugins=None) as engine:
        return engine.render_frame(0)


def host(doc, tmp_path, on_error, timeout=0.5):
    return plugins_for_document(
        doc,
        plugin_path=[BAD_PLUGINS],
        entry_points=False,
        on_error=on_error,
        timeout_s=timeout,
        scratch_root=tmp_path,
    )


def test_a_hung_plugin_is_bypassed_and_the_render_goes_on(tmp_path):
    doc = document("hang")
    plugins = host(doc, tmp_path, "bypass")
    with Engine(doc, plugins=plugins) as engine:
        frames = [engine.render_frame(i) for i in range(2)]
    expected = plain_grey()
    for picture in frames:
        np.testing.assert_array_equal(picture, expected)
    assert [(i.frame, i.code, i.action) for i in plugins.incidents] == [
        (0, "plugin.timeout", "bypass"),
        (1, "plugin.timeout", "bypass"),
    ]


def test_a_crash_shows_a_placeholder_then_the_restarted_worker_renders(tmp_path):
    doc = document("crash.once")
    plugins = host(doc, tmp_path, "placeholder", timeout=5.0)
    with Engine(doc, plugins=plugins) as engine:
        first, second = engine.render_frame(0), engine.render_frame(1)
    np.testing.assert_array_equal(first, placeholder_frame(24, 40))
    grey = plain_grey()
    np.testing.assert_allclose(second[..., :3], 1.0 - grey[..., :3], atol=1e-6)
    assert [i.code for i in plugins.incidents] == ["plugin.crashed"]


def test_the_fail_policy_stops_the_render_with_the_coded_error(tmp_path):
    doc = document("hang")
    with Engine(doc, plugins=host(doc, tmp_path, "fail", timeout=0.3)) as engine:
        with pytest.raises(PluginTimeoutError) as info:
            engine.render_frame(0)
    assert info.value.params["frame"] == 0
    assert info.value.params["kind"] == "hang"


def test_engines_find_plugins_and_policy_in_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(PATH_VARIABLE, str(BAD_PLUGINS))
    monkeypatch.setenv(ENV_ON_ERROR, "bypass")
    monkeypatch.setenv(ENV_TIMEOUT, "0.3")
    collected = render_to_memory(document("hang", frames=1))
    assert len(collected.frames) == 1


def test_a_lying_plugin_used_by_a_project_is_refused_before_rendering(tmp_path):
    with pytest.raises(PluginFeatureError, match="transition"):
        host(document("liar.noop"), tmp_path, "fail")


def test_an_effect_no_plugin_provides_names_itself_and_the_choices(tmp_path):
    with pytest.raises(PluginNotFoundError) as info:
        host(document("exposur", stops=1.0), tmp_path, "fail")
    message = info.value.message
    assert "effect c.fx0" in message and "'exposur'" in message and "exposure" in message


def test_a_bad_plugin_parameter_is_a_validation_error_naming_it(tmp_path):
    with pytest.raises(ProjectValidationError) as info:
        host(document("scribbler.write", target=3.0), tmp_path, "fail")
    assert info.value.params["path"] == "effect c.fx0.params.target"
    with pytest.raises(ProjectValidationError, match="no parameter 'colour'"):
        host(document("scribbler.write", colour="red"), tmp_path, "fail")


def test_the_render_command_reports_incidents_and_succeeds_under_bypass(tmp_path, capsys):
    data = project(
        [track("V1", "video", [clip("c", 0, 2, color(GREY), effects=[effect("hang")])])],
        width=40,
        height=24,
    )
    project_file = tmp_path / "p.json"
    project_file.write_text(__import__("json").dumps(data))
    status = main(
        [
            "frame",
            str(project_file),
            "--at",
            "1",
            "-o",
            str(tmp_path / "f.png"),
            "--plugin-path",
            str(BAD_PLUGINS),
            "--on-error",
            "bypass",
            "--plugin-timeout",
            "0.3",
        ]
    )
    err = capsys.readouterr().err
    assert status == 0, err
    assert (tmp_path / "f.png").exists()
    assert "1 incident(s)" in err and "plugin.timeout" in err


def test_a_plugin_nodes_revision_changes_with_the_files_it_reads(tmp_path):
    import os

    from reelgraph_lut.cube import write_cube
    from reelgraph_lut.samples import identity, teal_orange

    write_cube(tmp_path / "grade.cube", identity(5))
    data = project(
        [
            track(
                "V1",
                "video",
                [clip("c", 0, 2, color(GREY), effects=[effect("lut", file="grade.cube")])],
            )
        ]
    )
    doc = load_project_data(data, tmp_path)
    plugins = plugins_for_document(doc, scratch_root=tmp_path / "scratch")
    try:
        params = (("file", "grade.cube"),)
        before = plugins.revision("lut", params)
        assert before.startswith(plugins.registry.get("lut").content_hash)
        write_cube(tmp_path / "grade.cube", teal_orange(5))
        os.utime(tmp_path / "grade.cube", ns=(1, 1))
        assert plugins.revision("lut", params) != before
        assert plugins.revision("lut", (("file", "other.cube"),)).endswith("other.cube:missing")
    finally:
        plugins.close()
