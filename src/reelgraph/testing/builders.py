"""Build project documents (as JSON-ready dicts) in a few readable lines.

    doc = project([track("V1", "video", [clip("a", 0, 30, color("#ff0000"))])])

Every builder returns plain dicts with the right ``"Name.N"`` labels, so tests can also
break them on purpose to check validation.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "clip",
    "color",
    "effect",
    "generator",
    "keys",
    "media",
    "nested",
    "project",
    "sequence",
    "track",
    "transform",
    "transition",
]

Json = dict[str, Any]


def media(path: str) -> Json:
    """A media file source."""
    return {"schema": "MediaSource.1", "path": path}


def color(value: str | list[float]) -> Json:
    """A solid colour source (``"#rrggbb"`` or sRGB floats)."""
    return {"schema": "ColorSource.1", "color": value}


def nested(sequence_id: str) -> Json:
    """A nested sequence source."""
    return {"schema": "SequenceSource.1", "sequence": sequence_id}


def generator(kind: str, **params: Any) -> Json:
    """A plugin generator source (``"text.title"``) with parameters."""
    return {"schema": "GeneratorSource.1", "generator": kind, "params": params}


def keys(*points: tuple[float, Any] | tuple[float, Any, str]) -> Json:
    """An animated value from ``(frame, value[, interp])`` points."""
    out = []
    for point in points:
        key: Json = {"frame": point[0], "value": point[1]}
        if len(point) > 2:
            key["interp"] = point[2]
        out.append(key)
    return {"schema": "Animated.1", "keys": out}


def transform(**fields: Any) -> Json:
    """A transform block (position, scale, rotation, anchor, crop, fit)."""
    return {"schema": "Transform.1", **fields}


def effect(kind: str, **params: Any) -> Json:
    """An effect with parameters."""
    return {"schema": "Effect.1", "kind": kind, "params": params}


def clip(clip_id: str, start: int, duration: int, source: Json, **fields: Any) -> Json:
    """A clip; extra fields (source_in, speed, transform, opacity, …) pass through."""
    return {
        "schema": "Clip.1",
        "id": clip_id,
        "start": start,
        "duration": duration,
        "source": source,
        **fields,
    }


def transition(from_clip: str, to_clip: str, kind: str = "dissolve", **fields: Any) -> Json:
    """A transition over the overlap of two clips."""
    return {"schema": "Transition.1", "from": from_clip, "to": to_clip, "kind": kind, **fields}


def track(
    track_id: str,
    kind: str,
    clips: list[Json],
    transitions: list[Json] | None = None,
    **fields: Any,
) -> Json:
    """A video or audio track."""
    body: Json = {"schema": "Track.1", "id": track_id, "kind": kind, "clips": clips, **fields}
    if transitions:
        body["transitions"] = transitions
    return body


def sequence(sequence_id: str, tracks: list[Json]) -> Json:
    """A sequence of tracks."""
    return {"schema": "Sequence.1", "id": sequence_id, "tracks": tracks}


def project(
    tracks: list[Json],
    *,
    width: int = 64,
    height: int = 48,
    rate: Any = 30,
    sample_rate: int = 48000,
    extra_sequences: list[Json] | None = None,
    background: str = "#000000",
    **fields: Any,
) -> Json:
    """A whole project whose main sequence holds ``tracks``."""
    return {
        "schema": "Project.1",
        "name": fields.pop("name", "test"),
        "format": {
            "schema": "Format.1",
            "width": width,
            "height": height,
            "rate": rate,
            "sample_rate": sample_rate,
            "channels": 2,
            "background": background,
        },
        "main": "main",
        "sequences": [sequence("main", tracks), *(extra_sequences or [])],
        **fields,
    }
