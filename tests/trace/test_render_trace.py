"""Tracing and metrics of real renders: every stage in the trace, the report, Ctrl-C."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from reelgraph.cli.main import main
from reelgraph.ecs import Stage
from reelgraph.engine.engine import Engine
from reelgraph.errors import JobCancelledError, exit_code_for
from reelgraph.export.job import export_project
from reelgraph.export.presets import resolve_settings
from reelgraph.jobs import CancelToken, cancel_on_interrupt
from reelgraph.project.load import load_project
from reelgraph.testing import clip, color, effect, media, project, track, transform
from reelgraph.testing.generated_media import write_numbered_clip
from reelgraph.trace import Instruments, Tracer, validate_chrome_trace


@pytest.fixture(scope="module")
def project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trace")
    write_numbered_clip(folder / "clip.mp4", 20)
    data = project(
        [
            track(
                "V1",
                "video",
                [clip("v", 0, 12, media("clip.mp4"), effects=[effect("exposure", stops=0.5)])],
            ),
            track(
                "V2",
                "video",
                [clip("box", 0, 12, color("#ffcc00"), opacity=0.5, transform=transform(scale=0.5))],
            ),
        ]
    )
    path = folder / "p.json"
    path.write_text(json.dumps(data))
    return path


def test_a_render_with_trace_writes_chrome_trace_json_with_every_stage(project_file, tmp_path):
    trace = tmp_path / "render.trace.json"
    code = main(
        [
            "render",
            str(project_file),
            "-o",
            str(tmp_path / "out.mp4"),
            "--no-cache",
            "--no-progress",
            "--trace",
            str(trace),
        ]
    )
    assert code == 0
    document = json.loads(trace.read_text())
    assert validate_chrome_trace(document) == []
    spans = [e for e in document["traceEvents"] if e["ph"] == "X"]
    by_category: dict[str, set[str]] = {}
    for span in spans:
        by_category.setdefault(span["cat"], set()).add(span["name"])
    assert by_category["stage"] == {stage.name for stage in Stage}
    assert len([s for s in spans if s["cat"] == "tick"]) == 12
    assert {"decode_demanded_frames", "composite_frame", "deliver_outputs"} <= by_category["system"]
    assert {"source", "effect:exposure", "transform", "blend:normal"} <= by_category["node"]
    assert by_category["decode"] == {"decode"}
    assert "encode" in by_category["encode"]


def test_render_metrics_report_sets_systems_nodes_and_cache(project_file, tmp_path, capsys):
    code = main(
        [
            "render",
            str(project_file),
            "-o",
            str(tmp_path / "out.mp4"),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-progress",
            "--metrics",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "metrics over 12 tick(s)" in out
    for heading in ("system set", "COMPOSITE", "composite_frame", "node", "decode/encode"):
        assert heading in out
    assert "cache: hit rate" in out


def test_render_json_metrics_are_machine_readable(project_file, tmp_path, capsys):
    code = main(
        [
            "render",
            str(project_file),
            "-o",
            str(tmp_path / "out.mp4"),
            "--no-cache",
            "--json",
            "--metrics",
        ]
    )
    assert code == 0
    metrics = json.loads(capsys.readouterr().out)["metrics"]
    assert metrics["ticks"] == 12
    assert [s["name"] for s in metrics["stages"]][:2] == ["INGEST", "DECODE"]


def test_ctrl_c_cancels_the_render_between_frames_and_leaves_no_output(project_file, tmp_path):
    document = load_project(project_file)
    output = tmp_path / "out.mp4"
    settings = resolve_settings(str(output), None, document.export, {})
    token = CancelToken("render")

    def progress(done: int, total: int) -> None:
        if done == 3:
            signal.raise_signal(signal.SIGINT)  # what Ctrl-C delivers

    with pytest.raises(JobCancelledError) as caught, cancel_on_interrupt(token):
        export_project(
            document, output, settings, progress=progress, instruments=Instruments(token=token)
        )
    assert caught.value.params["reason"] == "interrupted"
    assert exit_code_for(caught.value) == 130
    assert not output.exists()


def test_an_engine_without_instruments_traces_nothing(project_file):
    with Engine(load_project(project_file)) as engine:
        engine.render_frame(0)
        assert engine.world.get_resource(Tracer) is None
        assert engine.world.get_resource(CancelToken) is None
        assert engine.schedule.timings == {}


def test_plugin_nodes_get_spans_named_after_their_kind():
    from reelgraph.plugins.host import plugins_for_document
    from reelgraph.project.load import load_project_data

    title = {"schema": "GeneratorSource.1", "generator": "text.title",
             "params": {"text": "hi", "size": 12.0}}  # fmt: skip
    data = project([track("V1", "video", [clip("t", 0, 2, title)])], width=64, height=36)
    document = load_project_data(data, Path("."))
    repo_plugins = Path(__file__).resolve().parents[2] / "plugins" / "text"
    host = plugins_for_document(document, plugin_path=[repo_plugins], entry_points=False)
    tracer = Tracer()
    with Engine(document, plugins=host, instruments=Instruments(tracer=tracer)) as engine:
        engine.render_frame(0)
    assert tracer.stats("node")[("node", "text.title")].count == 1
