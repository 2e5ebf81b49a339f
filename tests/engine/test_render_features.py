"""Each timeline feature rendered through the whole engine (64x48 frames)."""

from __future__ import annotations

import pytest

from reelgraph.testing import (
    clip,
    color,
    effect,
    keys,
    media,
    nested,
    project,
    sequence,
    track,
    transform,
    transition,
)
from reelgraph.testing.generated_media import read_frame_number


def decode(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def encode(linear: float) -> int:
    linear = min(max(linear, 0.0), 1.0)
    v = 12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055
    return int(v * 255 + 0.5)


def solid(clip_id, start, duration, value, **fields):
    return clip(clip_id, start, duration, color(value), **fields)


def one_track(*clips, transitions=None, **fields):
    return project([track("V1", "video", list(clips), transitions)], **fields)


def test_a_colour_clip_fills_the_canvas(render):
    pixels = render.frame(one_track(solid("a", 0, 5, "#ff0000")), 2)
    assert pixels.shape == (48, 64, 3)
    assert (pixels == [255, 0, 0]).all()


def test_a_gap_shows_the_background(render):
    data = one_track(solid("a", 0, 3, "#ff0000"), solid("b", 6, 3, "#00ff00"), background="#202020")
    assert (render.frame(data, 4) == 32).all()
    assert (render.frame(data, 7) == [0, 255, 0]).all()


def test_upper_tracks_cover_lower_tracks(render):
    data = project(
        [
            track("V1", "video", [solid("low", 0, 5, "#ff0000")]),
            track("V2", "video", [solid("high", 0, 5, "#0000ff")]),
        ]
    )
    assert (render.frame(data, 0) == [0, 0, 255]).all()


def test_a_disabled_track_is_not_drawn(render):
    data = project(
        [
            track("V1", "video", [solid("low", 0, 5, "#ff0000")]),
            track("V2", "video", [solid("high", 0, 5, "#0000ff")], enabled=False),
        ]
    )
    assert (render.frame(data, 0) == [255, 0, 0]).all()


def test_opacity_mixes_in_linear_light(render):
    data = one_track(solid("w", 0, 5, "#ffffff", opacity=0.5))
    assert (render.frame(data, 0) == encode(0.5)).all()


@pytest.mark.parametrize(
    ("mode", "formula"),
    [
        ("normal", lambda b, s: s),
        ("add", lambda b, s: b + s),
        ("multiply", lambda b, s: b * s),
        ("screen", lambda b, s: b + s - b * s),
        ("overlay", lambda b, s: 2 * b * s if b <= 0.5 else 1 - 2 * (1 - b) * (1 - s)),
    ],
)
def test_blend_modes_follow_their_formulas_in_linear_light(render, mode, formula):
    base, layer = [0.2, 0.7, 0.9], [0.6, 0.3, 0.5]
    data = project(
        [
            track("V1", "video", [solid("b", 0, 5, base)]),
            track("V2", "video", [solid("s", 0, 5, layer, blend=mode)]),
        ]
    )
    pixel = render.frame(data, 0)[10, 10]
    expected = [encode(formula(decode(b), decode(s))) for b, s in zip(base, layer, strict=True)]
    assert list(pixel) == pytest.approx(expected, abs=1)


def test_scale_shrinks_a_picture_about_the_canvas_centre(render):
    data = one_track(solid("a", 0, 5, "#ff0000", transform=transform(scale=0.5)))
    pixels = render.frame(data, 0)
    assert (pixels[24, 32] == [255, 0, 0]).all()
    assert (pixels[2, 2] == 0).all() and (pixels[45, 61] == 0).all()
    assert (pixels[13:35, 17:47] == [255, 0, 0]).all()


def test_position_places_the_anchor(render):
    data = one_track(solid("a", 0, 5, "#ff0000", transform=transform(scale=0.25, position=[8, 6])))
    pixels = render.frame(data, 0)
    assert (pixels[6, 8] == [255, 0, 0]).all()
    assert (pixels[24, 32] == 0).all()


def test_crop_removes_source_pixels(render):
    data = one_track(solid("a", 0, 5, "#ff0000", transform=transform(crop=[0, 0, 32, 0])))
    pixels = render.frame(data, 0)
    assert (pixels[:, :31] == [255, 0, 0]).all()
    assert (pixels[:, 33:] == 0).all()


def test_rotation_turns_the_picture_about_its_anchor(render):
    data = one_track(
        solid("a", 0, 5, "#ff0000", transform=transform(scale=[0.5, 0.125], rotation=90))
    )
    pixels = render.frame(data, 0)
    assert (pixels[24 + 12, 32] == [255, 0, 0]).all()
    assert (pixels[24, 32 + 12] == 0).all()


def test_keyframed_position_moves_the_picture_over_time(render):
    moving = keys((0, [8, 24]), (10, [56, 24]))
    data = one_track(solid("a", 0, 11, "#ff0000", transform=transform(scale=0.2, position=moving)))
    first, last = render.frame(data, 0), render.frame(data, 10)
    assert first[24, 8, 0] == 255 and first[24, 56, 0] == 0
    assert last[24, 56, 0] == 255 and last[24, 8, 0] == 0


def test_a_dissolve_mixes_the_two_clips_in_linear_light(render):
    data = one_track(
        solid("a", 0, 10, "#ff0000"),
        solid("b", 5, 10, "#0000ff"),
        transitions=[transition("a", "b")],
    )
    assert (render.frame(data, 4) == [255, 0, 0]).all()
    middle = render.frame(data, 7)
    progress = (7 - 5 + 0.5) / 5
    assert list(middle[0, 0]) == pytest.approx([encode(1 - progress), 0, encode(progress)], abs=1)
    assert (render.frame(data, 10) == [0, 0, 255]).all()


def test_a_wipe_reveals_the_incoming_clip_from_its_edge(render):
    data = one_track(
        solid("a", 0, 10, "#ff0000"),
        solid("b", 6, 10, "#0000ff"),
        transitions=[transition("a", "b", "wipe", direction="left_to_right")],
    )
    pixels = render.frame(data, 8)
    assert (pixels[:, :20] == [0, 0, 255]).all()
    assert (pixels[:, 44:] == [255, 0, 0]).all()


def test_a_video_clip_starts_at_its_source_in(render):
    data = one_track(clip("v", 0, 20, media("numbered.mp4"), source_in=10))
    assert [read_frame_number(f) for f in render.frames(data, 0, 5)] == [10, 11, 12, 13, 14]


def test_double_speed_skips_every_other_source_frame(render):
    data = one_track(clip("v", 0, 20, media("numbered.mp4"), speed=2))
    assert [read_frame_number(f) for f in render.frames(data, 0, 5)] == [0, 2, 4, 6, 8]


def test_slow_motion_repeats_source_frames(render):
    data = one_track(clip("v", 0, 20, media("numbered.mp4"), speed="1/2"))
    assert [read_frame_number(f) for f in render.frames(data, 0, 6)] == [0, 0, 1, 1, 2, 2]


def test_reverse_plays_the_same_span_backwards(render):
    data = one_track(clip("v", 0, 20, media("numbered.mp4"), source_in=5, speed=-1))
    numbers = [read_frame_number(f) for f in render.frames(data)]
    assert numbers == list(range(24, 4, -1))


def test_a_source_at_another_rate_shows_the_frame_on_screen_at_each_time(render):
    data = one_track(clip("v", 0, 30, media("numbered25.mp4")))
    numbers = [read_frame_number(f) for f in render.frames(data, 0, 12)]
    assert numbers == [k * 25 // 30 for k in range(12)]


def test_a_clip_starting_later_on_the_timeline_starts_its_source_at_its_own_start(render):
    data = one_track(clip("v", 10, 20, media("numbered.mp4"), source_in=3))
    assert read_frame_number(render.frame(data, 12)) == 5


def test_a_still_image_keeps_its_straight_alpha(render):
    data = one_track(clip("p", 0, 5, media("half-red.png"), transform=transform(fit="stretch")))
    assert list(render.frame(data, 0)[5, 5]) == pytest.approx([encode(128 / 255), 0, 0], abs=1)


def test_an_image_sequence_plays_at_its_own_rate(render):
    source = {
        "schema": "ImageSequenceSource.1",
        "pattern": "seq/img_%03d.png",
        "start_number": 1,
        "rate": 10,
    }
    data = one_track(clip("s", 0, 30, source))
    numbers = [read_frame_number(f) for f in render.frames(data, 0, 9)]
    assert numbers == [(k // 3) * 3 for k in range(9)]


def test_a_nested_sequence_is_the_same_picture_as_rendered_alone(render):
    inner_tracks = [
        track("I1", "video", [solid("bg", 0, 20, "#336699")]),
        track(
            "I2",
            "video",
            [
                solid(
                    "box",
                    0,
                    20,
                    "#ffcc00",
                    transform=transform(scale=0.3, position=keys((0, [10, 10]), (19, [50, 40]))),
                )
            ],
        ),
    ]
    alone = project(inner_tracks)
    inner = sequence("inner", inner_tracks)
    outer = project(
        [track("V1", "video", [clip("n", 0, 10, nested("inner"), source_in=5)])],
        extra_sequences=[inner],
    )
    for frame in (0, 4, 9):
        assert (render.frame(outer, frame) == render.frame(alone, frame + 5)).all()


def test_a_fade_in_starts_from_the_background(render):
    data = one_track(solid("a", 0, 20, "#ffffff", fade_in=10))
    first, middle, later = render.frame(data, 0), render.frame(data, 5), render.frame(data, 12)
    assert first[0, 0, 0] < middle[0, 0, 0] < later[0, 0, 0] == 255


def test_exposure_doubles_linear_light_per_stop(render):
    grey = 0.5
    data = one_track(solid("a", 0, 5, [grey] * 3, effects=[effect("exposure", stops=1.0)]))
    assert render.frame(data, 0)[0, 0, 0] == pytest.approx(encode(2 * decode(grey)), abs=1)


def test_a_rendered_scene_matches_its_golden_frame(render, golden):
    data = project(
        [
            track("V1", "video", [clip("v", 0, 30, media("numbered.mp4"), source_in=7)]),
            track(
                "V2",
                "video",
                [
                    solid(
                        "pip",
                        0,
                        30,
                        "#30c060",
                        opacity=0.8,
                        blend="screen",
                        transform=transform(scale=0.4, rotation=20, position=[44, 16]),
                    )
                ],
            ),
            track(
                "V3",
                "video",
                [
                    clip(
                        "logo",
                        0,
                        30,
                        media("half-red.png"),
                        transform=transform(fit="none", scale=1.5, position=[12, 36]),
                    )
                ],
            ),
        ],
        background="#101018",
    )
    golden.check("scene-composite", render.frame(data, 3))
