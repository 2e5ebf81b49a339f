"""The dispatcher: which queued job a free worker takes next.

Pure bookkeeping with no threads or locks of its own (the pool holds its lock around
every call), so its choices are easy to test with a manual clock:

* jobs of one class are served first in, first out;
* a class whose ``max_running`` quota is used up is skipped;
* among the heads of the other queues, the job with the best *effective class* wins:
  its class, promoted by one for every ``aging`` seconds it has waited (never above
  ``IMMEDIATE``); ties go to the job that has waited longest, then to the lower id.

Because an aged job eventually reaches the top class and then wins on waiting time,
every job is taken in bounded time as long as workers keep taking jobs.
"""

from __future__ import annotations

import math
from collections import deque

from reelgraph.jobs.handle import Job
from reelgraph.jobs.policy import QueuePolicy
from reelgraph.jobs.priority import Priority

__all__ = ["Dispatcher"]


class Dispatcher:
    """Bounded per-class queues, quotas and aging for one pool.

    Args:
        policy: The classes' capacities, quotas and aging.
    """

    __slots__ = ("_policy", "_queues", "_running")

    def __init__(self, policy: QueuePolicy) -> None:
        self._policy = policy
        self._queues: dict[Priority, deque[Job]] = {p: deque() for p in Priority}
        self._running: dict[Priority, int] = dict.fromkeys(Priority, 0)

    @property
    def policy(self) -> QueuePolicy:
        """The rules the queues follow."""
        return self._policy

    def has_room(self, priority: Priority) -> bool:
        """Whether a job of ``priority`` may be queued now (admission control)."""
        return len(self._queues[priority]) < self._policy.of(priority).capacity

    def push(self, job: Job) -> None:
        """Queue ``job`` at the back of its class.

        Raises:
            OverflowError: The class's queue is full (check :meth:`has_room` first).
        """
        if not self.has_room(job.priority):
            raise OverflowError(f"the {job.priority.label} queue is full")
        self._queues[job.priority].append(job)

    def remove(self, job: Job) -> bool:
        """Take a queued job out (it was cancelled); returns whether it was queued."""
        try:
            self._queues[job.priority].remove(job)
        except ValueError:
            return False
        return True

    def effective_class(self, job: Job, now: float) -> int:
        """``job``'s class promoted by its waiting time (0 is ``IMMEDIATE``)."""
        aging = self._policy.of(job.priority).aging
        if aging is None:
            return int(job.priority)
        steps = math.floor(max(0.0, now - job.submitted_at) / aging)
        return max(0, int(job.priority) - steps)

    def take(self, now: float) -> Job | None:
        """Remove and return the job to run next at time ``now``, counting it running.

        Returns:
            The job, or None when every queue is empty or quota-blocked.
        """
        best: Job | None = None
        best_key: tuple[int, float, int] | None = None
        for priority, queue in self._queues.items():
            if not queue:
                continue
            quota = self._policy.of(priority).max_running
            if quota is not None and self._running[priority] >= quota:
                continue
            head = queue[0]
            key = (self.effective_class(head, now), head.submitted_at, head.id)
            if best_key is None or key < best_key:
                best, best_key = head, key
        if best is None:
            return None
        self._queues[best.priority].popleft()
        self._running[best.priority] += 1
        return best

    def finish(self, job: Job) -> None:
        """A job taken by :meth:`take` stopped running; its quota slot is free again."""
        self._running[job.priority] -= 1

    def depth(self, priority: Priority) -> int:
        """Jobs of ``priority`` waiting."""
        return len(self._queues[priority])

    def running(self, priority: Priority) -> int:
        """Jobs of ``priority`` taken and not yet finished."""
        return self._running[priority]

    def queued(self) -> int:
        """Jobs waiting, all classes."""
        return sum(len(q) for q in self._queues.values())

    def drain(self) -> list[Job]:
        """Remove and return every queued job, most urgent class first."""
        jobs = [job for queue in self._queues.values() for job in queue]
        for queue in self._queues.values():
            queue.clear()
        return jobs
