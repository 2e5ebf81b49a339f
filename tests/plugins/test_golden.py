"""Golden frames of the example plugins rendered by the engine: text (Latin, Japanese), LUT.

Regenerate with ``pytest --update-golden``; look at the PNGs in ``tests/golden`` after.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from reelgraph_lut.cube import write_cube
from reelgraph_lut.samples import teal_orange
from reelgraph_text.fonts import find_cjk_font

from reelgraph.engine.engine import Engine
from reelgraph.media import write_png
from reelgraph.project.load import load_project_data
from reelgraph.render.color import from_working
from reelgraph.testing import clip, color, effect, generator, keys, media, project, track


def render(data: dict, frame: int, base: Path = Path(".")) -> np.ndarray:
    with Engine(load_project_data(data, base), with_audio=False) as engine:
        return from_working(engine.render_frame(frame))


def titles(title: str, name: str, role: str, size: int = 44) -> dict:
    return project(
        [
            track("V1", "video", [clip("bg", 0, 30, color("#1d3557"))]),
            track(
                "V2",
                "video",
                [
                    clip(
                        "title",
                        0,
                        30,
                        generator(
                            "text.title",
                            text=title,
                            size=size,
                            position=[0.5, 0.36],
                            outline_width=2,
                            outline_color="#000000",
                            shadow_color="#000000a0",
                            shadow_offset=[3, 3],
                            shadow_blur=2,
                        ),
                    )
                ],
            ),
            track(
                "V3",
                "video",
                [
                    clip(
                        "strap",
                        0,
                        30,
                        generator("text.lower_third", text=f"{name}\n{role}", size=20),
                    )
                ],
            ),
        ],
        width=320,
        height=180,
    )


def test_a_latin_title_and_lower_third_match_their_golden_frame(golden):
    golden.check("plugin-text-latin", render(titles("reelgraph", "Ada Lovelace", "Engineer"), 5))


def test_a_japanese_title_and_lower_third_match_their_golden_frame(golden):
    if find_cjk_font() is None:
        pytest.skip("no CJK font installed (scripts/setup.sh installs fonts-ipafont-gothic)")
    data = titles("日本語のタイトル", "山田 太郎", "映像監督", size=36)
    golden.check("plugin-text-japanese", render(data, 5))


def test_keyframed_opacity_position_and_scale_animate_the_title():
    animated = generator(
        "text.title",
        text="Move",
        size=30,
        opacity=keys((0, 0.0), (10, 1.0)),
        position=keys((0, [0.25, 0.5]), (20, [0.6, 0.5])),
        scale=keys((10, 1.0), (20, 2.0)),
    )
    data = project([track("V1", "video", [clip("t", 0, 30, animated)])], width=300, height=100)
    with Engine(load_project_data(data, Path(".")), with_audio=False) as engine:
        start, middle, end = (engine.render_frame(f)[..., 0] for f in (0, 10, 20))
    assert start.max() == 0.0  # white text, fully transparent at frame 0: all black

    def ink(alpha):
        cols = np.flatnonzero(alpha.max(axis=0) > 0.05)
        return cols[0], cols[-1]

    (l1, r1), (l2, r2) = ink(middle), ink(end)
    assert (l2 + r2) / 2 > (l1 + r1) / 2 + 40  # moved right (0.425 -> 0.6 of 300 px)
    assert (r2 - l2) > 1.7 * (r1 - l1)  # twice the size


@pytest.fixture
def gradient(tmp_path: Path) -> Path:
    """A still with hues across and brightness down: every region of the LUT is used."""
    height, width = 90, 160
    hue = np.linspace(0.0, 1.0, width)[None, :]
    value = np.linspace(1.0, 0.05, height)[:, None]
    channels = [np.clip(np.abs((hue * 6 + shift) % 6 - 3) - 1, 0, 1) for shift in (0, 4, 2)]
    rgb = np.stack([(0.25 + 0.75 * c) * value for c in channels], axis=-1)
    write_png(tmp_path / "gradient.png", np.round(rgb * 255).astype(np.uint8))
    write_cube(tmp_path / "grade.cube", teal_orange(33), title="teal orange")
    return tmp_path


def test_a_graded_gradient_matches_its_golden_frame(golden, gradient):
    graded = effect("lut", file="grade.cube", interpolation="tetrahedral")
    data = project(
        [track("V1", "video", [clip("g", 0, 10, media("gradient.png"), effects=[graded])])],
        width=160,
        height=90,
    )
    golden.check("plugin-lut-grade", render(data, 0, gradient))


def test_half_strength_lies_between_the_original_and_the_grade(gradient):
    def frame(strength: float) -> np.ndarray:
        fx = effect("lut", file="grade.cube", strength=strength)
        data = project(
            [track("V1", "video", [clip("g", 0, 10, media("gradient.png"), effects=[fx])])],
            width=160,
            height=90,
        )
        with Engine(load_project_data(data, gradient), with_audio=False) as engine:
            return engine.render_frame(0)

    none, half, full = frame(0.0), frame(0.5), frame(1.0)
    np.testing.assert_allclose(half, (none + full) / 2, atol=1e-5)
