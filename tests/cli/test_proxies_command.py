"""``reelgraph proxies PROJECT build|list|clean`` and what ``info`` shows afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reelgraph.cli.main import main
from reelgraph.proxies import ProxyFile
from reelgraph.testing.builders import clip, media, project, track
from reelgraph.testing.generated_media import write_numbered_clip


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    rate = 48000
    tone = np.tile(np.linspace(-0.5, 0.5, 480, dtype=np.float32), (2, rate // 2 // 480))
    write_numbered_clip(tmp_path / "clip.mov", 15, width=64, height=48, audio=tone)
    body = project([track("V1", "video", [clip("v", 0, 15, media("clip.mov"))])])
    path = tmp_path / "p.json"
    path.write_text(json.dumps(body))
    return path


def _run(capsys, *args: str) -> tuple[int, dict]:
    capsys.readouterr()
    status = main([*args, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_build_makes_every_level_then_list_shows_them(project_file, tmp_path, capsys):
    cache = str(tmp_path / "cache")
    status, built = _run(capsys, "proxies", str(project_file), "build", "--cache-dir", cache)
    assert status == 0
    (source,) = built["sources"]
    assert source["state"] == "done" and source["built"] == ["full", "half", "quarter"]
    assert sorted(source["levels"]) == ["full", "half", "quarter"]
    assert source["levels"]["half"]["size"] == [32, 24]
    assert source["levels"]["half"]["frames"] == 15
    assert source["sha256"] and source["thumbnails"]["count"] == 8
    assert source["peaks"]["channels"] == 2
    status, again = _run(capsys, "proxies", str(project_file), "build", "--cache-dir", cache)
    assert status == 0 and again["sources"][0]["built"] == []
    assert again["sources"][0]["state"] == "up to date"
    status, listed = _run(capsys, "proxies", str(project_file), "list", "--cache-dir", cache)
    assert listed["sources"][0]["levels"] == source["levels"]


def test_a_damaged_proxy_is_rebuilt_by_the_next_build(project_file, tmp_path, capsys):
    cache = str(tmp_path / "cache")
    _, built = _run(capsys, "proxies", str(project_file), "build", "--cache-dir", cache)
    half = Path(built["sources"][0]["levels"]["half"]["path"])
    half.write_bytes(half.read_bytes()[: half.stat().st_size // 2])  # torn
    status, rebuilt = _run(capsys, "proxies", str(project_file), "build", "--cache-dir", cache)
    assert status == 0 and rebuilt["sources"][0]["built"] == ["half"]
    assert rebuilt["sources"][0]["levels"]["half"]["frames"] == 15


def test_verify_finds_a_damaged_frame_that_opening_does_not(project_file, tmp_path, capsys):
    cache = str(tmp_path / "cache")
    _, built = _run(capsys, "proxies", str(project_file), "build", "--cache-dir", cache)
    quarter = Path(built["sources"][0]["levels"]["quarter"]["path"])
    proxy = ProxyFile(quarter)
    offset = proxy._table[0][0]  # the first frame's payload
    proxy.close()
    data = bytearray(quarter.read_bytes())
    data[offset + 10] ^= 0xFF
    quarter.write_bytes(bytes(data))
    _, plain = _run(capsys, "proxies", str(project_file), "build", "--cache-dir", cache)
    assert plain["sources"][0]["built"] == []
    _, verified = _run(
        capsys, "proxies", str(project_file), "build", "--cache-dir", cache, "--verify"
    )
    assert verified["sources"][0]["built"] == ["quarter"]


def test_clean_removes_the_projects_proxies(project_file, tmp_path, capsys):
    cache = str(tmp_path / "cache")
    _run(capsys, "proxies", str(project_file), "build", "--cache-dir", cache, "--levels", "quarter")
    status, cleaned = _run(capsys, "proxies", str(project_file), "clean", "--cache-dir", cache)
    assert status == 0 and len(cleaned["removed"]) == 1
    _, listed = _run(capsys, "proxies", str(project_file), "list", "--cache-dir", cache)
    assert listed["sources"][0]["levels"] == {}


def test_info_shows_the_cached_proxies_filmstrip_and_peaks(
    project_file, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _, before = _run(capsys, "info", str(project_file))
    assert before["media"][0]["proxies"] == [] and before["media"][0]["thumbnails"] is None
    assert main(["proxies", str(project_file), "build", "--no-progress"]) == 0
    _, after = _run(capsys, "info", str(project_file))
    status = after["media"][0]
    assert status["proxies"] == ["full", "half", "quarter"]
    assert Path(status["thumbnails"]["path"]).is_file()
    assert status["peaks"]["buckets"] >= 50


def test_unknown_levels_are_a_usage_error(project_file, capsys):
    assert main(["proxies", str(project_file), "build", "--levels", "eighth"]) == 2
