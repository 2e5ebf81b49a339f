"""Run conditions: what they answer and how they read."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from reelgraph.ecs import (
    Condition,
    World,
    all_of,
    any_events,
    any_of,
    condition,
    not_,
    resource_equals,
    resource_exists,
    resource_matches,
)


class Transport(enum.Enum):
    STOPPED = "stopped"
    PLAYING = "playing"


@dataclass(frozen=True, slots=True)
class Budget:
    frames_left: int


@dataclass(frozen=True, slots=True)
class SeekRequested:
    frame: int


def has_budget(budget: Budget) -> bool:
    return budget.frames_left > 0


def test_resource_exists_follows_the_resource() -> None:
    world = World()
    check = resource_exists(Budget)
    assert not check(world)
    world.insert_resource(Budget(1))
    assert check(world)


def test_resource_equals_is_false_when_absent_or_different() -> None:
    world = World()
    playing = resource_equals(Transport, Transport.PLAYING)
    assert not playing(world)
    world.insert_resource(Transport.STOPPED)
    assert not playing(world)
    world.insert_resource(Transport.PLAYING)
    assert playing(world)


def test_resource_matches_applies_the_predicate_to_the_resource() -> None:
    world = World()
    check = resource_matches(Budget, has_budget)
    assert not check(world)
    world.insert_resource(Budget(0))
    assert not check(world)
    world.insert_resource(Budget(3))
    assert check(world)


def test_any_events_is_true_for_the_two_ticks_an_event_lives() -> None:
    world = World()
    check = any_events(SeekRequested)
    assert not check(world)
    world.send(SeekRequested(10))
    assert check(world)
    world.update_events()
    assert check(world)
    world.update_events()
    assert not check(world)


def test_combinators_combine_and_short_circuit() -> None:
    world = World()
    yes, no = Condition(lambda w: True, "yes"), Condition(lambda w: False, "no")

    def explode(world: World) -> bool:
        raise AssertionError("must not be evaluated")

    assert not_(no)(world) and not not_(yes)(world)
    assert all_of(yes, yes)(world) and not all_of(yes, no)(world) and all_of()(world)
    assert any_of(no, yes)(world) and not any_of(no, no)(world) and not any_of()(world)
    assert not all_of(no, explode)(world)
    assert any_of(yes, explode)(world)


def test_conditions_read_like_the_expression_that_made_them() -> None:
    def dirty_spans_present(world: World) -> bool:
        return False

    expression = all_of(
        resource_exists(Budget),
        not_(any_events(SeekRequested)),
        any_of(resource_equals(Transport, Transport.PLAYING), dirty_spans_present),
        resource_matches(Budget, has_budget),
    )
    expected = (
        "all_of(resource_exists(Budget), not_(any_events(SeekRequested)), "
        "any_of(resource_equals(Transport, <Transport.PLAYING: 'playing'>), "
        "dirty_spans_present), resource_matches(Budget, has_budget))"
    )
    assert expression.__name__ == expected
    assert repr(expression) == expected


def test_the_condition_decorator_names_a_predicate() -> None:
    @condition("frame_budget_left")
    def check(world: World) -> bool:
        return world.get_resource(Budget) is not None

    assert isinstance(check, Condition)
    assert repr(check) == "frame_budget_left"
    world = World()
    world.insert_resource(Budget(1))
    assert check(world) is True
