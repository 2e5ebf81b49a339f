"""``plugin.toml``: what a plugin says about itself, read and checked before any of its code runs.

A plugin is a Python package whose folder holds a ``plugin.toml``::

    [plugin]
    name = "lut"                         # lowercase identifier; namespaces its effects
    version = "0.1.0"
    engine = ">=0.1, <1"                 # reelgraph versions it works with
    entry_point = "reelgraph_lut.plugin:create"   # factory(context) -> plugin object
    summary = "Apply .cube LUTs"
    capabilities = []                    # any of "gpu", "disk", "network"
    features = ["effect"]                # any of "effect", "transition", "generator",
                                         # "gui", "systems"
    risky = false                        # true: run in a sandboxed worker process
    sets = []                            # system sets (stages) its systems join

Every problem is a :class:`~reelgraph.errors.PluginManifestError` whose ``field`` names the
key (``plugin.features[1]``). Reading a manifest never imports the plugin.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgraph.ecs.stage import Stage
from reelgraph.errors import PluginManifestError, PluginVersionError, UnknownSystemSetError

__all__ = [
    "CAPABILITIES",
    "FEATURES",
    "MANIFEST_NAME",
    "PluginManifest",
    "check_engine_version",
    "parse_manifest",
    "read_manifest",
    "version_in_range",
]

MANIFEST_NAME = "plugin.toml"
"""The file name of a plugin's manifest, inside its package folder."""

CAPABILITIES: tuple[str, ...] = ("gpu", "disk", "network")
"""What a plugin may ask for; without ``disk`` it writes only to its scratch folder."""

FEATURES: tuple[str, ...] = ("effect", "transition", "generator", "gui", "systems")
"""What a plugin may claim; each maps to a protocol of :mod:`reelgraph.plugins.protocols`."""

_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_VERSION = re.compile(r"\d+(\.\d+)*")
_ENTRY_POINT = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_][\w.]*")
_CLAUSE = re.compile(r"\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+)*)\s*")
_KEYS = (
    "name",
    "version",
    "engine",
    "entry_point",
    "summary",
    "capabilities",
    "features",
    "risky",
    "sets",
)


@dataclass(frozen=True, slots=True)
class PluginManifest:
    """A checked ``plugin.toml``.

    Attributes:
        name: the plugin's name; its effects are ``name.effect`` in project files.
        version: its own version (dotted integers).
        engine: the reelgraph versions it supports, e.g. ``">=0.1, <1"``.
        entry_point: ``module:attribute`` of its factory, called with a
            :class:`~reelgraph.plugins.protocols.PluginContext`.
        summary: one line for listings.
        capabilities: sorted subset of :data:`CAPABILITIES`.
        features: the claimed subset of :data:`FEATURES`, in :data:`FEATURES` order.
        risky: run out of process in a sandboxed worker.
        sets: the stages its systems join (``Stage`` names), in stage order.
    """

    name: str
    version: str
    engine: str
    entry_point: str
    summary: str = ""
    capabilities: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    risky: bool = False
    sets: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, in ``plugin.toml`` key order."""
        return {key: _jsonable(getattr(self, key)) for key in _KEYS}


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def read_manifest(path: Path) -> PluginManifest:
    """Read and check a ``plugin.toml`` file.

    Raises:
        PluginManifestError: the file is missing, not TOML, or a field is wrong.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PluginManifestError(
            f"cannot read {path}: {exc}", path=str(path), field="plugin"
        ) from None
    return parse_manifest(text, source=str(path))


def parse_manifest(text: str, *, source: str = MANIFEST_NAME) -> PluginManifest:
    """Check the text of a ``plugin.toml``.

    Args:
        text: the TOML document.
        source: where it came from, for messages.

    Raises:
        PluginManifestError: not TOML, no ``[plugin]`` table, an unknown, missing or
            badly typed key; ``params['field']`` names it.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PluginManifestError(
            f"{source}: not valid TOML: {exc}", path=source, field="plugin"
        ) from None
    table = data.get("plugin")
    if not isinstance(table, dict):
        raise _bad(source, "plugin", "needs a [plugin] table")
    outside = sorted(set(data) - {"plugin"})
    if outside:
        raise _bad(source, outside[0], "unknown table or key (everything goes under [plugin])")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise _bad(source, f"plugin.{unknown[0]}", f"unknown key; the keys are {', '.join(_KEYS)}")
    name = _string(table, "name", source, pattern=_NAME, required=True)
    features = _choices(table, "features", FEATURES, source)
    sets = _sets(table, source)
    risky = table.get("risky", False)
    if not isinstance(risky, bool):
        raise _bad(source, "plugin.risky", f"must be true or false, got {risky!r}")
    if sets and "systems" not in features:
        raise _bad(source, "plugin.sets", "joins system sets but does not claim 'systems'")
    if "systems" in features and not sets:
        raise _bad(source, "plugin.sets", "claims 'systems' but names no set to join")
    if risky and "systems" in features:
        raise _bad(
            source, "plugin.features", "a risky plugin runs out of process and cannot add systems"
        )
    engine = _string(table, "engine", source, required=True)
    _parse_range(engine, source)
    return PluginManifest(
        name=name,
        version=_string(table, "version", source, pattern=_VERSION, required=True),
        engine=engine,
        entry_point=_string(table, "entry_point", source, pattern=_ENTRY_POINT, required=True),
        summary=_string(table, "summary", source),
        capabilities=tuple(sorted(_choices(table, "capabilities", CAPABILITIES, source))),
        features=tuple(f for f in FEATURES if f in features),
        risky=risky,
        sets=sets,
    )


def _bad(source: str, field: str, message: str) -> PluginManifestError:
    return PluginManifestError(f"{source}: {field}: {message}", path=source, field=field)


def _string(
    table: dict[str, Any],
    key: str,
    source: str,
    *,
    pattern: re.Pattern[str] | None = None,
    required: bool = False,
) -> str:
    if key not in table:
        if required:
            raise _bad(source, f"plugin.{key}", "missing")
        return ""
    value = table[key]
    if not isinstance(value, str):
        raise _bad(source, f"plugin.{key}", f"must be a string, got {value!r}")
    if pattern is not None and not pattern.fullmatch(value):
        raise _bad(source, f"plugin.{key}", f"malformed value {value!r}")
    return value


def _choices(
    table: dict[str, Any], key: str, allowed: tuple[str, ...], source: str
) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise _bad(source, f"plugin.{key}", f"must be a list of strings, got {value!r}")
    for index, item in enumerate(value):
        if item not in allowed:
            raise _bad(
                source,
                f"plugin.{key}[{index}]",
                f"unknown value {item!r}; choose from {', '.join(allowed)}",
            )
    if len(set(value)) != len(value):
        raise _bad(source, f"plugin.{key}", "lists a value twice")
    return tuple(value)


def _sets(table: dict[str, Any], source: str) -> tuple[str, ...]:
    value = table.get("sets", [])
    if not isinstance(value, list):
        raise _bad(source, "plugin.sets", f"must be a list of stage names, got {value!r}")
    stages: list[Stage] = []
    for index, item in enumerate(value):
        try:
            stages.append(Stage.parse(item))
        except UnknownSystemSetError as exc:
            raise _bad(source, f"plugin.sets[{index}]", exc.message) from None
    return tuple(stage.name for stage in sorted(set(stages)))


def _parse_range(spec: str, source: str) -> list[tuple[str, tuple[int, ...]]]:
    clauses = []
    for part in spec.split(","):
        match = _CLAUSE.fullmatch(part)
        if match is None:
            raise _bad(
                source,
                "plugin.engine",
                f"malformed version range {spec!r}; write e.g. '>=0.1, <1'",
            )
        clauses.append((match.group(1), _version_tuple(match.group(2))))
    return clauses


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = [int(p) for p in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def version_in_range(version: str, spec: str) -> bool:
    """Whether a dotted version satisfies every clause of a range like ``">=0.1, <1"``.

    Raises:
        PluginManifestError: the range is malformed.
    """
    match = re.match(r"\d+(\.\d+)*", version)
    have = _version_tuple(match.group(0) if match else "0")
    checks = {
        ">=": lambda a, b: a >= b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        "<": lambda a, b: a < b,
        "==": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
    }
    return all(checks[op](have, want) for op, want in _parse_range(spec, "engine range"))


def check_engine_version(manifest: PluginManifest, engine_version: str) -> None:
    """Refuse a plugin made for other reelgraph versions.

    Raises:
        PluginVersionError: ``engine_version`` is outside ``manifest.engine``.
    """
    if not version_in_range(engine_version, manifest.engine):
        raise PluginVersionError(
            f"plugin {manifest.name!r} needs reelgraph {manifest.engine}; this is {engine_version}",
            plugin=manifest.name,
            engine=manifest.engine,
            have=engine_version,
        )
