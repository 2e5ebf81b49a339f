"""Parameter edits: set a parameter, and add, move or remove one keyframe.

``target`` is the id of a clip, track, transition or effect node; ``param`` a name from
:mod:`.settable`. Keyframe frames are relative to the clip's start, as in the project
file. JSON forms::

    {"kind": "set_param", "target": "a", "param": "opacity", "value": 0.5}
    {"kind": "add_keyframe", "target": "a", "param": "opacity", "frame": 10, "value": 0.5,
     "interp": "ease_in"}
    {"kind": "move_keyframe", "target": "a", "param": "opacity", "frame": 10, "to": 20}
    {"kind": "remove_keyframe", "target": "a", "param": "opacity", "frame": 10}

Adding a key where one is replaces it; a constant parameter that gets a key becomes that
single key; removing the last key leaves its value as a constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from reelgraph.errors import EditFormatError, EditRefusedError, UnknownReferenceError
from reelgraph.timeline.changes import Component, Group
from reelgraph.timeline.edits.base import Edit
from reelgraph.timeline.edits.builder import PatchBuilder
from reelgraph.timeline.edits.fields import Fields
from reelgraph.timeline.edits.settable import Settable, parse_param_value, settable
from reelgraph.timeline.keyframes import Animated, Interp, Keyframe, Param, Value

__all__ = ["AddKeyframe", "MoveKeyframe", "RemoveKeyframe", "SetParam"]

_TARGETS: tuple[Group, ...] = ("clips", "tracks", "transitions", "effects")
_INTERPS = tuple(i.value for i in Interp)


def _target(builder: PatchBuilder, target: str, spec: Settable) -> Component:
    for group in _TARGETS:
        found = builder.get(group, target)
        if found is not None:
            if not isinstance(found, spec.owner):
                raise EditRefusedError(
                    f"{target!r} is a {type(found).__name__}, which has no parameter {spec.name!r}",
                    id=target,
                    param=spec.name,
                    reason="no_such_param",
                )
            return found
    raise UnknownReferenceError(f"no clip, track, transition or effect {target!r}", id=target)


def _keyed(builder: PatchBuilder, target: str, param: str) -> tuple[Component, Settable, Param]:
    spec = settable(param)
    if not spec.keyframable:
        raise EditRefusedError(
            f"parameter {param!r} takes no keyframes", param=param, reason="not_keyframable"
        )
    component = _target(builder, target, spec)
    current = spec.get(component)
    if isinstance(current, str):
        raise EditRefusedError(
            f"parameter {param!r} is text and takes no keyframes",
            param=param,
            reason="not_keyframable",
        )
    return component, spec, current


def _shape(value: Value) -> int:
    return len(value) if isinstance(value, tuple) else 0


def _value(value: Any, path: str) -> Value:
    parsed = parse_param_value(value, path)
    if isinstance(parsed, Animated):
        raise EditFormatError(f"{path}: a keyframe holds a number or a vector", path=path)
    return parsed


def _key_at(keys: tuple[Keyframe, ...], frame: float, param: str) -> Keyframe:
    for key in keys:
        if key.frame == frame:
            return key
    raise EditRefusedError(
        f"parameter {param!r} has no keyframe at frame {frame:g}",
        param=param,
        frame=frame,
        reason="no_keyframe",
    )


@dataclass(frozen=True, slots=True)
class SetParam(Edit):
    """Set one parameter of a clip, track, transition or effect (None: its default)."""

    target: str
    param: str
    value: Any = None
    kind: ClassVar[str] = "set_param"

    def __post_init__(self) -> None:
        if self.value is not None:
            object.__setattr__(self, "value", settable(self.param).parse(self.value, "value"))

    def build(self, builder: PatchBuilder) -> None:
        spec = settable(self.param)
        component = _target(builder, self.target, spec)
        value = spec.default if self.value is None else self.value
        builder.replace(spec.put(component, value))

    def fields_to_data(self) -> dict[str, Any]:
        value = None if self.value is None else settable(self.param).encode(self.value)
        return {"target": self.target, "param": self.param, "value": value}

    @classmethod
    def from_fields(cls, fields: Fields) -> SetParam:
        param = fields.text("param")
        value = fields.raw("value")
        parsed = None if value is None else settable(param).parse(value, fields.at("value"))
        return cls(fields.text("target"), param, parsed)


@dataclass(frozen=True, slots=True)
class AddKeyframe(Edit):
    """Add (or replace) the key at ``frame`` of a numeric parameter."""

    target: str
    param: str
    frame: float
    value: Value
    interp: Interp = Interp.LINEAR
    kind: ClassVar[str] = "add_keyframe"

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame", float(self.frame))
        object.__setattr__(self, "value", _value(self.value, "value"))
        object.__setattr__(self, "interp", Interp(self.interp))

    def build(self, builder: PatchBuilder) -> None:
        component, spec, current = _keyed(builder, self.target, self.param)
        keys = (
            [k for k in current.keys if k.frame != self.frame]
            if isinstance(current, Animated)
            else []
        )
        if keys and _shape(keys[0].value) != _shape(self.value):
            raise EditRefusedError(
                f"the keys of {self.param!r} hold {_shape(keys[0].value) or 'single'} values; "
                f"{self.value!r} does not fit",
                param=self.param,
                reason="bad_value",
            )
        keys.append(Keyframe(self.frame, self.value, self.interp))
        keys.sort(key=lambda k: k.frame)
        builder.replace(spec.put(component, Animated(tuple(keys))))

    def fields_to_data(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        data = {"target": self.target, "param": self.param, "frame": self.frame, "value": value}
        return data if self.interp is Interp.LINEAR else {**data, "interp": self.interp.value}

    @classmethod
    def from_fields(cls, fields: Fields) -> AddKeyframe:
        return cls(
            fields.text("target"),
            fields.text("param"),
            fields.number("frame"),
            _value(fields.raw("value"), fields.at("value")),
            Interp(fields.choice("interp", _INTERPS, "linear")),
        )


@dataclass(frozen=True, slots=True)
class MoveKeyframe(Edit):
    """Move the key at ``frame`` to frame ``to`` (refused when a key is already there)."""

    target: str
    param: str
    frame: float
    to: float
    kind: ClassVar[str] = "move_keyframe"

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame", float(self.frame))
        object.__setattr__(self, "to", float(self.to))

    def build(self, builder: PatchBuilder) -> None:
        component, spec, current = _keyed(builder, self.target, self.param)
        keys = current.keys if isinstance(current, Animated) else ()
        key = _key_at(keys, self.frame, self.param)
        if self.to != self.frame and any(k.frame == self.to for k in keys):
            raise EditRefusedError(
                f"parameter {self.param!r} already has a keyframe at frame {self.to:g}",
                param=self.param,
                frame=self.to,
                reason="keyframe_exists",
            )
        moved = [k for k in keys if k is not key] + [Keyframe(self.to, key.value, key.interp)]
        moved.sort(key=lambda k: k.frame)
        builder.replace(spec.put(component, Animated(tuple(moved))))

    def fields_to_data(self) -> dict[str, Any]:
        return {"target": self.target, "param": self.param, "frame": self.frame, "to": self.to}

    @classmethod
    def from_fields(cls, fields: Fields) -> MoveKeyframe:
        return cls(
            fields.text("target"), fields.text("param"), fields.number("frame"), fields.number("to")
        )


@dataclass(frozen=True, slots=True)
class RemoveKeyframe(Edit):
    """Remove the key at ``frame``; the last key's value stays on as a constant."""

    target: str
    param: str
    frame: float
    kind: ClassVar[str] = "remove_keyframe"

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame", float(self.frame))

    def build(self, builder: PatchBuilder) -> None:
        component, spec, current = _keyed(builder, self.target, self.param)
        keys = current.keys if isinstance(current, Animated) else ()
        key = _key_at(keys, self.frame, self.param)
        rest = tuple(k for k in keys if k is not key)
        builder.replace(spec.put(component, Animated(rest) if rest else key.value))

    def fields_to_data(self) -> dict[str, Any]:
        return {"target": self.target, "param": self.param, "frame": self.frame}

    @classmethod
    def from_fields(cls, fields: Fields) -> RemoveKeyframe:
        return cls(fields.text("target"), fields.text("param"), fields.number("frame"))
