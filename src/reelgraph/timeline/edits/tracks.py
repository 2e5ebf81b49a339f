"""Track edits: add a track (empty, or with clips), remove one, move one in the stack.

``index`` is the place in the sequence's stack (0 the bottom video track); the tracks at
and above it move up one. JSON forms::

    {"kind": "add_track", "sequence": "main", "track": {Track.1, clips allowed}, "index": 1}
    {"kind": "remove_track", "track": "V2"}
    {"kind": "reorder_track", "track": "V2", "index": 0}

Removing a track removes its clips, their effects and its transitions. Moving one keeps
the document in the order a saved file is read back in, so its clips move in the
document too (their ids and content stay).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from reelgraph.errors import EditRefusedError, ProjectValidationError
from reelgraph.project.parse import Fragment, parse_track
from reelgraph.project.save import track_to_data
from reelgraph.timeline.components import Clip, EffectNode, Sequence, Track, Transition
from reelgraph.timeline.edits.base import Edit
from reelgraph.timeline.edits.builder import PatchBuilder
from reelgraph.timeline.edits.fields import Fields

__all__ = ["AddTrack", "RemoveTrack", "ReorderTrack"]


def _check_index(tracks: list[Track], index: int, most: int) -> None:
    if not 0 <= index <= most:
        raise EditRefusedError(
            f"the sequence has {len(tracks)} track(s); index {index} is outside 0..{most}",
            index=index,
            reason="bad_index",
        )


def _renumber(builder: PatchBuilder, tracks: list[Track], skip: str = "") -> None:
    for number, track in enumerate(tracks):
        if track.index != number and track.id != skip:
            builder.replace(replace(track, index=number))


def _put_contents(
    builder: PatchBuilder,
    track: str,
    clips: list[Clip],
    transitions: list[Transition],
    chains: dict[str, list[EffectNode]],
) -> None:
    """Insert a track's clips (in the given order), transitions and chains in canonical places."""
    # Every chain comes out first: a chain's place is found from the others' places.
    for clip in clips:
        builder.set_chain(clip.id, ())
    for clip in clips:
        on_track = builder.clips_on(track)
        slot = (
            builder.position("clips", on_track[-1].id) + 1  # type: ignore[operator]
            if on_track
            else builder.clip_slot(track, clip.start)
        )
        builder.insert(slot, clip)
    for transition in transitions:
        builder.insert(builder.transition_slot(track), transition)
    for clip in clips:
        builder.set_chain(clip.id, chains.get(clip.id, ()))


@dataclass(frozen=True, slots=True)
class AddTrack(Edit):
    """Add ``track`` at stacking place ``track.index`` of its sequence, with optional contents.

    ``contents`` holds the track's clips, transitions and effect nodes (chains in order),
    as :func:`reelgraph.project.parse.parse_track` gives them.
    """

    track: Track
    contents: Fragment = field(default_factory=Fragment)
    kind: ClassVar[str] = "add_track"

    def build(self, builder: PatchBuilder) -> None:
        builder.require("sequences", self.track.sequence, Sequence)
        tracks = builder.tracks_in(self.track.sequence)
        index = len(tracks) if self.track.index < 0 else self.track.index
        _check_index(tracks, index, len(tracks))
        for track in tracks[index:]:
            builder.replace(replace(track, index=track.index + 1))
        builder.insert(
            builder.track_slot(self.track.sequence, index), replace(self.track, index=index)
        )
        chains: dict[str, list[EffectNode]] = {}
        for effect in self.contents.effects:
            chains.setdefault(effect.clip, []).append(effect)
        clips = [
            c if c.track == self.track.id else replace(c, track=self.track.id)
            for c in self.contents.clips
        ]
        transitions = [replace(t, track=self.track.id) for t in self.contents.transitions]
        _put_contents(builder, self.track.id, clips, transitions, chains)

    def fields_to_data(self) -> dict[str, Any]:
        chains: dict[str, list[EffectNode]] = {}
        for effect in self.contents.effects:
            chains.setdefault(effect.clip, []).append(effect)
        body = track_to_data(self.track, self.contents.clips, self.contents.transitions, chains)
        return {"sequence": self.track.sequence, "track": body, "index": self.track.index}

    @classmethod
    def from_fields(cls, fields: Fields) -> AddTrack:
        sequence = fields.text("sequence")
        value = fields.fragment("track", "Track.1")
        index = fields.integer("index", -1)
        try:
            parsed = parse_track(value, sequence, max(index, 0))
        except ProjectValidationError as exc:
            raise fields.parse_error("track", exc) from None
        track = parsed.tracks[0]
        contents = Fragment((), parsed.clips, parsed.transitions, parsed.effects, parsed.edges)
        return cls(replace(track, index=index) if index < 0 else track, contents)


@dataclass(frozen=True, slots=True)
class RemoveTrack(Edit):
    """Remove a track with everything on it; the tracks above move down one."""

    track: str
    kind: ClassVar[str] = "remove_track"

    def build(self, builder: PatchBuilder) -> None:
        track = builder.track(self.track)
        for transition in builder.transitions_on(track.id):
            builder.remove(transition)
        for clip in builder.clips_on(track.id):
            builder.set_chain(clip.id, ())
            builder.remove(clip)
        builder.remove(track)
        _renumber(builder, builder.tracks_in(track.sequence))

    def fields_to_data(self) -> dict[str, Any]:
        return {"track": self.track}

    @classmethod
    def from_fields(cls, fields: Fields) -> RemoveTrack:
        return cls(fields.text("track"))


@dataclass(frozen=True, slots=True)
class ReorderTrack(Edit):
    """Move a track to stacking place ``index`` of its sequence."""

    track: str
    index: int
    kind: ClassVar[str] = "reorder_track"

    def build(self, builder: PatchBuilder) -> None:
        track = builder.track(self.track)
        tracks = builder.tracks_in(track.sequence)
        _check_index(tracks, self.index, len(tracks) - 1)
        if self.index == track.index:
            return
        clips = builder.clips_on(track.id)
        transitions = builder.transitions_on(track.id)
        chains = {c.id: builder.effects_of(c.id) for c in clips}
        for transition in transitions:
            builder.remove(transition)
        for clip in clips:
            builder.remove(clip)
        builder.remove(track)
        others = [t for t in tracks if t.id != track.id]
        _renumber(builder, [*others[: self.index], track, *others[self.index :]], skip=track.id)
        moved = replace(track, index=self.index)
        builder.insert(builder.track_slot(track.sequence, self.index), moved)
        _put_contents(builder, track.id, clips, transitions, chains)

    def fields_to_data(self) -> dict[str, Any]:
        return {"track": self.track, "index": self.index}

    @classmethod
    def from_fields(cls, fields: Fields) -> ReorderTrack:
        return cls(fields.text("track"), fields.integer("index"))
