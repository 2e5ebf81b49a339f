"""Keyframed parameters: a value that changes over a clip's frames.

A parameter is either a constant (a float or a tuple of floats) or :class:`Animated`,
a sorted run of :class:`Keyframe`. A key's ``interp`` shapes the segment from that key
to the next: ``linear``, ``hold`` (keep the value until the next key), ``ease_in``,
``ease_out`` or ``ease_in_out`` (cubic). Key frames are relative to the clip's start;
before the first key the first value holds, after the last key the last value holds.
Evaluation is exact for a given (key, frame) input: it uses only float arithmetic on
the same operands in the same order, so every machine gets the same result.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

__all__ = ["Animated", "Interp", "Keyframe", "Param", "Value", "evaluate", "is_animated"]

Value: TypeAlias = float | tuple[float, ...]
_U = TypeVar("_U", float, Any)


class Interp(enum.Enum):
    """How a segment between two keys is shaped."""

    LINEAR = "linear"
    HOLD = "hold"
    EASE_IN = "ease_in"
    EASE_OUT = "ease_out"
    EASE_IN_OUT = "ease_in_out"


@dataclass(frozen=True, slots=True)
class Keyframe:
    """One key: a value at a frame, and the shape of the segment that follows it."""

    frame: float
    value: Value
    interp: Interp = Interp.LINEAR


@dataclass(frozen=True, slots=True)
class Animated:
    """A keyframed value; ``keys`` are sorted by frame with no two at the same frame."""

    keys: tuple[Keyframe, ...]


Param: TypeAlias = Value | Animated


def is_animated(param: Param) -> bool:
    """Whether the parameter changes over time."""
    return isinstance(param, Animated) and len(param.keys) > 1


def shape(interp: Interp, u: _U) -> _U:
    """The eased fraction of a segment at ``u`` in [0, 1]; works on floats and arrays."""
    if interp is Interp.LINEAR:
        return u
    if interp is Interp.HOLD:
        return u * 0.0
    if interp is Interp.EASE_IN:
        return u * u * u
    if interp is Interp.EASE_OUT:
        v = 1.0 - u
        return 1.0 - v * v * v
    return u * u * (3.0 - 2.0 * u)


def _lerp(a: Value, b: Value, w: float) -> Value:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return tuple(x + (y - x) * w for x, y in zip(a, b, strict=True))
    if isinstance(a, tuple) or isinstance(b, tuple):
        raise ValueError("a keyframed value mixes scalars and vectors")
    return a + (b - a) * w


def evaluate(param: Param, frame: float) -> Value:
    """The parameter's value at ``frame`` (relative to the clip start)."""
    if not isinstance(param, Animated):
        return param
    keys = param.keys
    if frame <= keys[0].frame:
        return keys[0].value
    if frame >= keys[-1].frame:
        return keys[-1].value
    index = _segment(keys, frame)
    left, right = keys[index], keys[index + 1]
    u = (frame - left.frame) / (right.frame - left.frame)
    return _lerp(left.value, right.value, shape(left.interp, u))


def _segment(keys: Sequence[Keyframe], frame: float) -> int:
    low, high = 0, len(keys) - 1
    while high - low > 1:
        mid = (low + high) // 2
        if keys[mid].frame <= frame:
            low = mid
        else:
            high = mid
    return low


def evaluate_scalar(param: Param, frame: float) -> float:
    """Like :func:`evaluate`, for parameters that must be a single number."""
    value = evaluate(param, frame)
    if isinstance(value, tuple):
        raise ValueError("expected a number, got a vector")
    return value


def evaluate_pair(param: Param, frame: float) -> tuple[float, float]:
    """Like :func:`evaluate` for 2-vectors; a scalar is used for both components."""
    value = evaluate(param, frame)
    if isinstance(value, tuple):
        return (value[0], value[1])
    return (value, value)


__all__ += ["evaluate_pair", "evaluate_scalar", "shape"]
