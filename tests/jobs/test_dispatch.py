"""The dispatcher's choices: class order, FIFO, aging, quotas, capacity (no threads)."""

from __future__ import annotations

import pytest

from reelgraph.jobs import CancelToken, ClassPolicy, Dispatcher, PoolKind, Priority, QueuePolicy
from reelgraph.jobs.handle import Job

_ids = iter(range(1, 10_000))


def job(priority: Priority, at: float = 0.0, name: str = "") -> Job:
    return Job(
        id=next(_ids),
        name=name or priority.label,
        fn=lambda: None,
        args=(),
        kwargs={},
        priority=priority,
        pool=PoolKind.DEFAULT,
        token=CancelToken(),
        timeout=None,
        submitted_at=at,
    )


def names(dispatcher: Dispatcher, now: float = 0.0) -> list[str]:
    taken = []
    while (found := dispatcher.take(now)) is not None:
        taken.append(found.name)
        dispatcher.finish(found)
    return taken


def test_jobs_are_taken_most_urgent_class_first():
    dispatcher = Dispatcher(QueuePolicy())
    for priority in (
        Priority.BACKGROUND,
        Priority.NORMAL,
        Priority.IMMEDIATE,
        Priority.DEFERRED,
        Priority.VIDEO_FRAME,
    ):
        dispatcher.push(job(priority))
    assert names(dispatcher) == ["immediate", "video_frame", "normal", "deferred", "background"]


def test_jobs_of_one_class_are_taken_first_in_first_out():
    dispatcher = Dispatcher(QueuePolicy())
    for index in range(5):
        dispatcher.push(job(Priority.NORMAL, at=0.0, name=f"n{index}"))
    assert names(dispatcher) == ["n0", "n1", "n2", "n3", "n4"]


def test_a_waiting_job_climbs_one_class_per_aging_step():
    dispatcher = Dispatcher(QueuePolicy())
    waiting = job(Priority.BACKGROUND, at=0.0)  # aging 1.0 s per class
    assert dispatcher.effective_class(waiting, 0.99) == Priority.BACKGROUND
    assert dispatcher.effective_class(waiting, 1.0) == Priority.DEFERRED
    assert dispatcher.effective_class(waiting, 3.5) == Priority.VIDEO_FRAME
    assert dispatcher.effective_class(waiting, 100.0) == Priority.IMMEDIATE


def test_an_aged_background_job_overtakes_a_stream_of_fresh_frame_jobs():
    dispatcher = Dispatcher(QueuePolicy())
    dispatcher.push(job(Priority.BACKGROUND, at=0.0, name="old background"))
    taken = []
    now = 0.0
    # A producer keeps one fresh frame job queued at every step: without aging the
    # background job would wait forever.
    for step in range(10):
        now = step * 0.5
        dispatcher.push(job(Priority.VIDEO_FRAME, at=now, name=f"frame {step}"))
        found = dispatcher.take(now)
        assert found is not None
        taken.append(found.name)
        dispatcher.finish(found)
    assert "old background" in taken
    # At 3.0 s it has climbed to VIDEO_FRAME and wins the tie by having waited longer.
    assert taken.index("old background") == 6


def test_without_aging_a_lower_class_waits_behind_every_higher_one():
    policy = QueuePolicy().with_class(Priority.BACKGROUND, aging=None)
    dispatcher = Dispatcher(policy)
    dispatcher.push(job(Priority.BACKGROUND, at=0.0, name="bg"))
    dispatcher.push(job(Priority.NORMAL, at=50.0, name="normal"))
    assert names(dispatcher, now=100.0) == ["normal", "bg"]


def test_a_class_at_its_quota_is_skipped_until_a_job_of_it_finishes():
    dispatcher = Dispatcher(QueuePolicy())  # BACKGROUND: max_running 1
    first, second = job(Priority.BACKGROUND, name="b1"), job(Priority.BACKGROUND, name="b2")
    dispatcher.push(first)
    dispatcher.push(second)
    assert dispatcher.take(0.0) is first
    assert dispatcher.take(0.0) is None  # quota used up
    dispatcher.push(job(Priority.NORMAL, name="n"))
    assert dispatcher.take(0.0).name == "n"  # other classes still flow
    dispatcher.finish(first)
    assert dispatcher.take(0.0) is second


def test_a_full_class_queue_refuses_more_jobs_but_others_still_have_room():
    policy = QueuePolicy().with_class(Priority.NORMAL, capacity=2)
    dispatcher = Dispatcher(policy)
    dispatcher.push(job(Priority.NORMAL))
    dispatcher.push(job(Priority.NORMAL))
    assert not dispatcher.has_room(Priority.NORMAL)
    assert dispatcher.has_room(Priority.DEFERRED)
    with pytest.raises(OverflowError):
        dispatcher.push(job(Priority.NORMAL))


def test_class_policies_refuse_nonsense():
    with pytest.raises(ValueError):
        ClassPolicy(capacity=0)
    with pytest.raises(ValueError):
        ClassPolicy(capacity=1, max_running=0)
    with pytest.raises(ValueError):
        ClassPolicy(capacity=1, aging=0)
