"""History: unlimited undo and redo, groups as one step, observers."""

from __future__ import annotations

import pytest

from reelgraph.errors import EditRefusedError, OverlapError
from reelgraph.testing import clip, color, project, track
from reelgraph.timeline.edits import Group, MoveClip, Slip, Split, Trim
from reelgraph.timeline.history import History, HistoryEvent

from .edit_strategies import load


@pytest.fixture
def document():
    return load(
        project(
            [
                track(
                    "V1",
                    "video",
                    [clip("a", 0, 10, color("#ff0000")), clip("b", 20, 10, color("#00ff00"))],
                )
            ]
        )
    )


def test_undo_and_redo_walk_back_and_forth_through_every_step(document):
    history = History(document)
    states = [document]
    for edit in (Trim("a", "end", 5), Split("b", 25), MoveClip("a", 2), Slip("b", 3)):
        states.append(history.apply(edit).document)
    for state in reversed(states[:-1]):
        assert history.undo().document == state
    assert history.document == document
    for state in states[1:]:
        assert history.redo().document == state


def test_undo_returns_the_same_dirty_spans_as_the_edit(document):
    history = History(document)
    applied = history.apply(Trim("a", "end", 5))
    assert history.undo().dirty == applied.dirty
    assert history.redo().dirty == applied.dirty


def test_nothing_to_undo_or_redo_is_refused_with_a_code(document):
    history = History(document)
    with pytest.raises(EditRefusedError) as info:
        history.undo()
    assert info.value.params["reason"] == "nothing_to_undo"
    with pytest.raises(EditRefusedError):
        history.redo()


def test_a_new_edit_after_an_undo_drops_the_redo_steps(document):
    history = History(document)
    history.apply(Trim("a", "end", 5))
    history.undo()
    history.apply(Trim("a", "end", 2))
    assert not history.can_redo()


def test_a_refused_edit_changes_neither_the_document_nor_the_stacks(document):
    history = History(document)
    history.apply(Trim("a", "end", 5))
    state, steps = history.document, history.undo_steps
    with pytest.raises(OverlapError):
        history.apply(MoveClip("b", 5))
    assert history.document is state and history.undo_steps == steps


def test_a_group_is_one_undoable_step(document):
    history = History(document)
    with history.group("tighten"):
        history.apply(Trim("a", "end", 5))
        history.apply(Split("b", 25))
    (step,) = history.undo_steps
    assert isinstance(step.edit, Group) and step.edit.name == "tighten"
    grouped = history.document
    history.undo()
    assert history.document == document
    history.redo()
    assert history.document == grouped


def test_a_group_that_raises_is_undone_and_leaves_no_step(document):
    history = History(document)
    with pytest.raises(OverlapError), history.group("broken"):
        history.apply(Trim("a", "end", 5))
        history.apply(MoveClip("b", 5))
    assert history.document == document and not history.can_undo()


def test_nested_groups_make_one_step(document):
    history = History(document)
    with history.group("outer"):
        history.apply(Trim("a", "end", 1))
        with history.group("inner"):
            history.apply(Trim("a", "end", 1))
            history.apply(Slip("b", 1))
    assert len(history.undo_steps) == 1
    history.undo()
    assert history.document == document


def test_undo_inside_an_open_group_is_refused(document):
    history = History(document)
    history.apply(Trim("a", "end", 1))
    with history.group():
        with pytest.raises(EditRefusedError) as info:
            history.undo()
    assert info.value.params["reason"] == "group_open"


def test_observers_hear_every_operation_in_order(document):
    history = History(document)
    heard: list[HistoryEvent] = []
    history.observe(heard.append)
    with history.group("g"):
        history.apply(Trim("a", "end", 1))
    history.undo()
    history.redo()
    assert [e.op for e in heard] == ["begin", "apply", "end", "undo", "redo"]
