"""The engine's plugin host: runs plugin nodes of the render graph under an error policy.

A :class:`PluginHost` is a World resource. The graph evaluates plugin nodes on the CPU
through it, the picture passed as numpy whatever the backend. Parameters are checked
against the plugin's :class:`~reelgraph.plugins.protocols.OpSpec` (defaults filled in,
files resolved against the project's folder) before the plugin sees them.

When a plugin node fails (a coded :class:`~reelgraph.errors.PluginError`: it raised, hung,
crashed, was denied a capability, or returned garbage) the policy decides:

* ``fail``: the error propagates and the render stops with its code;
* ``bypass``: the node's input passes through (a generator gives transparency);
* ``placeholder``: a magenta-and-black checkerboard takes the node's place.

Every failure that the render went on past is recorded as a :class:`PluginIncident`.

An engine that finds its plugins itself (:func:`plugins_for_document`) takes its settings
from the environment, so processes started for a parallel export get the same:
``REELGRAPH_PLUGIN_PATH``, ``REELGRAPH_ON_ERROR`` (the policy), ``REELGRAPH_PLUGIN_TIMEOUT``
(seconds per sandboxed call), and ``REELGRAPH_PLUGIN_INCIDENTS``, a file every host appends
its incidents to as JSON lines (how ``reelgraph render`` reports them).
"""

from __future__ import annotations

import enum
import json
import logging
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from reelgraph.errors import (
    PluginError,
    PluginNodeError,
    PluginNotFoundError,
    ProjectValidationError,
)
from reelgraph.plugins.discovery import discover
from reelgraph.plugins.protocols import Frame, OpSpec, PluginValue
from reelgraph.plugins.registry import PluginRegistry, check_frame
from reelgraph.project.document import ProjectDocument
from reelgraph.render.effects import EFFECTS
from reelgraph.timeline.components import GeneratorSource
from reelgraph.timeline.keyframes import Animated

__all__ = [
    "ENV_INCIDENTS",
    "ENV_ON_ERROR",
    "ENV_TIMEOUT",
    "ErrorPolicy",
    "PluginHost",
    "PluginIncident",
    "placeholder_frame",
    "plugins_for_document",
    "resolve_params",
]

_log = logging.getLogger("reelgraph.plugins")

ENV_ON_ERROR = "REELGRAPH_ON_ERROR"
"""The error policy of engines that find their own plugins: bypass, placeholder or fail."""

ENV_TIMEOUT = "REELGRAPH_PLUGIN_TIMEOUT"
"""Seconds a sandboxed plugin call may take before its worker is killed."""

ENV_INCIDENTS = "REELGRAPH_PLUGIN_INCIDENTS"
"""A file that hosts append their incidents to, one JSON object per line."""
_CHECKER = 32  # pixels per checkerboard square


class ErrorPolicy(enum.Enum):
    """What a failing plugin node becomes (``--on-error``)."""

    BYPASS = "bypass"
    PLACEHOLDER = "placeholder"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class PluginIncident:
    """A plugin node that failed while the render went on.

    Attributes:
        frame: the timeline frame being rendered.
        kind: the node's kind as written in the project (``"lut"``, ``"text.title"``).
        plugin: the plugin's name.
        code: the error's code (``plugin.timeout``, ``plugin.crashed``...).
        message: the error's message.
        action: what the policy did: ``"bypass"`` or ``"placeholder"``.
    """

    frame: int
    kind: str
    plugin: str
    code: str
    message: str
    action: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {name: getattr(self, name) for name in self.__slots__}


def placeholder_frame(height: int, width: int) -> Frame:
    """An opaque magenta-and-black checkerboard (premultiplied linear), ``(H, W, 4)``."""
    rows = (np.arange(height) // _CHECKER)[:, None]
    cols = (np.arange(width) // _CHECKER)[None, :]
    magenta = ((rows + cols) % 2 == 0).astype(np.float32)
    out = np.empty((height, width, 4), dtype=np.float32)
    out[..., 0] = magenta
    out[..., 1] = 0.0
    out[..., 2] = magenta
    out[..., 3] = 1.0
    return out


def resolve_params(
    spec: OpSpec, given: Mapping[str, Any], base_dir: Path
) -> dict[str, PluginValue]:
    """Check parameters against a spec, fill in defaults and resolve file names.

    Raises:
        ValueError: an unknown name, a value of the wrong type or length, out of range
            or not one of the choices; the message names the parameter.
    """
    unknown = sorted(set(given) - set(spec.defaults))
    if unknown:
        raise ValueError(
            f"no parameter {unknown[0]!r}; it takes {', '.join(sorted(spec.defaults))}"
        )
    resolved: dict[str, PluginValue] = dict(spec.defaults)
    for name, value in given.items():
        resolved[name] = _checked(spec, name, value)
    for name in spec.paths:
        path = Path(str(resolved[name]))
        if str(resolved[name]) and not path.is_absolute():
            resolved[name] = str(base_dir / path)
    return resolved


def _checked(spec: OpSpec, name: str, value: Any) -> PluginValue:
    default = spec.defaults[name]
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a string, got {value!r}")
        allowed = spec.choices.get(name)
        if allowed is not None and value not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
        return value
    if isinstance(default, tuple):
        items = value if isinstance(value, (tuple, list)) else (value,) * len(default)
        if len(items) != len(default) or not all(_is_number(v) for v in items):
            raise ValueError(f"{name} must be {len(default)} numbers, got {value!r}")
        return tuple(float(v) for v in items)
    if not _is_number(value):
        raise ValueError(f"{name} must be a number, got {value!r}")
    number = float(value)
    low, high = spec.ranges.get(name, (-math.inf, math.inf))
    if not low <= number <= high:
        raise ValueError(f"{name} must be in [{low}, {high}], got {value!r}")
    return number


def _is_number(value: Any) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float))
        and math.isfinite(float(value))
    )


class PluginHost:
    """Runs plugin nodes through a registry, applying the error policy."""

    def __init__(
        self,
        registry: PluginRegistry,
        *,
        on_error: ErrorPolicy | str = ErrorPolicy.FAIL,
        base_dir: Path = Path("."),
    ) -> None:
        """Wrap ``registry``; file parameters resolve against ``base_dir``."""
        self.registry = registry
        self.on_error = ErrorPolicy(on_error)
        self.base_dir = base_dir
        self.incidents: list[PluginIncident] = []

    def revision(self, kind: str, params: Sequence[tuple[str, Any]]) -> str:
        """What a plugin node's picture depends on besides its parameters, for cache keys.

        The plugin's content hash, and the size and modification time of every file its
        parameters name (a re-exported ``grade.cube`` must not hit the old frames).
        """
        plugin = self.registry.get(kind.partition(".")[0])
        if plugin is None:
            return ""
        parts = [plugin.content_hash]
        spec = _spec_of(self.registry, kind)
        given = dict(params)
        for name in spec.paths if spec is not None else ():
            value = given.get(name, spec.defaults[name]) if spec is not None else ""
            if not isinstance(value, str) or not value:
                continue
            path = Path(value) if Path(value).is_absolute() else self.base_dir / value
            try:
                stat = path.stat()
                parts.append(f"{name}={value}:{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                parts.append(f"{name}={value}:missing")
        return "|".join(parts)

    def keeps_alpha(self, kind: str) -> bool:
        """Whether the plugin effect ``kind`` declares that it never changes alpha."""
        spec = _spec_of(self.registry, kind)
        return spec is not None and spec.keeps_alpha

    def run_effect(
        self, kind: str, image: Frame, params: Mapping[str, Any], *, frame: int = -1
    ) -> Frame:
        """Apply the plugin effect ``kind`` to ``image`` (``(H, W, 4)`` float32)."""
        height, width = image.shape[:2]

        def call(plugin: str, op: str, values: dict[str, PluginValue]) -> Frame:
            return self.registry.runner(plugin).apply_effect(op, image, values)

        return self._run("effect", kind, params, frame, height, width, call, image)

    def run_transition(
        self,
        kind: str,
        a: Frame,
        b: Frame,
        progress: float,
        params: Mapping[str, Any],
        *,
        frame: int = -1,
    ) -> Frame:
        """Run the plugin transition ``kind`` from ``a`` to ``b``."""
        height, width = a.shape[:2]

        def call(plugin: str, op: str, values: dict[str, PluginValue]) -> Frame:
            return self.registry.runner(plugin).apply_transition(op, a, b, progress, values)

        return self._run(
            "transition", kind, params, frame, height, width, call, b if progress >= 0.5 else a
        )

    def run_generator(
        self, kind: str, width: int, height: int, params: Mapping[str, Any], *, frame: int = -1
    ) -> Frame:
        """A ``(height, width, 4)`` picture from the plugin generator ``kind``."""

        def call(plugin: str, op: str, values: dict[str, PluginValue]) -> Frame:
            return self.registry.runner(plugin).generate(op, width, height, values)

        transparent = np.zeros((height, width, 4), dtype=np.float32)
        return self._run("generator", kind, params, frame, height, width, call, transparent)

    def _run(
        self,
        feature: str,
        kind: str,
        params: Mapping[str, Any],
        frame: int,
        height: int,
        width: int,
        call: Callable[[str, str, dict[str, PluginValue]], Frame],
        bypass: Frame,
    ) -> Frame:
        plugin, op, spec = self.registry.resolve(feature, kind)
        try:
            try:
                values = resolve_params(spec, params, self.base_dir)
            except ValueError as exc:
                raise PluginNodeError(f"{feature} {kind!r}: {exc}", kind=kind) from None
            out = call(plugin.name, op, values)
            return check_frame(out, height, width, f"plugin {feature} {kind!r}")
        except PluginError as exc:
            exc.with_context(frame=frame, kind=kind, plugin=plugin.name)
            if self.on_error is ErrorPolicy.FAIL:
                raise
            self._record(frame, kind, plugin.name, exc)
            if self.on_error is ErrorPolicy.BYPASS:
                return bypass
            return placeholder_frame(height, width)

    def _record(self, frame: int, kind: str, plugin: str, exc: PluginError) -> None:
        incident = PluginIncident(frame, kind, plugin, exc.code, exc.message, self.on_error.value)
        self.incidents.append(incident)
        log_file = os.environ.get(ENV_INCIDENTS)
        if log_file:
            with open(log_file, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(incident.to_dict(), sort_keys=True) + "\n")
        _log.warning(
            "frame %d: %s [%s] %s -> %s", frame, kind, exc.code, exc.message, incident.action
        )

    # -- checking a project ---------------------------------------------------------------

    def check_document(self, document: ProjectDocument) -> None:
        """Check every plugin effect and generator of a project before rendering.

        Raises:
            PluginNotFoundError: a kind no registered plugin provides.
            ProjectValidationError: a bad parameter; ``params['path']`` names the effect
                or clip and the parameter.
        """
        for feature, where, kind, params in plugin_uses(document):
            _plugin, _op, spec = self.registry.resolve(feature, kind)
            for name, param in params:
                values = [k.value for k in param.keys] if isinstance(param, Animated) else [param]
                for value in values:
                    try:
                        resolve_params(spec, {name: value}, self.base_dir)
                    except ValueError as exc:
                        raise ProjectValidationError(
                            f"{where}.params.{name}: {exc}", path=f"{where}.params.{name}"
                        ) from None

    def close(self) -> None:
        """Stop the plugins' workers and free their scratch folders."""
        self.registry.close()


def _spec_of(registry: PluginRegistry, kind: str) -> OpSpec | None:
    for feature in ("effect", "generator", "transition"):
        try:
            return registry.resolve(feature, kind)[2]
        except PluginNotFoundError:
            continue
    return None


def plugin_uses(
    document: ProjectDocument,
) -> list[tuple[str, str, str, Sequence[tuple[str, Any]]]]:
    """Every plugin operation a project uses: ``(feature, where, kind, params)``."""
    uses: list[tuple[str, str, str, Sequence[tuple[str, Any]]]] = []
    for clip in document.clips:
        if isinstance(clip.source, GeneratorSource):
            source = clip.source
            uses.append(("generator", f"clip {clip.id}.source", source.generator, source.params))
    for effect in document.effects:
        if effect.kind not in EFFECTS:
            uses.append(("effect", f"effect {effect.id}", effect.kind, effect.params))
    return uses


def plugins_for_document(
    document: ProjectDocument,
    *,
    plugin_path: Sequence[str | Path] = (),
    on_error: ErrorPolicy | str | None = None,
    entry_points: bool = True,
    **registry_options: Any,
) -> PluginHost | None:
    """A host with the plugins a project uses registered, or None if it uses none.

    Only the plugins the project names are loaded. Discovery looks at ``plugin_path``,
    ``REELGRAPH_PLUGIN_PATH`` and (unless ``entry_points`` is false) installed packages.
    ``on_error`` defaults to ``REELGRAPH_ON_ERROR``, then ``fail``.

    Raises:
        PluginNotFoundError: a plugin the project names is not found.
        PluginError: a plugin the project needs is refused at registration.
        ProjectValidationError: a plugin node's parameters are wrong.
    """
    uses = plugin_uses(document)
    if not uses:
        return None
    if on_error is None:
        on_error = os.environ.get(ENV_ON_ERROR) or ErrorPolicy.FAIL
    if "timeout_s" not in registry_options and os.environ.get(ENV_TIMEOUT):
        registry_options["timeout_s"] = float(os.environ[ENV_TIMEOUT])
    found = {c.name: c for c in discover(plugin_path, entry_points=entry_points)}
    registry = PluginRegistry(**registry_options)
    try:
        for feature, where, kind, _params in uses:
            name = kind.partition(".")[0]
            if registry.get(name) is not None:
                continue
            candidate = found.get(name)
            if candidate is None:
                builtin = f"; built-in effects: {', '.join(EFFECTS)}" if feature == "effect" else ""
                raise PluginNotFoundError(
                    f"{where}: no plugin provides the {feature} {kind!r} (no plugin named "
                    f"{name!r}; plugins found: {', '.join(found) or 'none'}{builtin})",
                    kind=kind,
                    where=where,
                )
            registry.register(candidate)
        host = PluginHost(registry, on_error=on_error, base_dir=document.base_dir)
        host.check_document(document)
    except BaseException:
        registry.close()
        raise
    return host
