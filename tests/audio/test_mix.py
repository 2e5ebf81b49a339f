"""Mixing through a fake media reader (a seam): placement, gain, fades, crossfades, speed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelgraph.audio.mix import AudioContext, mix_sequence
from reelgraph.project.load import load_project_data
from reelgraph.testing import clip, keys, media, nested, project, sequence, track, transition
from reelgraph.timeline.index import TimelineIndex

RATE = 48000  # samples per second; the projects run at 30 fps, so 1600 samples a frame


def ramp_reader(source, start, count):
    """Every source sample's value is its own index (so placement is visible)."""
    values = np.arange(start, start + count, dtype=np.float32)
    return np.stack([values, -values])


def ones_reader(source, start, count):
    return np.ones((2, count), dtype=np.float32)


def context_for(data, reader=ones_reader):
    document = load_project_data(data, Path("."))
    index = TimelineIndex(
        document.sequences,
        document.tracks,
        document.clips,
        document.transitions,
        document.effects,
        document.edges,
    )
    return AudioContext(index, document.format, reader)


def audio_project(*clips, transitions=None, extra=None):
    return project([track("A1", "audio", list(clips), transitions)], extra_sequences=extra)


def test_a_clip_plays_its_source_from_source_in_at_its_start_sample():
    ctx = context_for(audio_project(clip("a", 10, 20, media("x.wav"), source_in=3)), ramp_reader)
    out = mix_sequence(ctx, "main", 0, 40 * 1600)
    start = 10 * 1600
    assert (out[:, :start] == 0).all()
    assert out[0, start] == 3 * 1600 and out[0, start + 100] == 3 * 1600 + 100
    assert out[1, start] == -3 * 1600
    assert (out[:, 30 * 1600 :] == 0).all()


def test_any_window_of_the_mix_equals_the_same_span_of_a_whole_mix():
    ctx = context_for(audio_project(clip("a", 3, 20, media("x.wav"), source_in=2)), ramp_reader)
    whole = mix_sequence(ctx, "main", 0, 30 * 1600)
    for start, count in ((0, 1601), (4799, 3), (5000, 12345)):
        assert (mix_sequence(ctx, "main", start, count) == whole[:, start : start + count]).all()


def test_gain_in_decibels_scales_amplitude():
    ctx = context_for(audio_project(clip("a", 0, 10, media("x.wav"), gain_db=-6.0206)))
    assert mix_sequence(ctx, "main", 0, 100)[0, 50] == pytest.approx(0.5, rel=1e-4)


def test_keyframed_gain_changes_over_the_clip():
    ctx = context_for(
        audio_project(clip("a", 0, 10, media("x.wav"), gain_db=keys((0, 0), (10, -20))))
    )
    out = mix_sequence(ctx, "main", 0, 10 * 1600)
    assert out[0, 0] == pytest.approx(1.0)
    assert out[0, 5 * 1600] == pytest.approx(10 ** (-10 / 20), rel=1e-3)


def test_fades_ramp_from_and_to_silence():
    ctx = context_for(audio_project(clip("a", 0, 10, media("x.wav"), fade_in=2, fade_out=2)))
    out = mix_sequence(ctx, "main", 0, 10 * 1600)[0]
    assert out[0] == 0.0 and out[1600] == pytest.approx(0.5) and out[5 * 1600] == 1.0
    assert out[-1] == pytest.approx(1 / 3200, abs=1e-6)


def test_a_transition_crossfades_with_equal_power():
    data = audio_project(
        clip("a", 0, 10, media("x.wav")),
        clip("b", 6, 10, media("y.wav")),
        transitions=[transition("a", "b")],
    )
    out = mix_sequence(context_for(data), "main", 0, 16 * 1600)[0]
    assert out[5 * 1600] == 1.0 and out[12 * 1600] == 1.0
    middle = 8 * 1600
    assert out[middle] == pytest.approx(np.cos(np.pi / 4) + np.sin(np.pi / 4), abs=1e-3)


def test_tracks_are_summed():
    data = project(
        [
            track("A1", "audio", [clip("a", 0, 5, media("x.wav"))]),
            track("A2", "audio", [clip("b", 0, 5, media("y.wav"), gain_db=-6.0206)]),
        ]
    )
    assert mix_sequence(context_for(data), "main", 0, 10)[0, 5] == pytest.approx(1.5, rel=1e-4)


def test_a_disabled_track_is_silent():
    data = project([track("A1", "audio", [clip("a", 0, 5, media("x.wav"))], enabled=False)])
    assert (mix_sequence(context_for(data), "main", 0, 100) == 0).all()


def test_double_speed_reads_every_other_sample_and_reverse_reads_backwards():
    fast = context_for(audio_project(clip("a", 0, 10, media("x.wav"), speed=2)), ramp_reader)
    assert list(mix_sequence(fast, "main", 0, 4)[0]) == [0, 2, 4, 6]
    back = context_for(audio_project(clip("a", 0, 10, media("x.wav"), speed=-1)), ramp_reader)
    out = mix_sequence(back, "main", 0, 10 * 1600)[0]
    assert out[0] == 10 * 1600 - 1 and out[-1] == 0


def test_a_nested_sequence_contributes_its_own_mix():
    inner = sequence("inner", [track("I1", "audio", [clip("x", 2, 5, media("x.wav"))])])
    data = audio_project(clip("n", 10, 10, nested("inner"), source_in=1), extra=[inner])
    out = mix_sequence(context_for(data, ramp_reader), "main", 0, 30 * 1600)[0]
    # inner's clip starts at its frame 2; the nested clip starts at our 10 showing inner frame 1
    assert out[11 * 1600 - 1] == 0 and out[11 * 1600] == 0.0
    assert out[11 * 1600 + 1] == 1
