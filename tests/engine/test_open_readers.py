"""The media pool's bounded set of open readers (no media: readers are stand-ins)."""

from __future__ import annotations

from collections.abc import Callable

from reelgraph.engine.open_readers import OpenReaders


class StandIn:
    """A reader that only records being closed."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name = name
        self.log = log

    def close(self) -> None:
        self.log.append(self.name)


def opener(name: str, log: list[str]) -> Callable[[], StandIn]:
    return lambda: StandIn(name, log)


def test_no_more_than_the_limit_stay_open_and_the_least_recently_used_closes_first() -> None:
    closed: list[str] = []
    readers: OpenReaders[StandIn] = OpenReaders(limit=2)
    readers.get("a", opener("a", closed))
    readers.get("b", opener("b", closed))
    readers.get("a", opener("a", closed))  # a is now the most recent
    readers.get("c", opener("c", closed))
    assert closed == ["b"]
    assert len(readers) == 2
    assert "a" in readers and "c" in readers


def test_a_reader_asked_for_again_is_the_same_one_until_it_is_closed() -> None:
    closed: list[str] = []
    readers: OpenReaders[StandIn] = OpenReaders(limit=1)
    first = readers.get("a", opener("a", closed))
    assert readers.get("a", opener("a", closed)) is first
    readers.get("b", opener("b", closed))
    again = readers.get("a", opener("a", closed))
    assert again is not first
    assert readers.opened == 3


def test_offer_keeps_a_reader_only_while_there_is_room_and_never_closes_one() -> None:
    closed: list[str] = []
    readers: OpenReaders[StandIn] = OpenReaders(limit=1)
    kept = StandIn("a", closed)
    assert readers.offer("a", kept)
    assert not readers.offer("b", StandIn("b", closed))
    assert readers.peek("a") is kept
    assert readers.peek("b") is None
    assert closed == []


def test_close_closes_every_reader() -> None:
    closed: list[str] = []
    readers: OpenReaders[StandIn] = OpenReaders(limit=3)
    for name in "abc":
        readers.get(name, opener(name, closed))
    readers.close()
    assert sorted(closed) == ["a", "b", "c"]
    assert len(readers) == 0
