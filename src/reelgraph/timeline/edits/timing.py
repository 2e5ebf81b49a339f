"""Moving a clip's edges while the picture stays put, and shifting clips along a track.

Trimming the head of a clip by ``d`` frames starts it ``d`` frames later and, when it
plays forwards, ``d * speed`` source frames later, so every remaining frame shows what it
showed before. A reversed clip plays its source span backwards, so its head is the end of
that span: trimming the head leaves ``source_in`` alone and trimming the tail moves it.
``source_in`` is a whole frame count, so at a fractional speed only trims that land on a
source frame are possible; others are refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from fractions import Fraction
from typing import TypeVar

from reelgraph.errors import EditRefusedError
from reelgraph.timeline.components import Clip
from reelgraph.timeline.edits.builder import PatchBuilder
from reelgraph.timeline.keyframes import Animated, Keyframe, Param

P = TypeVar("P", bound=Param | str)

__all__ = ["shift_clips", "shift_param", "source_frames", "trim_head", "trim_tail"]


def source_frames(clip: Clip, frames: int) -> int:
    """``frames`` timeline frames of ``clip`` as whole source frames.

    Raises:
        EditRefusedError: at the clip's speed they are not a whole number of source frames.
    """
    exact = Fraction(frames) * abs(clip.speed)
    if exact.denominator != 1:
        step = Fraction(1) / abs(clip.speed)
        raise EditRefusedError(
            f"clip {clip.id!r} plays at speed {clip.speed}: {frames} frames are {exact} source "
            f"frames; use a multiple of {step.numerator}",
            clip=clip.id,
            frames=frames,
            reason="between_source_frames",
        )
    return int(exact)


def trim_head(clip: Clip, delta: int) -> Clip:
    """``clip`` starting ``delta`` frames later (earlier when negative), picture kept."""
    source_in = clip.source_in + (source_frames(clip, delta) if clip.speed > 0 else 0)
    return replace(
        clip, start=clip.start + delta, duration=clip.duration - delta, source_in=source_in
    )


def trim_tail(clip: Clip, delta: int) -> Clip:
    """``clip`` ending ``delta`` frames later (earlier when negative), picture kept."""
    source_in = clip.source_in - (source_frames(clip, delta) if clip.speed < 0 else 0)
    return replace(clip, duration=clip.duration + delta, source_in=source_in)


def shift_clips(
    builder: PatchBuilder, track_id: str, after: int, delta: int, skip: Iterable[str] = ()
) -> None:
    """Move every clip of the track that starts after frame ``after`` by ``delta`` frames."""
    if delta == 0:
        return
    skipped = set(skip)
    for clip in builder.clips_on(track_id):
        if clip.start > after and clip.id not in skipped:
            builder.replace(replace(clip, start=clip.start + delta))


def shift_param(param: P, offset: float) -> P:
    """A keyframed parameter with its keys ``offset`` frames earlier (constants unchanged)."""
    if not isinstance(param, Animated) or offset == 0:
        return param
    shifted = Animated(tuple(Keyframe(k.frame - offset, k.value, k.interp) for k in param.keys))
    return shifted  # type: ignore[return-value]
