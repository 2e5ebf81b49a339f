"""reelgraph's own small, deterministic ECS: world, events, stages, schedule, run criteria.

Everything lives in a :class:`World` instance (never in module globals); queries iterate in
ascending entity order; events are typed and double-buffered with a two-tick lifetime; the
:class:`Schedule` runs the systems of each :class:`Stage` in a validated, frozen order. The
package imports neither ``av`` nor ``wgpu`` nor ``numpy``.

Typical use::

    world = World()
    schedule = Schedule()
    schedule.add_system(apply_pending_edits, Stage.INGEST)
    schedule.add_system(decode_demanded_frames, "decode", run_if=resource_exists(Playhead))
    schedule.run(world)  # one tick
"""

from __future__ import annotations

from reelgraph.ecs.criteria import (
    Condition,
    RunCondition,
    all_of,
    any_events,
    any_of,
    condition,
    not_,
    resource_equals,
    resource_exists,
    resource_matches,
)
from reelgraph.ecs.events import EventReader, Events
from reelgraph.ecs.schedule import Schedule, System, SystemSpec
from reelgraph.ecs.stage import Stage
from reelgraph.ecs.world import World

__all__ = [
    "Condition",
    "EventReader",
    "Events",
    "RunCondition",
    "Schedule",
    "Stage",
    "System",
    "SystemSpec",
    "World",
    "all_of",
    "any_events",
    "any_of",
    "condition",
    "not_",
    "resource_equals",
    "resource_exists",
    "resource_matches",
]
