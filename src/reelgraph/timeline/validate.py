"""Checks a timeline must pass before it is rendered or edited.

What a JSON Schema cannot say: unique ids, references that resolve, clips that last at
least a frame, tracks without unjoined overlaps, transitions over a real overlap, and
nested sequences without loops. Each failure is a coded error naming the object's path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from reelgraph.errors import (
    NestingCycleError,
    OverlapError,
    ProjectValidationError,
    TimelineError,
    TimeRangeError,
    UnknownReferenceError,
    ZeroLengthClipError,
)
from reelgraph.project.document import ProjectDocument
from reelgraph.render.effects import EFFECTS, effect_params
from reelgraph.timeline.components import (
    Clip,
    ColorSource,
    EffectNode,
    GeneratorSource,
    ImageSequenceSource,
    SequenceSource,
    TrackKind,
    Transition,
)
from reelgraph.timeline.keyframes import Animated

__all__ = ["validate_timeline"]


def validate_timeline(document: ProjectDocument, paths: Mapping[str, str]) -> None:
    """Raise the first problem found, in document order.

    Raises:
        ProjectValidationError: duplicate ids, clip kinds that do not fit the track.
        ZeroLengthClipError, TimeRangeError, OverlapError, UnknownReferenceError,
        NestingCycleError: as their names say.
    """
    _check_unique_ids(document, paths)
    sequences = {s.id for s in document.sequences}
    if document.main not in sequences:
        raise UnknownReferenceError(
            f"main: no sequence {document.main!r}", path="main", id=document.main
        )
    tracks = {t.id: t for t in document.tracks}
    for clip in document.clips:
        _check_clip(clip, tracks[clip.track].kind, sequences, paths[clip.id])
    for transition in document.transitions:
        _check_transition(transition, document, paths[transition.id])
    _check_overlaps(document, paths)
    _check_nesting(document)
    for effect in document.effects:
        _check_effect(effect, paths.get(effect.id, effect.id))


def _check_unique_ids(document: ProjectDocument, paths: Mapping[str, str]) -> None:
    seen: dict[str, str] = {}
    groups = (
        document.sequences,
        document.tracks,
        document.clips,
        document.transitions,
        document.effects,
    )
    for group in groups:
        for item in group:
            if item.id in seen:
                raise ProjectValidationError(
                    f"{paths.get(item.id, '?')}: id {item.id!r} is already used at {seen[item.id]}",
                    path=paths.get(item.id, "?"),
                    id=item.id,
                )
            seen[item.id] = paths.get(item.id, "?")


def _check_clip(clip: Clip, kind: TrackKind, sequences: set[str], path: str) -> None:
    if clip.duration <= 0:
        raise ZeroLengthClipError(
            f"{path}: clip {clip.id!r} lasts {clip.duration} frames", path=path, clip=clip.id
        )
    if clip.start < 0:
        raise TimeRangeError(
            f"{path}: clip {clip.id!r} starts before frame 0", path=path, clip=clip.id
        )
    if clip.source_in < 0:
        raise TimeRangeError(
            f"{path}: clip {clip.id!r} has a negative source_in", path=path, clip=clip.id
        )
    if clip.fade_in + clip.fade_out > clip.duration:
        raise TimeRangeError(
            f"{path}: fades of clip {clip.id!r} last longer than the clip", path=path, clip=clip.id
        )
    source = clip.source
    if isinstance(source, SequenceSource) and source.sequence not in sequences:
        raise UnknownReferenceError(
            f"{path}.source.sequence: no sequence {source.sequence!r}",
            path=f"{path}.source.sequence",
            id=source.sequence,
        )
    if kind is TrackKind.AUDIO and isinstance(
        source, (ColorSource, ImageSequenceSource, GeneratorSource)
    ):
        raise ProjectValidationError(
            f"{path}.source: an audio track cannot hold a picture-only source",
            path=f"{path}.source",
            clip=clip.id,
        )


def _check_effect(effect: EffectNode, path: str) -> None:
    """Built-in effect kinds must have known parameters with values in range.

    Kinds the engine does not know are left to the plugin registry, which checks them
    when plugins are registered.
    """
    if effect.kind not in EFFECTS:
        return
    for name, param in effect.params:
        values = [k.value for k in param.keys] if isinstance(param, Animated) else [param]
        for value in values:
            try:
                effect_params(effect.kind, {name: value})  # type: ignore[dict-item]
            except ValueError as exc:
                raise ProjectValidationError(
                    f"{path}.params.{name}: {exc}", path=f"{path}.params.{name}"
                ) from None


def _check_transition(transition: Transition, document: ProjectDocument, path: str) -> None:
    clips = {c.id: c for c in document.clips}
    for role, clip_id in (("from", transition.from_clip), ("to", transition.to_clip)):
        clip = clips.get(clip_id)
        if clip is None or clip.track != transition.track:
            raise UnknownReferenceError(
                f"{path}.{role}: no clip {clip_id!r} on track {transition.track!r}",
                path=f"{path}.{role}",
                id=clip_id,
            )
    first, second = clips[transition.from_clip], clips[transition.to_clip]
    if not (first.start < second.start < first.end <= second.end):
        raise TimelineError(
            f"{path}: a transition needs {first.id!r} to overlap the start of {second.id!r} "
            f"({first.id} covers {first.start}-{first.end}, "
            f"{second.id} {second.start}-{second.end})",
            path=path,
            id=transition.id,
        )


def _check_overlaps(document: ProjectDocument, paths: Mapping[str, str]) -> None:
    joined = {(t.from_clip, t.to_clip) for t in document.transitions}
    by_track: dict[str, list[Clip]] = defaultdict(list)
    for clip in document.clips:
        by_track[clip.track].append(clip)
    for clips in by_track.values():
        ordered = sorted(clips, key=lambda c: (c.start, c.id))
        for index, clip in enumerate(ordered):
            for later in ordered[index + 1 :]:
                if later.start >= clip.end:
                    break
                if (clip.id, later.id) not in joined or later.end < clip.end:
                    path = paths[later.id]
                    raise OverlapError(
                        f"{path}: clip {later.id!r} overlaps {clip.id!r} without a transition",
                        path=path,
                        clip=later.id,
                        other=clip.id,
                    )


def _check_nesting(document: ProjectDocument) -> None:
    track_sequence = {t.id: t.sequence for t in document.tracks}
    children: dict[str, set[str]] = defaultdict(set)
    for clip in document.clips:
        if isinstance(clip.source, SequenceSource):
            children[track_sequence[clip.track]].add(clip.source.sequence)
    state: dict[str, int] = {}

    def visit(sequence: str, trail: list[str]) -> None:
        state[sequence] = 1
        for child in sorted(children[sequence]):
            if state.get(child) == 1:
                loop = (
                    " -> ".join([*trail[trail.index(child) :], child]) if child in trail else child
                )
                raise NestingCycleError(
                    f"sequence {child!r} contains itself: {loop}", sequence=child, cycle=loop
                )
            if child not in state:
                visit(child, [*trail, child])
        state[sequence] = 2

    for sequence in sorted(children):
        if sequence not in state:
            visit(sequence, [sequence])
