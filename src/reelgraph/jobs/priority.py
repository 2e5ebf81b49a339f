"""Priority classes and worker pools: who goes first, and which threads run it.

Classes, most urgent first: ``IMMEDIATE > VIDEO_FRAME > NORMAL > DEFERRED > BACKGROUND``.
The first three are *foreground* work (what a frame or a user waits for): a foreground
:meth:`~reelgraph.jobs.system.JobSystem.join` waits until none of it is left. Deferred and
background work may be joined on request.
"""

from __future__ import annotations

import enum

__all__ = ["FOREGROUND", "PoolKind", "Priority", "default_pool"]


class Priority(enum.IntEnum):
    """A job's priority class; a lower value is served first."""

    IMMEDIATE = 0
    VIDEO_FRAME = 1
    NORMAL = 2
    DEFERRED = 3
    BACKGROUND = 4

    @property
    def is_foreground(self) -> bool:
        """Whether a foreground join waits for work of this class."""
        return self <= Priority.NORMAL

    @property
    def label(self) -> str:
        """A short lower-case name for tables and traces (``video_frame``)."""
        return self.name.lower()


#: The classes a foreground join waits for.
FOREGROUND: tuple[Priority, ...] = tuple(p for p in Priority if p.is_foreground)


class PoolKind(enum.Enum):
    """The worker pools of a job system, by the kind of work they carry."""

    FRAME = "frame"
    """Frame-critical work: the pixels of the frame being made now."""
    DEFAULT = "default"
    """Everything else computed on the CPU."""
    IO = "io"
    """Blocking I/O: reading and writing files, probing media."""
    BACKGROUND = "background"
    """Work nobody waits for: proxies, thumbnails, cache warm-up."""


def default_pool(priority: Priority) -> PoolKind:
    """The pool a job of ``priority`` runs on unless another is named."""
    if priority <= Priority.VIDEO_FRAME:
        return PoolKind.FRAME
    if priority is Priority.BACKGROUND:
        return PoolKind.BACKGROUND
    return PoolKind.DEFAULT
