"""Properties of random edit sequences on generated colour-only projects."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reelgraph.engine.engine import Engine
from reelgraph.errors import ReelgraphError
from reelgraph.export.job import render_to_memory
from reelgraph.project.document import ProjectDocument
from reelgraph.project.load import load_project_data
from reelgraph.project.save import document_to_data
from reelgraph.timeline.edit_log import EditLog, replay
from reelgraph.timeline.edits import Edit, edit_from_data, propose
from reelgraph.timeline.edits.check import check_changes
from reelgraph.timeline.history import History
from reelgraph.timeline.index import TimelineIndex
from reelgraph.timeline.paths import document_paths
from reelgraph.timeline.validate import validate_timeline

from .edit_strategies import EXAMPLES, FEW_EXAMPLES, documents, edits_for


def _run(data: st.DataObject, history: History, steps: int) -> list[Edit]:
    applied = []
    for _ in range(steps):
        edit = data.draw(edits_for(history.document))
        before = history.document
        try:
            history.apply(edit)
        except ReelgraphError as exc:
            assert exc.code.startswith(("timeline.", "edit.", "project.invalid")), exc
            assert history.document is before
            continue
        applied.append(edit)
    return applied


@EXAMPLES
@given(documents(), st.data())
def test_random_edits_then_undo_all_give_the_original_and_redo_all_the_final(document, data):
    history = History(document)
    applied = _run(data, history, 12)
    final = history.document
    for _ in applied:
        history.undo()
    assert history.document == document
    assert not history.can_undo()
    for _ in applied:
        history.redo()
    assert history.document == final


@EXAMPLES
@given(documents(), st.data())
def test_every_accepted_edit_leaves_a_timeline_that_passes_the_full_validation(document, data):
    history = History(document)
    for _ in range(10):
        edit = data.draw(edits_for(history.document))
        try:
            history.apply(edit)
        except ReelgraphError:
            continue
        validate_timeline(history.document, document_paths(history.document))


@EXAMPLES
@given(documents(), st.data())
def test_the_incremental_checks_refuse_exactly_what_the_full_validation_refuses(document, data):
    current = document
    for _ in range(10):
        edit = data.draw(edits_for(current))
        try:
            candidate, changes = propose(edit, current)
        except ReelgraphError:
            continue
        full_error = incremental_error = None
        try:
            validate_timeline(candidate, document_paths(candidate))
        except ReelgraphError as exc:
            full_error = exc
        try:
            check_changes(candidate, changes)
        except ReelgraphError as exc:
            incremental_error = exc
        assert (full_error is None) == (incremental_error is None), (
            edit,
            full_error,
            incremental_error,
        )
        if full_error is None:
            current = candidate


@EXAMPLES
@given(documents(), st.data())
def test_edited_projects_save_and_load_back_to_the_identical_document(document, data):
    history = History(document)
    _run(data, history, 8)
    reloaded = load_project_data(document_to_data(history.document), Path("."))
    assert reloaded == history.document


@EXAMPLES
@given(documents(), st.data())
def test_every_edit_survives_its_json_form_and_applies_the_same(document, data):
    for _ in range(6):
        edit = data.draw(edits_for(document))
        again = edit_from_data(edit.to_data())
        assert again == edit
        try:
            result = edit.apply(document)
        except ReelgraphError as exc:
            try:
                again.apply(document)
            except ReelgraphError as other:
                assert other.code == exc.code
            else:
                raise AssertionError(f"{edit} was refused, its JSON form was not")
            continue
        assert again.apply(document).document == result.document
        assert edit_from_data(result.inverse.to_data()) == result.inverse
        document = result.document


def _frames(document: ProjectDocument, count: int) -> list[np.ndarray]:
    with Engine(document, with_audio=False, plugins=None) as engine:
        return [engine.render_frame(frame) for frame in range(count)]


@FEW_EXAMPLES
@given(documents(), st.data())
def test_frames_outside_the_dirty_spans_render_exactly_as_before(document, data):
    for _ in range(4):
        edit = data.draw(edits_for(document))
        try:
            result = edit.apply(document)
        except ReelgraphError:
            continue
        length = max(_length(document), _length(result.document)) + 2
        before, after = _frames(document, length), _frames(result.document, length)
        dirty = {f for r in result.dirty for f in range(r.start, r.end_time_exclusive)}
        changed = {f for f in range(length) if not np.array_equal(before[f], after[f])}
        assert changed <= dirty, (edit, sorted(changed - dirty), result.dirty)
        document = result.document


def _length(document: ProjectDocument) -> int:
    index = TimelineIndex(document.sequences, document.tracks, document.clips, document.transitions)
    return index.duration(document.main)


@FEW_EXAMPLES
@given(documents(), st.data())
def test_an_edited_project_renders_the_same_after_a_save_and_load(document, data):
    history = History(document)
    _run(data, history, 6)
    if _length(history.document) == 0:
        return
    reloaded = load_project_data(document_to_data(history.document), Path("."))
    assert _hashes(reloaded) == _hashes(history.document)


@FEW_EXAMPLES
@given(documents(), st.data())
def test_replaying_a_recorded_random_session_gives_the_identical_document(document, data):
    history = History(document)
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "session.jsonl"
        with EditLog.record(history, log):
            _run(data, history, 6)
            if history.can_undo() and data.draw(st.booleans()):
                history.undo()
        assert replay(log, document) == history.document


def _hashes(document: ProjectDocument) -> list[str]:
    frames = render_to_memory(document).frames
    return [hashlib.sha256(f.tobytes()).hexdigest() for f in frames]
