"""Feature verification: a plugin implements every feature it claims, or it is refused.

For each feature in the manifest, every member of the matching protocol
(:data:`~reelgraph.plugins.protocols.FEATURE_PROTOCOLS`) must exist on the plugin object,
be callable, and accept the protocol's parameters: the same number of positional
parameters with the same names (positional-only ones may be named freely), extra ones only
with defaults, and no required keyword-only ones. Annotations are not compared (they are
often strings). The spec methods are then called and their tables checked. What passes is
a :class:`PluginDescription`, JSON-ready so a sandbox worker can send it back.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from reelgraph.ecs.stage import Stage
from reelgraph.errors import PluginFeatureError, UnknownSystemSetError
from reelgraph.plugins.manifest import PluginManifest
from reelgraph.plugins.protocols import FEATURE_PROTOCOLS, OpSpec, PluginSystem

__all__ = ["PluginDescription", "protocol_members", "verify_plugin"]

_OP_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_SPEC_METHODS = {
    "effect": ("effect_specs", "effects"),
    "transition": ("transition_specs", "transitions"),
    "generator": ("generator_specs", "generators"),
}


@dataclass(frozen=True, slots=True)
class PluginDescription:
    """What verification found a plugin to provide.

    Attributes:
        features: the verified features, in manifest order.
        effects: effect name -> parameters (feature ``effect``).
        transitions: transition name -> parameters (feature ``transition``).
        generators: generator name -> parameters (feature ``generator``).
    """

    features: tuple[str, ...]
    effects: Mapping[str, OpSpec] = field(default_factory=lambda: MappingProxyType({}))
    transitions: Mapping[str, OpSpec] = field(default_factory=lambda: MappingProxyType({}))
    generators: Mapping[str, OpSpec] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "features": list(self.features),
            "effects": {k: v.to_dict() for k, v in sorted(self.effects.items())},
            "transitions": {k: v.to_dict() for k, v in sorted(self.transitions.items())},
            "generators": {k: v.to_dict() for k, v in sorted(self.generators.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PluginDescription:
        """The inverse of :meth:`to_dict`."""

        def table(key: str) -> Mapping[str, OpSpec]:
            return MappingProxyType({k: OpSpec.from_dict(v) for k, v in data[key].items()})

        return cls(
            tuple(data["features"]),
            table("effects"),
            table("transitions"),
            table("generators"),
        )


def protocol_members(protocol: type) -> list[str]:
    """The methods a protocol asks for, in declaration order."""
    return [
        name
        for name, value in vars(protocol).items()
        if inspect.isfunction(value) and not name.startswith("_")
    ]


def verify_plugin(plugin: object, manifest: PluginManifest) -> PluginDescription:
    """Check that ``plugin`` implements every feature ``manifest`` claims.

    Raises:
        PluginFeatureError: a claimed feature's method is missing, not callable, has the
            wrong parameters, or its spec table is malformed; the message says which.
    """
    tables: dict[str, Mapping[str, OpSpec]] = {}
    for feature in manifest.features:
        protocol = FEATURE_PROTOCOLS[feature]
        for member in protocol_members(protocol):
            _check_member(plugin, protocol, member, manifest, feature)
        if feature in _SPEC_METHODS:
            method, key = _SPEC_METHODS[feature]
            tables[key] = _check_specs(getattr(plugin, method)(), manifest, feature, method)
        if feature == "systems":
            _check_systems(plugin, manifest)
    return PluginDescription(
        manifest.features,
        tables.get("effects", MappingProxyType({})),
        tables.get("transitions", MappingProxyType({})),
        tables.get("generators", MappingProxyType({})),
    )


def _refuse(manifest: PluginManifest, feature: str, problem: str) -> PluginFeatureError:
    return PluginFeatureError(
        f"plugin {manifest.name!r} claims feature {feature!r} but {problem}",
        plugin=manifest.name,
        feature=feature,
        problem=problem,
    )


def _expected(protocol: type, member: str) -> list[inspect.Parameter]:
    return list(inspect.signature(getattr(protocol, member)).parameters.values())[1:]


def _check_member(
    plugin: object, protocol: type, member: str, manifest: PluginManifest, feature: str
) -> None:
    wanted = _expected(protocol, member)
    shape = f"{member}({', '.join(p.name for p in wanted)})"
    attribute = inspect.getattr_static(plugin, member, None)
    if attribute is None:
        raise _refuse(manifest, feature, f"does not implement it: {shape} is missing")
    bound = getattr(plugin, member)
    if not callable(bound):
        raise _refuse(manifest, feature, f"its {member} is not a method (expected {shape})")
    try:
        actual = list(inspect.signature(bound).parameters.values())
    except (TypeError, ValueError):
        raise _refuse(manifest, feature, f"the signature of {member} cannot be read") from None
    problem = _signature_problem(wanted, actual)
    if problem is not None:
        raise _refuse(
            manifest, feature, f"{member} has the wrong signature: {problem} (expected {shape})"
        )


def _signature_problem(
    wanted: list[inspect.Parameter], actual: list[inspect.Parameter]
) -> str | None:
    positional = [p for p in actual if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    varargs = any(p.kind is p.VAR_POSITIONAL for p in actual)
    if len(positional) < len(wanted) and not varargs:
        return f"takes {len(positional)} argument(s), not {len(wanted)}"
    for want, have in zip(wanted, positional, strict=False):
        if have.kind is have.POSITIONAL_OR_KEYWORD and have.name != want.name:
            return f"parameter {have.name!r} should be {want.name!r}"
    for extra in positional[len(wanted) :]:
        if extra.default is extra.empty:
            return f"extra parameter {extra.name!r} has no default"
    for keyword in actual:
        if keyword.kind is keyword.KEYWORD_ONLY and keyword.default is keyword.empty:
            return f"keyword-only parameter {keyword.name!r} has no default"
    return None


def _check_specs(
    table: object, manifest: PluginManifest, feature: str, method: str
) -> Mapping[str, OpSpec]:
    if not isinstance(table, Mapping) or not table:
        raise _refuse(manifest, feature, f"{method}() returned no table of names to OpSpec")
    for name, spec in table.items():
        if not isinstance(name, str) or not _OP_NAME.fullmatch(name):
            raise _refuse(manifest, feature, f"{method}() names {name!r} (use a_lowercase_name)")
        if not isinstance(spec, OpSpec):
            raise _refuse(manifest, feature, f"{method}()[{name!r}] is not an OpSpec")
        problem = _spec_problem(spec)
        if problem is not None:
            raise _refuse(manifest, feature, f"{method}()[{name!r}]: {problem}")
    return MappingProxyType({name: table[name] for name in sorted(table)})


def _spec_problem(spec: OpSpec) -> str | None:
    for key, value in spec.defaults.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str, tuple)):
            return f"default of {key!r} must be a number, a tuple of numbers or a string"
    strings = {k for k, v in spec.defaults.items() if isinstance(v, str)}
    numbers = {k for k, v in spec.defaults.items() if isinstance(v, (int, float))}
    if not set(spec.ranges) <= numbers:
        return f"ranges name non-numeric parameters {sorted(set(spec.ranges) - numbers)}"
    if not set(spec.choices) <= strings or not set(spec.paths) <= strings:
        return "choices and paths must name string parameters"
    for key, allowed in spec.choices.items():
        if spec.defaults[key] not in allowed:
            return f"default of {key!r} is not one of its choices"
    return None


def _check_systems(plugin: object, manifest: PluginManifest) -> None:
    systems = plugin.systems()  # type: ignore[attr-defined]
    for system in systems:
        if not isinstance(system, PluginSystem) or not callable(system.func):
            raise _refuse(manifest, "systems", f"systems() returned {system!r}, not a PluginSystem")
        try:
            stage = Stage.parse(system.stage).name
        except UnknownSystemSetError as exc:
            raise _refuse(manifest, "systems", exc.message) from None
        if stage not in manifest.sets:
            raise _refuse(
                manifest,
                "systems",
                f"system {system.name!r} joins {stage}, a set its manifest does not name "
                f"(sets = {list(manifest.sets)})",
            )
    for method in ("components", "events"):
        kinds = getattr(plugin, method)()
        if not all(isinstance(kind, type) for kind in kinds):
            raise _refuse(manifest, "systems", f"{method}() must return classes")
