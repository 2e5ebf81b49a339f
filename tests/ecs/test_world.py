"""Entities, components, queries and resources of the World."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reelgraph.ecs import World
from reelgraph.errors import (
    InternalError,
    MissingComponentError,
    MissingResourceError,
    UnknownEntityError,
)


@dataclass(frozen=True, slots=True)
class Position:
    x: int


@dataclass(frozen=True, slots=True)
class Velocity:
    dx: int


@dataclass(frozen=True, slots=True)
class Name:
    text: str


@dataclass(frozen=True, slots=True)
class Hidden:
    pass


@dataclass(frozen=True, slots=True)
class Layer:
    index: int


@dataclass
class Settings:
    fps: int


def test_entities_are_handed_out_in_increasing_order_starting_at_one() -> None:
    world = World()
    assert [world.spawn() for _ in range(4)] == [1, 2, 3, 4]
    assert world.entities() == [1, 2, 3, 4]


def test_entity_ids_are_never_reused_after_a_despawn() -> None:
    world = World()
    first = world.spawn()
    world.despawn(first)
    world.flush()
    assert world.spawn() == first + 1


def test_despawn_is_deferred_until_flush() -> None:
    world = World()
    entity = world.spawn(Position(1))
    world.despawn(entity)
    assert world.is_alive(entity)
    assert world.is_despawning(entity)
    assert world.get(entity, Position) == Position(1)
    assert [e for e, _ in world.query(Position)] == [entity]
    world.flush()
    assert not world.is_alive(entity)
    assert not world.is_despawning(entity)
    assert list(world.query(Position)) == []


def test_despawning_twice_before_a_flush_is_the_same_as_once() -> None:
    world = World()
    entity = world.spawn()
    world.despawn(entity)
    world.despawn(entity)
    world.flush()
    assert world.entities() == []


def test_despawning_an_entity_that_is_not_alive_raises_unknown_entity_error() -> None:
    world = World()
    with pytest.raises(UnknownEntityError) as caught:
        world.despawn(7)
    assert caught.value.code == "internal.unknown_entity"
    assert caught.value.params["entity"] == 7


def test_add_replaces_the_component_of_the_same_type() -> None:
    world = World()
    entity = world.spawn(Position(1), Name("a"))
    world.add(entity, Position(2))
    assert world.get(entity, Position) == Position(2)
    assert world.components(entity) == (Position(2), Name("a"))


def test_spawn_with_two_components_of_one_type_keeps_the_later_one() -> None:
    world = World()
    entity = world.spawn(Position(1), Position(2))
    assert world.components(entity) == (Position(2),)


def test_remove_returns_the_component_and_takes_it_off() -> None:
    world = World()
    entity = world.spawn(Position(1), Name("a"))
    assert world.remove(entity, Position) == Position(1)
    assert not world.has(entity, Position)
    assert list(world.query(Position)) == []
    with pytest.raises(MissingComponentError):
        world.remove(entity, Position)


def test_get_of_a_missing_component_raises_a_key_error_naming_entity_and_type() -> None:
    world = World()
    entity = world.spawn(Position(1))
    with pytest.raises(KeyError) as caught:
        world.get(entity, Velocity)
    error = caught.value
    assert isinstance(error, MissingComponentError)
    assert isinstance(error, InternalError)
    assert error.code == "internal.missing_component"
    assert f"entity {entity}" in str(error)
    assert "Velocity" in str(error)
    assert error.params == {"entity": entity, "component": "Velocity"}


def test_get_on_an_entity_that_is_not_alive_raises_a_key_error_naming_both() -> None:
    world = World()
    with pytest.raises(KeyError) as caught:
        world.get(42, Position)
    assert isinstance(caught.value, UnknownEntityError)
    assert "42" in str(caught.value)
    assert "Position" in str(caught.value)


def test_try_get_and_has_answer_none_and_false_instead_of_raising() -> None:
    world = World()
    entity = world.spawn(Position(1))
    assert world.try_get(entity, Position) == Position(1)
    assert world.try_get(entity, Velocity) is None
    assert world.try_get(99, Position) is None
    assert world.has(entity, Position)
    assert not world.has(entity, Velocity)
    assert not world.has(99, Position)


def test_adding_to_an_entity_that_is_not_alive_raises() -> None:
    world = World()
    with pytest.raises(UnknownEntityError):
        world.add(3, Position(1))


def test_a_class_or_none_is_refused_where_an_instance_is_expected() -> None:
    world = World()
    entity = world.spawn()
    with pytest.raises(TypeError, match="class Position"):
        world.add(entity, Position)
    with pytest.raises(TypeError):
        world.spawn(None)
    with pytest.raises(TypeError):
        world.insert_resource(Settings)
    with pytest.raises(TypeError):
        world.send(Position)
    # The refused spawn handed out no id.
    assert world.spawn() == entity + 1


def test_query_iterates_in_ascending_entity_order_whatever_order_components_came_in() -> None:
    world = World()
    entities = [world.spawn() for _ in range(6)]
    for entity in [entities[4], entities[1], entities[5], entities[0], entities[3]]:
        world.add(entity, Position(entity))
    assert [e for e, _ in world.query(Position)] == sorted(
        [entities[0], entities[1], entities[3], entities[4], entities[5]]
    )


def test_query_of_several_types_yields_only_entities_with_all_in_the_order_asked() -> None:
    world = World()
    a = world.spawn(Velocity(1), Position(10))
    world.spawn(Position(20))
    c = world.spawn(Name("c"), Position(30), Velocity(3))
    assert list(world.query(Position, Velocity)) == [
        (a, Position(10), Velocity(1)),
        (c, Position(30), Velocity(3)),
    ]
    assert list(world.query(Velocity, Name, Position)) == [
        (c, Velocity(3), Name("c"), Position(30)),
    ]


def test_query_accepts_more_than_four_types() -> None:
    world = World()
    entity = world.spawn(Position(1), Velocity(2), Name("n"), Hidden(), Layer(5))
    world.spawn(Position(1), Velocity(2), Name("n"), Hidden())
    rows = list(world.query(Position, Velocity, Name, Hidden, Layer))
    assert rows == [(entity, Position(1), Velocity(2), Name("n"), Hidden(), Layer(5))]


def test_query_needs_at_least_one_type() -> None:
    with pytest.raises(TypeError):
        World().query()


def test_query_skips_entities_whose_components_are_removed_before_they_are_reached() -> None:
    world = World()
    entities = [world.spawn(Position(i)) for i in range(5)]
    seen = []
    for entity, _ in world.query(Position):
        seen.append(entity)
        if entity == entities[1]:
            world.remove(entities[3], Position)
            world.remove(entities[0], Position)
    assert seen == [entities[0], entities[1], entities[2], entities[4]]


def test_query_does_not_visit_entities_that_gain_components_during_iteration() -> None:
    world = World()
    first = world.spawn(Position(0))
    bare = world.spawn()
    seen = []
    for entity, _ in world.query(Position):
        seen.append(entity)
        world.add(bare, Position(1))
        world.spawn(Position(2))
    assert seen == [first]
    assert [e for e, _ in world.query(Position)] == [first, bare, bare + 1]


def test_query_reads_a_component_replaced_during_iteration_when_it_is_reached() -> None:
    world = World()
    a = world.spawn(Position(0))
    b = world.spawn(Position(0))
    rows = []
    for entity, position in world.query(Position):
        rows.append((entity, position))
        world.add(b, Position(9))
    assert rows == [(a, Position(0)), (b, Position(9))]


def test_query_survives_a_flush_during_iteration() -> None:
    world = World()
    entities = [world.spawn(Position(i)) for i in range(4)]
    seen = []
    for entity, _ in world.query(Position):
        seen.append(entity)
        if entity == entities[0]:
            world.despawn(entities[2])
            world.flush()
    assert seen == [entities[0], entities[1], entities[3]]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["add_p", "add_v", "rm_p", "rm_v", "despawn"]), st.integers(0, 9)
        ),
        max_size=60,
    )
)
def test_query_always_matches_a_brute_force_scan_in_ascending_order(
    operations: list[tuple[str, int]],
) -> None:
    world = World()
    entities = [world.spawn() for _ in range(10)]
    for op, index in operations:
        entity = entities[index]
        if not world.is_alive(entity):
            continue
        if op == "add_p":
            world.add(entity, Position(index))
        elif op == "add_v":
            world.add(entity, Velocity(index))
        elif op == "rm_p" and world.has(entity, Position):
            world.remove(entity, Position)
        elif op == "rm_v" and world.has(entity, Velocity):
            world.remove(entity, Velocity)
        elif op == "despawn":
            world.despawn(entity)
            world.flush()
    expected = [
        (e, world.get(e, Position), world.get(e, Velocity))
        for e in entities
        if world.has(e, Position) and world.has(e, Velocity)
    ]
    assert list(world.query(Position, Velocity)) == expected
    assert list(world.query(Velocity, Position)) == [(e, v, p) for e, p, v in expected]


def test_resource_raises_a_key_error_naming_the_type_when_absent() -> None:
    world = World()
    with pytest.raises(KeyError) as caught:
        world.resource(Settings)
    assert isinstance(caught.value, MissingResourceError)
    assert caught.value.code == "internal.missing_resource"
    assert "Settings" in str(caught.value)


def test_resources_are_keyed_by_type_and_replaced_on_insert() -> None:
    world = World()
    assert world.get_resource(Settings) is None
    world.insert_resource(Settings(fps=24))
    world.insert_resource(Settings(fps=30))
    assert world.resource(Settings) == Settings(fps=30)
    assert world.has_resource(Settings)
    assert world.remove_resource(Settings) == Settings(fps=30)
    assert world.remove_resource(Settings) is None
    assert not world.has_resource(Settings)


def test_two_worlds_share_nothing() -> None:
    one, two = World(), World()
    entity = one.spawn(Position(1))
    one.insert_resource(Settings(fps=24))
    one.send(Name("event"))
    assert two.entities() == []
    assert two.spawn() == entity  # each world counts its own ids
    assert list(two.query(Position)) == []
    assert two.get_resource(Settings) is None
    assert list(two.events(Name)) == []
    assert one.events(Name) is not two.events(Name)
    assert list(one.events(Name)) == [Name("event")]
