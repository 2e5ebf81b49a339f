"""The media pool's open readers: at most a few at once, the least recently used closed first.

Each open video reader holds a demuxer, a decoder with its frame threads (about 25 MB and
three threads for 1080p H.264) and its cache of converted frames; each audio reader holds
its whole decoded stream. A long timeline cut from many files would otherwise keep every
file it ever showed open to the end, so memory would grow with its length. Keeping the
recently used ones serves a frame's sources and the next frame's (the read-ahead) without
reopening; a reader closed here is reopened when it is wanted again, which changes what
is decoded when, never the pictures.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, Protocol, TypeVar

__all__ = ["DEFAULT_OPEN_READERS", "OpenReaders"]

#: Readers of each kind a pool keeps open (more than a frame's sources in any usual edit).
DEFAULT_OPEN_READERS = 16


class Closable(Protocol):
    """A reader: something that holds a file and is closed when no longer wanted."""

    def close(self) -> None:
        """Release the file and what was decoded from it."""
        ...


R = TypeVar("R", bound=Closable)


class OpenReaders(Generic[R]):
    """Readers by key, at most ``limit`` open; the least recently used is closed first.

    Only :meth:`get` closes readers, and one thread calls it: the one that reads from
    them (for video, the read-ahead's decode thread), so a reader is never closed while it
    decodes. Other threads look readers up with :meth:`peek` (for their stream info) and
    add them with :meth:`offer`, neither of which closes one.

    Args:
        limit: Most readers kept open (at least 1).
    """

    def __init__(self, limit: int = DEFAULT_OPEN_READERS) -> None:
        self.limit = max(1, limit)
        self._readers: OrderedDict[Hashable, R] = OrderedDict()
        self._lock = threading.Lock()
        self.opened = 0
        """Readers taken in so far, reopened ones included (diagnostics; a test seam)."""

    def __len__(self) -> int:
        return len(self._readers)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._readers

    def values(self) -> Iterator[R]:
        """The open readers, least recently used first."""
        with self._lock:
            return iter(list(self._readers.values()))

    def peek(self, key: Hashable) -> R | None:
        """The open reader of ``key`` (its place in the order unchanged), or None."""
        return self._readers.get(key)

    def offer(self, key: Hashable, reader: R) -> bool:
        """Keep ``reader`` (just opened) if there is room; whether it was kept."""
        with self._lock:
            if key in self._readers or len(self._readers) >= self.limit:
                return False
            self._readers[key] = reader
            self.opened += 1
            return True

    def get(self, key: Hashable, open_reader: Callable[[], R]) -> R:
        """The reader of ``key``, opened with ``open_reader`` if needed; closes the oldest."""
        with self._lock:
            reader = self._readers.get(key)
            if reader is not None:
                self._readers.move_to_end(key)
        if reader is None:
            opened = open_reader()
            with self._lock:
                # Another thread may have offered one meanwhile: keep that one.
                reader = self._readers.setdefault(key, opened)
                self.opened += reader is opened
            if reader is not opened:
                opened.close()
        with self._lock:
            evicted = []
            while len(self._readers) > self.limit:
                evicted.append(self._readers.popitem(last=False)[1])
        for oldest in evicted:
            oldest.close()
        return reader

    def close(self) -> None:
        """Close every reader."""
        with self._lock:
            readers = list(self._readers.values())
            self._readers.clear()
        for reader in readers:
            reader.close()
