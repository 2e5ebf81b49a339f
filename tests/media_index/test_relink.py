"""Moved or renamed media are found again by content, and keep their cache keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgraph.cli.main import main
from reelgraph.engine.engine import Engine
from reelgraph.errors import MediaNotFoundError
from reelgraph.media_index import SEARCH_PATH_VARIABLE
from reelgraph.project.load import load_project
from reelgraph.proxies import MediaCache
from reelgraph.render.color import from_working
from reelgraph.testing.builders import clip, media, project, track
from reelgraph.testing.generated_media import read_frame_number, write_numbered_clip


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    write_numbered_clip(folder / "clip.mp4", 12)
    body = project([track("V1", "video", [clip("a", 0, 12, media("clip.mp4"))])])
    (folder / "p.json").write_text(json.dumps(body))
    return folder


def _open(folder: Path, cache: MediaCache) -> Engine:
    return Engine(load_project(folder / "p.json"), media_cache=cache)


def _seen(folder: Path, cache: MediaCache) -> str:
    """Open the project once so the index learns its media; the key of frame 5."""
    with _open(folder, cache) as engine:
        engine.check_media()
        return engine.frame_key(5)


def test_a_renamed_file_is_relinked_and_keeps_its_cache_keys(project_dir, tmp_path):
    cache = MediaCache(tmp_path / "cache")
    key = _seen(project_dir, cache)
    moved = project_dir / "footage" / "renamed.mp4"
    moved.parent.mkdir()
    (project_dir / "clip.mp4").rename(moved)
    with _open(project_dir, MediaCache(tmp_path / "cache")) as engine:
        engine.check_media()
        assert engine.frame_key(5) == key
        assert read_frame_number(from_working(engine.render_frame(5))) == 5
        (status,) = engine.media.statuses()
        assert status.ok and status.relinked == str(moved)
        assert "relinked" in status.detail


def test_media_moved_outside_the_project_is_found_in_the_search_path(
    project_dir, tmp_path, monkeypatch
):
    cache = MediaCache(tmp_path / "cache")
    _seen(project_dir, cache)
    elsewhere = tmp_path / "archive" / "deep"
    elsewhere.mkdir(parents=True)
    (project_dir / "clip.mp4").rename(elsewhere / "x.mp4")
    monkeypatch.setenv(SEARCH_PATH_VARIABLE, str(tmp_path / "archive"))
    with _open(project_dir, MediaCache(tmp_path / "cache")) as engine:
        engine.check_media()
        assert engine.media.statuses()[0].relinked == str(elsewhere / "x.mp4")


def test_a_file_with_other_content_is_never_taken_for_the_missing_one(project_dir, tmp_path):
    cache = MediaCache(tmp_path / "cache")
    _seen(project_dir, cache)
    (project_dir / "clip.mp4").unlink()
    write_numbered_clip(project_dir / "clip-v2.mp4", 13)  # similar, but other bytes
    with _open(project_dir, MediaCache(tmp_path / "cache")) as engine:
        with pytest.raises(MediaNotFoundError):
            engine.check_media()


def test_info_says_where_a_relinked_file_was_found(project_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert main(["info", str(project_dir / "p.json")]) == 0
    (project_dir / "clip.mp4").rename(project_dir / "other-name.mp4")
    capsys.readouterr()
    assert main(["info", str(project_dir / "p.json"), "--json"]) == 0
    (status,) = json.loads(capsys.readouterr().out)["media"]
    assert status["ok"] and status["relinked"].endswith("other-name.mp4")
    assert status["fingerprint"].startswith("fp1:")
