"""Dirty spans: the frames of the main sequence whose output an edit may have changed.

The spans of an edit are computed from the document before and after it and the changes
between them, so an edit and its inverse give the same spans. Each changed component
marks frames of its own sequence:

* a clip marks the frames it covered and covers; when only its timing changed and the
  source frame shown at every shared frame is the same (a trim, a roll, a split, or a
  move of a solid colour), only the frames gained or lost and the fades that moved;
* a clip joined by a transition marks the whole transition;
* a transition marks its overlap; an effect or chain edge its clip; a track that was
  enabled or disabled all its clips; two tracks that changed places in the stack (not
  merely renumbered) the frames where both have clips;
* effects that read neighbouring frames (``temporal_reach`` frames either side) widen
  the marks of their clip.

Marks in a nested sequence map to every place the sequence is used, through the nesting
clip's ``source_in`` and speed, recursively up to the main sequence. Marks on disabled
tracks are dropped. The result is sorted and merged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from reelgraph.project.document import ProjectDocument
from reelgraph.time import TimeRange
from reelgraph.timeline.changes import Change, Group, Key
from reelgraph.timeline.components import (
    Clip,
    ColorSource,
    EffectNode,
    GeneratorSource,
    GraphEdge,
    Track,
    Transition,
)
from reelgraph.timeline.doc_index import DocumentIndex, index_of
from reelgraph.timeline.keyframes import Param, is_animated

__all__ = ["Reach", "default_reach", "dirty_spans", "merge_spans", "nested_span"]

#: The temporal reach (frames either side) of an effect kind.
Reach = Callable[[str], int]
Span = tuple[int, int]


def default_reach(kind: str) -> int:
    """An effect kind's ``temporal_reach`` as its spec declares it (0 when it says nothing)."""
    from reelgraph.render.effects import EFFECTS

    return int(getattr(EFFECTS.get(kind), "temporal_reach", 0) or 0)


def merge_spans(spans: Iterable[Span]) -> tuple[TimeRange, ...]:
    """Sorted, merged ranges from ``(start, end)`` pairs (empty ones and frames < 0 dropped)."""
    merged: list[list[int]] = []
    for start, end in sorted((max(a, 0), b) for a, b in spans if b > max(a, 0)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(TimeRange(a, b - a) for a, b in merged)


def nested_span(clip: Clip, start: int, end: int) -> Span | None:
    """The frames of ``clip`` that show frames ``[start, end)`` of the sequence it nests.

    A nesting clip shows nested frame ``floor(source_in + offset * |speed|)`` at its
    ``offset``-th frame (counted from its end when the speed is negative).
    """
    speed = abs(clip.speed)
    low = max(_ceil(Fraction(start - clip.source_in) / speed), 0)
    high = min(_ceil(Fraction(end - clip.source_in) / speed), clip.duration)
    if high <= low:
        return None
    if clip.speed > 0:
        return (clip.start + low, clip.start + high)
    return (clip.end - high, clip.end - low)


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


@dataclass(frozen=True, slots=True)
class _Side:
    """One document (before or after the edit) with its index and reach."""

    document: ProjectDocument
    index: DocumentIndex
    reach: Reach

    def get(self, group: Group, key: Key) -> object:
        at = self.index.positions[group].get(key)
        return None if at is None else getattr(self.document, group)[at]

    def track(self, track_id: str) -> Track | None:
        track = self.get("tracks", track_id)
        return track if isinstance(track, Track) else None

    def clip(self, clip_id: str) -> Clip | None:
        clip = self.get("clips", clip_id)
        return clip if isinstance(clip, Clip) else None

    def effects(self, clip_id: str) -> list[EffectNode]:
        positions = self.index.positions["effects"]
        return [
            self.document.effects[positions[e]] for e in self.index.clip_effects.get(clip_id, ())
        ]

    def transitions(self, clip_id: str) -> list[Transition]:
        positions = self.index.positions["transitions"]
        return [
            self.document.transitions[positions[t]]
            for t in self.index.clip_transitions.get(clip_id, ())
        ]

    def clip_reach(self, clip_id: str) -> int:
        return max((self.reach(e.kind) for e in self.effects(clip_id)), default=0)

    def animated(self, clip: Clip) -> bool:
        t = clip.transform
        params: list[Param | str] = [clip.opacity, clip.gain_db, t.scale, t.rotation, t.crop]
        params += [t.position] if t.position is not None else []
        params += [p for e in self.effects(clip.id) for _, p in e.params]
        return any(not isinstance(p, str) and is_animated(p) for p in params)

    def transition_span(self, transition: Transition) -> Span | None:
        first, second = self.clip(transition.from_clip), self.clip(transition.to_clip)
        if first is None or second is None:
            return None
        return (second.start, first.end)


class _Marks:
    """Marks per (side, sequence), mapped up to the main sequence at the end."""

    def __init__(self, before: _Side, after: _Side) -> None:
        self.before, self.after = before, after
        self.local: list[tuple[_Side, str, Span]] = []

    def on_track(self, side: _Side, track_id: str, spans: Iterable[Span]) -> None:
        track = side.track(track_id)
        if track is None or not track.enabled:
            return
        for span in spans:
            if span[1] > span[0]:
                self.local.append((side, track.sequence, span))

    def clip(self, side: _Side, clip: Clip, spans: Iterable[Span], reach: int = 0) -> None:
        """Mark ``spans`` of ``clip`` (widened by ``reach``) and, if any, its transitions."""
        low, high = clip.start, clip.end
        widened = [(max(a - reach, low), min(b + reach, high)) for a, b in spans if b > a]
        if not any(b > a for a, b in widened):
            return
        transitions = [side.transition_span(t) for t in side.transitions(clip.id)]
        self.on_track(side, clip.track, [*widened, *(s for s in transitions if s)])

    def main_spans(self) -> tuple[TimeRange, ...]:
        found: list[Span] = []
        work = list(self.local)
        while work:
            side, sequence, span = work.pop()
            if sequence == side.document.main:
                found.append(span)
                continue
            for user_id in side.index.sequence_users.get(sequence, ()):
                user = side.clip(user_id)
                mapped = None if user is None else nested_span(user, *span)
                if user is None or mapped is None:
                    continue
                if abs(user.speed) != 1:
                    # Audio resampling at other speeds reads one sample past a frame.
                    mapped = (max(mapped[0] - 1, user.start), min(mapped[1] + 1, user.end))
                before = len(self.local)
                self.clip(side, user, [mapped], side.clip_reach(user.id))
                work.extend(self.local[before:])
                del self.local[before:]
        return merge_spans(found)


def dirty_spans(
    before: ProjectDocument,
    after: ProjectDocument,
    changes: Iterable[Change],
    *,
    reach: Reach | None = None,
) -> tuple[TimeRange, ...]:
    """The frames of ``after``'s main sequence that may differ from ``before``'s.

    Args:
        before: The document the changes were applied to.
        after: The document they produced.
        changes: The changes, in order.
        reach: Effect kind to temporal reach in frames (default :func:`default_reach`).

    Returns:
        Sorted, merged, non-overlapping ranges of the main sequence.
    """
    reach_of = functools.lru_cache(maxsize=None)(reach or default_reach)
    old = _Side(before, index_of(before), reach_of)
    new = _Side(after, index_of(after), reach_of)
    marks = _Marks(old, new)
    seen: set[tuple[str, object]] = set()
    stacked: set[str] = set()
    for change in changes:
        for component in (change.old, change.new):
            if component is None:
                continue
            key = _key(component)
            if (type(component).__name__, key) in seen:
                continue
            seen.add((type(component).__name__, key))
            _mark(marks, component, stacked)
    for sequence_id in sorted(stacked):
        _mark_restacked(marks, sequence_id)
    return marks.main_spans()


def _key(component: object) -> object:
    if isinstance(component, GraphEdge):
        return (component.source, component.target)
    return getattr(component, "id", None)


def _mark(marks: _Marks, component: object, stacked: set[str]) -> None:
    old, new = marks.before, marks.after
    if isinstance(component, Clip):
        _mark_clip(marks, old.clip(component.id), new.clip(component.id))
    elif isinstance(component, Transition):
        was, now = old.get("transitions", component.id), new.get("transitions", component.id)
        if was != now:
            for side, item in ((old, was), (new, now)):
                if isinstance(item, Transition):
                    span = side.transition_span(item)
                    marks.on_track(side, item.track, [span] if span else [])
    elif isinstance(component, EffectNode):
        was, now = old.get("effects", component.id), new.get("effects", component.id)
        if was != now:
            _mark_owner(marks, component.clip)
    elif isinstance(component, GraphEdge):
        key = (component.source, component.target)
        if (old.get("edges", key) is None) != (new.get("edges", key) is None):
            owner = old.get("effects", component.target) or new.get("effects", component.target)
            if isinstance(owner, EffectNode):
                _mark_owner(marks, owner.clip)
    elif isinstance(component, Track):
        _mark_track(marks, old.track(component.id), new.track(component.id), stacked)


def _mark_owner(marks: _Marks, clip_id: str) -> None:
    for side in (marks.before, marks.after):
        clip = side.clip(clip_id)
        if clip is not None:
            marks.clip(side, clip, [(clip.start, clip.end)])


def _mark_track(marks: _Marks, was: Track | None, now: Track | None, stacked: set[str]) -> None:
    if was is None or now is None or was == now:
        return
    if was.index != now.index:
        stacked.add(now.sequence)
    if was.enabled != now.enabled:
        for side, track in ((marks.before, was), (marks.after, now)):
            spans = [(c.start, c.end) for c in _clips_of(side, track.id)]
            marks.local.extend((side, track.sequence, s) for s in spans)


def _clips_of(side: _Side, track_id: str) -> list[Clip]:
    positions = side.index.positions["clips"]
    return [side.document.clips[positions[c]] for c in side.index.track_clips.get(track_id, ())]


def _mark_restacked(marks: _Marks, sequence_id: str) -> None:
    """Mark where two tracks that changed places against each other both have pictures.

    Only the order of the tracks that overlap matters, and only where both have clips.
    """
    old, new = marks.before, marks.after
    was = old.index.sequence_tracks.get(sequence_id, ())
    common = [t for t in new.index.sequence_tracks.get(sequence_id, ()) if t in set(was)]
    before = {t: _track_index(old, t) for t in common}
    after = {t: _track_index(new, t) for t in common}
    for position, track_id in enumerate(common):
        for other in common[position + 1 :]:
            if (before[track_id] < before[other]) == (after[track_id] < after[other]):
                continue
            for side in (old, new):
                shared = _intersect(_content(side, track_id), _content(side, other))
                marks.local.extend((side, sequence_id, span) for span in shared)


def _track_index(side: _Side, track_id: str) -> int:
    track = side.track(track_id)
    return track.index if track is not None else -1


def _content(side: _Side, track_id: str) -> list[Span]:
    """The merged frames where an enabled track has a clip."""
    track = side.track(track_id)
    if track is None or not track.enabled:
        return []
    merged = merge_spans((c.start, c.end) for c in _clips_of(side, track_id))
    return [(r.start, r.end_time_exclusive) for r in merged]


def _intersect(a: list[Span], b: list[Span]) -> list[Span]:
    return [(max(x0, y0), min(x1, y1)) for x0, x1 in a for y0, y1 in b if max(x0, y0) < min(x1, y1)]


def _mark_clip(marks: _Marks, was: Clip | None, now: Clip | None) -> None:
    old, new = marks.before, marks.after
    if was is not None and now is not None and was == now:
        same_chain = old.effects(was.id) == new.effects(now.id)
        if same_chain and old.transitions(was.id) == new.transitions(now.id):
            return
    timing = _timing_only(old, new, was, now)
    if timing is None:
        for side, clip in ((old, was), (new, now)):
            if clip is not None:
                marks.clip(side, clip, [(clip.start, clip.end)], side.clip_reach(clip.id))
        return
    assert was is not None and now is not None
    reach = max(old.clip_reach(was.id), new.clip_reach(now.id))
    marks.clip(old, was, timing, reach)
    marks.clip(new, now, timing, reach)


def _timing_only(old: _Side, new: _Side, was: Clip | None, now: Clip | None) -> list[Span] | None:
    """The frames that changed when only a clip's timing changed; None when more did."""
    if was is None or now is None or was.track != now.track:
        return None
    if (was.source, was.speed, was.transform, was.opacity, was.blend, was.gain_db) != (
        now.source,
        now.speed,
        now.transform,
        now.opacity,
        now.blend,
        now.gain_db,
    ) or old.effects(was.id) != new.effects(now.id):
        return None
    if isinstance(was.source, GeneratorSource):
        return None  # a plugin's picture may depend on anything about the clip's timing
    if not isinstance(was.source, ColorSource) and _source_anchor(was) != _source_anchor(now):
        return None
    if was.start != now.start and (old.animated(was) or new.animated(now)):
        return None
    spans: list[Span] = []
    if was.end <= now.start or now.end <= was.start:
        spans += [(was.start, was.end), (now.start, now.end)]
    else:
        spans += [_ordered(was.start, now.start), _ordered(was.end, now.end)]
    if (was.start, was.fade_in) != (now.start, now.fade_in):
        spans += [(was.start, was.start + was.fade_in), (now.start, now.start + now.fade_in)]
    if (was.end, was.fade_out) != (now.end, now.fade_out):
        spans += [(was.end - was.fade_out, was.end), (now.end - now.fade_out, now.end)]
    return spans


def _ordered(a: int, b: int) -> Span:
    return (min(a, b), max(a, b))


def _source_anchor(clip: Clip) -> Fraction:
    """The source frame a clip would show at timeline frame 0 (equal: same frame everywhere)."""
    if clip.speed == 1:
        return Fraction(clip.source_in - clip.start)
    speed = abs(clip.speed)
    if clip.speed > 0:
        return clip.source_in - clip.start * speed
    return clip.source_in + (clip.end - 1) * speed
