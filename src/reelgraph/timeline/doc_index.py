"""Lookups by id over an immutable document, shared by the documents an edit derives.

Edits must cost in proportion to what they change, not to the project. A
:class:`DocumentIndex` (positions of every component and the groupings edits ask about)
takes one pass to build; :func:`index_of` keeps the indexes of the few documents most
recently used, and an edit whose changes leave every position and grouping as they were
(a trim, a slip, a parameter) hands its index on to the document it produces
(:func:`adopt_index`), so a run of such edits never rebuilds one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

from reelgraph.project.document import ProjectDocument
from reelgraph.timeline.changes import GROUPS, Component, Group, Key, key_of
from reelgraph.timeline.components import (
    Clip,
    EffectNode,
    GraphEdge,
    SequenceSource,
    Track,
    Transition,
)
from reelgraph.timeline.components import Sequence as SequenceComponent

__all__ = ["DocumentIndex", "adopt_index", "index_of", "structure_of"]

_CACHE_SIZE = 16


@dataclass(slots=True)
class DocumentIndex:
    """Positions and groupings of one document (lists are in document order).

    Attributes:
        positions: Per group, each component's key to its position in the group.
        sequence_tracks: Sequence id to its track ids.
        track_clips: Track id to its clip ids.
        track_transitions: Track id to its transition ids.
        clip_effects: Clip id to its effect node ids.
        clip_transitions: Clip id to the ids of the transitions that name it.
        sequence_users: Sequence id to the ids of the clips that nest it.
    """

    positions: dict[Group, dict[Key, int]]
    sequence_tracks: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    track_clips: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    track_transitions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    clip_effects: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    clip_transitions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    sequence_users: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, document: ProjectDocument) -> DocumentIndex:
        """Index ``document`` in one pass."""
        index = cls({g: {key_of(c): i for i, c in enumerate(getattr(document, g))} for g in GROUPS})
        for track in document.tracks:
            index.sequence_tracks[track.sequence].append(track.id)
        for clip in document.clips:
            index.track_clips[clip.track].append(clip.id)
            if isinstance(clip.source, SequenceSource):
                index.sequence_users[clip.source.sequence].append(clip.id)
        for transition in document.transitions:
            index.track_transitions[transition.track].append(transition.id)
            index.clip_transitions[transition.from_clip].append(transition.id)
            if transition.to_clip != transition.from_clip:
                index.clip_transitions[transition.to_clip].append(transition.id)
        for effect in document.effects:
            index.clip_effects[effect.clip].append(effect.id)
        return index


def structure_of(component: Component) -> tuple[object, ...]:
    """What an index records about a component; replacing it keeps the index valid iff equal."""
    if isinstance(component, Clip):
        source = component.source
        nested = source.sequence if isinstance(source, SequenceSource) else None
        return (component.id, component.track, nested)
    if isinstance(component, Track):
        return (component.id, component.sequence)
    if isinstance(component, Transition):
        return (component.id, component.track, component.from_clip, component.to_clip)
    if isinstance(component, EffectNode):
        return (component.id, component.clip)
    if isinstance(component, GraphEdge):
        return (component.source, component.target)
    assert isinstance(component, SequenceComponent)
    return (component.id,)


# Keyed by id(document); the document itself is kept in the entry so the id stays its own.
_recent: OrderedDict[int, tuple[ProjectDocument, DocumentIndex]] = OrderedDict()
_lock = threading.Lock()


def index_of(document: ProjectDocument) -> DocumentIndex:
    """The index of ``document``, built once and kept while the document is recent."""
    with _lock:
        entry = _recent.get(id(document))
        if entry is not None and entry[0] is document:
            _recent.move_to_end(id(document))
            return entry[1]
    index = DocumentIndex.build(document)
    adopt_index(document, index)
    return index


def adopt_index(document: ProjectDocument, index: DocumentIndex) -> None:
    """Record ``index`` as the index of ``document`` (it must describe it exactly)."""
    with _lock:
        _recent[id(document)] = (document, index)
        _recent.move_to_end(id(document))
        while len(_recent) > _CACHE_SIZE:
            _recent.popitem(last=False)
