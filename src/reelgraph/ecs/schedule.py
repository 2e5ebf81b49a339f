"""The schedule: which systems run in a tick, in which order, and under which conditions.

A system is a callable ``(world) -> None`` added to one :class:`~reelgraph.ecs.stage.Stage`
under a unique name. :meth:`Schedule.build` validates every declaration and freezes the
order; :meth:`Schedule.run` runs one tick. The order is decided only by what was declared:

1. stages run in the order of :class:`~reelgraph.ecs.stage.Stage`;
2. inside a stage, every ``after``/``before`` constraint and every :meth:`Schedule.chain`
   holds (a topological sort);
3. where the constraints leave a choice, the system registered first runs first. This
   tie-break is deterministic but depends on registration order, so systems whose relative
   order matters should say so with ``after``/``before``/``chain`` rather than rely on it.

A constraint between systems of different stages is allowed when the stage order already
satisfies it and is an error when it contradicts it. Every mis-declaration is a
:class:`~reelgraph.errors.ScheduleError` raised by :meth:`Schedule.add_system` or
:meth:`Schedule.build`, that is, before the first tick runs.

One tick (:meth:`Schedule.run`) does, in this order:

* ``world.flush()``, so despawns asked for between ticks apply before any system runs;
* for each stage, for each system in order: evaluate its run conditions (left to right,
  stopping at the first False); if all are True, run the system, then ``world.flush()``,
  so the despawns it asked for apply before the next system runs;
* ``world.update_events()``, once, at the END of the tick (an event lives two ticks; see
  :mod:`reelgraph.ecs.events`).

With a tracer (:meth:`Schedule.instrument`), a tick records a span for the tick
(category ``tick``), each stage (``stage``) and each system that ran (``system``);
without one the tick takes the untraced path.

If a system raises, the tick stops there: the exception propagates with a note naming the
system (and, for a :class:`~reelgraph.errors.ReelgraphError`, ``system`` and ``stage`` in
its params), and the event buffers are not updated.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from reelgraph.ecs.criteria import RunCondition
from reelgraph.ecs.ordering import CycleFound, toposort
from reelgraph.ecs.stage import Stage
from reelgraph.errors import (
    DuplicateSystemError,
    ReelgraphError,
    ScheduleCycleError,
    ScheduleError,
    StageOrderError,
    UnknownSystemError,
)

if TYPE_CHECKING:
    from reelgraph.ecs.world import World

__all__ = ["Schedule", "SpanTracer", "System", "SystemSpec"]

System: TypeAlias = Callable[["World"], None]
"""A system: a callable that reads and changes the world; what it returns is ignored."""


class SpanTracer(Protocol):
    """What the schedule needs of a tracer (:class:`reelgraph.trace.Tracer` is one)."""

    def span(self, name: str, category: str, /, **args: Any) -> AbstractContextManager[Any]:
        """A context manager timing one span."""
        ...


@dataclass(frozen=True, slots=True)
class SystemSpec:
    """How one system was declared.

    Attributes:
        name: The unique name of the system.
        func: The callable run each tick.
        stage: The stage the system belongs to.
        after: Names of the systems it must run after.
        before: Names of the systems it must run before.
        run_if: Conditions that must all be True for it to run in a tick.
    """

    name: str
    func: System
    stage: Stage
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    run_if: tuple[RunCondition, ...] = ()


def _names(value: Sequence[str], what: str) -> tuple[str, ...]:
    # A lone string is one name, not a sequence of one-letter names.
    names = (value,) if isinstance(value, str) else tuple(value)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{what} must name systems by string, got {name!r}")
    return names


def _name_of(condition: RunCondition) -> str:
    # A plain function's repr holds its address, which would make dumps differ per run.
    return getattr(condition, "__name__", None) or repr(condition)


def _conditions(value: RunCondition | Sequence[RunCondition]) -> tuple[RunCondition, ...]:
    conditions = (value,) if callable(value) else tuple(value)
    for condition in conditions:
        if not callable(condition):
            raise TypeError(f"run_if must hold callables (world) -> bool, got {condition!r}")
    return conditions


class Schedule:
    """An ordered set of systems, run one tick at a time over a world."""

    __slots__ = (
        "_chains",
        "_collect_timings",
        "_order",
        "_running",
        "_systems",
        "_timings",
        "_tracer",
    )

    def __init__(self, *, collect_timings: bool = False) -> None:
        """Make an empty schedule.

        Args:
            collect_timings: Measure each system with :func:`time.perf_counter` and add
                the seconds to :attr:`timings`. Timings are diagnostics only: they never
                change what runs or in which order.
        """
        self._systems: dict[str, SystemSpec] = {}
        self._chains: list[tuple[str, ...]] = []
        self._order: dict[Stage, list[SystemSpec]] | None = None
        self._collect_timings = collect_timings
        self._timings: dict[str, float] = {}
        self._running = False
        self._tracer: SpanTracer | None = None

    def instrument(
        self, *, tracer: SpanTracer | None = None, collect_timings: bool | None = None
    ) -> None:
        """Record spans with ``tracer`` (None: stop tracing); switch timings on or off.

        Like timings, spans are diagnostics only: they never change what runs.
        """
        self._tracer = tracer
        if collect_timings is not None:
            self._collect_timings = collect_timings

    # -- declaring ------------------------------------------------------------------------

    def add_system(
        self,
        func: System,
        stage: Stage | str,
        *,
        name: str | None = None,
        after: Sequence[str] = (),
        before: Sequence[str] = (),
        run_if: RunCondition | Sequence[RunCondition] = (),
    ) -> str:
        """Add a system to a stage.

        Constraints may name systems that are added later; they are checked by
        :meth:`build`.

        Args:
            func: The system, a callable ``(world) -> None``.
            stage: Its stage, as a member or a name (``"graph_eval"``, ``"GraphEval"``).
            name: Its unique name; defaults to ``func.__name__``.
            after: Systems it must run after (a lone string is one name).
            before: Systems it must run before (a lone string is one name).
            run_if: One condition or several; the system runs in a tick only if all are
                True.

        Returns:
            The name the system was added under.

        Raises:
            UnknownSystemSetError: ``stage`` names no stage.
            DuplicateSystemError: A system of that name was already added.
            ScheduleError: The schedule is running a tick.
            TypeError: ``func`` or a condition is not callable, or a name is not a string.
        """
        self._refuse_while_running()
        resolved = Stage.parse(stage)
        if not callable(func):
            raise TypeError(f"a system must be callable (world) -> None, got {func!r}")
        system_name = name if name is not None else getattr(func, "__name__", None)
        if not isinstance(system_name, str) or not system_name:
            raise TypeError(f"cannot name the system {func!r}; pass name=")
        if system_name in self._systems:
            raise DuplicateSystemError(
                f"a system named {system_name!r} was already added "
                f"(to stage {self._systems[system_name].stage.name})",
                system=system_name,
            )
        self._systems[system_name] = SystemSpec(
            name=system_name,
            func=func,
            stage=resolved,
            after=_names(after, "after"),
            before=_names(before, "before"),
            run_if=_conditions(run_if),
        )
        self._order = None
        return system_name

    def chain(self, *names: str) -> None:
        """Declare that the systems named run in exactly this relative order.

        ``chain("a", "b", "c")`` is ``b`` after ``a`` and ``c`` after ``b``. The names are
        checked by :meth:`build`, so the systems may be added before or after.

        Args:
            *names: Two or more system names.

        Raises:
            ScheduleError: The schedule is running a tick.
            TypeError: Fewer than two names, or a name that is not a string.
        """
        self._refuse_while_running()
        chained = _names(names, "chain")
        if len(chained) < 2:
            raise TypeError("chain() needs at least two system names")
        self._chains.append(chained)
        self._order = None

    # -- building -------------------------------------------------------------------------

    def build(self) -> None:
        """Validate every declaration and freeze the order (does nothing if already built).

        Raises:
            UnknownSystemError: A constraint or chain names a system never added.
            StageOrderError: A constraint contradicts the stage order.
            ScheduleCycleError: The constraints of a stage form a cycle; the error lists the
                systems on it, in order.
        """
        self._built_order()

    def _built_order(self) -> dict[Stage, list[SystemSpec]]:
        if self._order is not None:
            return self._order
        edges: dict[Stage, list[tuple[str, str]]] = {stage: [] for stage in Stage}
        for first, then, declared_by in self._constraints():
            first_stage = self._systems[first].stage
            then_stage = self._systems[then].stage
            if first_stage == then_stage:
                edges[first_stage].append((first, then))
            elif first_stage > then_stage:
                raise StageOrderError(
                    f"{declared_by} asks {first!r} ({first_stage.name}) to run before "
                    f"{then!r} ({then_stage.name}), but {then_stage.name} runs first",
                    first=first,
                    then=then,
                )
        order: dict[Stage, list[SystemSpec]] = {}
        for stage in Stage:
            members = [name for name, spec in self._systems.items() if spec.stage is stage]
            try:
                names = toposort(members, edges[stage])
            except CycleFound as found:
                loop = " -> ".join([*found.cycle, found.cycle[0]])
                raise ScheduleCycleError(
                    f"the systems of stage {stage.name} form a cycle: {loop}",
                    stage=stage.name,
                    cycle=", ".join(found.cycle),
                ) from None
            order[stage] = [self._systems[name] for name in names]
        self._order = order
        return order

    def _constraints(self) -> list[tuple[str, str, str]]:
        """Every ``(first, then, who declared it)``, in declaration order, names checked."""
        constraints: list[tuple[str, str, str]] = []
        for spec in self._systems.values():
            declared_by = f"system {spec.name!r}"
            for other in spec.after:
                self._require_known(other, f"the 'after' of {declared_by}")
                constraints.append((other, spec.name, declared_by))
            for other in spec.before:
                self._require_known(other, f"the 'before' of {declared_by}")
                constraints.append((spec.name, other, declared_by))
        for chained in self._chains:
            declared_by = f"chain({', '.join(map(repr, chained))})"
            for name in chained:
                self._require_known(name, declared_by)
            constraints.extend(
                (first, then, declared_by) for first, then in itertools.pairwise(chained)
            )
        return constraints

    def _require_known(self, name: str, where: str) -> None:
        if name not in self._systems:
            raise UnknownSystemError(
                f"{where} names {name!r}, but no system of that name was added",
                system=name,
                where=where,
            )

    # -- running --------------------------------------------------------------------------

    def run(self, world: World) -> None:
        """Run one tick over ``world`` (building first if needed; see the module docstring).

        Args:
            world: The world the systems read and change.

        Raises:
            ScheduleError: The schedule is mis-declared (see :meth:`build`), or this
                schedule is already running a tick.
        """
        self._refuse_while_running()
        order = self._built_order()
        self._running = True
        try:
            if self._tracer is None:
                self._run_stages(order, world)
            else:
                with self._tracer.span("tick", "tick"):
                    self._run_stages(order, world)
        finally:
            self._running = False

    def _run_stages(self, order: dict[Stage, list[SystemSpec]], world: World) -> None:
        world.flush()
        tracer = self._tracer
        for stage in Stage:
            if tracer is None:
                self._run_stage(order[stage], world)
            else:
                with tracer.span(stage.name, "stage"):
                    self._run_stage(order[stage], world)
        world.update_events()

    def _run_stage(self, specs: list[SystemSpec], world: World) -> None:
        for spec in specs:
            if all(condition(world) for condition in spec.run_if):
                self._run_system(spec, world)
                world.flush()

    def _run_system(self, spec: SystemSpec, world: World) -> None:
        try:
            if self._tracer is not None:
                with self._tracer.span(spec.name, "system", stage=spec.stage.name):
                    spec.func(world)
            elif self._collect_timings:
                started = time.perf_counter()
                spec.func(world)
                elapsed = time.perf_counter() - started
                self._timings[spec.name] = self._timings.get(spec.name, 0.0) + elapsed
            else:
                spec.func(world)
        except Exception as exc:
            exc.add_note(f"while running system {spec.name!r} in stage {spec.stage.name}")
            if isinstance(exc, ReelgraphError):
                exc.with_context(system=spec.name, stage=spec.stage.name)
            raise

    def _refuse_while_running(self) -> None:
        if self._running:
            raise ScheduleError("the schedule cannot be changed or re-run during a tick")

    # -- introspection --------------------------------------------------------------------

    @property
    def is_built(self) -> bool:
        """Whether the order is frozen (adding a system or chain unfreezes it)."""
        return self._order is not None

    @property
    def timings(self) -> dict[str, float]:
        """Total seconds spent in each system so far (a copy; empty unless collected)."""
        return dict(self._timings)

    def reset_timings(self) -> None:
        """Forget the collected timings."""
        self._timings.clear()

    def systems_in(self, stage: Stage | str) -> list[str]:
        """The names of the systems of ``stage``, in run order (builds if needed).

        Raises:
            UnknownSystemSetError: ``stage`` names no stage.
            ScheduleError: The schedule is mis-declared (see :meth:`build`).
        """
        resolved = Stage.parse(stage)
        return [spec.name for spec in self._built_order()[resolved]]

    def system(self, name: str) -> SystemSpec:
        """The declaration of the system called ``name``.

        Raises:
            UnknownSystemError: No system of that name was added.
        """
        self._require_known(name, "the lookup")
        return self._systems[name]

    def describe(self) -> str:
        """A readable dump of the built order, one line per system, with its conditions."""
        order = self._built_order()
        lines: list[str] = []
        for stage in Stage:
            lines.append(f"{stage.name}:")
            for spec in order[stage]:
                gate = f"  if {', '.join(map(_name_of, spec.run_if))}" if spec.run_if else ""
                lines.append(f"  {spec.name}{gate}")
        return "\n".join(lines)

    def __len__(self) -> int:
        """The number of systems added."""
        return len(self._systems)
