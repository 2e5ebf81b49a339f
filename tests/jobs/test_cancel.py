"""Cancellation tokens: the tree, deadlines on an injected clock, callbacks, Ctrl-C."""

from __future__ import annotations

import signal

import pytest

from reelgraph.errors import JobCancelledError, JobTimeoutError, exit_code_for
from reelgraph.jobs import CancelToken, ManualClock, cancel_on_interrupt


def test_cancelling_a_parent_cancels_its_children_and_grandchildren():
    root = CancelToken("render")
    child = root.child("segment")
    grandchild = child.child("frame")
    assert not grandchild.cancelled
    assert root.cancel("superseded")
    assert child.cancelled and grandchild.cancelled
    assert grandchild.reason == "superseded"


def test_cancelling_a_child_leaves_its_parent_and_siblings_live():
    root = CancelToken()
    first, second = root.child("a"), root.child("b")
    first.cancel()
    assert first.cancelled
    assert not root.cancelled and not second.cancelled


def test_check_raises_a_coded_cancelled_error_that_exits_like_ctrl_c():
    token = CancelToken("render")
    token.check()
    token.cancel("interrupted")
    with pytest.raises(JobCancelledError) as caught:
        token.check()
    assert caught.value.code == "jobs.cancelled"
    assert caught.value.params["reason"] == "interrupted"
    assert exit_code_for(caught.value) == 130


def test_a_child_of_a_cancelled_token_is_born_cancelled():
    root = CancelToken()
    root.cancel("gone")
    assert root.child().cancelled
    assert root.child().reason == "gone"


def test_a_token_times_out_when_its_deadline_passes_on_the_clock():
    clock = ManualClock()
    token = CancelToken("job", clock=clock).child(timeout=2.0)
    clock.advance(1.999)
    token.check()
    clock.advance(0.001)
    assert token.cancelled and token.timed_out
    with pytest.raises(JobTimeoutError) as caught:
        token.check()
    assert caught.value.code == "jobs.timeout"
    assert caught.value.params["phase"] == "run"
    assert isinstance(caught.value, TimeoutError)


def test_a_child_keeps_the_earlier_deadline_of_its_parent():
    clock = ManualClock()
    parent = CancelToken(clock=clock).child(timeout=1.0)
    child = parent.child(timeout=60.0)
    assert child.deadline == 1.0
    clock.advance(1.0)
    assert child.timed_out


def test_a_deadline_that_passes_cancels_the_tokens_below_it():
    clock = ManualClock()
    parent = CancelToken(clock=clock, deadline=5.0)
    below = parent.child()
    clock.advance(5.0)
    assert parent.expire_if_due()
    assert below.cancelled and below.timed_out


def test_cancel_callbacks_run_once_in_registration_order():
    token = CancelToken()
    calls: list[str] = []
    token.on_cancel(lambda t: calls.append("first"))
    take_back = token.on_cancel(lambda t: calls.append("taken back"))
    token.on_cancel(lambda t: calls.append("second"))
    take_back()
    token.cancel()
    token.cancel()
    assert calls == ["first", "second"]


def test_a_callback_registered_after_cancelling_runs_at_once():
    token = CancelToken()
    token.cancel()
    calls: list[str] = []
    token.on_cancel(lambda t: calls.append(t.reason or ""))
    assert calls == ["cancelled"]


def test_a_detached_child_is_no_longer_reached_by_its_parent():
    root = CancelToken()
    child = root.child()
    child.detach()
    root.cancel()
    assert not child.cancelled


def test_ctrl_c_cancels_the_root_token_and_a_second_one_raises_keyboard_interrupt():
    token = CancelToken("render")
    before = signal.getsignal(signal.SIGINT)
    with cancel_on_interrupt(token):
        signal.raise_signal(signal.SIGINT)
        assert token.cancelled and token.reason == "interrupted"
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before
