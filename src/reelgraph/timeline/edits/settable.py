"""The parameters an edit can set, by name: how to read, write, parse and write back each.

Clip fields are named as in the project file (``opacity``, ``gain_db``, ``blend``,
``fade_in``, ``fade_out``, ``speed``, ``source_in``, ``source``) with the transform's as
``transform.position``, ``transform.scale``, ``transform.rotation``, ``transform.crop``,
``transform.anchor`` and ``transform.fit``. Tracks have ``enabled`` and ``name``;
transitions ``kind``, ``direction`` and ``softness``. Any other name is an effect
parameter. Values are accepted in their JSON form or already parsed; ``None`` resets a
field to its default (for an effect parameter: removes it, so the effect's default holds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from reelgraph.errors import EditFormatError, ProjectValidationError
from reelgraph.project.parse import parse_param, parse_source, parse_speed
from reelgraph.project.save import param_to_data, source_to_data
from reelgraph.timeline.components import (
    Clip,
    ColorSource,
    EffectNode,
    GeneratorSource,
    ImageSequenceSource,
    MediaSource,
    SequenceSource,
    Track,
    Transform,
    Transition,
    TransitionKind,
)
from reelgraph.timeline.edits.fields import schema_validator
from reelgraph.timeline.keyframes import Animated, Param

__all__ = ["Settable", "settable"]

_BLENDS = ("normal", "add", "multiply", "screen", "overlay")
_FITS = ("none", "contain", "cover", "stretch")
_DIRECTIONS = ("left_to_right", "right_to_left", "top_to_bottom", "bottom_to_top")
_SOURCES = (MediaSource, ImageSequenceSource, ColorSource, SequenceSource, GeneratorSource)


@dataclass(frozen=True, slots=True)
class Settable:
    """One settable parameter.

    Attributes:
        name: Its name in edits.
        owner: The component type that has it.
        keyframable: Whether it is a numeric parameter that takes keyframes.
        default: The value ``None`` resets it to.
        parse: JSON (or already parsed) value and its path -> value; raises EditFormatError.
        encode: Value -> JSON.
        get: Component -> value.
        put: (component, value) -> component.
    """

    name: str
    owner: type
    keyframable: bool
    default: Any
    parse: Callable[[Any, str], Any]
    encode: Callable[[Any], Any]
    get: Callable[[Any], Any]
    put: Callable[[Any, Any], Any]


def _bad(path: str, message: str) -> EditFormatError:
    return EditFormatError(f"{path}: {message}", path=path)


def parse_param_value(value: Any, path: str) -> Param:
    """A numeric parameter from a number, a list of 1-4 numbers or an Animated.1 object."""
    if isinstance(value, Animated):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, (list, tuple)):
        if not 1 <= len(value) <= 4 or any(
            isinstance(v, bool) or not isinstance(v, (int, float)) for v in value
        ):
            raise _bad(path, f"expected 1 to 4 numbers, got {value!r}")
        return tuple(float(v) for v in value)
    if isinstance(value, dict):
        body = value if "schema" in value else {"schema": "Animated.1", **value}
        errors = list(schema_validator("Animated.1").iter_errors(body))
        if errors:
            raise _bad(path, errors[0].message)
        try:
            return parse_param(body)
        except ProjectValidationError as exc:
            raise _bad(path, exc.message.split(": ", 1)[-1]) from None
    raise _bad(path, f"expected a number, a list of numbers or keyframes, got {value!r}")


def _choice(options: tuple[str, ...]) -> Callable[[Any, str], str]:
    def parse(value: Any, path: str) -> str:
        if value not in options:
            raise _bad(path, f"expected one of {', '.join(options)}, got {value!r}")
        return str(value)

    return parse


def _frames(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(path, f"expected a whole number of frames, got {value!r}")
    return value


def _speed(value: Any, path: str) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _bad(path, f'expected a speed like 2 or "1/2", got {value!r}')
    try:
        return parse_speed(value)
    except ProjectValidationError as exc:
        raise _bad(path, exc.message.split(": ", 1)[-1]) from None


def _source(value: Any, path: str) -> Any:
    if isinstance(value, _SOURCES):
        return value
    errors = list(schema_validator("Source").iter_errors(value))
    if errors:
        raise _bad(path, errors[0].message)
    try:
        return parse_source(value)
    except ProjectValidationError as exc:
        raise _bad(path, exc.message.split(": ", 1)[-1]) from None


def _anchor(value: Any, path: str) -> tuple[float, float]:
    parsed = parse_param_value(value, path) if not isinstance(value, dict) else None
    if not isinstance(parsed, tuple) or len(parsed) != 2:
        raise _bad(path, f"expected two numbers, got {value!r}")
    return (parsed[0], parsed[1])


def _flag(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _bad(path, f"expected true or false, got {value!r}")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _bad(path, f"expected a string, got {value!r}")
    return value


def _softness(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise _bad(path, f"expected a number from 0 to 1, got {value!r}")
    return float(value)


def _kind(value: Any, path: str) -> TransitionKind:
    if isinstance(value, TransitionKind):
        return value
    return TransitionKind(_choice(("dissolve", "wipe"))(value, path))


def _same(value: Any) -> Any:
    return value


def _list(value: Any) -> Any:
    return list(value)


def _clip_field(
    name: str,
    parse: Callable[[Any, str], Any],
    encode: Callable[[Any], Any],
    *,
    keyframable: bool = False,
) -> Settable:
    default = getattr(_DEFAULT_CLIP, name)
    return Settable(
        name,
        Clip,
        keyframable,
        default,
        parse,
        encode,
        lambda c: getattr(c, name),
        lambda c, v: replace(c, **{name: v}),
    )


def _transform_field(
    name: str,
    parse: Callable[[Any, str], Any],
    encode: Callable[[Any], Any],
    *,
    keyframable: bool = False,
) -> Settable:
    return Settable(
        f"transform.{name}",
        Clip,
        keyframable,
        getattr(Transform(), name),
        parse,
        encode,
        lambda c: getattr(c.transform, name),
        lambda c, v: replace(c, transform=replace(c.transform, **{name: v})),
    )


def _plain_field(
    owner: type,
    name: str,
    parse: Callable[[Any, str], Any],
    encode: Callable[[Any], Any],
    default: Any,
) -> Settable:
    return Settable(
        name,
        owner,
        False,
        default,
        parse,
        encode,
        lambda c: getattr(c, name),
        lambda c, v: replace(c, **{name: v}),
    )


_DEFAULT_CLIP = Clip("", "", 0, 1, ColorSource((0.0, 0.0, 0.0, 0.0)))

_TABLE: dict[str, Settable] = {
    s.name: s
    for s in (
        _clip_field("opacity", parse_param_value, param_to_data, keyframable=True),
        _clip_field("gain_db", parse_param_value, param_to_data, keyframable=True),
        _clip_field("blend", _choice(_BLENDS), _same),
        _clip_field("fade_in", _frames, _same),
        _clip_field("fade_out", _frames, _same),
        _clip_field("speed", _speed, str),
        _clip_field("source_in", _frames, _same),
        _clip_field("source", _source, source_to_data),
        _transform_field("position", parse_param_value, param_to_data, keyframable=True),
        _transform_field("scale", parse_param_value, param_to_data, keyframable=True),
        _transform_field("rotation", parse_param_value, param_to_data, keyframable=True),
        _transform_field("crop", parse_param_value, param_to_data, keyframable=True),
        _transform_field("anchor", _anchor, _list),
        _transform_field("fit", _choice(_FITS), _same),
        _plain_field(Track, "enabled", _flag, _same, True),
        _plain_field(Track, "name", _text, _same, ""),
        _plain_field(Transition, "kind", _kind, lambda k: k.value, TransitionKind.DISSOLVE),
        _plain_field(Transition, "direction", _choice(_DIRECTIONS), _same, "left_to_right"),
        _plain_field(Transition, "softness", _softness, _same, 0.0),
    )
}


def _effect_value(value: Any, path: str) -> Param | str:
    """An effect parameter: a plugin's text as it is, else a numeric parameter."""
    return value if isinstance(value, str) else parse_param_value(value, path)


def _effect_param(name: str) -> Settable:
    def get(effect: EffectNode) -> Param | str | None:
        return dict(effect.params).get(name)

    def put(effect: EffectNode, value: Param | str | None) -> EffectNode:
        params = dict(effect.params)
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
        return replace(effect, params=tuple(sorted(params.items())))

    return Settable(name, EffectNode, True, None, _effect_value, param_to_data, get, put)


def settable(name: str) -> Settable:
    """The parameter called ``name`` (an effect parameter unless a field has that name)."""
    return _TABLE.get(name) or _effect_param(name)
