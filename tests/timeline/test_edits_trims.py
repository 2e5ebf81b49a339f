"""Trim edits (trim, slip, slide, ripple, roll, split): timing, kept pictures, dirty spans."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from reelgraph.errors import EditRefusedError, ZeroLengthClipError
from reelgraph.export.job import render_to_memory
from reelgraph.testing import clip, color, keys, media, nested, project, sequence, track, transition
from reelgraph.timeline.edits import Ripple, Roll, Slide, Slip, Split, Trim

from .edit_strategies import load, spans


@pytest.fixture
def document():
    return load(
        project(
            [
                track(
                    "V1",
                    "video",
                    [
                        clip("a", 0, 30, media("x.mp4"), source_in=10),
                        clip("b", 30, 20, media("x.mp4")),
                        clip("c", 60, 10, media("x.mp4"), speed="-1", source_in=5),
                    ],
                ),
                track(
                    "V2",
                    "video",
                    [
                        clip("p", 0, 20, color("#ff0000")),
                        clip("q", 15, 20, color("#00ff00"), fade_in=3),
                        clip("h", 40, 10, media("x.mp4"), speed="1/2"),
                    ],
                    [transition("p", "q")],
                ),
            ]
        )
    )


def _clip(document, clip_id):
    return next(c for c in document.clips if c.id == clip_id)


def test_trimming_the_end_dirties_only_the_frames_gained_or_lost(document):
    result = Trim("b", "end", -5).apply(document)
    assert (_clip(result.document, "b").duration, spans(result)) == (15, [(45, 50)])
    assert spans(Trim("b", "end", 4).apply(document)) == [(50, 54)]


def test_trimming_the_start_keeps_the_picture_of_the_frames_that_stay(document):
    result = Trim("a", "start", -4).apply(document)
    trimmed = _clip(result.document, "a")
    assert (trimmed.start, trimmed.duration, trimmed.source_in) == (4, 26, 14)
    assert trimmed.source_seconds(10, Fraction(30)) == _clip(document, "a").source_seconds(
        10, Fraction(30)
    )
    assert spans(result) == [(0, 4)]


def test_trimming_a_reversed_clip_moves_its_source_in_at_the_tail(document):
    head = _clip(Trim("c", "start", -2).apply(document).document, "c")
    tail = _clip(Trim("c", "end", -2).apply(document).document, "c")
    assert (head.start, head.source_in) == (62, 5)
    assert (tail.duration, tail.source_in) == (8, 7)


def test_a_trim_that_lands_between_source_frames_is_refused(document):
    with pytest.raises(EditRefusedError) as info:
        Trim("h", "start", -3).apply(document)
    assert info.value.params["reason"] == "between_source_frames"
    assert _clip(Trim("h", "start", -4).apply(document).document, "h").source_in == 2


def test_trimming_a_clip_to_nothing_is_refused_as_zero_length(document):
    with pytest.raises(ZeroLengthClipError):
        Trim("b", "end", -20).apply(document)


def test_slip_shows_other_source_frames_in_the_same_place(document):
    result = Slip("a", 5).apply(document)
    assert _clip(result.document, "a").source_in == 15
    assert spans(result) == [(0, 30)]


def test_slipping_a_solid_colour_dirties_nothing(document):
    assert spans(Slip("p", 3).apply(document)) == []


def test_slide_moves_the_clip_and_its_neighbours_follow(document):
    result = Slide("b", 3).apply(document)
    a, b = _clip(result.document, "a"), _clip(result.document, "b")
    assert (a.end, b.start, b.end) == (33, 33, 53)
    assert spans(result) == [(30, 53)]


def test_ripple_at_the_end_moves_every_later_clip_of_the_track(document):
    result = Ripple("a", "end", -5).apply(document)
    starts = [_clip(result.document, c).start for c in ("a", "b", "c")]
    assert (starts, _clip(result.document, "a").duration) == ([0, 25, 55], 25)
    assert spans(result) == [(25, 50), (55, 70)]


def test_ripple_at_the_start_keeps_the_start_and_reveals_earlier_source(document):
    result = Ripple("a", "start", 5).apply(document)
    a = _clip(result.document, "a")
    assert (a.start, a.duration, a.source_in) == (0, 35, 5)
    assert _clip(result.document, "b").start == 35


def test_roll_moves_the_cut_between_two_touching_clips(document):
    result = Roll("a", 4).apply(document)
    a, b = _clip(result.document, "a"), _clip(result.document, "b")
    assert (a.end, b.start, b.duration, b.source_in) == (34, 34, 16, 4)
    assert spans(result) == [(30, 34)]


def test_roll_without_a_following_clip_is_refused(document):
    with pytest.raises(EditRefusedError) as info:
        Roll("c", 2).apply(document)
    assert info.value.code == "edit.refused" and info.value.params["reason"] == "no_cut"


def test_a_change_to_a_clip_in_a_transition_dirties_the_whole_transition(document):
    result = Trim("q", "end", -2).apply(document)
    assert spans(result) == [(15, 20), (33, 35)]


def test_split_cuts_a_clip_in_two_that_continue_each_other(document):
    result = Split("a", 12).apply(document)
    left, right = _clip(result.document, "a"), _clip(result.document, "a.2")
    assert (left.duration, right.start, right.duration, right.source_in) == (12, 12, 18, 22)
    assert spans(result) == [(12, 30)]
    assert _clip(Split("a", 12, "z").apply(document).document, "z").start == 12


def test_split_of_a_reversed_clip_gives_the_left_part_the_later_source(document):
    result = Split("c", 64).apply(document)
    left, right = _clip(result.document, "c"), _clip(result.document, "c.2")
    assert (left.source_in, right.source_in) == (11, 5)


def test_split_hands_the_outgoing_transition_to_the_right_part(document):
    result = Split("p", 5).apply(document)
    (joined,) = result.document.transitions
    assert (joined.from_clip, joined.to_clip, joined.id) == ("p.2", "q", "V2.p.2->q")


def test_split_outside_the_clip_is_refused(document):
    with pytest.raises(EditRefusedError) as info:
        Split("a", 30).apply(document)
    assert info.value.params["reason"] == "outside_clip"


def test_a_split_renders_like_the_clip_it_cut():
    document = load(
        project(
            [
                track(
                    "V1",
                    "video",
                    [
                        clip(
                            "a",
                            0,
                            12,
                            color("#ff8000"),
                            opacity=keys((0, 0.0), (8, 1.0)),
                            fade_out=2,
                        )
                    ],
                )
            ],
            width=8,
            height=6,
        )
    )
    before = render_to_memory(document).frames
    after = render_to_memory(Split("a", 4).apply(document).document).frames
    assert all(np.array_equal(x, y) for x, y in zip(before, after, strict=True))


def test_trimming_inside_a_nested_sequence_dirties_where_it_is_used():
    document = load(
        project(
            [track("V1", "video", [clip("use", 10, 20, nested("inner"), source_in=2)])],
            extra_sequences=[
                sequence("inner", [track("N1", "video", [clip("k", 0, 30, media("x.mp4"))])])
            ],
        )
    )
    assert spans(Trim("k", "end", -10).apply(document)) == [(28, 30)]
