"""The schedule: order vectors, validation before the first tick, gating, flush points."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from reelgraph.ecs import Schedule, Stage, World, resource_exists
from reelgraph.errors import (
    DuplicateSystemError,
    ReelgraphError,
    ScheduleCycleError,
    ScheduleError,
    StageOrderError,
    UnknownSystemError,
    UnknownSystemSetError,
    exit_code_for,
)


@dataclass
class Log:
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Playing:
    pass


def tag(name: str) -> Callable[[World], None]:
    """A system called ``name`` that appends its name to the Log resource."""

    def system(world: World) -> None:
        world.resource(Log).tags.append(name)

    system.__name__ = name
    return system


def tick(schedule: Schedule, ticks: int = 1) -> list[str]:
    """Run ``ticks`` ticks on a fresh world and return the order vector."""
    world = World()
    world.insert_resource(Log())
    for _ in range(ticks):
        schedule.run(world)
    return world.resource(Log).tags


def test_stages_run_in_fixed_order_whatever_the_registration_order() -> None:
    schedule = Schedule()
    for stage in reversed(Stage):
        schedule.add_system(tag(stage.name.lower()), stage)
    assert tick(schedule) == ["ingest", "decode", "graph_eval", "composite", "output", "persist"]


def test_after_and_before_order_systems_inside_a_stage() -> None:
    schedule = Schedule()
    schedule.add_system(tag("c"), Stage.COMPOSITE, after=["b"])
    schedule.add_system(tag("a"), Stage.COMPOSITE, before=["b"])
    schedule.add_system(tag("b"), Stage.COMPOSITE)
    assert tick(schedule) == ["a", "b", "c"]
    assert schedule.systems_in(Stage.COMPOSITE) == ["a", "b", "c"]


def test_a_lone_string_constraint_names_one_system() -> None:
    schedule = Schedule()
    schedule.add_system(tag("late"), Stage.OUTPUT, after="early")
    schedule.add_system(tag("early"), Stage.OUTPUT)
    assert tick(schedule) == ["early", "late"]


def test_ties_are_broken_by_registration_order() -> None:
    schedule = Schedule()
    for name in ["d", "b", "a", "c"]:
        schedule.add_system(tag(name), Stage.DECODE)
    assert tick(schedule) == ["d", "b", "a", "c"]


def test_a_constrained_system_waits_but_free_ones_keep_registration_order() -> None:
    schedule = Schedule()
    schedule.add_system(tag("x"), Stage.DECODE, after=["z"])
    schedule.add_system(tag("y"), Stage.DECODE)
    schedule.add_system(tag("z"), Stage.DECODE)
    assert tick(schedule) == ["y", "z", "x"]


def test_chain_orders_systems_explicitly() -> None:
    schedule = Schedule()
    schedule.chain("third", "second", "first")
    for name in ["first", "second", "third"]:
        schedule.add_system(tag(name), Stage.OUTPUT)
    assert tick(schedule) == ["third", "second", "first"]


def test_a_cross_stage_constraint_that_agrees_with_stage_order_is_accepted() -> None:
    schedule = Schedule()
    schedule.add_system(tag("write"), Stage.PERSIST, after=["ingest"])
    schedule.add_system(tag("ingest"), Stage.INGEST, before=["write"])
    assert tick(schedule) == ["ingest", "write"]


@pytest.mark.parametrize("how", ["after", "before", "chain"])
def test_a_cross_stage_constraint_that_contradicts_stage_order_is_an_error(how: str) -> None:
    schedule = Schedule()
    if how == "after":
        schedule.add_system(tag("early"), Stage.INGEST, after=["late"])
        schedule.add_system(tag("late"), Stage.OUTPUT)
    elif how == "before":
        schedule.add_system(tag("early"), Stage.INGEST)
        schedule.add_system(tag("late"), Stage.OUTPUT, before=["early"])
    else:
        schedule.add_system(tag("early"), Stage.INGEST)
        schedule.add_system(tag("late"), Stage.OUTPUT)
        schedule.chain("late", "early")
    with pytest.raises(StageOrderError) as caught:
        schedule.build()
    assert caught.value.code == "schedule.stage_order"
    assert "'late' (OUTPUT)" in str(caught.value)
    assert "'early' (INGEST)" in str(caught.value)


def test_a_cycle_is_reported_with_the_systems_on_it_in_order() -> None:
    schedule = Schedule()
    schedule.add_system(tag("free"), Stage.GRAPH_EVAL)
    schedule.add_system(tag("a"), Stage.GRAPH_EVAL, after=["c"])
    schedule.add_system(tag("b"), Stage.GRAPH_EVAL, after=["a"])
    schedule.add_system(tag("c"), Stage.GRAPH_EVAL, after=["b"])
    schedule.add_system(tag("downstream"), Stage.GRAPH_EVAL, after=["c"])
    with pytest.raises(ScheduleCycleError) as caught:
        schedule.build()
    error = caught.value
    assert isinstance(error, ScheduleError)
    assert error.code == "schedule.cycle"
    assert "a -> b -> c -> a" in str(error)
    assert error.params == {"stage": "GRAPH_EVAL", "cycle": "a, b, c"}


def test_a_system_ordered_after_itself_is_a_cycle() -> None:
    schedule = Schedule()
    schedule.add_system(tag("selfish"), Stage.OUTPUT, after=["selfish"])
    with pytest.raises(ScheduleCycleError, match="selfish -> selfish"):
        schedule.build()


def test_an_unknown_set_is_refused_before_the_first_tick() -> None:
    schedule = Schedule()
    with pytest.raises(UnknownSystemSetError) as caught:
        schedule.add_system(tag("x"), "rendering")
    assert caught.value.code == "schedule.unknown_set"
    assert "'rendering'" in str(caught.value)
    assert len(schedule) == 0


def test_a_stage_named_by_string_is_accepted_in_any_case() -> None:
    schedule = Schedule()
    schedule.add_system(tag("b"), "GraphEval")
    schedule.add_system(tag("a"), "ingest")
    schedule.add_system(tag("c"), "PERSIST")
    assert tick(schedule) == ["a", "b", "c"]
    assert schedule.systems_in("graph_eval") == ["b"]


@pytest.mark.parametrize("how", ["after", "before", "chain"])
def test_an_unknown_system_in_a_constraint_is_raised_by_the_build_before_any_system_runs(
    how: str,
) -> None:
    schedule = Schedule()
    schedule.add_system(tag("real"), Stage.INGEST)
    if how == "chain":
        schedule.chain("real", "ghost")
    else:
        schedule.add_system(tag("other"), Stage.OUTPUT, **{how: ["ghost"]})
    world = World()
    world.insert_resource(Log())
    with pytest.raises(UnknownSystemError) as caught:
        schedule.run(world)
    assert caught.value.code == "schedule.unknown_system"
    assert caught.value.params["system"] == "ghost"
    assert "'ghost'" in str(caught.value)
    assert world.resource(Log).tags == []


def test_duplicate_system_names_are_refused() -> None:
    schedule = Schedule()
    schedule.add_system(tag("same"), Stage.INGEST)
    with pytest.raises(DuplicateSystemError) as caught:
        schedule.add_system(tag("same"), Stage.OUTPUT)
    assert caught.value.code == "schedule.duplicate_system"
    schedule.add_system(tag("same"), Stage.OUTPUT, name="same_again")
    assert tick(schedule) == ["same", "same"]


def test_a_system_is_named_after_its_function_unless_named() -> None:
    def apply_pending_edits(world: World) -> None:
        pass

    schedule = Schedule()
    assert schedule.add_system(apply_pending_edits, Stage.INGEST) == "apply_pending_edits"
    assert schedule.add_system(lambda w: None, Stage.INGEST, name="anon") == "anon"
    assert schedule.systems_in(Stage.INGEST) == ["apply_pending_edits", "anon"]
    assert schedule.system("anon").stage is Stage.INGEST


def test_schedule_errors_are_schedule_errors_with_exit_status_seven() -> None:
    for cls in (
        ScheduleCycleError,
        UnknownSystemSetError,
        UnknownSystemError,
        DuplicateSystemError,
        StageOrderError,
    ):
        assert issubclass(cls, ScheduleError)
        assert cls.code.startswith("schedule.")
        assert cls.__doc__
        assert exit_code_for(cls("x")) == 7


def test_run_conditions_gate_systems() -> None:
    schedule = Schedule()
    schedule.add_system(tag("always"), Stage.OUTPUT)
    schedule.add_system(tag("when_playing"), Stage.OUTPUT, run_if=resource_exists(Playing))
    schedule.add_system(
        tag("never"), Stage.OUTPUT, run_if=[resource_exists(Playing), lambda w: False]
    )
    world = World()
    world.insert_resource(Log())
    schedule.run(world)
    world.insert_resource(Playing())
    schedule.run(world)
    assert world.resource(Log).tags == ["always", "always", "when_playing"]


def test_conditions_are_evaluated_left_to_right_and_stop_at_the_first_false() -> None:
    asked: list[str] = []

    def answer(name: str, value: bool) -> Callable[[World], bool]:
        def condition(world: World) -> bool:
            asked.append(name)
            return value

        return condition

    schedule = Schedule()
    schedule.add_system(
        tag("x"),
        Stage.INGEST,
        run_if=[answer("yes", True), answer("no", False), answer("unasked", True)],
    )
    assert tick(schedule) == []
    assert asked == ["yes", "no"]


def test_a_despawn_applies_after_the_system_that_asked_for_it() -> None:
    observed: list[tuple[str, bool]] = []
    schedule = Schedule()

    def kill(world: World) -> None:
        world.despawn(1)
        observed.append(("kill", world.is_alive(1)))

    def look(world: World) -> None:
        observed.append(("look", world.is_alive(1)))

    schedule.add_system(kill, Stage.GRAPH_EVAL)
    schedule.add_system(look, Stage.GRAPH_EVAL, after=["kill"])
    world = World()
    world.spawn()
    schedule.run(world)
    assert observed == [("kill", True), ("look", False)]


def test_a_despawn_asked_for_between_ticks_applies_before_the_first_system() -> None:
    alive: list[bool] = []
    schedule = Schedule()
    schedule.add_system(lambda w: alive.append(w.is_alive(1)), Stage.INGEST, name="look")
    world = World()
    world.spawn()
    world.despawn(1)
    schedule.run(world)
    assert alive == [False]


def test_timings_are_collected_only_when_asked_and_never_change_the_order() -> None:
    plain, timed = Schedule(), Schedule(collect_timings=True)
    for schedule in (plain, timed):
        schedule.add_system(tag("b"), Stage.DECODE)
        schedule.add_system(tag("a"), Stage.DECODE, before=["b"])
    assert tick(plain, 2) == tick(timed, 2) == ["a", "b", "a", "b"]
    assert plain.timings == {}
    assert set(timed.timings) == {"a", "b"}
    assert all(seconds >= 0.0 for seconds in timed.timings.values())
    timed.reset_timings()
    assert timed.timings == {}


def test_an_error_in_a_system_names_the_system() -> None:
    def explode(world: World) -> None:
        raise ValueError("boom")

    def fail_politely(world: World) -> None:
        raise ReelgraphError("no")

    schedule = Schedule()
    schedule.add_system(explode, Stage.COMPOSITE)
    with pytest.raises(ValueError) as caught:
        schedule.run(World())
    assert "while running system 'explode' in stage COMPOSITE" in caught.value.__notes__

    schedule = Schedule()
    schedule.add_system(fail_politely, Stage.OUTPUT)
    with pytest.raises(ReelgraphError) as ours:
        schedule.run(World())
    assert ours.value.params == {"system": "fail_politely", "stage": "OUTPUT"}


def test_a_system_added_after_a_tick_is_placed_at_the_next_build() -> None:
    schedule = Schedule()
    schedule.add_system(tag("a"), Stage.OUTPUT)
    world = World()
    world.insert_resource(Log())
    schedule.run(world)
    schedule.add_system(tag("b"), Stage.OUTPUT, before=["a"])
    assert not schedule.is_built
    schedule.run(world)
    assert world.resource(Log).tags == ["a", "b", "a"]


def test_the_schedule_cannot_be_changed_or_rerun_during_a_tick() -> None:
    schedule = Schedule()
    caught: list[ScheduleError] = []

    def meddle(world: World) -> None:
        for attempt in (
            lambda: schedule.add_system(tag("late"), Stage.OUTPUT),
            lambda: schedule.chain("a", "b"),
            lambda: schedule.run(world),
        ):
            try:
                attempt()
            except ScheduleError as error:
                caught.append(error)

    schedule.add_system(meddle, Stage.INGEST)
    schedule.run(World())
    assert len(caught) == 3
    assert len(schedule) == 1


def test_describe_lists_each_stage_with_its_systems_and_conditions() -> None:
    schedule = Schedule()
    schedule.add_system(tag("show"), Stage.OUTPUT, run_if=resource_exists(Playing))
    schedule.add_system(tag("load"), Stage.INGEST)
    assert schedule.describe() == "\n".join(
        [
            "INGEST:",
            "  load",
            "DECODE:",
            "GRAPH_EVAL:",
            "COMPOSITE:",
            "OUTPUT:",
            "  show  if resource_exists(Playing)",
            "PERSIST:",
        ]
    )


def test_non_callables_are_refused() -> None:
    schedule = Schedule()
    with pytest.raises(TypeError):
        schedule.add_system("not a system", Stage.INGEST)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        schedule.add_system(tag("x"), Stage.INGEST, run_if=[True])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        schedule.chain("only_one")
