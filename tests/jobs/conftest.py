"""Helpers for job tests: gates that hold a worker, and a pool on a manual clock.

No test sleeps to synchronise: threads meet at events, and pools are observed with
``pool.wait_for`` (re-checked at every state change). Timeouts are failure guards only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from reelgraph.jobs import ManualClock, PoolKind, QueuePolicy, WorkerPool

GUARD = 10.0  # seconds; only reached when a test is broken


class Gate:
    """A job that signals it started, then holds its worker until released."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self) -> str:
        self.entered.set()
        assert self.release.wait(GUARD), "gate never released"
        return "gate"

    def hold(self) -> None:
        assert self.entered.wait(GUARD), "gate job never started"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_pool(clock: ManualClock) -> Iterator:
    pools: list[WorkerPool] = []

    def make(workers: int = 1, policy: QueuePolicy | None = None, **kwargs) -> WorkerPool:
        pool = WorkerPool(PoolKind.DEFAULT, workers, policy=policy, clock=clock, **kwargs)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close(cancel_queued=True)
