"""Edits in the World: the Ingest system, the entity mirror, events and dirty spans."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelgraph.ecs import EventReader, Stage
from reelgraph.engine.edit_systems import (
    DirtySpans,
    EditApplied,
    EditRefused,
    PendingEdits,
    TimelineEntities,
)
from reelgraph.engine.engine import Engine
from reelgraph.engine.resources import TimelineChanged
from reelgraph.errors import OverlapError
from reelgraph.project.load import load_project_data
from reelgraph.testing import clip, color, effect, project, track, transition
from reelgraph.time import TimeRange
from reelgraph.timeline.changes import key_of
from reelgraph.timeline.components import Clip, EffectNode, GraphEdge, Sequence, Track, Transition
from reelgraph.timeline.edits import MoveClip, RemoveClip, Split, Trim

GROUPS = (
    ("sequences", Sequence),
    ("tracks", Track),
    ("clips", Clip),
    ("transitions", Transition),
    ("effects", EffectNode),
    ("edges", GraphEdge),
)


@pytest.fixture
def engine():
    document = load_project_data(
        project(
            [
                track(
                    "V1",
                    "video",
                    [
                        clip("a", 0, 10, color("#ff0000"), effects=[effect("invert")]),
                        clip("b", 8, 10, color("#00ff00")),
                    ],
                    [transition("a", "b")],
                ),
                track("V2", "video", [clip("c", 20, 5, color("#0000ff"))]),
            ],
            width=16,
            height=12,
        ),
        Path("."),
    )
    with Engine(document, with_audio=False) as running:
        yield running


def _world_matches_document(engine):
    world, document = engine.world, engine.document
    entities = world.resource(TimelineEntities)
    for group, component_type in GROUPS:
        in_world = sorted((key_of(c), repr(c)) for _, c in world.query(component_type))
        in_document = sorted((key_of(c), repr(c)) for c in getattr(document, group))
        assert in_world == in_document, group
        for component in getattr(document, group):
            entity = entities.entity(group, key_of(component))
            assert world.get(entity, component_type) == component


def test_edits_apply_in_the_ingest_set_before_the_index_is_rebuilt(engine):
    order = engine.schedule.systems_in(Stage.INGEST)
    assert order.index("stop_if_cancelled") < order.index("apply_pending_edits")
    assert order.index("apply_pending_edits") < order.index("index_timeline")


def test_an_edit_queued_between_ticks_shows_in_the_frame_of_the_next_tick(engine):
    before = engine.render_frame(2)
    engine.world.resource(PendingEdits).push(MoveClip("c", 0))
    after = engine.render_frame(2)
    assert engine.index.track_clips("V2")[0].start == 0
    assert not np.array_equal(before, after)
    assert after[0, 0].tolist() == [0.0, 0.0, 1.0, 1.0]


def test_the_world_mirrors_the_document_after_edits_undo_and_redo(engine):
    engine.apply(Split("a", 4))
    engine.apply(RemoveClip("c"))
    engine.apply(Trim("b", "end", 3))
    _world_matches_document(engine)
    engine.undo()
    engine.undo()
    _world_matches_document(engine)
    engine.redo()
    _world_matches_document(engine)
    assert engine.duration() == 18


def test_applied_edits_send_events_and_add_dirty_spans(engine):
    applied, changed = EventReader(EditApplied), EventReader(TimelineChanged)
    engine.world.resource(PendingEdits).push(Trim("c", "end", 2))
    engine.world.resource(PendingEdits).undo()
    engine.render_frame(0)
    events = applied.read(engine.world)
    assert [(e.action, e.dirty) for e in events] == [
        ("apply", (TimeRange(25, 2),)),
        ("undo", (TimeRange(25, 2),)),
    ]
    assert len(changed.read(engine.world)) == 2
    assert engine.world.resource(DirtySpans).take() == (TimeRange(25, 2),)
    assert engine.world.resource(DirtySpans).spans == ()


def test_a_refused_queued_edit_becomes_an_event_and_the_next_one_still_runs(engine):
    refused = EventReader(EditRefused)
    pending = engine.world.resource(PendingEdits)
    pending.push(MoveClip("c", 5, track="V1"))
    pending.push(Trim("c", "end", 1))
    engine.render_frame(0)
    (event,) = refused.read(engine.world)
    assert event.code == "timeline.overlap"
    assert engine.document.clips[-1].duration == 6


def test_engine_apply_raises_a_refusal_and_changes_nothing(engine):
    before = engine.document
    with pytest.raises(OverlapError):
        engine.apply(MoveClip("c", 5, track="V1"))
    assert engine.document is before
    _world_matches_document(engine)


def test_undo_restores_the_rendered_frames(engine):
    before = [engine.render_frame(f) for f in range(0, 25, 3)]
    engine.apply(Split("b", 12))
    engine.apply(MoveClip("c", 0))
    engine.undo()
    engine.undo()
    after = [engine.render_frame(f) for f in range(0, 25, 3)]
    assert all(np.array_equal(x, y) for x, y in zip(before, after, strict=True))
