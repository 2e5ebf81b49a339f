from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reelgraph.export.job import render_to_memory
from reelgraph.project.load import load_project_data
from reelgraph.testing.generated_media import write_numbered_clip, write_solid_png


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("engine-media")
    write_numbered_clip(folder / "numbered.mp4", 90)
    write_numbered_clip(folder / "numbered25.mp4", 50, rate=Fraction(25))
    write_solid_png(folder / "half-red.png", (255, 0, 0, 128))
    (folder / "seq").mkdir()
    from reelgraph.media import write_png
    from reelgraph.testing.generated_media import numbered_frame

    for index in range(10):
        write_png(folder / "seq" / f"img_{index + 1:03d}.png", numbered_frame(index * 3))
    return folder


class Renderer:
    def __init__(self, base: Path) -> None:
        self.base = base

    def frames(self, data: dict, start: int = 0, end: int | None = None) -> list[np.ndarray]:
        document = load_project_data(data, self.base)
        return render_to_memory(document, start=start, end=end).frames

    def frame(self, data: dict, at: int) -> np.ndarray:
        return self.frames(data, at, at + 1)[0]


@pytest.fixture
def render(media_dir: Path) -> Renderer:
    return Renderer(media_dir)
