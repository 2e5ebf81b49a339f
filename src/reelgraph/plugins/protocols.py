"""What a plugin implements: one Protocol per feature it may claim in ``plugin.toml``.

A plugin's entry point is a factory ``create(context: PluginContext) -> object``; the
object it returns implements the protocol of every feature it claims. At registration the
engine checks each claimed protocol member with :func:`inspect.signature`
(:mod:`reelgraph.plugins.verify`) and refuses a plugin that claims what it lacks.

Pictures cross the boundary as numpy arrays in the working format: ``(H, W, 4)``
C-contiguous ``float32``, premultiplied, scene-linear Rec.709 RGBA. Inputs are read-only;
an operation returns a new array of the stated shape. Parameters arrive evaluated at the
frame (keyframes already applied), defaults filled in, and file parameters (those named
in :attr:`OpSpec.paths`) as absolute paths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeAlias, runtime_checkable

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "FEATURE_PROTOCOLS",
    "EffectPlugin",
    "Frame",
    "GeneratorPlugin",
    "GuiPlugin",
    "OpSpec",
    "PluginContext",
    "PluginSystem",
    "PluginValue",
    "SystemsPlugin",
    "TransitionPlugin",
]

Frame: TypeAlias = NDArray[np.float32]
"""``(H, W, 4)`` float32 premultiplied scene-linear RGBA."""

PluginValue: TypeAlias = float | tuple[float, ...] | str
"""A parameter value: a number, a vector, or a string (file names, text, choices)."""


@dataclass(frozen=True, slots=True)
class OpSpec:
    """The parameters one effect, transition or generator accepts.

    Attributes:
        summary: one line saying what it does.
        defaults: every parameter with the value used when a project does not give it;
            its type (number, vector of that length, string) is the type accepted.
        ranges: inclusive ``(low, high)`` bounds of numeric parameters that have them.
        choices: the accepted values of string parameters that are choices.
        paths: string parameters that name files; relative names are resolved against
            the project's folder before the plugin sees them.
        keeps_alpha: an effect that never changes alpha (it grades colour only), so an
            opaque picture stays opaque; the engine then skips what such a picture hides.
    """

    summary: str
    defaults: Mapping[str, PluginValue]
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=lambda: MappingProxyType({}))
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    paths: tuple[str, ...] = ()
    keeps_alpha: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (vectors become lists)."""
        return {
            "summary": self.summary,
            "keeps_alpha": self.keeps_alpha,
            "defaults": {k: _plain(v) for k, v in self.defaults.items()},
            "ranges": {k: list(v) for k, v in self.ranges.items()},
            "choices": {k: list(v) for k, v in self.choices.items()},
            "paths": list(self.paths),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OpSpec:
        """The inverse of :meth:`to_dict`."""
        return cls(
            summary=str(data["summary"]),
            defaults=MappingProxyType({k: _value(v) for k, v in data["defaults"].items()}),
            ranges=MappingProxyType(
                {k: (float(v[0]), float(v[1])) for k, v in data["ranges"].items()}
            ),
            choices=MappingProxyType({k: tuple(v) for k, v in data["choices"].items()}),
            paths=tuple(data["paths"]),
        )


def _plain(value: PluginValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _value(value: Any) -> PluginValue:
    if isinstance(value, list):
        return tuple(float(v) for v in value)
    if isinstance(value, str):
        return value
    return float(value)


@dataclass(frozen=True, slots=True)
class PluginContext:
    """What the engine tells a plugin's factory.

    Attributes:
        name: the plugin's name from its manifest.
        scratch: a folder the plugin may always write to (its only one without ``disk``).
        capabilities: the capabilities it declared (and is held to).
        sandboxed: whether it runs in a sandboxed worker process.
    """

    name: str
    scratch: Path
    capabilities: tuple[str, ...]
    sandboxed: bool


@dataclass(frozen=True, slots=True)
class PluginSystem:
    """A system a plugin adds to the schedule.

    The engine adds it as ``"<plugin>:<name>"``; ``after``/``before`` name engine systems
    or, written ``":other"``, the plugin's own. ``stage`` must be one of the manifest's
    ``sets``.
    """

    name: str
    func: Callable[[Any], None]
    stage: str
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()


@runtime_checkable
class EffectPlugin(Protocol):
    """Feature ``effect``: one-input picture operations, used as effect kinds.

    In a project an effect is ``"kind": "<plugin>.<effect>"``; ``"kind": "<plugin>"``
    alone names the plugin's only effect (or the one named like the plugin).
    """

    def effect_specs(self) -> Mapping[str, OpSpec]:
        """Effect name (lowercase identifier) -> its parameters."""
        ...

    def apply_effect(self, name: str, image: Frame, params: Mapping[str, PluginValue]) -> Frame:
        """Apply effect ``name`` to ``image`` and return a new ``(H, W, 4)`` array."""
        ...


@runtime_checkable
class TransitionPlugin(Protocol):
    """Feature ``transition``: two-input operations over the overlap of two clips."""

    def transition_specs(self) -> Mapping[str, OpSpec]:
        """Transition name -> its parameters."""
        ...

    def apply_transition(
        self,
        name: str,
        a: Frame,
        b: Frame,
        progress: float,
        params: Mapping[str, PluginValue],
    ) -> Frame:
        """Go from ``a`` (``progress = 0``) to ``b`` (``progress = 1``); same shape out."""
        ...


@runtime_checkable
class GeneratorPlugin(Protocol):
    """Feature ``generator``: pictures made from parameters, used as clip sources.

    In a project a generator is a ``GeneratorSource.1`` with
    ``"generator": "<plugin>.<generator>"`` (or ``"<plugin>"`` for its only one).
    """

    def generator_specs(self) -> Mapping[str, OpSpec]:
        """Generator name -> its parameters."""
        ...

    def generate(
        self, name: str, width: int, height: int, params: Mapping[str, PluginValue]
    ) -> Frame:
        """A new ``(height, width, 4)`` picture; positions and sizes are in its pixels."""
        ...


@runtime_checkable
class GuiPlugin(Protocol):
    """Feature ``gui``: a panel for the optional user interface (never loaded headless)."""

    def create_panel(self, parent: object) -> object:
        """Build the plugin's panel inside the UI's ``parent`` widget and return it."""
        ...


@runtime_checkable
class SystemsPlugin(Protocol):
    """Feature ``systems``: systems, components and events added to the engine's World.

    Only in-process (not risky) plugins may claim it: their systems run inside the tick.
    """

    def systems(self) -> Sequence[PluginSystem]:
        """The systems to add, each into one of the manifest's ``sets``."""
        ...

    def components(self) -> Sequence[type]:
        """Component types the plugin's systems put on entities."""
        ...

    def events(self) -> Sequence[type]:
        """Event types the plugin sends or reads (their stores are created up front)."""
        ...


FEATURE_PROTOCOLS: Mapping[str, type] = MappingProxyType(
    {
        "effect": EffectPlugin,
        "transition": TransitionPlugin,
        "generator": GeneratorPlugin,
        "gui": GuiPlugin,
        "systems": SystemsPlugin,
    }
)
"""Feature name (as claimed in ``plugin.toml``) -> the protocol that implements it."""
