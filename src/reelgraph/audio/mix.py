"""Mix a sequence's audio tracks into one buffer, sample-accurately.

Clips on audio tracks play media audio (or a nested sequence's mix) resampled to the
project rate by the media layer. A clip's samples span ``[s(start), s(end))`` where
``s(f) = floor(f * sample_rate / rate)`` (:func:`reelgraph.time.sample_at_frame`), so
audio and video boundaries agree exactly. Per-clip gain (dB, keyframable) and linear
fades apply; clips joined by a transition cross-fade with equal power. Speed changes
resample by linear interpolation (pitch follows speed); reverse plays the span backwards.
Video tracks carry no sound: put a file on an audio track to hear it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from reelgraph.project.document import Format
from reelgraph.time import sample_at_frame
from reelgraph.timeline.components import Clip, MediaSource, SequenceSource, TrackKind
from reelgraph.timeline.index import TimelineIndex
from reelgraph.timeline.keyframes import Animated, Param, shape

__all__ = ["AudioContext", "mix_sequence"]

#: Reads ``count`` samples from ``start`` of a media source, ``(channels, count)`` float32.
ReadMedia = Callable[[MediaSource, int, int], np.ndarray]


@dataclass(frozen=True, slots=True)
class AudioContext:
    """What mixing needs: the timeline, the project format and a media reader."""

    index: TimelineIndex
    format: Format
    read_media: ReadMedia


def mix_sequence(context: AudioContext, sequence: str, start: int, count: int) -> np.ndarray:
    """Samples ``[start, start + count)`` of ``sequence``'s mix, ``(channels, count)`` float32."""
    fmt = context.format
    out = np.zeros((fmt.channels, count), dtype=np.float32)
    if count <= 0:
        return out
    first_frame = int((Fraction(start) * fmt.rate / fmt.sample_rate).__floor__())
    last_frame = int((Fraction(start + count) * fmt.rate / fmt.sample_rate).__ceil__()) + 1
    for track in context.index.sequence_tracks(sequence, TrackKind.AUDIO):
        if not track.enabled:
            continue
        for clip in context.index.clips_overlapping(track.id, first_frame, last_frame):
            _add_clip(context, clip, start, count, out)
    return out


def _add_clip(context: AudioContext, clip: Clip, start: int, count: int, out: np.ndarray) -> None:
    fmt = context.format
    clip_start = sample_at_frame(clip.start, fmt.rate, fmt.sample_rate)
    clip_end = sample_at_frame(clip.end, fmt.rate, fmt.sample_rate)
    lo, hi = max(start, clip_start), min(start + count, clip_end)
    if hi <= lo:
        return
    positions = np.arange(lo, hi, dtype=np.int64)
    samples = _clip_samples(context, clip, positions, clip_start, clip_end)
    local_frames = positions.astype(np.float64) * float(fmt.rate) / fmt.sample_rate - clip.start
    gain = _gain(clip, local_frames) * _crossfade(context, clip, positions)
    out[:, lo - start : hi - start] += samples * gain.astype(np.float32)


def _clip_samples(
    context: AudioContext, clip: Clip, positions: np.ndarray, clip_start: int, clip_end: int
) -> np.ndarray:
    fmt = context.format
    source_in = sample_at_frame(clip.source_in, fmt.rate, fmt.sample_rate)
    speed = clip.speed
    if speed == 1:
        first = source_in + int(positions[0]) - clip_start
        return _read(context, clip, first, len(positions))
    offsets = positions - clip_start if speed > 0 else (clip_end - 1) - positions
    exact = source_in + offsets.astype(np.float64) * float(abs(speed))
    first = int(np.floor(exact.min()))
    span = int(np.floor(exact.max())) - first + 2
    block = _read(context, clip, first, span)
    base = np.floor(exact).astype(np.int64) - first
    weight = (exact - np.floor(exact)).astype(np.float32)
    return block[:, base] * (1.0 - weight) + block[:, base + 1] * weight


def _read(context: AudioContext, clip: Clip, first: int, count: int) -> np.ndarray:
    source = clip.source
    if isinstance(source, SequenceSource):
        return mix_sequence(context, source.sequence, first, count)
    if isinstance(source, MediaSource):
        return context.read_media(source, first, count)
    return np.zeros((context.format.channels, count), dtype=np.float32)


def _gain(clip: Clip, local_frames: np.ndarray) -> np.ndarray:
    decibels = evaluate_array(clip.gain_db, local_frames)
    gain = np.power(10.0, decibels / 20.0)
    if clip.fade_in > 0:
        gain *= np.clip(local_frames / clip.fade_in, 0.0, 1.0)
    if clip.fade_out > 0:
        gain *= np.clip((clip.duration - local_frames) / clip.fade_out, 0.0, 1.0)
    return gain


def _crossfade(context: AudioContext, clip: Clip, positions: np.ndarray) -> np.ndarray:
    fmt = context.format
    weight = np.ones(len(positions), dtype=np.float64)
    for other in context.index.clips_overlapping(clip.track, clip.start, clip.end):
        if other.id == clip.id:
            continue
        outgoing = context.index.transition_between(clip.id, other.id) is not None
        incoming = context.index.transition_between(other.id, clip.id) is not None
        if not (outgoing or incoming):
            continue
        first, second = (clip, other) if outgoing else (other, clip)
        lo = sample_at_frame(second.start, fmt.rate, fmt.sample_rate)
        hi = sample_at_frame(first.end, fmt.rate, fmt.sample_rate)
        progress = np.clip((positions - lo + 0.5) / max(hi - lo, 1), 0.0, 1.0)
        inside = (positions >= lo) & (positions < hi)
        curve = np.cos(progress * np.pi / 2) if outgoing else np.sin(progress * np.pi / 2)
        weight = np.where(inside, weight * curve, weight)
    return weight


def evaluate_array(param: Param, frames: np.ndarray) -> np.ndarray:
    """A scalar parameter evaluated at many (fractional) frames at once."""
    if not isinstance(param, Animated):
        value = param if not isinstance(param, tuple) else param[0]
        return np.full(len(frames), float(value), dtype=np.float64)
    keys = param.keys
    result = np.full(len(frames), _scalar(keys[0].value), dtype=np.float64)
    for left, right in itertools.pairwise(keys):
        inside = (frames >= left.frame) & (frames < right.frame)
        u = (frames[inside] - left.frame) / (right.frame - left.frame)
        shaped = shape(left.interp, u)
        a, b = _scalar(left.value), _scalar(right.value)
        result[inside] = a + (b - a) * shaped
    result[frames >= keys[-1].frame] = _scalar(keys[-1].value)
    return result


def _scalar(value: float | tuple[float, ...]) -> float:
    return float(value[0]) if isinstance(value, tuple) else float(value)
