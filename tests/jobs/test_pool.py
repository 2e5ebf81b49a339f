"""Worker pools: priorities, aging, backpressure, cancellation, time limits, join, metrics.

Every test synchronises with events and ``pool.wait_for``; the pool's clock is manual,
so wait times, aging and time limits are exact.
"""

from __future__ import annotations

import threading

import pytest

from reelgraph.errors import (
    JobCancelledError,
    JobSystemClosedError,
    JobTimeoutError,
    QueueFullError,
)
from reelgraph.jobs import CancelToken, JobState, Priority, QueuePolicy, current_token
from reelgraph.trace import Tracer, validate_chrome_trace

from .conftest import GUARD, Gate


def test_a_pool_runs_queued_jobs_in_priority_order(make_pool):
    pool = make_pool(workers=1)
    gate = Gate()
    pool.submit(gate, priority=Priority.IMMEDIATE)
    gate.hold()
    order: list[str] = []
    for priority in (
        Priority.BACKGROUND,
        Priority.DEFERRED,
        Priority.NORMAL,
        Priority.VIDEO_FRAME,
        Priority.IMMEDIATE,
    ):
        pool.submit(order.append, priority.label, priority=priority)
    gate.release.set()
    pool.join(background=True, timeout=GUARD)
    assert order == ["immediate", "video_frame", "normal", "deferred", "background"]


def test_aging_lets_a_long_waiting_background_job_run_before_newer_urgent_work(make_pool, clock):
    pool = make_pool(workers=1)
    gate = Gate()
    pool.submit(gate, priority=Priority.IMMEDIATE)
    gate.hold()
    order: list[str] = []
    pool.submit(order.append, "background", priority=Priority.BACKGROUND)
    clock.advance(10.0)  # ten aging steps: it now ranks with IMMEDIATE and is older
    for index in range(3):
        pool.submit(order.append, f"frame {index}", priority=Priority.VIDEO_FRAME)
    gate.release.set()
    pool.join(background=True, timeout=GUARD)
    assert order == ["background", "frame 0", "frame 1", "frame 2"]


def test_try_submit_returns_none_when_the_class_queue_is_full(make_pool):
    pool = make_pool(workers=1, policy=QueuePolicy().with_class(Priority.NORMAL, capacity=2))
    gate = Gate()
    pool.submit(gate, priority=Priority.IMMEDIATE)
    gate.hold()
    assert pool.try_submit(lambda: None)
    assert pool.try_submit(lambda: None)
    assert pool.try_submit(lambda: None) is None
    assert pool.try_submit(lambda: None, priority=Priority.DEFERRED)  # other classes have room
    assert pool.metrics.snapshot().for_class(Priority.NORMAL).rejected == 1
    gate.release.set()


def test_a_blocking_submit_waits_until_a_worker_frees_room(make_pool):
    pool = make_pool(workers=1, policy=QueuePolicy().with_class(Priority.NORMAL, capacity=1))
    gate = Gate()
    pool.submit(gate, priority=Priority.IMMEDIATE)
    gate.hold()
    pool.submit(lambda: "first")
    handles = []
    producer = threading.Thread(target=lambda: handles.append(pool.submit(lambda: "second")))
    producer.start()
    assert pool.wait_for(lambda p: p.blocked_producers == 1, GUARD)
    assert not handles  # pushed back: the queue is full
    gate.release.set()
    producer.join(GUARD)
    assert handles[0].result(GUARD) == "second"


def test_a_blocking_submit_gives_up_with_queue_full_after_its_wait(make_pool):
    pool = make_pool(workers=1, policy=QueuePolicy().with_class(Priority.NORMAL, capacity=1))
    gate = Gate()
    pool.submit(gate, priority=Priority.IMMEDIATE)
    gate.hold()
    pool.submit(lambda: None)
    with pytest.raises(QueueFullError) as caught:
        pool.submit(lambda: None, wait=0)
    assert caught.value.code == "jobs.queue_full"
    with pytest.raises(QueueFullError):
        pool.submit(lambda: None, wait=0.01)  # nobody frees room: the outcome is fixed
    gate.release.set()


def test_cancelling_a_queued_job_resolves_it_without_running_it(make_pool):
    pool = make_pool(workers=1)
    gate = Gate()
    pool.submit(gate, priority=Priority.IMMEDIATE)
    gate.hold()
    ran: list[str] = []
    handle = pool.submit(ran.append, "ran")
    assert pool.depth(Priority.NORMAL) == 1
    assert handle.cancel()
    assert handle.state is JobState.CANCELLED
    assert pool.depth(Priority.NORMAL) == 0
    with pytest.raises(JobCancelledError):
        handle.result(GUARD)
    gate.release.set()
    pool.join(timeout=GUARD)
    assert ran == []


def test_a_running_job_stops_at_its_next_check_when_cancelled(make_pool):
    pool = make_pool(workers=1)
    started, resume = threading.Event(), threading.Event()

    def cooperative() -> str:
        token = current_token()
        assert token is not None
        started.set()
        assert resume.wait(GUARD)
        token.check()
        return "finished"

    handle = pool.submit(cooperative)
    assert started.wait(GUARD)
    handle.cancel("superseded")
    resume.set()
    with pytest.raises(JobCancelledError):
        handle.result(GUARD)
    assert handle.state is JobState.CANCELLED


def test_cancelling_a_render_token_cancels_every_job_under_it(make_pool):
    pool = make_pool(workers=1)
    gate = Gate()
    pool.submit(gate, priority=Priority.IMMEDIATE)
    gate.hold()
    render = CancelToken("render")
    handles = [pool.submit(lambda: None, token=render) for _ in range(3)]
    other = pool.submit(lambda: "kept")
    render.cancel("interrupted")
    assert all(h.state is JobState.CANCELLED for h in handles)
    gate.release.set()
    assert other.result(GUARD) == "kept"


def test_a_job_past_its_time_limit_is_timed_out_by_the_watchdog(make_pool, clock):
    pool = make_pool(workers=1)
    gate = Gate()
    handle = pool.submit(gate, timeout=2.0)
    gate.hold()
    clock.advance(1.0)
    assert pool.expire_overdue() == 0
    clock.advance(1.0)
    assert pool.expire_overdue() == 1
    assert handle.state is JobState.TIMED_OUT
    with pytest.raises(JobTimeoutError) as caught:
        handle.result(GUARD)
    assert caught.value.params["phase"] == "run"
    gate.release.set()  # the stuck callable returns later; its result is dropped
    pool.join(timeout=GUARD)
    assert handle.state is JobState.TIMED_OUT
    assert pool.metrics.snapshot().for_class(Priority.NORMAL).timed_out == 1


def test_a_job_that_checks_its_token_after_its_limit_raises_a_timeout(make_pool, clock):
    pool = make_pool(workers=1)

    def slow() -> None:
        clock.advance(5.0)  # the work "takes" five seconds of pool time
        token = current_token()
        assert token is not None
        token.check()

    handle = pool.submit(slow, timeout=1.0)
    with pytest.raises(JobTimeoutError):
        handle.result(GUARD)
    assert handle.state is JobState.TIMED_OUT


def test_a_failing_job_hands_its_error_to_the_handle(make_pool):
    pool = make_pool(workers=1)

    def broken() -> None:
        raise ValueError("bad tile")

    handle = pool.submit(broken)
    assert isinstance(handle.exception(GUARD), ValueError)
    assert handle.state is JobState.FAILED
    assert pool.metrics.snapshot().for_class(Priority.NORMAL).failed == 1


def test_foreground_join_waits_for_frame_and_normal_work_but_not_background(make_pool):
    pool = make_pool(workers=2)
    background = Gate()
    pool.submit(background, priority=Priority.BACKGROUND)
    background.hold()
    frames = [pool.submit(lambda i=i: i, priority=Priority.VIDEO_FRAME) for i in range(5)]
    pool.join(timeout=GUARD)  # returns although the background job still runs
    assert all(h.done() for h in frames)
    with pytest.raises(JobTimeoutError) as caught:
        pool.join(background=True, timeout=0)
    assert caught.value.params["phase"] == "join"
    background.release.set()
    pool.join(background=True, timeout=GUARD)


def test_join_waits_for_follow_up_jobs_submitted_by_running_jobs(make_pool):
    pool = make_pool(workers=2)
    results: list[int] = []

    def parent(depth: int) -> None:
        results.append(depth)
        if depth < 4:
            pool.submit(parent, depth + 1)

    pool.submit(parent, 0)
    pool.join(timeout=GUARD)
    assert results == [0, 1, 2, 3, 4]


def test_the_background_quota_leaves_a_worker_for_frame_work(make_pool):
    pool = make_pool(workers=2)  # BACKGROUND may run one job at a time
    first, second = Gate(), Gate()
    pool.submit(first, priority=Priority.BACKGROUND)
    pool.submit(second, priority=Priority.BACKGROUND)
    first.hold()
    frame = pool.submit(lambda: "frame", priority=Priority.VIDEO_FRAME)
    assert frame.result(GUARD) == "frame"
    assert not second.entered.is_set()
    first.release.set()
    second.hold()
    second.release.set()
    pool.join(background=True, timeout=GUARD)


def test_metrics_record_queue_depth_wait_and_run_per_class(make_pool, clock):
    pool = make_pool(workers=1)
    gate = Gate()
    pool.submit(gate, priority=Priority.IMMEDIATE)
    gate.hold()
    for _ in range(3):
        pool.submit(clock.advance, 0.5, priority=Priority.DEFERRED)
    clock.advance(2.0)
    gate.release.set()
    pool.join(background=True, timeout=GUARD)
    deferred = pool.metrics.snapshot().for_class(Priority.DEFERRED)
    assert (deferred.submitted, deferred.completed, deferred.max_depth, deferred.depth) == (
        3,
        3,
        3,
        0,
    )
    assert deferred.wait.max == pytest.approx(3.0)  # 2 s + the two jobs before it
    assert deferred.wait.p50 == pytest.approx(2.5)
    assert deferred.run.total == pytest.approx(1.5)
    assert "deferred" in pool.metrics.snapshot().format()


def test_a_closed_pool_refuses_new_jobs(make_pool):
    pool = make_pool(workers=1)
    pool.close()
    with pytest.raises(JobSystemClosedError):
        pool.submit(lambda: None)


def test_job_waits_and_runs_appear_in_a_chrome_trace(make_pool):
    tracer = Tracer()
    pool = make_pool(workers=1, tracer=tracer)
    pool.submit(lambda: None, name="decode tile")
    pool.join(timeout=GUARD)
    events = tracer.document()["traceEvents"]
    assert validate_chrome_trace(tracer.document()) == []
    phases = {(e["ph"], e.get("cat")) for e in events}
    assert {("b", "job.wait"), ("e", "job.wait"), ("X", "job"), ("C", "counter")} <= phases


def test_finished_jobs_leave_no_tokens_attached_to_their_parent(make_pool):
    pool = make_pool(workers=1)
    render = CancelToken("render")
    handles = [pool.submit(lambda: None, token=render, timeout=t) for t in (None, 5.0)]
    handles.append(pool.submit(lambda: None, token=render))
    handles[-1].cancel()
    pool.join(timeout=GUARD)
    assert all(h.done() for h in handles)
    assert render.attached == 0
