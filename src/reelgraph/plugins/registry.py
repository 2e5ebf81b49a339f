"""The plugin registry: verified plugins, what they provide, and how to call them.

Registering a plugin checks, in order: the engine version range, that its name is free
(not another plugin's, not a built-in effect's), then loads it and verifies every feature
it claims (:func:`~reelgraph.plugins.verify.verify_plugin`). A plugin that fails any step
is refused with a coded :class:`~reelgraph.errors.PluginError` and nothing of it stays
registered.

* Trusted (``risky = false``) plugins load in this process; their calls run under the
  Python-level guard (:mod:`~reelgraph.plugins.guard`).
* Risky plugins load, verify and run in a sandboxed worker
  (:class:`~reelgraph.plugins.sandbox.client.SandboxedPlugin`); their code never runs
  in the engine's process.

Effects are named ``plugin.effect`` (``plugin`` alone when unambiguous), and the same for
generators and transitions. :meth:`PluginRegistry.install` adds the plugins' systems to a
schedule and their event stores to a world.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from reelgraph import __version__
from reelgraph.ecs import Schedule, World
from reelgraph.errors import (
    PluginConflictError,
    PluginError,
    PluginNodeError,
    PluginNotFoundError,
)
from reelgraph.plugins.discovery import PluginCandidate, content_hash
from reelgraph.plugins.guard import GuardRules, guarded
from reelgraph.plugins.loading import instantiate, load_factory
from reelgraph.plugins.manifest import check_engine_version
from reelgraph.plugins.protocols import Frame, OpSpec, PluginContext, PluginValue
from reelgraph.plugins.sandbox.client import SandboxedPlugin
from reelgraph.plugins.verify import PluginDescription, verify_plugin
from reelgraph.render.effects import EFFECTS
from reelgraph.render.kernels.checks import count_non_finite

__all__ = ["InProcessRunner", "PluginRegistry", "PluginRunner", "RegisteredPlugin"]

_TABLES = {"effect": "effects", "generator": "generators", "transition": "transitions"}


class PluginRunner(Protocol):
    """How the engine calls a registered plugin, in process or in its worker."""

    def apply_effect(self, name: str, image: Frame, params: Mapping[str, PluginValue]) -> Frame:
        """See :class:`~reelgraph.plugins.protocols.EffectPlugin`."""
        ...

    def apply_transition(
        self, name: str, a: Frame, b: Frame, progress: float, params: Mapping[str, PluginValue]
    ) -> Frame:
        """See :class:`~reelgraph.plugins.protocols.TransitionPlugin`."""
        ...

    def generate(
        self, name: str, width: int, height: int, params: Mapping[str, PluginValue]
    ) -> Frame:
        """See :class:`~reelgraph.plugins.protocols.GeneratorPlugin`."""
        ...

    def close(self) -> None:
        """Free what the runner holds."""
        ...


@dataclass(frozen=True, slots=True)
class RegisteredPlugin:
    """A plugin that passed registration.

    Attributes:
        candidate: where it was found and its manifest.
        content_hash: ``sha256:...`` of its package's files.
        description: the features verified and the operations they provide.
        enforcement: how each capability is held: ``"python"`` (the guard only),
            ``"netns"``, ``"landlock-abiN"``... or ``"allowed"``.
    """

    candidate: PluginCandidate
    content_hash: str
    description: PluginDescription
    enforcement: Mapping[str, str]

    @property
    def name(self) -> str:
        """The plugin's name."""
        return self.candidate.name

    @property
    def trusted(self) -> bool:
        """In process (not risky): trusted, held only by the Python-level guard."""
        return not self.candidate.manifest.risky

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (for the lock file and ``plugins list --json``)."""
        return {
            "name": self.name,
            "version": self.candidate.manifest.version,
            "origin": self.candidate.origin,
            "folder": str(self.candidate.folder),
            "content_hash": self.content_hash,
            "manifest": self.candidate.manifest.to_dict(),
            "mode": "in_process" if self.trusted else "sandboxed",
            "trusted": self.trusted,
            "enforcement": dict(sorted(self.enforcement.items())),
            "verified": self.description.to_dict(),
        }


class InProcessRunner:
    """Calls a trusted plugin object directly, under the Python-level guard."""

    def __init__(self, plugin: Any, rules: GuardRules) -> None:
        """Wrap ``plugin`` (the factory's object) with its guard ``rules``."""
        self.plugin = plugin
        self.rules = rules
        self._lock = threading.Lock()  # plugin objects need not be thread-safe

    def _run(self, what: str, call: Any, *args: Any) -> Frame:
        try:
            with self._lock, guarded(self.rules):
                return call(*args)  # type: ignore[no-any-return]
        except PluginError:
            raise
        except Exception as exc:
            raise PluginNodeError(
                f"plugin {self.rules.plugin!r} {what} raised {type(exc).__name__}: {exc}",
                plugin=self.rules.plugin,
                exception=type(exc).__name__,
            ) from exc

    def apply_effect(self, name: str, image: Frame, params: Mapping[str, PluginValue]) -> Frame:
        """Run effect ``name``."""
        return self._run(f"effect {name!r}", self.plugin.apply_effect, name, image, params)

    def apply_transition(
        self, name: str, a: Frame, b: Frame, progress: float, params: Mapping[str, PluginValue]
    ) -> Frame:
        """Run transition ``name``."""
        call = self.plugin.apply_transition
        return self._run(f"transition {name!r}", call, name, a, b, progress, params)

    def generate(
        self, name: str, width: int, height: int, params: Mapping[str, PluginValue]
    ) -> Frame:
        """Run generator ``name``."""
        call = self.plugin.generate
        return self._run(f"generator {name!r}", call, name, width, height, params)

    def close(self) -> None:
        """Nothing to free."""


class PluginRegistry:
    """The plugins registered for one engine (or one ``plugins check``)."""

    def __init__(
        self,
        *,
        engine_version: str = __version__,
        scratch_root: Path | None = None,
        timeout_s: float = 30.0,
        max_restarts: int = 3,
        sandbox_options: Mapping[str, Any] | None = None,
    ) -> None:
        """Make an empty registry.

        Args:
            engine_version: the version plugins' ``engine`` ranges are checked against.
            scratch_root: where each plugin's scratch folder goes (default: a new
                temporary folder, removed by :meth:`close`).
            timeout_s: the watchdog's limit on one call of a sandboxed plugin.
            max_restarts: restarts of a failing worker before it is given up on.
            sandbox_options: extra keyword arguments for
                :class:`~reelgraph.plugins.sandbox.client.SandboxedPlugin` (tests).
        """
        self.engine_version = engine_version
        self.timeout_s = timeout_s
        self.max_restarts = max_restarts
        self._sandbox_options = dict(sandbox_options or {})
        self._scratch_root = scratch_root
        self._owns_scratch = scratch_root is None
        self._plugins: dict[str, RegisteredPlugin] = {}
        self._runners: dict[str, PluginRunner] = {}
        self._objects: dict[str, Any] = {}

    # -- registering ----------------------------------------------------------------------

    def scratch_for(self, name: str) -> Path:
        """The plugin's scratch folder (created)."""
        if self._scratch_root is None:
            self._scratch_root = Path(tempfile.mkdtemp(prefix="reelgraph-plugins-"))
        folder = self._scratch_root / name
        folder.mkdir(parents=True, exist_ok=True)
        return Path(os.path.realpath(folder))

    def register(self, candidate: PluginCandidate) -> RegisteredPlugin:
        """Verify and add one plugin.

        Raises:
            PluginVersionError: its engine range excludes this engine.
            PluginConflictError: its name is taken.
            PluginLoadError: its code does not load.
            PluginFeatureError: it claims a feature it does not implement.
        """
        manifest = candidate.manifest
        check_engine_version(manifest, self.engine_version)
        if manifest.name in self._plugins:
            raise PluginConflictError(
                f"a plugin named {manifest.name!r} is already registered",
                plugin=manifest.name,
            )
        if manifest.name in EFFECTS:
            raise PluginConflictError(
                f"plugin name {manifest.name!r} is a built-in effect's name", plugin=manifest.name
            )
        digest = content_hash(candidate.folder)
        scratch = self.scratch_for(manifest.name)
        if manifest.risky:
            runner = SandboxedPlugin(
                candidate,
                scratch,
                timeout_s=self.timeout_s,
                max_restarts=self.max_restarts,
                **self._sandbox_options,
            )
            description = runner.start()
            guard = "+python" if runner.python_guard else ""
            enforcement = {
                k: v if v == "allowed" else f"{v}{guard}" for k, v in runner.enforcement.items()
            }
            registered = RegisteredPlugin(candidate, digest, description, enforcement)
            self._runners[manifest.name] = runner
        else:
            rules = GuardRules(manifest.name, frozenset(manifest.capabilities), str(scratch))
            context = PluginContext(manifest.name, scratch, manifest.capabilities, sandboxed=False)
            with guarded(rules):
                factory = load_factory(manifest.entry_point, candidate.folder, manifest.name)
                plugin = instantiate(factory, context)
                description = verify_plugin(plugin, manifest)
            enforcement = {
                "network": "allowed" if "network" in manifest.capabilities else "python",
                "filesystem": "allowed" if "disk" in manifest.capabilities else "python",
            }
            registered = RegisteredPlugin(candidate, digest, description, enforcement)
            self._runners[manifest.name] = InProcessRunner(plugin, rules)
            self._objects[manifest.name] = plugin
        self._plugins[manifest.name] = registered
        return registered

    # -- looking up -----------------------------------------------------------------------

    @property
    def plugins(self) -> list[RegisteredPlugin]:
        """The registered plugins, by name."""
        return [self._plugins[name] for name in sorted(self._plugins)]

    def get(self, name: str) -> RegisteredPlugin | None:
        """The registered plugin of that name, if any."""
        return self._plugins.get(name)

    def resolve(self, feature: str, kind: str) -> tuple[RegisteredPlugin, str, OpSpec]:
        """The plugin, operation name and spec that ``kind`` names for a feature.

        ``kind`` is ``plugin.op``, or ``plugin`` alone when the plugin has exactly one
        operation of that feature or one named like itself.

        Raises:
            PluginNotFoundError: no registered plugin provides it; the message lists what
                is available.
        """
        plugin_name, _, op = kind.partition(".")
        plugin = self._plugins.get(plugin_name)
        table: Mapping[str, OpSpec] = (
            getattr(plugin.description, _TABLES[feature]) if plugin is not None else {}
        )
        if not op and table:
            op = plugin_name if plugin_name in table or len(table) != 1 else next(iter(table))
        if plugin is None or op not in table:
            raise PluginNotFoundError(
                f"no plugin provides the {feature} {kind!r}; available: "
                f"{', '.join(self.available(feature)) or 'none'}",
                kind=kind,
                feature=feature,
            )
        return plugin, op, table[op]

    def available(self, feature: str) -> list[str]:
        """Every ``plugin.op`` of a feature."""
        return [
            f"{plugin.name}.{op}"
            for plugin in self.plugins
            for op in getattr(plugin.description, _TABLES[feature])
        ]

    def runner(self, name: str) -> PluginRunner:
        """How to call the plugin ``name``."""
        return self._runners[name]

    # -- the world ------------------------------------------------------------------------

    def install(self, world: World, schedule: Schedule) -> list[str]:
        """Add every registered plugin's systems and event stores; returns the system names.

        Systems are named ``"<plugin>:<name>"``; an ``after``/``before`` written
        ``":other"`` names another system of the same plugin. The caller builds the
        schedule (which validates the constraints).
        """
        added: list[str] = []
        for plugin in self.plugins:
            if "systems" not in plugin.description.features:
                continue
            obj = self._objects[plugin.name]
            for event_type in obj.events():
                world.events(event_type)
            for system in obj.systems():

                def own(names: tuple[str, ...], prefix: str = plugin.name) -> tuple[str, ...]:
                    return tuple(f"{prefix}{n}" if n.startswith(":") else n for n in names)

                added.append(
                    schedule.add_system(
                        system.func,
                        system.stage,
                        name=f"{plugin.name}:{system.name}",
                        after=own(system.after),
                        before=own(system.before),
                    )
                )
        return added

    def components(self) -> dict[str, list[type]]:
        """Plugin name -> the component types its systems use."""
        return {
            plugin.name: list(self._objects[plugin.name].components())
            for plugin in self.plugins
            if "systems" in plugin.description.features
        }

    def close(self) -> None:
        """Stop the workers and remove the scratch folders this registry made."""
        for runner in self._runners.values():
            runner.close()
        if self._owns_scratch and self._scratch_root is not None:
            shutil.rmtree(self._scratch_root, ignore_errors=True)
            self._scratch_root = None


def check_frame(image: object, height: int, width: int, what: str) -> Frame:
    """A plugin's output checked: ``(height, width, 4)`` float32, all finite.

    Raises:
        PluginNodeError: anything else.
    """
    expected = (height, width, 4)
    if not isinstance(image, np.ndarray) or image.shape != expected:
        got = getattr(image, "shape", type(image).__name__)
        raise PluginNodeError(f"{what} returned {got}, expected an array of shape {expected}")
    if image.dtype != np.float32:
        raise PluginNodeError(f"{what} returned {image.dtype} pixels, expected float32")
    if image.size and count_non_finite(image.reshape(-1)):
        raise PluginNodeError(f"{what} returned NaN or infinite pixels")
    return image
