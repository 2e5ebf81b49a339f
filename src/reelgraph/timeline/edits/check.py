"""Validation of an edited document, in proportion to what the edit changed.

:func:`check_changes` runs the checks of :func:`reelgraph.timeline.validate.validate_timeline`
(the very same functions, so the two cannot disagree) on the components a list of changes
touched: the changed clips, the tracks they left or joined (for overlaps), the transitions
that name them, and the nesting graph when a nested sequence is involved; and it checks
that nothing still refers to what was removed. A property test holds it to the full
validation on random edits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from functools import partial
from typing import cast

from reelgraph.errors import EditRefusedError, OverlapError, ReelgraphError, UnknownReferenceError
from reelgraph.project.document import ProjectDocument
from reelgraph.timeline.changes import Change, Group
from reelgraph.timeline.components import (
    Clip,
    EffectNode,
    GraphEdge,
    SequenceSource,
    Track,
    Transition,
)
from reelgraph.timeline.components import Sequence as SequenceComponent
from reelgraph.timeline.doc_index import DocumentIndex, index_of
from reelgraph.timeline.paths import document_paths

# The per-object checks of the full validation, reused so that both always agree.
from reelgraph.timeline.validate import (
    _check_clip,
    _check_effect,
    _check_nesting,
    _check_overlaps,
    _check_transition,
)

__all__ = ["check_changes"]

_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")


class _LazyPaths(Mapping[str, str]):
    """Paths of the edited document, derived only when an error needs one."""

    def __init__(self, document: ProjectDocument) -> None:
        self._document = document
        self._paths: dict[str, str] | None = None

    def _all(self) -> dict[str, str]:
        if self._paths is None:
            self._paths = document_paths(self._document)
        return self._paths

    def __getitem__(self, key: str) -> str:
        return self._all().get(key, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class _Touched:
    """The ids a list of changes mentions, by group."""

    def __init__(self, changes: tuple[Change, ...]) -> None:
        self.ids: dict[Group, set[str]] = {g: set() for g in ("sequences", "tracks", "clips")}
        self.ids["transitions"], self.ids["effects"] = set(), set()
        self.edges: set[tuple[str, str]] = set()
        self.tracks_of_clips: set[str] = set()
        self.transition_clips: set[str] = set()
        self.nesting = False
        for change in changes:
            for component in (change.old, change.new):
                if component is not None:
                    self._note(component)

    def _note(self, component: object) -> None:
        if isinstance(component, GraphEdge):
            self.edges.add((component.source, component.target))
            return
        if isinstance(component, Clip):
            self.tracks_of_clips.add(component.track)
            self.nesting |= isinstance(component.source, SequenceSource)
        elif isinstance(component, Transition):
            self.tracks_of_clips.add(component.track)
            self.transition_clips.update((component.from_clip, component.to_clip))
        elif isinstance(component, SequenceComponent):
            self.nesting = True
        group = _GROUP_OF[type(component)]
        self.ids[group].add(component.id)  # type: ignore[attr-defined]


_GROUP_OF: dict[type, Group] = {
    SequenceComponent: "sequences",
    Track: "tracks",
    Clip: "clips",
    Transition: "transitions",
    EffectNode: "effects",
}


def _with_path(check: Callable[[str], None], paths: Mapping[str, str], key: str) -> None:
    """Run a check with a stand-in path; on failure, again with the real one for the error.

    Finding a path costs a pass over the document, so it is only paid for an error.
    """
    try:
        check(key)
    except ReelgraphError:
        check(paths[key])
        raise


def _component(document: ProjectDocument, index: DocumentIndex, group: Group, key: str) -> object:
    at = index.positions[group].get(key)
    return None if at is None else getattr(document, group)[at]


def check_changes(document: ProjectDocument, changes: tuple[Change, ...]) -> None:
    """Check the parts of ``document`` (already changed) that ``changes`` touched.

    Raises:
        TimelineError: the subclass the full validation would raise (overlaps, zero-length
            clips, unknown references, nesting loops, transitions without overlap).
        ProjectValidationError: a clip kind that does not fit its track, bad effect params.
        EditRefusedError: a duplicate id, or track indexes out of order.
    """
    index = index_of(document)
    paths = _LazyPaths(document)
    touched = _Touched(changes)
    _check_ids(document, index, touched)
    _check_sequences(document, index, touched)
    tracks = _check_tracks(document, index, touched)
    _check_clips(document, index, touched, paths)
    _check_transitions(document, index, touched, paths)
    focus = touched.ids["clips"] | touched.transition_clips
    for track_id in sorted(tracks | touched.tracks_of_clips):
        if track_id in index.positions["tracks"]:
            _check_track_overlaps(document, index, track_id, focus, paths)
    _check_effects(document, index, touched, paths)
    if touched.nesting:
        _check_nesting(document)


def _check_track_overlaps(
    document: ProjectDocument,
    index: DocumentIndex,
    track_id: str,
    focus: set[str],
    paths: Mapping[str, str],
) -> None:
    """The overlap check of the full validation, for the pairs that involve ``focus`` ids.

    Pairs of untouched clips were checked when the document was made and cannot have
    changed, so only the clips an edit changed (or whose transition it changed) are
    compared with their track's other clips.
    """
    clips = _clips_on(document, index, track_id)
    changed = [c for c in clips if c.id in focus]
    if not changed:
        return
    joined = {
        (t.from_clip, t.to_clip)
        for t in (
            cast(Transition, _component(document, index, "transitions", i))
            for i in index.track_transitions.get(track_id, ())
        )
    }
    for clip in changed:
        for other in clips:
            if other is clip or not (other.start < clip.end and clip.start < other.end):
                continue
            first, later = sorted((clip, other), key=lambda c: (c.start, c.id))
            if (first.id, later.id) not in joined or later.end < first.end:
                # The full check reports the first bad pair in track order, with its path.
                _check_overlaps(replace(document, clips=tuple(clips)), paths)
                path = paths[later.id]
                raise OverlapError(
                    f"{path}: clip {later.id!r} overlaps {first.id!r} without a transition",
                    path=path,
                    clip=later.id,
                    other=first.id,
                )


def _clips_on(document: ProjectDocument, index: DocumentIndex, track_id: str) -> list[Clip]:
    positions = index.positions["clips"]
    return [document.clips[positions[c]] for c in index.track_clips.get(track_id, ())]


def _check_ids(document: ProjectDocument, index: DocumentIndex, touched: _Touched) -> None:
    for group, ids in touched.ids.items():
        for component_id in ids:
            component = _component(document, index, group, component_id)
            if component is not None and not _writable_id(component):
                raise EditRefusedError(
                    f"id {component_id!r} cannot be written in a project file "
                    "(use 1-128 letters, digits and _ . : -)",
                    id=component_id,
                    reason="bad_id",
                )
        if ids and len(index.positions[group]) != len(getattr(document, group)):
            raise EditRefusedError(f"two {group} share an id", reason="duplicate_id")
        for other, positions in index.positions.items():
            if other in (group, "edges"):
                continue
            for component_id in ids:
                if component_id in positions and component_id in index.positions[group]:
                    raise EditRefusedError(f"id {component_id!r} is already used", id=component_id)


def _writable_id(component: object) -> bool:
    component_id = getattr(component, "id", "")
    if _ID.fullmatch(component_id):
        return True
    return isinstance(component, Transition) and component_id == (
        f"{component.track}.{component.from_clip}->{component.to_clip}"
    )


def _check_sequences(document: ProjectDocument, index: DocumentIndex, touched: _Touched) -> None:
    sequences = index.positions["sequences"]
    if document.main not in sequences:
        raise UnknownReferenceError(
            f"main: no sequence {document.main!r}", path="main", id=document.main
        )
    for sequence_id in sorted(touched.ids["sequences"]):
        if sequence_id in sequences:
            continue
        left = [
            *index.sequence_tracks.get(sequence_id, ()),
            *index.sequence_users.get(sequence_id, ()),
        ]
        if left:
            raise UnknownReferenceError(
                f"{left[0]!r} still refers to the removed sequence {sequence_id!r}",
                id=sequence_id,
            )


def _check_tracks(document: ProjectDocument, index: DocumentIndex, touched: _Touched) -> set[str]:
    sequences: set[str] = set()
    for track_id in sorted(touched.ids["tracks"]):
        track = _component(document, index, "tracks", track_id)
        if isinstance(track, Track):
            if track.sequence not in index.positions["sequences"]:
                raise UnknownReferenceError(
                    f"track {track_id!r}: no sequence {track.sequence!r}", id=track.sequence
                )
            sequences.add(track.sequence)
            continue
        left = [*index.track_clips.get(track_id, ()), *index.track_transitions.get(track_id, ())]
        if left:
            raise UnknownReferenceError(
                f"{left[0]!r} is still on the removed track {track_id!r}", id=track_id
            )
    for sequence_id in sorted(sequences):
        positions = index.positions["tracks"]
        ordered = [
            document.tracks[positions[t]] for t in index.sequence_tracks.get(sequence_id, ())
        ]
        if [t.index for t in ordered] != list(range(len(ordered))):
            raise EditRefusedError(
                f"the tracks of {sequence_id!r} are not numbered 0..{len(ordered) - 1} in order",
                sequence=sequence_id,
            )
    return {t for s in sequences for t in index.sequence_tracks.get(s, ())}


def _check_clips(
    document: ProjectDocument, index: DocumentIndex, touched: _Touched, paths: _LazyPaths
) -> None:
    for clip_id in sorted(touched.ids["clips"]):
        clip = _component(document, index, "clips", clip_id)
        if isinstance(clip, Clip):
            track = _component(document, index, "tracks", clip.track)
            if not isinstance(track, Track):
                raise UnknownReferenceError(
                    f"clip {clip_id!r}: no track {clip.track!r}", id=clip.track, clip=clip_id
                )
            sequences = index.positions["sequences"]
            check = partial(_check_clip, clip, track.kind, sequences)  # type: ignore[arg-type]
            _with_path(check, paths, clip_id)
            continue
        left = [*index.clip_effects.get(clip_id, ()), *index.clip_transitions.get(clip_id, ())]
        if left:
            raise UnknownReferenceError(
                f"{left[0]!r} still refers to the removed clip {clip_id!r}", id=clip_id
            )


def _check_transitions(
    document: ProjectDocument, index: DocumentIndex, touched: _Touched, paths: _LazyPaths
) -> None:
    names = set(touched.ids["transitions"])
    for clip_id in touched.ids["clips"]:
        names.update(index.clip_transitions.get(clip_id, ()))
    for transition_id in sorted(names):
        transition = _component(document, index, "transitions", transition_id)
        if not isinstance(transition, Transition):
            continue
        ends = [
            _component(document, index, "clips", c)
            for c in (transition.from_clip, transition.to_clip)
        ]
        clips = tuple(c for c in ends if isinstance(c, Clip))
        check = partial(_check_transition, transition, replace(document, clips=clips))
        _with_path(check, paths, transition_id)


def _check_effects(
    document: ProjectDocument, index: DocumentIndex, touched: _Touched, paths: _LazyPaths
) -> None:
    for effect_id in sorted(touched.ids["effects"]):
        effect = _component(document, index, "effects", effect_id)
        if not isinstance(effect, EffectNode):
            continue
        if effect.clip not in index.positions["clips"]:
            raise UnknownReferenceError(
                f"effect {effect_id!r}: no clip {effect.clip!r}", id=effect.clip
            )
        _with_path(partial(_check_effect, effect), paths, effect_id)
    for source, target in sorted(touched.edges):
        if (source, target) not in index.positions["edges"]:
            continue
        if target not in index.positions["effects"] or not (
            source in index.positions["clips"] or source in index.positions["effects"]
        ):
            raise UnknownReferenceError(
                f"graph edge {source!r} -> {target!r} names a missing node", id=target
            )
