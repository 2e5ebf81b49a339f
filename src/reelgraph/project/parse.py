"""Turn a schema-valid project dict into a :class:`ProjectDocument` of components.

Runs after JSON Schema validation, so shapes are known to be right; what is checked here
is what a schema cannot say (key order, colours). Every error names the field's path.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from reelgraph.errors import ProjectValidationError, TimeFormatError
from reelgraph.project.document import Format, ProjectDocument
from reelgraph.project.labels import format_path
from reelgraph.render.color import parse_color
from reelgraph.time import parse_rate
from reelgraph.timeline.components import (
    Clip,
    ColorSource,
    EffectNode,
    GeneratorSource,
    GraphEdge,
    ImageSequenceSource,
    MediaSource,
    Sequence,
    SequenceSource,
    Source,
    Track,
    TrackKind,
    Transform,
    Transition,
    TransitionKind,
)
from reelgraph.timeline.keyframes import Animated, Interp, Keyframe, Param

__all__ = [
    "Fragment",
    "parse_clip",
    "parse_document",
    "parse_effect",
    "parse_param",
    "parse_source",
    "parse_speed",
    "parse_track",
    "parse_transition",
]

Path_ = tuple[str | int, ...]


def _invalid(path: Path_, message: str) -> ProjectValidationError:
    where = format_path(path)
    return ProjectValidationError(f"{where}: {message}", path=where, detail=message)


def _rate(value: Any, path: Path_) -> Fraction:
    try:
        return parse_rate(value)
    except TimeFormatError as exc:
        raise _invalid(path, exc.message) from None


def _speed(value: Any, path: Path_) -> Fraction:
    try:
        speed = Fraction(str(value).strip()) if not isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise _invalid(path, f"not a speed: {value!r}") from None
    if speed == 0:
        raise _invalid(path, "speed cannot be 0")
    exact = speed.limit_denominator(1_000_000)
    if exact == 0:
        raise _invalid(path, f"speed {value!r} is too close to 0")
    return exact


def _color(value: Any, path: Path_) -> tuple[float, float, float, float]:
    try:
        return parse_color(value)
    except ValueError as exc:
        raise _invalid(path, str(exc)) from None


def _value(value: Any) -> float | tuple[float, ...]:
    return tuple(float(v) for v in value) if isinstance(value, list) else float(value)


def _param(value: Any, path: Path_) -> Param:
    if not isinstance(value, dict):
        return _value(value)
    keys = [
        Keyframe(float(k["frame"]), _value(k["value"]), Interp(k.get("interp", "linear")))
        for k in value["keys"]
    ]
    frames = [k.frame for k in keys]
    if frames != sorted(frames) or len(set(frames)) != len(frames):
        raise _invalid((*path, "keys"), "keyframes must have increasing, distinct frames")
    shapes = {len(k.value) if isinstance(k.value, tuple) else 0 for k in keys}
    if len(shapes) != 1:
        raise _invalid(
            (*path, "keys"), "keyframe values must all be numbers or all vectors of one size"
        )
    return Animated(tuple(keys))


def _source(value: dict[str, Any], path: Path_) -> Source:
    label = value["schema"].rpartition(".")[0]
    if label == "MediaSource":
        return MediaSource(value["path"])
    if label == "ImageSequenceSource":
        return ImageSequenceSource(
            value["pattern"],
            int(value.get("start_number", 0)),
            _rate(value["rate"], (*path, "rate")),
        )
    if label == "ColorSource":
        return ColorSource(_color(value["color"], (*path, "color")))
    if label == "GeneratorSource":
        return GeneratorSource(value["generator"], _plugin_params(value, path))
    return SequenceSource(value["sequence"])


def _plugin_params(value: dict[str, Any], path: Path_) -> tuple[tuple[str, Param | str], ...]:
    """Effect or generator parameters, sorted by name; strings (plugins only) kept as is."""
    return tuple(
        (name, param if isinstance(param, str) else _param(param, (*path, "params", name)))
        for name, param in sorted(value.get("params", {}).items())
    )


def _transform(value: dict[str, Any] | None, path: Path_) -> Transform:
    if value is None:
        return Transform()
    anchor = value.get("anchor", [0.5, 0.5])
    return Transform(
        position=_param(value["position"], (*path, "position")) if "position" in value else None,
        scale=_param(value.get("scale", 1.0), (*path, "scale")),
        rotation=_param(value.get("rotation", 0.0), (*path, "rotation")),
        anchor=(float(anchor[0]), float(anchor[1])),
        crop=_param(value.get("crop", [0.0, 0.0, 0.0, 0.0]), (*path, "crop")),
        fit=value.get("fit", "contain"),
    )


class _Builder:
    def __init__(self) -> None:
        self.sequences: list[Sequence] = []
        self.tracks: list[Track] = []
        self.clips: list[Clip] = []
        self.transitions: list[Transition] = []
        self.effects: list[EffectNode] = []
        self.edges: list[GraphEdge] = []
        self.paths: dict[str, str] = {}

    def sequence(self, value: dict[str, Any], path: Path_) -> None:
        self.sequences.append(Sequence(value["id"]))
        self.paths[value["id"]] = format_path(path)
        for index, track in enumerate(value.get("tracks", [])):
            self.track(track, value["id"], index, (*path, "tracks", index))

    def track(self, value: dict[str, Any], sequence: str, index: int, path: Path_) -> None:
        kind = TrackKind(value["kind"])
        self.tracks.append(
            Track(
                value["id"],
                sequence,
                kind,
                index,
                value.get("enabled", True),
                value.get("name", ""),
            )
        )
        self.paths[value["id"]] = format_path(path)
        for number, clip in enumerate(value.get("clips", [])):
            self.clip(clip, value["id"], (*path, "clips", number))
        for number, transition in enumerate(value.get("transitions", [])):
            self.transition(transition, value["id"], (*path, "transitions", number))

    def clip(self, value: dict[str, Any], track: str, path: Path_) -> None:
        clip_id = value["id"]
        self.paths[clip_id] = format_path(path)
        self.clips.append(
            Clip(
                id=clip_id,
                track=track,
                start=value["start"],
                duration=value["duration"],
                source=_source(value["source"], (*path, "source")),
                source_in=value.get("source_in", 0),
                speed=_speed(value.get("speed", 1), (*path, "speed")),
                transform=_transform(value.get("transform"), (*path, "transform")),
                opacity=_param(value.get("opacity", 1.0), (*path, "opacity")),
                blend=value.get("blend", "normal"),
                gain_db=_param(value.get("gain_db", 0.0), (*path, "gain_db")),
                fade_in=value.get("fade_in", 0),
                fade_out=value.get("fade_out", 0),
            )
        )
        previous = clip_id
        for number, effect in enumerate(value.get("effects", [])):
            effect_path = (*path, "effects", number)
            effect_id = effect.get("id", f"{clip_id}.fx{number}")
            self.paths[effect_id] = format_path(effect_path)
            params = _plugin_params(effect, effect_path)
            self.effects.append(EffectNode(effect_id, clip_id, effect["kind"], params))
            self.edges.append(GraphEdge(previous, effect_id))
            previous = effect_id

    def transition(self, value: dict[str, Any], track: str, path: Path_) -> None:
        transition_id = value.get("id", f"{track}.{value['from']}->{value['to']}")
        self.paths[transition_id] = format_path(path)
        self.transitions.append(
            Transition(
                id=transition_id,
                track=track,
                from_clip=value["from"],
                to_clip=value["to"],
                kind=TransitionKind(value.get("kind", "dissolve")),
                direction=value.get("direction", "left_to_right"),
                softness=float(value.get("softness", 0.0)),
            )
        )


def parse_document(data: dict[str, Any], base_dir: Path) -> tuple[ProjectDocument, dict[str, str]]:
    """Build the document and a map of every id to the path of the object that declared it."""
    fmt = data["format"]
    project_format = Format(
        width=fmt["width"],
        height=fmt["height"],
        rate=_rate(fmt["rate"], ("format", "rate")),
        sample_rate=fmt.get("sample_rate", 48000),
        channels=fmt.get("channels", 2),
        background=_color(fmt.get("background", "#000000"), ("format", "background")),
    )
    builder = _Builder()
    for index, sequence in enumerate(data["sequences"]):
        builder.sequence(sequence, ("sequences", index))
    export = dict(data.get("export", {}))
    if "rate" in export:
        export["rate"] = _rate(export["rate"], ("export", "rate"))
    document = ProjectDocument(
        name=data.get("name", ""),
        format=project_format,
        main=data.get("main", data["sequences"][0]["id"]),
        sequences=tuple(builder.sequences),
        tracks=tuple(builder.tracks),
        clips=tuple(builder.clips),
        transitions=tuple(builder.transitions),
        effects=tuple(builder.effects),
        edges=tuple(builder.edges),
        export=export,
        base_dir=base_dir,
    )
    return document, builder.paths


# -- fragments: one object of a project file, for edits that carry components ------------


@dataclass(frozen=True, slots=True)
class Fragment:
    """The components parsed from one object of a project file (a clip, a track)."""

    tracks: tuple[Track, ...] = ()
    clips: tuple[Clip, ...] = ()
    transitions: tuple[Transition, ...] = ()
    effects: tuple[EffectNode, ...] = ()
    edges: tuple[GraphEdge, ...] = ()


def _fragment(builder: _Builder) -> Fragment:
    return Fragment(
        tuple(builder.tracks),
        tuple(builder.clips),
        tuple(builder.transitions),
        tuple(builder.effects),
        tuple(builder.edges),
    )


def parse_clip(value: dict[str, Any], track: str, path: Path_ = ()) -> Fragment:
    """A schema-valid ``Clip.1`` object on ``track``: the clip, its effects and chain edges."""
    builder = _Builder()
    builder.clip(value, track, path)
    return _fragment(builder)


def parse_track(value: dict[str, Any], sequence: str, index: int, path: Path_ = ()) -> Fragment:
    """A schema-valid ``Track.1`` object at ``index`` of ``sequence``, with its contents."""
    builder = _Builder()
    builder.track(value, sequence, index, path)
    return _fragment(builder)


def parse_transition(value: dict[str, Any], track: str, path: Path_ = ()) -> Transition:
    """A schema-valid ``Transition.1`` object on ``track``."""
    builder = _Builder()
    builder.transition(value, track, path)
    return builder.transitions[0]


def parse_effect(value: dict[str, Any], clip: str, path: Path_ = ()) -> EffectNode:
    """A schema-valid ``Effect.1`` object of ``clip`` (its id "" when the object has none)."""
    return EffectNode(value.get("id", ""), clip, value["kind"], _plugin_params(value, path))


def parse_param(value: Any, path: Path_ = ()) -> Param:
    """A number, a vector or an ``Animated.1`` object, as a parameter.

    Raises:
        ProjectValidationError: keyframes out of order or of mixed shapes.
    """
    return _param(value, path)


def parse_source(value: dict[str, Any], path: Path_ = ()) -> Source:
    """A schema-valid source object (``ColorSource.1``, ``MediaSource.1``, …)."""
    return _source(value, path)


def parse_speed(value: Any, path: Path_ = ()) -> Fraction:
    """A clip speed written as a number or ``"n/d"``.

    Raises:
        ProjectValidationError: not a number, or 0.
    """
    return _speed(value, path)
