"""The working state of one edit: the document's groups as the edit's changes leave them.

An edit reads the document through a :class:`PatchBuilder` and writes
:class:`~reelgraph.timeline.changes.Change` records through it; the builder keeps
the groups it touched as lists (copied once) and answers lookups from the document's
:class:`~reelgraph.timeline.doc_index.DocumentIndex` until a change moves things, then
from its own lists. It also knows the document's canonical order (the order a saved file
is read back in: clips grouped by track in track order, effects and chain edges grouped by
clip in clip order), and inserts new components where that order puts them, so a saved
and re-loaded document equals the edited one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar, cast

from reelgraph.errors import EditRefusedError, UnknownReferenceError
from reelgraph.project.document import ProjectDocument
from reelgraph.timeline.changes import (
    Change,
    Component,
    Group,
    Key,
    group_of,
    key_of,
)
from reelgraph.timeline.components import (
    Clip,
    EffectNode,
    GraphEdge,
    SequenceSource,
    Track,
    Transition,
)
from reelgraph.timeline.components import Sequence as SequenceComponent
from reelgraph.timeline.doc_index import DocumentIndex, adopt_index, index_of, structure_of

__all__ = ["PatchBuilder"]

C = TypeVar("C", bound=Component)
_ID_GROUPS: tuple[Group, ...] = ("sequences", "tracks", "clips", "transitions", "effects")
_NAMES: dict[Group, str] = {
    "sequences": "sequence",
    "tracks": "track",
    "clips": "clip",
    "transitions": "transition",
    "effects": "effect",
    "edges": "edge",
}


class PatchBuilder:
    """Reads and changes one document on behalf of one edit (never the document itself)."""

    def __init__(self, document: ProjectDocument) -> None:
        """Start from ``document``; nothing is changed until :meth:`finish`."""
        self.document = document
        self._base: DocumentIndex = index_of(document)
        self._lists: dict[Group, list[Component]] = {}
        self._stale: set[Group] = set()
        self._positions: dict[Group, dict[Key, int]] = {}
        self._changes: list[Change] = []

    # -- reading ---------------------------------------------------------------------------

    def items(self, group: Group) -> Sequence[Component]:
        """The group as the changes so far leave it."""
        working = self._lists.get(group)
        return (
            working
            if working is not None
            else cast(Sequence[Component], getattr(self.document, group))
        )

    def position(self, group: Group, key: Key) -> int | None:
        """Where the component with ``key`` sits in its group now; None when absent."""
        if group not in self._stale:
            return self._base.positions[group].get(key)
        cached = self._positions.get(group)
        if cached is None:
            cached = {key_of(c): i for i, c in enumerate(self.items(group))}
            self._positions[group] = cached
        return cached.get(key)

    def get(self, group: Group, key: Key) -> Component | None:
        """The component with ``key`` in ``group`` now, or None."""
        at = self.position(group, key)
        return None if at is None else self.items(group)[at]

    def exists(self, component_id: str) -> bool:
        """Whether any sequence, track, clip, transition or effect has this id now."""
        return any(self.position(g, component_id) is not None for g in _ID_GROUPS)

    def require(self, group: Group, component_id: str, kind: type[C]) -> C:
        """The component with this id, or an :class:`UnknownReferenceError` naming it."""
        found = self.get(group, component_id)
        if not isinstance(found, kind):
            raise UnknownReferenceError(
                f"no {_NAMES[group]} {component_id!r}", id=component_id, kind=_NAMES[group]
            )
        return found

    def clip(self, clip_id: str) -> Clip:
        """The clip with this id (raises :class:`UnknownReferenceError` when absent)."""
        return self.require("clips", clip_id, Clip)

    def track(self, track_id: str) -> Track:
        """The track with this id (raises :class:`UnknownReferenceError` when absent)."""
        return self.require("tracks", track_id, Track)

    def _grouped(
        self, group: Group, base: dict[str, list[str]], owner: str, attr: str
    ) -> list[Any]:
        if group in self._stale:
            return [c for c in self.items(group) if getattr(c, attr) == owner]
        items = self.items(group)
        positions = self._base.positions[group]
        return [items[positions[i]] for i in base.get(owner, ())]

    def clips_on(self, track_id: str) -> list[Clip]:
        """The track's clips, in document order."""
        return self._grouped("clips", self._base.track_clips, track_id, "track")

    def tracks_in(self, sequence_id: str) -> list[Track]:
        """The sequence's tracks, in document (stacking) order."""
        return self._grouped("tracks", self._base.sequence_tracks, sequence_id, "sequence")

    def transitions_on(self, track_id: str) -> list[Transition]:
        """The track's transitions, in document order."""
        return self._grouped("transitions", self._base.track_transitions, track_id, "track")

    def effects_of(self, clip_id: str) -> list[EffectNode]:
        """The clip's effect nodes, in document (chain) order."""
        return self._grouped("effects", self._base.clip_effects, clip_id, "clip")

    def transitions_of(self, clip_id: str) -> list[Transition]:
        """The transitions that name the clip, in document order."""
        if "transitions" in self._stale:
            return [
                t
                for t in cast(Sequence[Transition], self.items("transitions"))
                if clip_id in (t.from_clip, t.to_clip)
            ]
        items = self.items("transitions")
        positions = self._base.positions["transitions"]
        ids = self._base.clip_transitions.get(clip_id, ())
        return [cast(Transition, items[positions[i]]) for i in ids]

    def users_of(self, sequence_id: str) -> list[Clip]:
        """The clips that nest the sequence, in document order."""
        if "clips" in self._stale:
            return [
                c
                for c in cast(Sequence[Clip], self.items("clips"))
                if isinstance(c.source, SequenceSource) and c.source.sequence == sequence_id
            ]
        items = self.items("clips")
        positions = self._base.positions["clips"]
        ids = self._base.sequence_users.get(sequence_id, ())
        return [cast(Clip, items[positions[i]]) for i in ids]

    # -- writing ---------------------------------------------------------------------------

    def _working(self, group: Group) -> list[Component]:
        working = self._lists.get(group)
        if working is None:
            working = list(getattr(self.document, group))
            self._lists[group] = working
        return working

    def _moved(self, group: Group) -> None:
        self._stale.add(group)
        self._positions.pop(group, None)

    def replace(self, new: Component, key: Key | None = None) -> None:
        """Put ``new`` where the component with ``key`` (default: ``new``'s own) is."""
        group = group_of(new)
        at = self.position(group, key_of(new) if key is None else key)
        if at is None:
            raise UnknownReferenceError(f"no {_NAMES[group]} {key!r}", id=str(key))
        old = self.items(group)[at]
        if old is new:
            return
        self._working(group)[at] = new
        self._changes.append(Change(group, at, old, new))
        if structure_of(old) != structure_of(new):
            self._moved(group)

    def insert(self, at: int, new: Component) -> None:
        """Insert ``new`` at position ``at`` of its group.

        Raises:
            EditRefusedError: the id is already used by another component.
        """
        group = group_of(new)
        if group != "edges" and self.exists(cast(str, key_of(new))):
            raise EditRefusedError(
                f"id {key_of(new)!r} is already used", id=str(key_of(new)), reason="duplicate_id"
            )
        self._working(group).insert(at, new)
        self._changes.append(Change(group, at, None, new))
        self._moved(group)

    def remove(self, old: Component) -> None:
        """Remove ``old`` (found by its key) from its group."""
        group = group_of(old)
        at = self.position(group, key_of(old))
        if at is None:
            raise UnknownReferenceError(f"no {_NAMES[group]} {key_of(old)!r}", id=str(key_of(old)))
        current = self._working(group).pop(at)
        self._changes.append(Change(group, at, current, None))
        self._moved(group)

    def apply_change(self, change: Change) -> None:
        """Apply a recorded change at its recorded position, checking what it replaces.

        Raises:
            EditRefusedError: the document does not hold ``change.old`` at that position.
        """
        working = self._working(change.group)
        if change.old is not None:
            if change.index >= len(working) or working[change.index] != change.old:
                raise EditRefusedError(
                    f"the patch does not fit this document at {change.group}[{change.index}]",
                    reason="patch_mismatch",
                )
            if change.new is None:
                del working[change.index]
            else:
                working[change.index] = change.new
        elif change.new is not None:
            if change.index > len(working):
                raise EditRefusedError(
                    f"the patch does not fit this document at {change.group}[{change.index}]",
                    reason="patch_mismatch",
                )
            if change.group != "edges" and self.exists(cast(str, key_of(change.new))):
                raise EditRefusedError(
                    f"id {key_of(change.new)!r} is already used", reason="duplicate_id"
                )
            working.insert(change.index, change.new)
        self._changes.append(change)
        if change.old is None or change.new is None:
            self._moved(change.group)
        elif structure_of(change.old) != structure_of(change.new):
            self._moved(change.group)

    # -- canonical places ------------------------------------------------------------------

    def clip_slot(self, track_id: str, start: int) -> int:
        """Where a new clip of ``track_id`` starting at ``start`` goes in the clips group."""
        clips = self.clips_on(track_id)
        for clip in clips:
            if clip.start > start:
                return cast(int, self.position("clips", clip.id))
        if clips:
            return cast(int, self.position("clips", clips[-1].id)) + 1
        return self._first_after_track("clips", track_id, self.clips_on)

    def transition_slot(self, track_id: str) -> int:
        """Where a new transition of ``track_id`` goes in the transitions group."""
        transitions = self.transitions_on(track_id)
        if transitions:
            return cast(int, self.position("transitions", transitions[-1].id)) + 1
        return self._first_after_track("transitions", track_id, self.transitions_on)

    def _first_after_track(self, group: Group, track_id: str, members: Any) -> int:
        tracks = self.items("tracks")
        at = self.position("tracks", track_id)
        for track in cast(Sequence[Track], tracks)[(at + 1 if at is not None else len(tracks)) :]:
            found = members(track.id)
            if found:
                return cast(int, self.position(group, found[0].id))
        return len(self.items(group))

    def track_slot(self, sequence_id: str, index: int) -> int:
        """Where a new track at stacking ``index`` of ``sequence_id`` goes in the tracks group."""
        tracks = self.tracks_in(sequence_id)
        if index < len(tracks):
            return cast(int, self.position("tracks", tracks[index].id))
        if tracks:
            return cast(int, self.position("tracks", tracks[-1].id)) + 1
        sequences = self.items("sequences")
        at = self.position("sequences", sequence_id)
        for sequence in cast(Sequence[SequenceComponent], sequences)[
            (at + 1 if at is not None else len(sequences)) :
        ]:
            later = self.tracks_in(sequence.id)
            if later:
                return cast(int, self.position("tracks", later[0].id))
        return len(self.items("tracks"))

    def set_chain(
        self, clip_id: str, effects: Iterable[EffectNode], *, reposition: bool = False
    ) -> None:
        """Make ``effects`` (in order) the clip's whole effect chain, in canonical places.

        Args:
            clip_id: The clip whose chain is set.
            effects: The chain, first effect first.
            reposition: Move an unchanged chain too (after the clip moved in the clips group).
        """
        chain = list(effects)
        old_effects = self.effects_of(clip_id)
        old_ids = {e.id for e in old_effects}
        old_edges = [
            e for e in cast(Sequence[GraphEdge], self.items("edges")) if e.target in old_ids
        ]
        keep = [c.id for c in chain] == [e.id for e in old_effects] and all(
            a is b for a, b in zip(chain, old_effects, strict=True)
        )
        if keep and not (reposition and chain):
            return
        for edge in reversed(old_edges):
            self.remove(edge)
        for effect in reversed(old_effects):
            self.remove(effect)
        if not chain:
            return
        effect_at = self._clip_group_slot("effects", clip_id)
        for offset, effect in enumerate(chain):
            self.insert(effect_at + offset, effect)
        edge_at = self._clip_group_slot("edges", clip_id)
        previous = clip_id
        for offset, effect in enumerate(chain):
            self.insert(edge_at + offset, GraphEdge(previous, effect.id))
            previous = effect.id

    def _clip_group_slot(self, group: Group, clip_id: str) -> int:
        """The first position of ``group`` (effects or edges) owned by a clip after ``clip_id``."""
        clip_at = self.position("clips", clip_id)
        if clip_at is None:
            return len(self.items(group))
        for position, item in enumerate(self.items(group)):
            owner = self._owner(item)
            owner_position = self.position("clips", owner) if owner is not None else None
            if owner_position is not None and owner_position > clip_at:
                return position
        return len(self.items(group))

    def _owner(self, item: Component) -> str | None:
        if isinstance(item, EffectNode):
            return item.clip
        assert isinstance(item, GraphEdge)
        effect = self.get("effects", item.target)
        return effect.clip if isinstance(effect, EffectNode) else None

    # -- result ----------------------------------------------------------------------------

    @property
    def changes(self) -> tuple[Change, ...]:
        """The changes recorded so far, in order."""
        return tuple(self._changes)

    def finish(self) -> ProjectDocument:
        """The changed document (its index handed on when no position or grouping moved)."""
        if not self._changes:
            return self.document
        groups = {group: tuple(items) for group, items in self._lists.items()}
        document = replace(self.document, **groups)  # type: ignore[arg-type]
        if not self._stale:
            adopt_index(document, self._base)
        return document
