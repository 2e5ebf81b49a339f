"""Write a :class:`ProjectDocument` back as the project file's JSON: the inverse of parsing.

:func:`document_to_data` gives the labelled (``"Name.N"``) JSON form such that
``load_project_data(document_to_data(doc), doc.base_dir) == doc`` for every document that
loading or editing produced: fields equal to their defaults are left out, keyframes and
effect chains are written in order, and colours are written so that they parse back to
the identical premultiplied linear tuple (:func:`color_to_data`). :func:`save_project`
writes the file atomically. Metadata blocks of the original file are not kept (the
document does not hold them).
"""

from __future__ import annotations

import functools
import json
import math
import os
import struct
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from reelgraph.project.atomic import write_text_atomic
from reelgraph.project.document import Format, ProjectDocument
from reelgraph.render.color import linear_to_srgb, parse_color
from reelgraph.timeline.components import (
    Clip,
    ColorSource,
    EffectNode,
    GeneratorSource,
    GraphEdge,
    ImageSequenceSource,
    MediaSource,
    Source,
    Track,
    Transform,
    Transition,
)
from reelgraph.timeline.keyframes import Animated, Interp, Param

__all__ = [
    "clip_to_data",
    "color_to_data",
    "document_to_data",
    "effect_to_data",
    "param_to_data",
    "project_text",
    "rebase_media",
    "save_project",
    "source_to_data",
    "track_to_data",
    "transition_to_data",
]

Json = dict[str, Any]
Color = tuple[float, float, float, float]

_DEFAULT_TRANSFORM = Transform()
_DEFAULT_CLIP = Clip("", "", 0, 1, ColorSource((0.0, 0.0, 0.0, 0.0)))


def _same(a: object, b: object) -> bool:
    """Equal and written the same (so ``-0.0`` is not taken for ``0.0``)."""
    return type(a) is type(b) and a == b and repr(a) == repr(b)


# -- colours -------------------------------------------------------------------------------


def color_to_data(color: Color) -> str | list[float]:
    """A colour as written in a project file that parses back to exactly ``color``.

    ``color`` is premultiplied linear RGBA as :func:`reelgraph.render.color.parse_color`
    returns it. A ``"#rrggbb[aa]"`` string is used when one parses to the identical
    tuple; otherwise ``[r, g, b(, a)]`` sRGB floats found by search.

    A colour that no written form gives exactly (one built in Python rather than read
    from a file) is written as the nearest one.
    """
    return _color_to_data(tuple(color))


@functools.lru_cache(maxsize=4096)
def _color_to_data(color: Color) -> str | list[float]:
    alpha = color[3]
    straight = [c / alpha if alpha > 0 else 0.0 for c in color[:3]]
    encoded = [min(max(float(v), 0.0), 1.0) for v in linear_to_srgb(straight)]
    text = _hex_form(encoded, alpha)
    if text is not None and parse_color(text) == color:
        return text
    for channel in range(3):
        encoded[channel] = _solve_channel(encoded, channel, alpha, color[channel])
    return [*encoded, alpha] if alpha != 1.0 else list(encoded)


def _hex_form(encoded: list[float], alpha: float) -> str | None:
    if not 0.0 <= alpha <= 1.0:
        return None
    codes = [round(v * 255) for v in encoded]
    if alpha != 1.0:
        codes.append(round(alpha * 255))
    return "#" + "".join(f"{code:02x}" for code in codes)


def _bits(value: float) -> int:
    return int(struct.unpack("<q", struct.pack("<d", value))[0])


def _float(bits: int) -> float:
    return float(struct.unpack("<d", struct.pack("<q", bits))[0])


def _solve_channel(encoded: list[float], channel: int, alpha: float, target: float) -> float:
    """The encoded value of one channel whose parse gives ``target`` (a monotone search)."""

    def parsed(value: float) -> float:
        trial = list(encoded)
        trial[channel] = value
        return parse_color([*trial, alpha])[channel]

    guess = up = down = encoded[channel]
    # Short decimals first, so the file reads [1.0, 0.5] rather than [0.9999999999999999, ...].
    candidates = [round(guess, digits) for digits in (3, 6, 9, 12, 15)] + [guess]
    for _ in range(4):
        up, down = math.nextafter(up, 2.0), math.nextafter(down, -1.0)
        candidates += [up, down]
    for candidate in candidates:
        if 0.0 <= candidate <= 1.0 and parsed(candidate) == target:
            return candidate
    low, high = 0, _bits(1.0)
    while low < high:
        middle = (low + high) // 2
        if parsed(_float(middle)) < target:
            low = middle + 1
        else:
            high = middle
    return _float(low)


# -- values and components -----------------------------------------------------------------


def _value(value: float | tuple[float, ...] | str) -> float | list[float] | str:
    return list(value) if isinstance(value, tuple) else value


def param_to_data(param: Param | str) -> Any:
    """A parameter as written: a number, a list, an ``Animated.1`` object (or a plugin's text)."""
    if not isinstance(param, Animated):
        return _value(param)
    keys = []
    for key in param.keys:
        item: Json = {"frame": key.frame, "value": _value(key.value)}
        if key.interp is not Interp.LINEAR:
            item["interp"] = key.interp.value
        keys.append(item)
    return {"schema": "Animated.1", "keys": keys}


def source_to_data(source: Source) -> Json:
    """A clip source as a labelled object."""
    if isinstance(source, MediaSource):
        return {"schema": "MediaSource.1", "path": source.path}
    if isinstance(source, ImageSequenceSource):
        return {
            "schema": "ImageSequenceSource.1",
            "pattern": source.pattern,
            "start_number": source.start_number,
            "rate": str(source.rate),
        }
    if isinstance(source, ColorSource):
        return {"schema": "ColorSource.1", "color": color_to_data(source.color)}
    if isinstance(source, GeneratorSource):
        return {
            "schema": "GeneratorSource.1",
            "generator": source.generator,
            "params": {name: param_to_data(value) for name, value in source.params},
        }
    return {"schema": "SequenceSource.1", "sequence": source.sequence}


def _transform_to_data(transform: Transform) -> Json | None:
    body: Json = {}
    if transform.position is not None:
        body["position"] = param_to_data(transform.position)
    for name in ("scale", "rotation"):
        value = getattr(transform, name)
        if not _same(value, getattr(_DEFAULT_TRANSFORM, name)):
            body[name] = param_to_data(value)
    if not _same(transform.anchor, _DEFAULT_TRANSFORM.anchor):
        body["anchor"] = list(transform.anchor)
    if not _same(transform.crop, _DEFAULT_TRANSFORM.crop):
        body["crop"] = param_to_data(transform.crop)
    if transform.fit != _DEFAULT_TRANSFORM.fit:
        body["fit"] = transform.fit
    return {"schema": "Transform.1", **body} if body else None


def effect_to_data(effect: EffectNode) -> Json:
    """An effect node as an ``Effect.1`` object (its id always written)."""
    return {
        "schema": "Effect.1",
        "id": effect.id,
        "kind": effect.kind,
        "params": {name: param_to_data(value) for name, value in effect.params},
    }


def clip_to_data(clip: Clip, effects: Sequence[EffectNode] = ()) -> Json:
    """A clip as a ``Clip.1`` object; ``effects`` in chain order."""
    body: Json = {
        "schema": "Clip.1",
        "id": clip.id,
        "start": clip.start,
        "duration": clip.duration,
        "source": source_to_data(clip.source),
    }
    if clip.source_in != 0:
        body["source_in"] = clip.source_in
    if clip.speed != 1:
        body["speed"] = str(clip.speed)
    transform = _transform_to_data(clip.transform)
    if transform is not None:
        body["transform"] = transform
    for name in ("opacity", "gain_db"):
        value = getattr(clip, name)
        if not _same(value, getattr(_DEFAULT_CLIP, name)):
            body[name] = param_to_data(value)
    if clip.blend != "normal":
        body["blend"] = clip.blend
    for name in ("fade_in", "fade_out"):
        if getattr(clip, name):
            body[name] = getattr(clip, name)
    if effects:
        body["effects"] = [effect_to_data(e) for e in effects]
    return body


def transition_to_data(transition: Transition) -> Json:
    """A transition as a ``Transition.1`` object.

    The id is left out when it is the one loading gives a transition without one
    (``<track>.<from>-><to>``, which the file's id pattern could not hold).
    """
    body: Json = {"schema": "Transition.1"}
    if transition.id != f"{transition.track}.{transition.from_clip}->{transition.to_clip}":
        body["id"] = transition.id
    return {
        **body,
        "kind": transition.kind.value,
        "from": transition.from_clip,
        "to": transition.to_clip,
        "direction": transition.direction,
        "softness": transition.softness,
    }


def track_to_data(
    track: Track,
    clips: Iterable[Clip] = (),
    transitions: Iterable[Transition] = (),
    effects: dict[str, list[EffectNode]] | None = None,
) -> Json:
    """A track as a ``Track.1`` object with its clips (and their effects) and transitions."""
    chains = effects or {}
    body: Json = {
        "schema": "Track.1",
        "id": track.id,
        "kind": track.kind.value,
        "name": track.name,
        "enabled": track.enabled,
        "clips": [clip_to_data(c, chains.get(c.id, ())) for c in clips],
    }
    written = [transition_to_data(t) for t in transitions]
    if written:
        body["transitions"] = written
    return body


def _chains(
    effects: Iterable[EffectNode], edges: Iterable[GraphEdge]
) -> dict[str, list[EffectNode]]:
    by_id = {e.id: e for e in effects}
    following = {edge.source: edge.target for edge in edges}
    chains: dict[str, list[EffectNode]] = {}
    for effect in by_id.values():
        if effect.clip in chains:
            continue
        chain: list[EffectNode] = []
        node = following.get(effect.clip)
        while node in by_id and len(chain) <= len(by_id):
            chain.append(by_id[node])
            node = following.get(node)
        chains[effect.clip] = chain
    return chains


def _format_to_data(fmt: Format) -> Json:
    return {
        "schema": "Format.1",
        "width": fmt.width,
        "height": fmt.height,
        "rate": str(fmt.rate),
        "sample_rate": fmt.sample_rate,
        "channels": fmt.channels,
        "background": color_to_data(fmt.background),
    }


def document_to_data(document: ProjectDocument) -> Json:
    """The project file's JSON form of ``document`` (the inverse of loading it)."""
    clips: dict[str, list[Clip]] = defaultdict(list)
    for clip in document.clips:
        clips[clip.track].append(clip)
    transitions: dict[str, list[Transition]] = defaultdict(list)
    for transition in document.transitions:
        transitions[transition.track].append(transition)
    tracks: dict[str, list[Track]] = defaultdict(list)
    for track in document.tracks:
        tracks[track.sequence].append(track)
    chains = _chains(document.effects, document.edges)
    sequences = []
    for sequence in document.sequences:
        ordered = sorted(tracks[sequence.id], key=lambda t: (t.index, t.id))
        body = [track_to_data(t, clips[t.id], transitions[t.id], chains) for t in ordered]
        sequences.append({"schema": "Sequence.1", "id": sequence.id, "tracks": body})
    data: Json = {
        "schema": "Project.1",
        "name": document.name,
        "format": _format_to_data(document.format),
        "main": document.main,
        "sequences": sequences,
    }
    if document.export:
        data["export"] = {
            k: (str(v) if isinstance(v, Fraction) else v) for k, v in document.export.items()
        }
    return data


def project_text(document: ProjectDocument) -> str:
    """The project file's text: :func:`document_to_data` as indented JSON."""
    return json.dumps(document_to_data(document), indent=1, ensure_ascii=False) + "\n"


# -- files ---------------------------------------------------------------------------------


def _rebased(path: str, old: Path, new: Path) -> str:
    if Path(path).is_absolute():
        return path
    return Path(os.path.relpath(old / path, new)).as_posix()


def rebase_media(document: ProjectDocument, folder: Path) -> ProjectDocument:
    """The document with relative media paths rewritten to be relative to ``folder``."""
    old, new = document.base_dir.resolve(), folder.resolve()
    if old == new:
        return document
    clips = []
    for clip in document.clips:
        source = clip.source
        if isinstance(source, MediaSource):
            source = MediaSource(_rebased(source.path, old, new))
        elif isinstance(source, ImageSequenceSource):
            source = replace(source, pattern=_rebased(source.pattern, old, new))
        clips.append(clip if source is clip.source else replace(clip, source=source))
    return replace(document, clips=tuple(clips), base_dir=new)


def save_project(document: ProjectDocument, path: str | Path) -> None:
    """Write ``document`` to ``path`` atomically (temporary file, fsync, rename).

    Relative media paths are rewritten when ``path`` lies in another folder than the
    document's ``base_dir``, so they still name the same files.

    Raises:
        OutputWriteError: the folder is missing or not writable, or the disk is full.
    """
    target = Path(path)
    rebased = rebase_media(document, target.resolve().parent)
    write_text_atomic(target, project_text(rebased))
