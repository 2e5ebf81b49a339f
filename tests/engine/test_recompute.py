"""After an edit, only frames inside the edit's dirty spans are recomputed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgraph.cache import FrameCache
from reelgraph.engine.engine import Engine
from reelgraph.engine.resources import FrameStatus
from reelgraph.engine.sinks import CollectSink, OutputSinks
from reelgraph.project.load import load_project_data
from reelgraph.testing import clip, color, effect, keys, project, track, transform, transition
from reelgraph.timeline.edits import edit_from_data

LENGTH = 60


def timeline() -> dict:
    return project(
        [
            track(
                "V1",
                "video",
                [
                    clip("a", 0, 30, color("#ff0000")),
                    clip("b", 25, 35, color("#0000ff"), effects=[effect("exposure", stops=0.5)]),
                ],
                [transition("a", "b")],
            ),
            track(
                "V2",
                "video",
                [
                    clip(
                        "box",
                        10,
                        20,
                        color("#ffcc00"),
                        transform=transform(scale=0.3, position=keys((0, [8, 8]), (19, [50, 40]))),
                    )
                ],
            ),
        ],
        width=32,
        height=24,
    )


def recomputed(engine: Engine) -> set[int]:
    """Tick every frame; the frames whose pixels were not in the cache."""
    missed = set()
    for frame in range(LENGTH):
        engine.tick(frame)
        if engine.world.resource(FrameStatus).pixels is None:
            missed.add(frame)
    return missed


EDITS = {
    "trim": {"kind": "trim", "clip": "box", "side": "end", "delta": -5},
    "move": {"kind": "move", "clip": "box", "start": 40},
    "slide": {"kind": "slide", "clip": "box", "delta": 4},
    "effect_param": {"kind": "set_param", "target": "b.fx0", "param": "stops", "value": 1.0},
    "opacity": {"kind": "set_param", "target": "box", "param": "opacity", "value": 0.5},
    "keyframe": {
        "kind": "add_keyframe",
        "target": "box",
        "param": "transform.rotation",
        "frame": 5,
        "value": 45.0,
    },
    "remove": {"kind": "remove", "clip": "box"},
    "split": {"kind": "split", "clip": "box", "at": 20},
    "remove_effect": {"kind": "remove_effect", "effect": "b.fx0"},
    "transition": {"kind": "remove_transition", "transition": "V1.a->b"},
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_recomputes_only_frames_inside_its_dirty_spans(name):
    document = load_project_data(timeline(), Path("."))
    with Engine(document, cache=FrameCache()) as engine:
        engine.world.insert_resource(OutputSinks([CollectSink()]))
        first = recomputed(engine)
        assert 0 in first and 1 not in first  # identical frames share one cache entry
        data = dict(EDITS[name])
        if name == "transition":
            data = {
                "kind": "group",
                "name": "cut",
                "edits": [data, {"kind": "trim", "clip": "a", "side": "end", "delta": -5}],
            }
        result = engine.apply(edit_from_data(data))
        dirty = {f for span in result.dirty for f in range(span.start, span.end_time_exclusive)}
        again = recomputed(engine)
        assert again <= dirty, f"recomputed outside the dirty spans: {sorted(again - dirty)}"
        if name not in ("split", "slide"):
            assert again, "an edit that changes pixels recomputes something"
        undone = engine.undo()
        back = recomputed(engine)
        assert back == set(), "after undo every frame is back in the cache"
        assert {f for s in undone.dirty for f in range(s.start, s.end_time_exclusive)} == dirty
