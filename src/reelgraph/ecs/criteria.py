"""Run conditions: small, named predicates on the world that gate systems.

A run condition is any callable ``(world) -> bool``; the schedule runs a system in a tick
only if all its conditions return True. The helpers here build :class:`Condition` objects,
whose ``__name__`` and ``repr`` read like the expression that made them
(``all_of(resource_exists(Playhead), not_(any_events(SeekRequested)))``), so a schedule dump
or an error says which condition is meant.

Conditions must be pure: they read the world and change nothing, so evaluating them (or
not, when a combinator short-circuits) never changes what happens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

if TYPE_CHECKING:
    from reelgraph.ecs.world import World

__all__ = [
    "Condition",
    "RunCondition",
    "all_of",
    "any_events",
    "any_of",
    "condition",
    "not_",
    "resource_equals",
    "resource_exists",
    "resource_matches",
]

T = TypeVar("T")

RunCondition: TypeAlias = Callable[["World"], bool]
"""What ``Schedule.add_system(run_if=...)`` accepts: any predicate on the world."""


def _name_of(func: Callable[..., Any]) -> str:
    return getattr(func, "__name__", None) or repr(func)


class Condition:
    """A run condition with a readable name.

    Attributes:
        __name__: The name, also used as the ``repr``.
    """

    __slots__ = ("__name__", "_predicate")

    def __init__(self, predicate: Callable[[World], bool], name: str | None = None) -> None:
        """Wrap ``predicate`` under ``name``.

        Args:
            predicate: The test to run on the world.
            name: How the condition reads; defaults to the predicate's ``__name__``.
        """
        self.__name__ = name if name is not None else _name_of(predicate)
        self._predicate = predicate

    def __call__(self, world: World) -> bool:
        """Test ``world``."""
        return bool(self._predicate(world))

    def __repr__(self) -> str:
        return self.__name__


def condition(name: str) -> Callable[[Callable[[World], bool]], Condition]:
    """Decorate a predicate function to make it a :class:`Condition` called ``name``.

    Args:
        name: How the condition reads in dumps and errors.

    Returns:
        The decorator.
    """

    def wrap(predicate: Callable[[World], bool]) -> Condition:
        return Condition(predicate, name)

    return wrap


def resource_exists(resource_type: type[Any]) -> Condition:
    """True while the world holds a resource of ``resource_type``."""

    def test(world: World) -> bool:
        return world.has_resource(resource_type)

    return Condition(test, f"resource_exists({resource_type.__qualname__})")


def resource_equals(resource_type: type[T], value: T) -> Condition:
    """True while the resource of ``resource_type`` exists and equals ``value``."""

    def test(world: World) -> bool:
        resource = world.get_resource(resource_type)
        return resource is not None and bool(resource == value)

    return Condition(test, f"resource_equals({resource_type.__qualname__}, {value!r})")


def resource_matches(resource_type: type[T], predicate: Callable[[T], bool]) -> Condition:
    """True while the resource of ``resource_type`` exists and ``predicate`` holds for it."""

    def test(world: World) -> bool:
        resource = world.get_resource(resource_type)
        return resource is not None and bool(predicate(resource))

    return Condition(test, f"resource_matches({resource_type.__qualname__}, {_name_of(predicate)})")


def any_events(event_type: type[Any]) -> Condition:
    """True while an event of ``event_type`` is alive (sent this tick or the previous one).

    It moves no cursor: a system gated by it should still read with its own
    :class:`~reelgraph.ecs.events.EventReader`, which hands over each event once even if
    the system runs in both ticks of the event's life.
    """

    def test(world: World) -> bool:
        return len(world.events(event_type)) > 0

    return Condition(test, f"any_events({event_type.__qualname__})")


def not_(inner: Callable[[World], bool]) -> Condition:
    """True when ``inner`` is False."""

    def test(world: World) -> bool:
        return not inner(world)

    return Condition(test, f"not_({_name_of(inner)})")


def all_of(*conditions: Callable[[World], bool]) -> Condition:
    """True when every condition is True (short-circuits, left to right; True if none)."""

    def test(world: World) -> bool:
        return all(c(world) for c in conditions)

    return Condition(test, f"all_of({', '.join(_name_of(c) for c in conditions)})")


def any_of(*conditions: Callable[[World], bool]) -> Condition:
    """True when some condition is True (short-circuits, left to right; False if none)."""

    def test(world: World) -> bool:
        return any(c(world) for c in conditions)

    return Condition(test, f"any_of({', '.join(_name_of(c) for c in conditions)})")
