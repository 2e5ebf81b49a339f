"""The job system: routing to pools, one root token, shared metrics, join across pools."""

from __future__ import annotations

import threading

import pytest

import reelgraph.jobs as jobs
from reelgraph.errors import JobCancelledError, JobTimeoutError
from reelgraph.jobs import JobState, JobSystem, JobSystemConfig, PoolKind, Priority

from .conftest import GUARD, Gate


@pytest.fixture
def system(clock):
    config = JobSystemConfig(watchdog_interval=None)
    with JobSystem(config, clock=clock) as made:
        yield made


def test_jobs_are_routed_to_pools_by_priority_unless_a_pool_is_named(system):
    def where() -> str:
        return threading.current_thread().name

    assert (
        system.submit(where, priority=Priority.VIDEO_FRAME)
        .result(GUARD)
        .startswith("reelgraph-frame-")
    )
    assert system.submit(where).result(GUARD).startswith("reelgraph-default-")
    assert (
        system.submit(where, priority=Priority.BACKGROUND)
        .result(GUARD)
        .startswith("reelgraph-background-")
    )
    assert system.submit(where, pool=PoolKind.IO).result(GUARD).startswith("reelgraph-io-")


def test_join_waits_for_work_that_hops_between_pools(system):
    done: list[str] = []

    def read() -> None:
        system.submit(done.append, "decoded", priority=Priority.VIDEO_FRAME)

    system.submit(read, pool=PoolKind.IO)
    system.join(timeout=GUARD)
    assert done == ["decoded"]
    assert system.unfinished() == 0


def test_cancelling_the_system_cancels_queued_work_on_every_pool(system):
    gates = {kind: Gate() for kind in (PoolKind.FRAME, PoolKind.DEFAULT)}
    for kind, gate in gates.items():
        for _ in range(2):  # both workers of the pool
            system.submit(gate, pool=kind, priority=Priority.IMMEDIATE)
    for gate in gates.values():
        gate.hold()
    queued = [
        system.submit(lambda: None, priority=Priority.VIDEO_FRAME),
        system.submit(lambda: None, priority=Priority.NORMAL),
    ]
    system.cancel("interrupted")
    for gate in gates.values():
        gate.release.set()
    for handle in queued:
        with pytest.raises(JobCancelledError):
            handle.result(GUARD)
        assert handle.state is JobState.CANCELLED


def test_metrics_are_shared_by_every_pool(system):
    system.submit(lambda: None, priority=Priority.VIDEO_FRAME).result(GUARD)
    system.submit(lambda: None, pool=PoolKind.IO, priority=Priority.VIDEO_FRAME).result(GUARD)
    system.join(timeout=GUARD)
    snapshot = system.metrics.snapshot()
    assert snapshot.for_class(Priority.VIDEO_FRAME).completed == 2
    assert snapshot.for_class(Priority.VIDEO_FRAME, pool="io").completed == 1
    assert snapshot.to_dict()["per_class"][0]["priority"] == "video_frame"


def test_work_on_the_callers_thread_counts_as_foreground_while_its_block_runs(system):
    with system.foreground():
        assert system.unfinished(background=False) == 1
        with pytest.raises(JobTimeoutError):
            system.join(timeout=0)  # a foreground join waits for the block
        waiter = system.submit(system.join, priority=Priority.BACKGROUND)
        assert not waiter.done()
    waiter.result(GUARD)  # released by the end of the block, not by a timeout
    assert system.unfinished() == 0


def test_a_join_with_a_token_ends_quietly_when_the_token_is_cancelled(system):
    token = system.root.child("waiter")
    with system.foreground():
        waiter = system.submit(
            lambda: system.join(timeout=GUARD, token=token), priority=Priority.BACKGROUND
        )
        assert system.pool(PoolKind.BACKGROUND).wait_for(lambda p: p.running() == 1, GUARD)
        token.cancel("closing")
        assert waiter.result(GUARD) is None  # not a JobTimeoutError after GUARD seconds
        assert system.unfinished(background=False) == 1


def test_only_foreground_classes_may_mark_the_callers_work(system):
    with pytest.raises(ValueError), system.foreground(Priority.BACKGROUND):
        pass


def test_the_jobs_package_exports_what_it_lists():
    for name in jobs.__all__:
        assert getattr(jobs, name) is not None
