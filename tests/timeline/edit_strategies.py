"""Hypothesis strategies for the edit tests: colour-only projects and random edits on them.

Projects use solid colours (so nothing needs media), one to three video tracks with gaps,
transitions over short overlaps, fades, keyframed opacity, effects, odd speeds and,
sometimes, a nested sequence. Edits name existing ids most of the time and unknown ones
sometimes, with small deltas, so that both accepted and refused edits are common.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from reelgraph.project.document import ProjectDocument
from reelgraph.project.load import load_project_data
from reelgraph.render.color import parse_color
from reelgraph.testing import (
    clip,
    color,
    effect,
    keys,
    nested,
    project,
    sequence,
    track,
    transition,
)
from reelgraph.timeline.components import (
    Clip,
    ColorSource,
    EffectNode,
    Track,
    TrackKind,
    Transition,
    TransitionKind,
)
from reelgraph.timeline.edits import (
    AddEffect,
    AddKeyframe,
    AddTrack,
    AddTransition,
    Edit,
    Group,
    InsertClip,
    MoveClip,
    MoveEffect,
    MoveKeyframe,
    RemoveClip,
    RemoveEffect,
    RemoveKeyframe,
    RemoveTrack,
    RemoveTransition,
    ReorderTrack,
    Ripple,
    Roll,
    SetParam,
    Slide,
    Slip,
    Split,
    Trim,
)
from reelgraph.timeline.keyframes import Animated

FULL = os.environ.get("REELGRAPH_FULL_TESTS") == "1"
EXAMPLES = settings(max_examples=400 if FULL else 50, deadline=None)
FEW_EXAMPLES = settings(max_examples=150 if FULL else 20, deadline=None)

COLORS = ["#ff0000", "#00ff00", "#0000ff", "#808080", [0.2, 0.4, 0.6, 0.5], [1.0, 1.0, 0.0]]
SPEEDS = ["1", "1", "1", "2", "1/2", "-1"]


@st.composite
def _track_body(draw: st.DrawFn, track_id: str, prefix: str, counter: list[int]) -> dict[str, Any]:
    clips: list[dict[str, Any]] = []
    transitions: list[dict[str, Any]] = []
    position = draw(st.integers(0, 6))
    for _ in range(draw(st.integers(0, 4))):
        counter[0] += 1
        clip_id = f"{prefix}{counter[0]}"
        duration = draw(st.integers(8, 20))
        overlap = draw(st.integers(0, 3)) if clips else 0
        start = position - overlap if overlap else position + draw(st.integers(0, 4))
        fields: dict[str, Any] = {}
        if draw(st.booleans()):
            fields["opacity"] = keys((0, 0.25), (duration - 1, 1.0), (duration + 4, 0.5, "hold"))
        if draw(st.integers(0, 3)) == 0:
            fields["fade_in"], fields["fade_out"] = draw(st.integers(0, 2)), draw(st.integers(0, 2))
        if draw(st.integers(0, 2)) == 0:
            amount = keys((0, 0.5), (4, 1.5)) if draw(st.booleans()) else 0.5
            fields["effects"] = [effect("exposure", stops=1.0), effect("saturation", amount=amount)]
        speed = draw(st.sampled_from(SPEEDS))
        if speed != "1":
            fields["speed"] = speed
        clips.append(clip(clip_id, start, duration, color(draw(st.sampled_from(COLORS))), **fields))
        if overlap:
            transitions.append(transition(clips[-2]["id"], clip_id, softness=0.25))
        position = start + duration
    return track(track_id, "video", clips, transitions)


@st.composite
def project_data(draw: st.DrawFn) -> dict[str, Any]:
    """A project dict of colour clips (16x12 at 24 fps), sometimes with a nested sequence."""
    counter = [0]
    tracks = [draw(_track_body(f"V{n + 1}", "c", counter)) for n in range(draw(st.integers(1, 3)))]
    extra = []
    if draw(st.booleans()):
        extra = [sequence("n1", [draw(_track_body("N1", "k", counter))])]
        end = max((c["start"] + c["duration"] for c in tracks[0]["clips"]), default=0)
        speed = draw(st.sampled_from(["1", "2", "1/2", "-1"]))
        source_in = draw(st.integers(0, 4))
        tracks[0]["clips"].append(
            clip(
                "nest",
                end + 2,
                draw(st.integers(6, 16)),
                nested("n1"),
                speed=speed,
                source_in=source_in,
            )
        )
    return project(tracks, width=16, height=12, rate=24, extra_sequences=extra)


@st.composite
def documents(draw: st.DrawFn) -> ProjectDocument:
    """A loaded project from :func:`project_data`."""
    return load_project_data(draw(project_data()), Path("."))


def load(data: dict[str, Any]) -> ProjectDocument:
    """A project dict loaded (and validated) as a document."""
    return load_project_data(data, Path("."))


def spans(result: Any) -> list[tuple[int, int]]:
    """An edit result's dirty spans as (start, end) pairs."""
    return [(r.start, r.end_time_exclusive) for r in result.dirty]


def _ids(document: ProjectDocument) -> dict[str, list[str]]:
    return {
        "clips": [c.id for c in document.clips],
        "tracks": [t.id for t in document.tracks],
        "effects": [e.id for e in document.effects],
        "transitions": [t.id for t in document.transitions],
    }


def _param_of(document: ProjectDocument, target: str, param: str) -> object:
    for effect_node in document.effects:
        if effect_node.id == target:
            return dict(effect_node.params).get(param)
    for item in document.clips:
        if item.id == target:
            return item.opacity if param == "opacity" else item.transform.scale
    return None


def _pick(draw: st.DrawFn, ids: list[str], unknown: str = "nope") -> str:
    """An existing id most of the time, an unknown one sometimes."""
    if not ids or draw(st.integers(0, 9)) == 9:
        return unknown
    return draw(st.sampled_from(ids))


def _delta(draw: st.DrawFn) -> int:
    return draw(st.integers(-6, 6))


def _clip_edit(draw: st.DrawFn, document: ProjectDocument, ids: dict[str, list[str]]) -> Edit:
    kind = draw(
        st.sampled_from(
            ["insert", "remove", "move", "trim", "slip", "slide", "ripple", "roll", "split"]
        )
    )
    target = _pick(draw, ids["clips"])
    if kind == "insert":
        track_id = _pick(draw, ids["tracks"])
        new_id = draw(st.sampled_from(["x1", "x2", *ids["clips"][:1]]))
        start, duration = draw(st.integers(0, 60)), draw(st.integers(-1, 12))
        body = Clip(new_id, track_id, start, duration, ColorSource(parse_color("#804000")))
        effects = (EffectNode(f"{new_id}.fx0", new_id, "exposure", (("stops", -1.0),)),)
        return InsertClip(body, effects if draw(st.booleans()) else (), ripple=draw(st.booleans()))
    if kind == "remove":
        return RemoveClip(target, ripple=draw(st.booleans()))
    if kind == "move":
        track_id = _pick(draw, ids["tracks"]) if draw(st.booleans()) else None
        return MoveClip(target, draw(st.integers(-2, 70)), track_id)
    if kind in ("trim", "ripple"):
        side = draw(st.sampled_from(["start", "end"]))
        return (Trim if kind == "trim" else Ripple)(target, side, _delta(draw))
    if kind == "split":
        found = [c for c in document.clips if c.id == target]
        inside = found and found[0].duration > 1 and draw(st.integers(0, 4)) < 4
        at = (
            found[0].start + draw(st.integers(1, found[0].duration - 1))
            if inside
            else draw(st.integers(0, 70))
        )
        return Split(target, at, draw(st.sampled_from([None, "s1"])))
    return {"slip": Slip, "slide": Slide, "roll": Roll}[kind](target, _delta(draw))


def _param_edit(draw: st.DrawFn, document: ProjectDocument, ids: dict[str, list[str]]) -> Edit:
    kind = draw(st.sampled_from(["set", "add_key", "move_key", "remove_key"]))
    on_effect = bool(ids["effects"]) and draw(st.booleans())
    target = _pick(draw, ids["effects"] if on_effect else ids["clips"])
    param = "amount" if on_effect else draw(st.sampled_from(["opacity", "transform.scale"]))
    frame = float(draw(st.integers(0, 8)))
    current = _param_of(document, target, param)
    if isinstance(current, Animated) and draw(st.integers(0, 3)) < 3:
        frame = draw(st.sampled_from([k.frame for k in current.keys]))
    if kind == "set":
        choices: list[tuple[str, str, Any]] = [
            (target, param, draw(st.sampled_from([0.5, 1.0, None]))),
            (_pick(draw, ids["clips"]), "blend", draw(st.sampled_from(["normal", "screen"]))),
            (_pick(draw, ids["clips"]), "fade_in", draw(st.integers(0, 30))),
            (_pick(draw, ids["clips"]), "speed", draw(st.sampled_from(["1", "-1", "1/2"]))),
            (_pick(draw, ids["tracks"]), "enabled", draw(st.booleans())),
            (_pick(draw, ids["transitions"]), "softness", 0.5),
            (_pick(draw, ids["clips"]), "source", {"schema": "ColorSource.1", "color": "#102030"}),
        ]
        return SetParam(*draw(st.sampled_from(choices)))
    if kind == "add_key":
        return AddKeyframe(target, param, frame, draw(st.sampled_from([0.0, 0.75, 2.0])))
    if kind == "move_key":
        return MoveKeyframe(target, param, frame, float(draw(st.integers(0, 30))))
    return RemoveKeyframe(target, param, frame)


def _structure_edit(draw: st.DrawFn, document: ProjectDocument, ids: dict[str, list[str]]) -> Edit:
    kind = draw(
        st.sampled_from(
            [
                "add_effect",
                "move_effect",
                "remove_effect",
                "add_transition",
                "remove_transition",
                "add_track",
                "remove_track",
                "reorder_track",
            ]
        )
    )
    if kind == "add_effect":
        node = EffectNode("", _pick(draw, ids["clips"]), "invert", (("amount", 0.5),))
        return AddEffect(node, draw(st.sampled_from([None, 0, 1, 5])))
    if kind == "move_effect":
        return MoveEffect(_pick(draw, ids["effects"]), draw(st.integers(-1, 2)))
    if kind == "remove_effect":
        return RemoveEffect(_pick(draw, ids["effects"]))
    joined = list(document.transitions)
    if kind == "add_transition":
        if joined and draw(st.booleans()):
            # Replace a transition by a wipe over the same clips (the overlap needs one).
            old = draw(st.sampled_from(joined))
            wipe = Transition("w1", "", old.from_clip, old.to_clip, TransitionKind.WIPE)
            return Group((RemoveTransition(old.id), AddTransition(wipe)), "rewipe")
        first, second = _pick(draw, ids["clips"]), _pick(draw, ids["clips"])
        return AddTransition(Transition("", "", first, second))
    if kind == "remove_transition":
        if joined and draw(st.booleans()):
            # Remove a transition and pull the outgoing clip's end back off the overlap.
            old = draw(st.sampled_from(joined))
            clips = {c.id: c for c in document.clips}
            overlap = clips[old.from_clip].end - clips[old.to_clip].start
            return Group((RemoveTransition(old.id), Trim(old.from_clip, "end", -overlap)), "cut")
        return RemoveTransition(_pick(draw, ids["transitions"]))
    if kind == "add_track":
        sequence_id = draw(st.sampled_from([s.id for s in document.sequences]))
        index = draw(st.integers(-1, 4))
        return AddTrack(
            Track(draw(st.sampled_from(["T9", "V1"])), sequence_id, TrackKind.VIDEO, index)
        )
    if kind == "remove_track":
        return RemoveTrack(_pick(draw, ids["tracks"]))
    return ReorderTrack(_pick(draw, ids["tracks"]), draw(st.integers(-1, 3)))


@st.composite
def edits_for(draw: st.DrawFn, document: ProjectDocument, *, nest: bool = True) -> Edit:
    """A random edit of ``document`` (sometimes a group of two)."""
    ids = _ids(document)
    family = draw(
        st.sampled_from(["clip", "clip", "param", "structure"] + (["group"] if nest else []))
    )
    if family == "group":
        return Group(
            (draw(edits_for(document, nest=False)), draw(edits_for(document, nest=False))), "g"
        )
    maker = {"clip": _clip_edit, "param": _param_edit, "structure": _structure_edit}[family]
    return maker(draw, document, ids)


def animated(param: object) -> bool:
    """Whether a parameter is keyframed (a helper for assertions)."""
    return isinstance(param, Animated)


__all__ = [
    "EXAMPLES",
    "FEW_EXAMPLES",
    "FULL",
    "animated",
    "documents",
    "edits_for",
    "load",
    "project_data",
    "spans",
]
