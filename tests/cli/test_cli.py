"""The command line end to end: info, frame, render, presets, schema, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import av
import pytest

from reelgraph.cli.main import main
from reelgraph.testing import clip, color, media, project, track
from reelgraph.testing.generated_media import write_numbered_clip


@pytest.fixture(scope="module")
def project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    write_numbered_clip(folder / "clip.mp4", 30)
    data = project(
        [
            track(
                "V1",
                "video",
                [clip("v", 0, 30, media("clip.mp4")), clip("red", 30, 15, color("#ff0000"))],
            )
        ]
    )
    path = folder / "p.json"
    path.write_text(json.dumps(data))
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reelgraph", *args], capture_output=True, text=True, timeout=120
    )


def test_info_lists_tracks_clips_duration_and_media(project_file, capsys):
    assert main(["info", str(project_file)]) == 0
    out = capsys.readouterr().out
    assert "45 frames" in out and "00:00:01:15" in out
    assert "clip    v: 0-30 clip.mp4" in out
    assert "media     ok  clip.mp4" in out


def test_info_json_is_machine_readable(project_file, capsys):
    assert main(["info", str(project_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["duration_frames"] == 45
    assert data["media"][0]["ok"] is True
    assert data["media"][0]["detail"].startswith("video, 64x48 h264")


def test_info_reports_missing_media_without_failing_to_open(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(project([track("V1", "video", [clip("v", 0, 5, media("gone.mp4"))])]))
    )
    assert main(["info", str(path)]) == 5
    assert "ERR gone.mp4" in capsys.readouterr().out


def test_frame_renders_one_png_at_a_timecode(project_file, tmp_path):
    out = tmp_path / "f.png"
    assert main(["frame", str(project_file), "--at", "00:00:01:05", "-o", str(out)]) == 0
    with av.open(str(out)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
    assert (frame == [255, 0, 0]).all()


def test_render_writes_a_range_and_reports_json(project_file, tmp_path, capsys):
    out = tmp_path / "r.mp4"
    code = main(
        [
            "render",
            str(project_file),
            "-o",
            str(out),
            "--range",
            "10-1s",
            "--json",
            "--frame-hashes",
            str(tmp_path / "h.json"),
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["frames"] == 20 and data["ok"] is True
    assert len(json.loads((tmp_path / "h.json").read_text())["frames"]) == 20


def test_render_accepts_size_and_codec_overrides(project_file, tmp_path):
    out = tmp_path / "r.mkv"
    assert (
        main(
            [
                "render",
                str(project_file),
                "-o",
                str(out),
                "--size",
                "32x24",
                "--range",
                "0-5",
                "--no-progress",
            ]
        )
        == 0
    )
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height, stream.codec_context.name) == (32, 24, "ffv1")


def test_frame_writes_sixteen_bit_pngs_on_request(project_file, tmp_path):
    out = tmp_path / "f16.png"
    assert (
        main(["frame", str(project_file), "--at", "35", "-o", str(out), "--bit-depth", "16"]) == 0
    )
    with av.open(str(out)) as container:
        frame = next(container.decode(video=0))
        assert frame.format.name.startswith("rgb48")


def test_presets_and_schema_print(capsys):
    assert main(["presets", "--json"]) == 0
    assert "prores" in json.loads(capsys.readouterr().out)["presets"]
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$ref"] == "#/$defs/Project.1"


@pytest.mark.parametrize(
    ("args", "code", "status"),
    [
        (["info", "/nonexistent/p.json"], "project.not_found", 3),
        (["render", "{p}", "-o", "{t}/x.mp4", "--range", "0-999"], "timeline.out_of_range", 4),
        (["frame", "{p}", "--at", "soon", "-o", "{t}/x.png"], "time.invalid", 2),
        (["render", "{p}", "-o", "{t}/x.mp4", "--preset", "nope"], "timeline.unknown_reference", 4),
        (["render", "{p}", "-o", "{t}/x.mp4", "--preset", "prores"], "media.unsupported_codec", 5),
        (["render", "{p}", "-o", "/nonexistent-dir/x.mp4"], "output.write_failed", 6),
        (["render", "{p}"], "cli.usage", 2),
        (["render", "{m}", "-o", "{t}/x.mp4"], "media.not_found", 5),
        (["render", "{l}", "-o", "{t}/x.mp4"], "timeline.out_of_range", 4),
        (["render", "{g}", "-o", "{t}/x.mp4"], "media.decode", 5),
    ],
)
def test_bad_input_gives_a_coded_error_and_exit_status_never_a_traceback(
    project_file, tmp_path, args, code, status
):
    missing = tmp_path / "missing.json"
    missing.write_text(
        json.dumps(project([track("V1", "video", [clip("v", 0, 5, media("gone.mp4"))])]))
    )
    too_long = tmp_path / "long.json"
    too_long.write_text(
        json.dumps(
            project(
                [
                    track(
                        "V1",
                        "video",
                        [clip("v", 0, 90, media(str(project_file.parent / "clip.mp4")))],
                    )
                ]
            )
        )
    )
    garbage = tmp_path / "garbage.json"
    (tmp_path / "junk.mp4").write_bytes(b"\x00\x01 not a video" * 100)
    garbage.write_text(
        json.dumps(project([track("V1", "video", [clip("v", 0, 5, media("junk.mp4"))])]))
    )
    args = [a.format(p=project_file, t=tmp_path, m=missing, l=too_long, g=garbage) for a in args]
    as_json = run_cli(*args, "--json")
    assert as_json.returncode == status, as_json.stderr
    assert json.loads(as_json.stdout)["error"]["code"] == code
    as_text = run_cli(*args)
    assert as_text.returncode == status
    assert f"error[{code}]" in as_text.stderr
    assert "Traceback" not in as_json.stderr + as_text.stderr


def test_a_malformed_project_names_the_field(tmp_path):
    path = tmp_path / "bad.json"
    data = project([track("V1", "video", [clip("v", 0, "ten", color("#fff000"))])])
    path.write_text(json.dumps(data))
    result = run_cli("info", str(path))
    assert result.returncode == 3
    assert "sequences[0].tracks[0].clips[0].duration" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_internal_bug_is_reported_as_a_bug_with_the_trace_in_a_log(
    tmp_path, monkeypatch, capsys
):
    from reelgraph.cli import commands

    def broken(args):
        raise ZeroDivisionError("oops")

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setitem(commands.__dict__, "presets", broken)
    assert main(["presets"]) == 70
    err = capsys.readouterr().err
    assert "error[internal.bug]" in err and "Traceback" not in err
    assert "ZeroDivisionError" in (tmp_path / "reelgraph" / "reelgraph.log").read_text()
