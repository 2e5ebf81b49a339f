"""Fast lookups over the timeline: what plays on each track at a frame.

:class:`TimelineIndex` is a World resource rebuilt whenever the timeline's components
change. Tracks are kept in stacking order and clips sorted by start, so finding the
active clips is a binary search, and every answer comes in a fixed, documented order.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from reelgraph.errors import UnknownReferenceError
from reelgraph.timeline.components import (
    Clip,
    EffectNode,
    GraphEdge,
    Sequence,
    Track,
    TrackKind,
    Transition,
)

__all__ = ["ActiveClip", "ActiveTransition", "TimelineIndex"]


@dataclass(frozen=True, slots=True)
class ActiveClip:
    """A clip playing alone on its track at a frame."""

    clip: Clip


@dataclass(frozen=True, slots=True)
class ActiveTransition:
    """Two clips mid-transition; ``progress`` runs from 0 (all ``outgoing``) to 1."""

    transition: Transition
    outgoing: Clip
    incoming: Clip
    progress: float


class TimelineIndex:
    """Per-sequence, per-track sorted clips, transitions and effect chains."""

    def __init__(
        self,
        sequences: Iterable[Sequence],
        tracks: Iterable[Track],
        clips: Iterable[Clip],
        transitions: Iterable[Transition] = (),
        effects: Iterable[EffectNode] = (),
        edges: Iterable[GraphEdge] = (),
    ) -> None:
        self.sequences = {s.id: s for s in sequences}
        self.tracks: dict[str, list[Track]] = defaultdict(list)
        for track in sorted(tracks, key=lambda t: (t.sequence, t.index, t.id)):
            self.tracks[track.sequence].append(track)
        self._clips: dict[str, list[Clip]] = defaultdict(list)
        for clip in sorted(clips, key=lambda c: (c.track, c.start, c.id)):
            self._clips[clip.track].append(clip)
        self._starts = {track: [c.start for c in items] for track, items in self._clips.items()}
        self._max_duration = {
            track: max(c.duration for c in items) for track, items in self._clips.items()
        }
        self.clips_by_id = {c.id: c for items in self._clips.values() for c in items}
        self._transitions = {(t.from_clip, t.to_clip): t for t in transitions}
        self._effect_chain = _chains(effects, edges)

    def sequence_tracks(self, sequence: str, kind: TrackKind | None = None) -> list[Track]:
        """The sequence's tracks, bottom first; only one kind when ``kind`` is given."""
        if sequence not in self.sequences:
            raise UnknownReferenceError(f"no sequence {sequence!r}", id=sequence)
        return [t for t in self.tracks[sequence] if kind is None or t.kind is kind]

    def track_clips(self, track: str) -> list[Clip]:
        """The track's clips sorted by start."""
        return self._clips.get(track, [])

    def duration(self, sequence: str) -> int:
        """Frames from 0 to the end of the last clip of the sequence."""
        ends = [c.end for t in self.sequence_tracks(sequence) for c in self.track_clips(t.id)]
        return max(ends, default=0)

    def clips_overlapping(self, track: str, start: int, end: int) -> list[Clip]:
        """Clips of ``track`` that share a frame with ``[start, end)``, sorted by start."""
        clips = self._clips.get(track, [])
        if not clips:
            return []
        low = bisect.bisect_left(self._starts[track], start - self._max_duration[track] + 1)
        high = bisect.bisect_left(self._starts[track], end)
        return [c for c in clips[low:high] if c.end > start]

    def active_at(self, track: str, frame: int) -> ActiveClip | ActiveTransition | None:
        """What track ``track`` shows at ``frame``: nothing, one clip, or a transition."""
        playing = self.clips_overlapping(track, frame, frame + 1)
        if not playing:
            return None
        if len(playing) == 1:
            return ActiveClip(playing[0])
        outgoing, incoming = playing[0], playing[1]
        transition = self._transitions[(outgoing.id, incoming.id)]
        span = outgoing.end - incoming.start
        progress = (frame - incoming.start + 0.5) / span
        return ActiveTransition(transition, outgoing, incoming, progress)

    def transition_between(self, outgoing: str, incoming: str) -> Transition | None:
        """The transition joining two clips, if any."""
        return self._transitions.get((outgoing, incoming))

    def effects_of(self, clip: str) -> list[EffectNode]:
        """The clip's effect nodes in chain order (following its graph edges)."""
        return self._effect_chain.get(clip, [])


def _chains(
    effects: Iterable[EffectNode], edges: Iterable[GraphEdge]
) -> dict[str, list[EffectNode]]:
    by_id = {e.id: e for e in effects}
    following = {edge.source: edge.target for edge in edges}
    chains: dict[str, list[EffectNode]] = {}
    for effect in by_id.values():
        if effect.clip in chains:
            continue
        chain, node = [], following.get(effect.clip)
        while node is not None and node in by_id and len(chain) <= len(by_id):
            chain.append(by_id[node])
            node = following.get(node)
        chains[effect.clip] = chain
    return chains
