"""Text rendering: layout, anti-aliasing in linear light, outline, shadow, box, keyframes."""

from __future__ import annotations

import numpy as np
import pytest
from reelgraph_text.fonts import find_cjk_font, find_font
from reelgraph_text.plugin import _SPECS, create
from reelgraph_text.render import TextStyle, render_text

WHITE = (1.0, 1.0, 1.0, 1.0)


def style(**changes) -> TextStyle:
    base = {
        "text": "Hg",
        "font": find_font("sans-bold"),
        "size": 40.0,
        "color": WHITE,
        "position": (0.5, 0.5),
    }
    return TextStyle(**{**base, **changes})


def bbox(picture: np.ndarray) -> tuple[int, int, int, int]:
    rows = np.flatnonzero(picture[..., 3].max(axis=1) > 0.02)
    cols = np.flatnonzero(picture[..., 3].max(axis=0) > 0.02)
    return int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1])


def test_text_is_premultiplied_with_anti_aliased_edges():
    picture = render_text(160, 90, style())
    alpha = picture[..., 3]
    assert picture.dtype == np.float32 and picture.shape == (90, 160, 4)
    assert alpha.max() == pytest.approx(1.0)
    assert ((alpha > 0.05) & (alpha < 0.95)).sum() > 20  # partial coverage at the edges
    np.testing.assert_allclose(picture[..., 0], alpha, atol=1e-6)  # white: colour == alpha


def test_coverage_is_linear_so_half_covered_grey_is_half_the_light():
    grey = (0.2, 0.2, 0.2, 1.0)  # premultiplied linear
    picture = render_text(160, 90, style(color=grey))
    edge = (picture[..., 3] > 0.3) & (picture[..., 3] < 0.7)
    np.testing.assert_allclose(picture[..., 0][edge], 0.2 * picture[..., 3][edge], atol=1e-6)


@pytest.mark.parametrize(
    ("anchor", "position", "corner"),
    [("top_left", (0.1, 0.2), "top_left"), ("bottom_right", (0.9, 0.8), "bottom_right")],
)
def test_the_anchor_point_of_the_block_sits_at_the_position(anchor, position, corner):
    picture = render_text(200, 100, style(anchor=anchor, position=position, text="H"))
    left, top, right, bottom = bbox(picture)
    if corner == "top_left":
        assert abs(left - 20) <= 4 and 20 <= top <= 20 + 12  # ink starts below the ascent line
    else:
        assert abs(right - 180) <= 4 and bottom <= 80


def test_lines_are_aligned_inside_the_block():
    text = "WWWWW\ni"
    left = render_text(300, 150, style(text=text, align="left", size=30.0))
    right = render_text(300, 150, style(text=text, align="right", size=30.0))
    lower = slice(75, 150)
    assert bbox(left[lower])[0] < bbox(right[lower])[0] - 40


def test_scale_grows_the_text_around_its_anchor():
    small = bbox(render_text(300, 200, style(scale=1.0)))
    big = bbox(render_text(300, 200, style(scale=2.0)))
    assert (big[2] - big[0]) > 1.8 * (small[2] - small[0])
    assert abs((big[0] + big[2]) / 2 - (small[0] + small[2]) / 2) <= 2


def test_outline_shadow_and_box_add_their_layers_beneath_the_fill():
    plain = render_text(200, 100, style())
    outlined = render_text(200, 100, style(outline_width=3.0, outline_color=(1.0, 0.0, 0.0, 1.0)))
    assert outlined[..., 3].sum() > plain[..., 3].sum() * 1.2
    assert outlined[..., 0].max() == pytest.approx(1.0) and outlined[..., 1].min() == 0.0
    shadowed = render_text(200, 100, style(shadow_color=(0.0, 0.0, 0.0, 1.0), shadow_offset=(6, 6)))
    assert bbox(shadowed)[2] >= bbox(plain)[2] + 5
    boxed = render_text(200, 100, style(box_color=(0.0, 0.0, 0.5, 0.5), box_padding=10.0))
    assert (
        boxed[..., 3].min() == 0.0
        and (boxed[..., 3] >= 0.5 - 1e-6).sum() > plain[..., 3].astype(bool).sum()
    )


def test_opacity_scales_every_channel():
    full = render_text(120, 60, style())
    half = render_text(120, 60, style(opacity=0.5))
    np.testing.assert_allclose(half, full * 0.5, atol=1e-6)


def test_japanese_text_renders_with_a_cjk_font():
    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (scripts/setup.sh installs fonts-ipafont-gothic)")
    picture = render_text(200, 80, style(text="日本語", font=font, size=48.0))
    left, _top, right, _bottom = bbox(picture)
    assert right - left > 120  # three full-width glyphs, not boxes of nothing


def test_the_generator_caches_static_titles_and_shares_a_read_only_picture():
    plugin = create(None)
    params = dict(_SPECS["title"].defaults)
    first = plugin.generate("title", 64, 32, params)
    second = plugin.generate("title", 64, 32, params)
    assert first is second and not first.flags.writeable
