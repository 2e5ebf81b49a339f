from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reelgraph.testing import clip, color, keys, media, project, track, transform, transition
from reelgraph.testing.generated_media import write_numbered_clip

SAMPLE_RATE = 48000


@pytest.fixture(scope="session")
def export_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """numbered.mov: 60 numbered frames at 30 fps with a click at source frame 15."""
    folder = tmp_path_factory.mktemp("export-media")
    audio = np.zeros((2, 2 * SAMPLE_RATE), dtype=np.float32)
    click = 15 * SAMPLE_RATE // 30
    audio[:, click : click + 16] = 0.9
    write_numbered_clip(folder / "numbered.mov", 60, audio=audio)
    return folder


def small_project() -> dict:
    return project(
        [
            track(
                "V1",
                "video",
                [
                    clip("v", 0, 40, media("numbered.mov"), source_in=5),
                    clip("c", 30, 20, color("#2050c0")),
                ],
                [transition("v", "c")],
            ),
            track(
                "V2",
                "video",
                [
                    clip(
                        "box",
                        0,
                        50,
                        color("#ffcc00"),
                        opacity=0.7,
                        transform=transform(scale=0.25, position=keys((0, [8, 8]), (49, [56, 40]))),
                    )
                ],
            ),
            track("A1", "audio", [clip("a", 10, 30, media("numbered.mov"), source_in=5)]),
        ]
    )


@pytest.fixture
def project_file(export_media: Path) -> Path:
    path = export_media / "small.json"
    path.write_text(json.dumps(small_project()))
    return path
