"""Typed, double-buffered events: lifetime, readers and their cursors."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from reelgraph.ecs import EventReader, Events, Schedule, Stage, World


@dataclass(frozen=True, slots=True)
class Ping:
    n: int


@dataclass(frozen=True, slots=True)
class LoudPing(Ping):
    pass


@dataclass(frozen=True, slots=True)
class Pong:
    n: int


@dataclass
class Seen:
    log: list[tuple[int, str, int]]


@dataclass
class Tick:
    n: int = 0


def test_a_reader_sees_the_events_in_the_order_sent() -> None:
    world = World()
    reader = EventReader(Ping)
    for n in range(3):
        world.send(Ping(n))
    assert reader.read(world) == [Ping(0), Ping(1), Ping(2)]


def test_each_reader_sees_each_event_once_and_readers_are_independent() -> None:
    world = World()
    first, second = EventReader(Ping), EventReader(Ping)
    world.send(Ping(1))
    assert first.read(world) == [Ping(1)]
    assert first.read(world) == []
    world.send(Ping(2))
    world.update_events()
    assert first.read(world) == [Ping(2)]
    assert second.read(world) == [Ping(1), Ping(2)]
    assert second.read(world) == []


def test_an_event_lives_for_exactly_two_updates() -> None:
    events: Events[Ping] = Events(Ping)
    events.send(Ping(1))
    assert list(events) == [Ping(1)]
    events.update()
    assert list(events) == [Ping(1)]
    assert len(events) == 1
    events.update()
    assert list(events) == []
    assert events.read(EventReader(Ping)) == []


def test_a_reader_that_skips_two_updates_misses_the_dropped_events() -> None:
    events: Events[Ping] = Events(Ping)
    reader = EventReader(Ping)
    events.send(Ping(1))
    assert events.read(reader) == [Ping(1)]
    events.send(Ping(2))
    events.update()
    events.send(Ping(3))
    events.update()
    events.send(Ping(4))
    assert events.read(reader) == [Ping(3), Ping(4)]


def test_iterating_or_measuring_a_store_moves_no_cursor() -> None:
    world = World()
    reader = EventReader(Ping)
    world.send(Ping(1))
    assert list(world.events(Ping)) == [Ping(1)]
    assert len(world.events(Ping)) == 1
    assert reader.read(world) == [Ping(1)]


def test_clear_drops_every_live_event() -> None:
    events: Events[Ping] = Events(Ping)
    reader = EventReader(Ping)
    events.send(Ping(1))
    events.update()
    events.send(Ping(2))
    events.clear()
    assert list(events) == []
    assert events.read(reader) == []
    events.send(Ping(3))
    assert events.read(reader) == [Ping(3)]


def test_events_are_keyed_by_their_exact_type() -> None:
    world = World()
    world.send(LoudPing(1))
    world.send(Ping(2))
    assert EventReader(Ping).read(world) == [Ping(2)]
    assert EventReader(LoudPing).read(world) == [LoudPing(1)]


def test_a_store_refuses_events_and_readers_of_another_type() -> None:
    events: Events[Ping] = Events(Ping)
    with pytest.raises(TypeError):
        events.send(Pong(1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        events.read(EventReader(Pong))  # type: ignore[arg-type]


def test_one_reader_keeps_a_separate_cursor_in_each_world() -> None:
    reader = EventReader(Ping)
    one, two = World(), World()
    one.send(Ping(1))
    two.send(Ping(2))
    assert reader.read(one) == [Ping(1)]
    assert reader.read(two) == [Ping(2)]
    assert reader.read(one) == []


def _event_schedule() -> Schedule:
    """Three systems: an early reader, a sender in between, a late reader."""
    early, late = EventReader(Ping), EventReader(Ping)

    def read_early(world: World) -> None:
        tick = world.resource(Tick).n
        world.resource(Seen).log.extend((tick, "early", p.n) for p in early.read(world))

    def send_once(world: World) -> None:
        if world.resource(Tick).n == 0:
            world.send(Ping(7))

    def read_late(world: World) -> None:
        tick = world.resource(Tick).n
        world.resource(Seen).log.extend((tick, "late", p.n) for p in late.read(world))

    def count_ticks(world: World) -> None:
        world.resource(Tick).n += 1

    schedule = Schedule()
    schedule.add_system(read_early, Stage.INGEST)
    schedule.add_system(send_once, Stage.COMPOSITE)
    schedule.add_system(read_late, Stage.OUTPUT)
    schedule.add_system(count_ticks, Stage.PERSIST)
    return schedule


def test_an_event_sent_in_tick_n_reaches_an_earlier_system_in_tick_n_plus_one() -> None:
    world = World()
    world.insert_resource(Seen([]))
    world.insert_resource(Tick())
    schedule = _event_schedule()
    for _ in range(4):
        schedule.run(world)
    assert world.resource(Seen).log == [(0, "late", 7), (1, "early", 7)]


def test_an_event_sent_in_tick_n_is_gone_in_tick_n_plus_two() -> None:
    world = World()
    world.insert_resource(Seen([]))
    world.insert_resource(Tick())
    schedule = _event_schedule()
    schedule.run(world)
    assert list(world.events(Ping)) == [Ping(7)]
    schedule.run(world)
    assert list(world.events(Ping)) == []
    assert EventReader(Ping).read(world) == []


def test_an_event_sent_between_ticks_belongs_to_the_next_tick() -> None:
    world = World()
    reader = EventReader(Ping)
    got: list[list[Ping]] = []
    schedule = Schedule()
    schedule.add_system(lambda w: got.append(reader.read(w)), Stage.OUTPUT, name="read")
    world.send(Ping(1))
    schedule.run(world)
    schedule.run(world)
    assert got == [[Ping(1)], []]
    assert list(world.events(Ping)) == []
