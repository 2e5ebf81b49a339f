"""Proxy fixtures: a small numbered long-GOP clip, a private cache folder, a project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgraph.project.load import load_project
from reelgraph.proxies import MediaCache
from reelgraph.testing.builders import clip, media, project, track
from reelgraph.testing.generated_media import write_numbered_clip

WIDTH, HEIGHT, FRAMES = 128, 96, 24


@pytest.fixture(scope="session")
def numbered_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """24 numbered frames, 128x96 H.264 with a 12-frame GOP (written once)."""
    folder = tmp_path_factory.mktemp("proxy-media")
    return write_numbered_clip(folder / "numbered.mp4", FRAMES, width=WIDTH, height=HEIGHT)


@pytest.fixture
def media_cache(tmp_path: Path) -> MediaCache:
    """A private cache folder (index, proxies, thumbnails, waveforms)."""
    return MediaCache(tmp_path / "cache")


def write_project(folder: Path, source: str, frames: int = FRAMES, **fields: object) -> Path:
    """A project playing ``source`` (relative to ``folder``) for ``frames`` frames."""
    body = project(
        [track("V1", "video", [clip("a", 0, frames, media(source), **fields)])],
        width=WIDTH,
        height=HEIGHT,
    )
    path = folder / "p.json"
    path.write_text(json.dumps(body))
    return path


@pytest.fixture
def project_dir(tmp_path: Path, numbered_source: Path) -> Path:
    """A folder with ``clip.mp4`` (a copy of the numbered clip) and ``p.json`` using it."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "clip.mp4").write_bytes(numbered_source.read_bytes())
    write_project(folder, "clip.mp4")
    return folder


@pytest.fixture
def document(project_dir: Path):  # type: ignore[no-untyped-def]
    return load_project(project_dir / "p.json")
