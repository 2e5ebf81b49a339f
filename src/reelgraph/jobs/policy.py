"""Per-class queue policy: capacity (admission), quota (concurrency) and aging.

Each priority class has its own bounded queue. ``capacity`` bounds how many jobs may wait
(a full queue pushes back on producers); ``max_running`` bounds how many jobs of the class
run at once on one pool (so background work can never take every worker); ``aging`` is
how many seconds of waiting promote a job by one class, so nothing waits forever.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from reelgraph.jobs.priority import Priority

__all__ = ["ClassPolicy", "QueuePolicy"]


@dataclass(frozen=True, slots=True)
class ClassPolicy:
    """The rules of one priority class's queue on one pool.

    Attributes:
        capacity: The most jobs that may wait in the queue (at least 1).
        max_running: The most jobs of the class running at once (None: any number).
        aging: Seconds of waiting that promote a queued job by one class (None: never).
    """

    capacity: int
    max_running: int | None = None
    aging: float | None = None

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {self.capacity}")
        if self.max_running is not None and self.max_running < 1:
            raise ValueError(f"max_running must be at least 1, got {self.max_running}")
        if self.aging is not None and self.aging <= 0:
            raise ValueError(f"aging must be positive seconds, got {self.aging}")


_DEFAULTS: tuple[ClassPolicy, ...] = (
    ClassPolicy(capacity=64),  # IMMEDIATE
    ClassPolicy(capacity=256, aging=0.1),  # VIDEO_FRAME
    ClassPolicy(capacity=1024, aging=0.25),  # NORMAL
    ClassPolicy(capacity=1024, aging=0.5),  # DEFERRED
    ClassPolicy(capacity=4096, max_running=1, aging=1.0),  # BACKGROUND
)


@dataclass(frozen=True, slots=True)
class QueuePolicy:
    """One :class:`ClassPolicy` per priority class, in class order."""

    classes: tuple[ClassPolicy, ...] = _DEFAULTS

    def __post_init__(self) -> None:
        if len(self.classes) != len(Priority):
            raise ValueError(f"a queue policy needs {len(Priority)} classes")

    def of(self, priority: Priority) -> ClassPolicy:
        """The policy of one class."""
        return self.classes[priority]

    def with_class(self, priority: Priority, **changes: Any) -> QueuePolicy:
        """A copy with one class's fields replaced (``capacity=2``, ``aging=None``)."""
        classes = list(self.classes)
        classes[priority] = dataclasses.replace(classes[priority], **changes)
        return QueuePolicy(tuple(classes))
