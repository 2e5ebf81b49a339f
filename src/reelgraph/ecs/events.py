"""Typed, double-buffered messages between systems, and the readers that consume them.

Events are keyed by their Python type (``Events[EditApplied]``), never by a string name.
Each :class:`Events` store holds two buffers:

* :meth:`Events.send` appends to the *newer* buffer;
* :meth:`Events.update` drops the *older* buffer and makes the newer one older. The
  schedule calls it (through :meth:`World.update_events`) once, at the END of every tick.

So an event lives for exactly two ticks: the tick it is sent in and the next one. An
event sent between ticks (by setup code, a CLI command or the UI) belongs to the tick that
runs next. Whatever its place in the schedule, a system therefore sees every event once:
one that runs *before* the sender sees it in the next tick; one that runs *after* it, in
the same tick. A system that does not read for two whole ticks misses the events dropped in
between; that is the price of bounded memory, and the reason a system must read every tick.

Each :class:`EventReader` has its own cursor, so each reader sees each event exactly once,
in the order sent. The cursor lives in the world's store, keyed by the reader object: one
reader (say, created next to the system function that uses it) keeps an independent cursor
per world, and two worlds share nothing.

Events are messages, read when a system runs; there are no immediate callbacks.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from reelgraph.ecs.world import World

__all__ = ["EventReader", "Events"]

T = TypeVar("T")


class EventReader(Generic[T]):
    """A consumer of events of one type, which sees each event once.

    A reader is a key: its cursor is kept by each world's store, so the same reader may be
    used with several worlds and keeps a separate position in each. A new reader starts at
    the oldest event still alive (sent this tick or the previous one).

    Example::

        edits = EventReader(EditApplied)

        def apply_edits(world: World) -> None:
            for edit in edits.read(world):
                ...
    """

    __slots__ = ("__weakref__", "_event_type")

    def __init__(self, event_type: type[T]) -> None:
        """Make a reader of ``event_type`` events.

        Args:
            event_type: The exact type of the events to read.
        """
        self._event_type = event_type

    @property
    def event_type(self) -> type[T]:
        """The type of the events this reader reads."""
        return self._event_type

    def read(self, world: World) -> list[T]:
        """Consume the events of this type that this reader has not yet seen in ``world``.

        Args:
            world: The world whose events to read.

        Returns:
            The unseen live events, oldest first (possibly empty).
        """
        return world.events(self._event_type).read(self)

    def __repr__(self) -> str:
        return f"EventReader({self._event_type.__qualname__})"


class Events(Generic[T]):
    """The double-buffered store of one event type (see the module docstring for lifetime).

    Every event gets a sequence number in the order sent; a reader's cursor is the
    sequence number of the next event it has not seen.
    """

    __slots__ = ("_cursors", "_event_type", "_newer", "_older", "_older_start")

    def __init__(self, event_type: type[T]) -> None:
        """Make an empty store for ``event_type``.

        Args:
            event_type: The exact type of the events stored.
        """
        self._event_type = event_type
        self._older: list[T] = []
        self._newer: list[T] = []
        self._older_start = 0
        # Weak keys: a reader that is dropped must not keep a cursor (and memory) alive.
        self._cursors: weakref.WeakKeyDictionary[EventReader[T], int] = weakref.WeakKeyDictionary()

    @property
    def event_type(self) -> type[T]:
        """The type of the events stored."""
        return self._event_type

    def send(self, event: T) -> None:
        """Append ``event`` to the newer buffer.

        Args:
            event: An instance of exactly :attr:`event_type`.

        Raises:
            TypeError: ``event`` is not of :attr:`event_type`.
        """
        if type(event) is not self._event_type:
            raise TypeError(
                f"Events[{self._event_type.__qualname__}] cannot store a {type(event).__qualname__}"
            )
        self._newer.append(event)

    def read(self, reader: EventReader[T]) -> list[T]:
        """Consume the live events ``reader`` has not seen yet.

        Args:
            reader: The reader whose cursor to use and advance.

        Returns:
            The unseen live events, oldest first.

        Raises:
            TypeError: ``reader`` reads another event type.
        """
        if reader.event_type is not self._event_type:
            raise TypeError(f"{reader!r} cannot read Events[{self._event_type.__qualname__}]")
        newer_start = self._older_start + len(self._older)
        cursor = max(self._cursors.get(reader, self._older_start), self._older_start)
        unseen = self._older[cursor - self._older_start :]
        unseen.extend(self._newer[max(cursor - newer_start, 0) :])
        self._cursors[reader] = newer_start + len(self._newer)
        return unseen

    def update(self) -> None:
        """End a tick: drop the older buffer; the newer buffer becomes the older one."""
        self._older_start += len(self._older)
        self._older = self._newer
        self._newer = []

    def clear(self) -> None:
        """Drop every live event at once (readers simply find nothing new)."""
        self._older_start += len(self._older) + len(self._newer)
        self._older = []
        self._newer = []

    def __iter__(self) -> Iterator[T]:
        """Iterate over the live events, oldest first, without moving any cursor."""
        return iter([*self._older, *self._newer])

    def __len__(self) -> int:
        """The number of live events (sent this tick or the previous one)."""
        return len(self._older) + len(self._newer)

    def __repr__(self) -> str:
        return f"Events({self._event_type.__qualname__}, live={len(self)})"
