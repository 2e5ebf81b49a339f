"""The W1 benchmark's timeline, shrunk: a graded clip, a crossfade, a picture in picture,
a title and crossfading audio render through the CLI with the example plugins."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
from reelgraph_lut.cube import write_cube
from reelgraph_lut.samples import teal_orange

from reelgraph.cli.main import main
from reelgraph.export.job import render_to_memory
from reelgraph.media import probe
from reelgraph.project.load import load_project
from reelgraph.testing import clip, effect, generator, media, project, track, transform, transition
from reelgraph.testing.generated_media import write_numbered_clip

W, H, FRAMES = 160, 90, 24


def tone(frequency: float) -> np.ndarray:
    t = np.arange(int(48000 * FRAMES / 30)) / 48000
    wave = (0.2 * np.sin(2 * np.pi * frequency * t)).astype(np.float32)
    return np.stack([wave, wave])


def w1(folder: Path) -> Path:
    for name, frequency in (("a.mov", 440.0), ("b.mov", 660.0)):
        write_numbered_clip(
            folder / name, FRAMES, rate=Fraction(30), width=W, height=H, audio=tone(frequency)
        )
    write_cube(folder / "grade.cube", teal_orange(33), title="grade")
    title = generator(
        "text.title",
        text="reelgraph",
        size=16,
        color="#ffffff",
        anchor="bottom_center",
        position=[0.5, 0.95],
    )
    data = project(
        [
            track(
                "V1",
                "video",
                [
                    clip("a", 0, 18, media("a.mov"), effects=[effect("lut", file="grade.cube")]),
                    clip("b", 12, 18, media("b.mov")),
                ],
                [transition("a", "b")],
            ),
            track(
                "V2",
                "video",
                [
                    clip(
                        "pip",
                        3,
                        21,
                        media("b.mov"),
                        transform=transform(scale=1 / 3, position=[W - W / 6 - 4, H / 6 + 4]),
                        opacity=0.8,
                    )
                ],
            ),
            track("V3", "video", [clip("title", 0, 9, title)]),
            track(
                "A1",
                "audio",
                [clip("a-audio", 0, 18, media("a.mov")), clip("b-audio", 12, 18, media("b.mov"))],
                [transition("a-audio", "b-audio")],
            ),
        ],
        width=W,
        height=H,
    )
    path = folder / "w1.json"
    path.write_text(json.dumps(data))
    return path


def test_the_w1_timeline_renders_to_a_video_file(tmp_path, capsys):
    project_file = w1(tmp_path)
    output = tmp_path / "w1.mp4"
    status = main(["render", str(project_file), "-o", str(output), "--no-progress", "--json"])
    assert status == 0, capsys.readouterr().err
    info = probe(output)
    assert info.video is not None and info.audio is not None
    assert (info.video.width, info.video.height) == (W, H)


def test_the_w1_title_and_grade_are_in_the_picture(tmp_path):
    document = load_project(w1(tmp_path))
    frames = render_to_memory(document, start=0, end=10).frames
    with_title, without_title = frames[4], frames[9]
    bottom = slice(H - 20, H)
    assert with_title[bottom].max() == 255  # white title text
    assert not np.array_equal(with_title[bottom], without_title[bottom])
