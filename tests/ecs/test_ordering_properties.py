"""Properties of the built order, over random constraint graphs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reelgraph.ecs import Schedule, Stage, World
from reelgraph.errors import ScheduleCycleError


def _noop(world: World) -> None:
    pass


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str]], list[Stage]]:
    """Systems in a random registration order, acyclic edges and stages that agree."""
    size = draw(st.integers(1, 12))
    # A hidden topological order; every edge points forward in it, so the graph is a DAG.
    hidden = [f"s{i}" for i in range(size)]
    pairs = [(i, j) for i in range(size) for j in range(i + 1, size)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=30)) if pairs else []
    # Stages never decrease along the hidden order, so every edge agrees with stage order.
    stage_steps = sorted(draw(st.lists(st.sampled_from(list(Stage)), min_size=size, max_size=size)))
    registration = draw(st.permutations(hidden))
    stages = [stage_steps[hidden.index(name)] for name in registration]
    return registration, [(hidden[i], hidden[j]) for i, j in chosen], stages


def _schedule(
    registration: list[str],
    edges: list[tuple[str, str]],
    stages: list[Stage],
    use_before: list[bool],
) -> Schedule:
    after: dict[str, list[str]] = {name: [] for name in registration}
    before: dict[str, list[str]] = {name: [] for name in registration}
    for (first, then), as_before in zip(edges, use_before, strict=False):
        if as_before:
            before[first].append(then)
        else:
            after[then].append(first)
    schedule = Schedule()
    for name, stage in zip(registration, stages, strict=False):
        schedule.add_system(_noop, stage, name=name, after=after[name], before=before[name])
    return schedule


@settings(max_examples=200, deadline=None)
@given(dags(), st.lists(st.booleans(), min_size=30, max_size=30))
def test_the_built_order_respects_every_constraint_of_a_random_dag(
    graph: tuple[list[str], list[tuple[str, str]], list[Stage]], use_before: list[bool]
) -> None:
    registration, edges, stages = graph
    schedule = _schedule(registration, edges, stages, use_before)
    order = [name for stage in Stage for name in schedule.systems_in(stage)]
    assert sorted(order) == sorted(registration)
    position = {name: index for index, name in enumerate(order)}
    for first, then in edges:
        assert position[first] < position[then], (first, then, order)
    # Determinism: the same declarations give the same order.
    again = _schedule(registration, edges, stages, use_before)
    assert [n for stage in Stage for n in again.systems_in(stage)] == order


@given(st.permutations([f"s{i}" for i in range(8)]))
def test_without_constraints_the_order_is_the_registration_order(names: list[str]) -> None:
    schedule = Schedule()
    for name in names:
        schedule.add_system(_noop, Stage.COMPOSITE, name=name)
    assert schedule.systems_in(Stage.COMPOSITE) == names


@given(dags())
def test_a_back_edge_makes_a_cycle_whose_report_is_a_real_loop(
    graph: tuple[list[str], list[tuple[str, str]], list[Stage]],
) -> None:
    registration, edges, _ = graph
    if not edges:
        return
    first, then = edges[0]
    edges = [*edges, (then, first)]
    schedule = _schedule(
        registration, edges, [Stage.OUTPUT] * len(registration), [False] * len(edges)
    )
    try:
        schedule.build()
    except ScheduleCycleError as error:
        loop = str(error.params["cycle"]).split(", ")
    else:
        raise AssertionError("a back edge must close a cycle")
    edge_set = set(edges)
    for index, name in enumerate(loop):
        assert (name, loop[(index + 1) % len(loop)]) in edge_set
