"""Components as plain JSON, tagged with their type, for patches written to a log.

A patch holds whole components (a clip before and after). They are written as
``{"$type": "Clip", "id": ..., ...}``, with tuples as lists, Fractions as
``{"$fraction": "1/2"}`` and enums as ``{"$enum": "TrackKind", "value": "video"}``, and
read back to equal components (floats are written with ``repr``, so exactly).
"""

from __future__ import annotations

import dataclasses
import enum
from fractions import Fraction
from typing import Any

from reelgraph.errors import EditFormatError
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
    Track,
    TrackKind,
    Transform,
    Transition,
    TransitionKind,
)
from reelgraph.timeline.keyframes import Animated, Interp, Keyframe

__all__ = ["component_from_data", "component_to_data"]

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Sequence,
        Track,
        Clip,
        Transition,
        EffectNode,
        GraphEdge,
        MediaSource,
        ImageSequenceSource,
        ColorSource,
        SequenceSource,
        GeneratorSource,
        Transform,
        Animated,
        Keyframe,
    )
}
_ENUMS: dict[str, type[enum.Enum]] = {
    cls.__name__: cls for cls in (TrackKind, TransitionKind, Interp)
}


def component_to_data(value: Any) -> Any:
    """A component (or any value inside one) as tagged JSON."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        body = {"$type": type(value).__name__}
        for item in dataclasses.fields(value):
            body[item.name] = component_to_data(getattr(value, item.name))
        return body
    if isinstance(value, enum.Enum):
        return {"$enum": type(value).__name__, "value": value.value}
    if isinstance(value, Fraction):
        return {"$fraction": str(value)}
    if isinstance(value, tuple):
        return [component_to_data(v) for v in value]
    return value


def component_from_data(data: Any, path: str = "$") -> Any:
    """The inverse of :func:`component_to_data`.

    Raises:
        EditFormatError: an unknown ``$type`` or ``$enum``, or fields that do not fit.
    """
    if isinstance(data, list):
        return tuple(component_from_data(v, f"{path}[{i}]") for i, v in enumerate(data))
    if not isinstance(data, dict):
        return data
    try:
        if "$fraction" in data:
            return Fraction(data["$fraction"])
        if "$enum" in data:
            return _ENUMS[data["$enum"]](data["value"])
        cls = _TYPES[data["$type"]]
        fields = {k: component_from_data(v, f"{path}.{k}") for k, v in data.items() if k != "$type"}
        return cls(**fields)
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise EditFormatError(f"{path}: not a component ({exc})", path=path) from None
