"""The world: entities with components, singleton resources and typed event stores.

A :class:`World` is an ordinary instance; nothing lives in module globals, so two worlds
share nothing. Everything the world hands out is in a deterministic order:

* entities are ints handed out in increasing order, starting at 1 (no live entity is
  falsy), and never reused;
* :meth:`World.query` always yields entities in ascending id order;
* :meth:`World.components` lists an entity's components in the order they were added.

:meth:`World.despawn` is deferred: the entity stays alive, with all its components, until
:meth:`World.flush`. The schedule flushes at the start of every tick and after every system
that ran, so within a system iteration is never invalidated by a despawn, and the next
system sees the entity gone. Adding and removing components take effect at once; a query
already under way copes with them (see :meth:`World.query`).

Components are any class instances (typically frozen, slotted dataclasses), keyed by their
exact type: an entity holds at most one component of each type. Resources are keyed the
same way. Events are kept in one :class:`~reelgraph.ecs.events.Events` store per type.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar, cast, overload

from reelgraph.ecs.events import Events
from reelgraph.errors import MissingComponentError, MissingResourceError, UnknownEntityError

__all__ = ["World"]

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
D = TypeVar("D")


def _check_instance(value: object, what: str) -> None:
    # Passing the class instead of an instance is the commonest slip; it would silently
    # key the value under ``type`` and never be found again. None is refused because the
    # lookups use it to mean "absent".
    if isinstance(value, type):
        raise TypeError(f"{what} must be an instance, not the class {value.__qualname__}")
    if value is None:
        raise TypeError(f"{what} cannot be None")


class World:
    """Entities with components, resources and event stores, for one engine instance."""

    __slots__ = (
        "_entities",
        "_events",
        "_next_entity",
        "_pending_despawn",
        "_resources",
        "_storages",
    )

    def __init__(self) -> None:
        """Make an empty world whose first entity will be 1."""
        self._next_entity = 1
        self._entities: dict[int, dict[type[Any], object]] = {}
        self._storages: dict[type[Any], dict[int, object]] = {}
        # A dict used as an ordered set: despawns apply in the order they were asked for.
        self._pending_despawn: dict[int, None] = {}
        self._resources: dict[type[Any], object] = {}
        self._events: dict[type[Any], Events[Any]] = {}

    # -- entities -------------------------------------------------------------------------

    def spawn(self, *components: object) -> int:
        """Create an entity with the given components.

        Args:
            *components: Component instances, added in order (a later one of the same type
                replaces an earlier one, as :meth:`add` does).

        Returns:
            The new entity id, greater than every id handed out before.

        Raises:
            TypeError: A component is a class rather than an instance, or None.
        """
        for component in components:
            _check_instance(component, "a component")
        entity = self._next_entity
        self._next_entity += 1
        self._entities[entity] = {}
        for component in components:
            self.add(entity, component)
        return entity

    def despawn(self, entity: int) -> None:
        """Ask for ``entity`` to be removed at the next :meth:`flush`.

        Until then the entity stays alive and keeps its components. Asking twice is the same
        as asking once.

        Args:
            entity: A live entity.

        Raises:
            UnknownEntityError: ``entity`` is not alive.
        """
        self._require_alive(entity)
        self._pending_despawn[entity] = None

    def flush(self) -> None:
        """Apply the deferred despawns, in the order they were asked for."""
        pending = self._pending_despawn
        self._pending_despawn = {}
        for entity in pending:
            for component_type in self._entities.pop(entity, {}):
                del self._storages[component_type][entity]

    def is_alive(self, entity: int) -> bool:
        """Whether ``entity`` was spawned and not yet flushed away."""
        return entity in self._entities

    def is_despawning(self, entity: int) -> bool:
        """Whether ``entity`` is alive but will be removed at the next :meth:`flush`."""
        return entity in self._pending_despawn

    def entities(self) -> list[int]:
        """The live entities, in ascending order."""
        return sorted(self._entities)

    # -- components -----------------------------------------------------------------------

    def add(self, entity: int, component: object) -> None:
        """Give ``entity`` a component, replacing any component of the same type.

        Args:
            entity: A live entity.
            component: A component instance, keyed by its exact type.

        Raises:
            UnknownEntityError: ``entity`` is not alive.
            TypeError: ``component`` is a class rather than an instance, or None.
        """
        _check_instance(component, "a component")
        owned = self._require_alive(entity)
        component_type = type(component)
        owned[component_type] = component
        self._storages.setdefault(component_type, {})[entity] = component

    def remove(self, entity: int, component_type: type[T]) -> T:
        """Take the component of ``component_type`` off ``entity``.

        Args:
            entity: A live entity.
            component_type: The type of the component to remove.

        Returns:
            The component removed.

        Raises:
            UnknownEntityError: ``entity`` is not alive.
            MissingComponentError: ``entity`` has no such component.
        """
        component = self.get(entity, component_type)
        del self._entities[entity][component_type]
        del self._storages[component_type][entity]
        return component

    def get(self, entity: int, component_type: type[T]) -> T:
        """The component of ``component_type`` on ``entity``.

        Args:
            entity: A live entity.
            component_type: The type of the component wanted.

        Returns:
            The component.

        Raises:
            UnknownEntityError: ``entity`` is not alive (a ``KeyError``).
            MissingComponentError: ``entity`` has no such component (a ``KeyError``).
        """
        owned = self._require_alive(entity, component_type)
        try:
            component = owned[component_type]
        except KeyError:
            raise MissingComponentError(
                f"entity {entity} has no {component_type.__qualname__} component",
                entity=entity,
                component=component_type.__qualname__,
            ) from None
        return cast(T, component)

    def try_get(self, entity: int, component_type: type[T]) -> T | None:
        """The component of ``component_type`` on ``entity``, or None (also if not alive)."""
        owned = self._entities.get(entity)
        if owned is None:
            return None
        return cast("T | None", owned.get(component_type))

    def has(self, entity: int, component_type: type[Any]) -> bool:
        """Whether ``entity`` is alive and has a component of ``component_type``."""
        owned = self._entities.get(entity)
        return owned is not None and component_type in owned

    def components(self, entity: int) -> tuple[object, ...]:
        """All components of ``entity``, in the order their types were first added.

        Raises:
            UnknownEntityError: ``entity`` is not alive.
        """
        return tuple(self._require_alive(entity).values())

    # -- queries --------------------------------------------------------------------------

    @overload
    def query(self, t1: type[A], /) -> Iterator[tuple[int, A]]: ...

    @overload
    def query(self, t1: type[A], t2: type[B], /) -> Iterator[tuple[int, A, B]]: ...

    @overload
    def query(self, t1: type[A], t2: type[B], t3: type[C], /) -> Iterator[tuple[int, A, B, C]]: ...

    @overload
    def query(
        self, t1: type[A], t2: type[B], t3: type[C], t4: type[D], /
    ) -> Iterator[tuple[int, A, B, C, D]]: ...

    @overload
    def query(self, *component_types: type[Any]) -> Iterator[tuple[Any, ...]]: ...

    def query(self, *component_types: type[Any]) -> Iterator[tuple[Any, ...]]:
        """Iterate over the entities that have every one of ``component_types``.

        Entities come in ascending id order. The set of entities to visit is fixed when
        ``query`` is called; each entity's components are read when it is reached, and an
        entity that no longer has them all by then (removed or flushed away) is skipped.
        Entities spawned, or given the components, during the iteration are not visited.

        Args:
            *component_types: One or more component types.

        Returns:
            An iterator of ``(entity, component1, component2, ...)`` tuples, components in
            the order of ``component_types``.

        Raises:
            TypeError: No component type was given.
        """
        if not component_types:
            raise TypeError("query() needs at least one component type")
        storages = [self._storages.get(t, {}) for t in component_types]
        smallest = min(storages, key=len)
        matching = sorted(e for e in smallest if all(e in s for s in storages))
        return self._visit(matching, component_types)

    def _visit(
        self, entities: list[int], component_types: tuple[type[Any], ...]
    ) -> Iterator[tuple[Any, ...]]:
        for entity in entities:
            owned = self._entities.get(entity)
            if owned is None:
                continue
            row = [owned.get(t) for t in component_types]
            # None is never stored (it is not a component), so it means "removed".
            if any(c is None for c in row):
                continue
            yield (entity, *row)

    # -- resources ------------------------------------------------------------------------

    def insert_resource(self, resource: object) -> None:
        """Store ``resource`` under its exact type, replacing any resource of that type.

        Raises:
            TypeError: ``resource`` is a class rather than an instance, or None.
        """
        _check_instance(resource, "a resource")
        self._resources[type(resource)] = resource

    def resource(self, resource_type: type[T]) -> T:
        """The resource of ``resource_type``.

        Raises:
            MissingResourceError: The world holds none (a ``KeyError``).
        """
        try:
            return cast(T, self._resources[resource_type])
        except KeyError:
            raise MissingResourceError(
                f"the world holds no {resource_type.__qualname__} resource",
                resource=resource_type.__qualname__,
            ) from None

    def get_resource(self, resource_type: type[T]) -> T | None:
        """The resource of ``resource_type``, or None."""
        return cast("T | None", self._resources.get(resource_type))

    def has_resource(self, resource_type: type[Any]) -> bool:
        """Whether the world holds a resource of ``resource_type``."""
        return resource_type in self._resources

    def remove_resource(self, resource_type: type[T]) -> T | None:
        """Take the resource of ``resource_type`` out of the world.

        Returns:
            The resource removed, or None if there was none.
        """
        return cast("T | None", self._resources.pop(resource_type, None))

    # -- events ---------------------------------------------------------------------------

    def send(self, event: object) -> None:
        """Send ``event`` to the store of its exact type (see :mod:`reelgraph.ecs.events`).

        Raises:
            TypeError: ``event`` is a class rather than an instance, or None.
        """
        _check_instance(event, "an event")
        self.events(type(event)).send(event)

    def events(self, event_type: type[T]) -> Events[T]:
        """The store of ``event_type`` events, created empty on first use."""
        store = self._events.get(event_type)
        if store is None:
            store = Events(event_type)
            self._events[event_type] = store
        return store

    def update_events(self) -> None:
        """End the tick for every event store (the schedule calls this once per tick)."""
        for store in self._events.values():
            store.update()

    # -- helpers --------------------------------------------------------------------------

    def _require_alive(
        self, entity: int, component_type: type[Any] | None = None
    ) -> dict[type[Any], object]:
        owned = self._entities.get(entity)
        if owned is not None:
            return owned
        if component_type is None:
            raise UnknownEntityError(f"entity {entity} is not alive", entity=entity)
        name = component_type.__qualname__
        raise UnknownEntityError(
            f"entity {entity} is not alive (looking for its {name} component)",
            entity=entity,
            component=name,
        )

    def __repr__(self) -> str:
        return (
            f"World(entities={len(self._entities)}, resources={len(self._resources)}, "
            f"event_types={len(self._events)})"
        )
