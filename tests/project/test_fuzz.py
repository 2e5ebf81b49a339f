"""Fuzzing: broken project files and edit commands give coded errors, never a traceback.

Hypothesis mutates a project that uses every feature (replaces, deletes and adds fields,
changes labels and types, breaks the JSON text) and feeds it to the loader, to the CLI's
funnel and, through the edit API, to edits built from random JSON. Every failure must be a
:class:`~reelgraph.errors.ReelgraphError` that is not an internal bug. Cases: a few
hundred per test in a normal run; ``REELGRAPH_FULL_TESTS=1`` runs 10,000 per test (2,000
through the CLI, which opens an engine for each).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelgraph.cli.main import main
from reelgraph.errors import InternalError, ReelgraphError
from reelgraph.project.load import load_project, load_project_data
from reelgraph.testing import (
    clip,
    color,
    effect,
    keys,
    media,
    nested,
    project,
    sequence,
    track,
    transform,
    transition,
)
from reelgraph.timeline.edits import EDIT_KINDS, edit_from_data

FULL = os.environ.get("REELGRAPH_FULL_TESTS") == "1"
CASES = 10_000 if FULL else 300
CLI_CASES = 2_000 if FULL else 100
FUZZ = settings(
    max_examples=CASES,
    deadline=None,
    derandomize=not FULL,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def rich_project(*, with_media: bool = True) -> dict[str, Any]:
    """A valid project that uses every kind of object the schema knows.

    Without media (for rendering in the tests) the file sources become colours and the
    audio track goes.
    """
    clips = [
        clip(
            "a",
            0,
            30,
            color("#ff0000"),
            transform=transform(position=[0.1, 0.2], scale=keys((0, 1.0), (29, 2.0, "ease_in"))),
            opacity=0.5,
            effects=[effect("exposure", stops=1.0), effect("saturation", amount=0.5)],
            fade_in=3,
        ),
        clip(
            "b",
            20,
            30,
            media("clip.mp4") if with_media else color([0.2, 0.4, 0.6]),
            speed="1/2",
            source_in=4,
            blend="screen",
        ),
        clip("c", 50, 10, nested("inner")),
    ]
    tracks = [track("V1", "video", clips, [transition("a", "b", "wipe", softness=0.2)])]
    if with_media:
        tracks.append(track("A1", "audio", [clip("s", 0, 40, media("tone.wav"), gain_db=-6)]))
    inner = sequence("inner", [track("IV", "video", [clip("i", 0, 10, color("#00ff00"))])])
    return project(
        tracks,
        extra_sequences=[inner],
        export={"schema": "ExportSettings.1", "preset": "h264", "crf": 20},
    )


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["Clip.1", "Clip.0", "Clip.2", "Project.1", "Nope.1", "#ff0000", "1/0", "-1"])
)
NON_FINITE = [float("nan"), float("inf"), float("-inf")]
EDGE_NUMBERS = st.sampled_from(
    [0, -1, 1, 2, 2**31, 2**63, 10**30, 0.5, 1.0, 10.0, -0.0, 1e-300, 1e308, -1e308, *NON_FINITE]
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*here, index))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _mutate(data: Any, draw: st.DrawFn) -> Any:
    path = draw(st.sampled_from(_paths(data)))
    if not path:
        return draw(JSON)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    action = draw(st.sampled_from(["replace", "delete", "add", "relabel", "retype", "number"]))
    if action == "number":
        numbers = [p for p in _paths(data) if p and _is_number(_at(data, p))]
        if numbers:
            where = draw(st.sampled_from(numbers))
            _at(data, where[:-1])[where[-1]] = draw(EDGE_NUMBERS)
    elif action == "replace":
        parent[last] = draw(JSON)
    elif action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][draw(st.sampled_from(["schema", "id", "start", "x", "metadata"]))] = draw(JSON)
    elif action == "add" and isinstance(parent[last], list):
        parent[last].append(draw(JSON))
    elif action == "relabel" and isinstance(parent[last], dict):
        name = draw(st.sampled_from(["Clip", "Track", "Project", "Animated", "Effect", "Bogus"]))
        parent[last]["schema"] = f"{name}.{draw(st.integers(-1, 3))}"
    else:
        value = parent[last]
        parent[last] = str(value) if not isinstance(value, str) else draw(st.floats())
    return data


@st.composite
def broken_projects(draw: st.DrawFn, with_media: bool = True) -> Any:
    data: Any = rich_project(with_media=with_media)
    for _ in range(draw(st.integers(1, 3))):
        data = _mutate(data, draw)
    return data


def _expect_coded(call: Any) -> None:
    try:
        call()
    except InternalError as exc:
        pytest.fail(f"an internal error for bad input: {exc}")
    except ReelgraphError:
        pass


def test_the_unbroken_projects_load_and_render(tmp_path):
    load_project_data(rich_project(), Path("."))
    path = tmp_path / "p.json"
    path.write_text(json.dumps(rich_project(with_media=False)))
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["frame", str(path), "--at", "25", "-o", str(tmp_path / "f.png")]) == 0


@FUZZ
@given(data=broken_projects())
def test_broken_project_data_gives_only_coded_errors(data):
    _expect_coded(lambda: load_project_data(data, Path(".")))


@st.composite
def broken_texts(draw: st.DrawFn) -> bytes:
    text = json.dumps(draw(broken_projects()), allow_nan=True).encode()
    how = draw(st.sampled_from(["as is", "truncate", "splice", "bytes"]))
    if how == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if how == "splice":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.binary(max_size=8)) + text[at:]
    if how == "bytes":
        return draw(st.binary(max_size=64))
    return text


@FUZZ
@given(text=broken_texts())
def test_broken_project_files_give_only_coded_errors(tmp_path, text):
    path = tmp_path / "fuzz.json"
    path.write_bytes(text)
    _expect_coded(lambda: load_project(path))


@settings(FUZZ, max_examples=CLI_CASES)
@given(data=broken_projects(with_media=False), at=st.sampled_from(["0", "25", "55", "2s"]))
def test_broken_projects_rendered_through_the_cli_never_show_a_traceback(tmp_path, data, at):
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(data))
    out, err = io.StringIO(), io.StringIO()
    command = ["frame", str(path), "--at", at, "-o", str(tmp_path / "f.png"), "--json"]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(command)
    assert status not in (1, 70), out.getvalue()
    assert "Traceback" not in err.getvalue()
    if status != 0:
        body = json.loads(out.getvalue())
        if not body.get("ok", True) and "error" in body:
            assert body["error"]["code"] and body["error"]["localized"]["message"]


CLIP_IDS = ["a", "b", "c", "s", "i", "zz"]
IDS = st.sampled_from([*CLIP_IDS, "V1", "A1", "IV", "inner", "main", "a.fx0", "a.fx1", "V1.a->b"])
SMALL = st.integers(-40, 80) | st.sampled_from([0, 1, -1, 2**31, -(2**63)])
FRAMES = st.floats(-10, 100, allow_nan=False) | SMALL | EDGE_NUMBERS
VALUES = st.floats(-2, 4) | st.lists(st.floats(-2, 2), min_size=1, max_size=4) | EDGE_NUMBERS
PARAMS = st.sampled_from(["opacity", "scale", "position", "rotation", "gain_db", "stops", "crop",
                          "amount", "softness", "speed", "fit", "nope"])  # fmt: skip


def _component(draw: st.DrawFn, kind: str) -> Any:
    """A clip, effect, transition or track in its JSON form, often slightly wrong."""
    if kind == "clip":
        body = clip(draw(IDS), draw(SMALL), draw(SMALL), color("#ff00ff"))
    elif kind == "effect":
        body = effect(draw(st.sampled_from(["exposure", "saturation", "invert", "bogus"])))
        body["id"] = draw(IDS)
    elif kind == "transition":
        body = transition(draw(IDS), draw(IDS), draw(st.sampled_from(["dissolve", "wipe", "x"])))
    else:
        body = track(draw(IDS), draw(st.sampled_from(["video", "audio"])), [])
    return _mutate(body, draw) if draw(st.integers(0, 3)) == 0 else body


_FIELDS: dict[str, Any] = {
    "clip": IDS, "target": IDS, "track": IDS, "new_id": IDS, "name": st.text(max_size=5),
    "start": SMALL, "delta": SMALL, "at": SMALL, "index": SMALL, "ripple": st.booleans(),
    "side": st.sampled_from(["start", "end", "middle"]), "param": PARAMS, "value": VALUES,
    "frame": FRAMES, "to": FRAMES, "interp": st.sampled_from(["linear", "hold", "ease_in", "x"]),
    "effect": IDS, "transition": IDS,
}  # fmt: skip
_COMPONENT_FIELDS = {
    "insert": {"clip": "clip"},
    "add_effect": {"effect": "effect"},
    "add_transition": {"transition": "transition"},
    "add_track": {"track": "track"},
}


def _edit_body(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(EDIT_KINDS)))
    body: dict[str, Any] = {"schema": "Edit.1", "kind": kind}
    fields = [f.name for f in dataclasses.fields(EDIT_KINDS[kind])]
    if kind == "add_effect":
        fields.append("clip")
    for name in fields:
        if name in _COMPONENT_FIELDS.get(kind, {}):
            body[name] = _component(draw, _COMPONENT_FIELDS[kind][name])
        elif name == "edits":
            body[name] = [
                _edit_body(draw, depth + 1) for _ in range(draw(st.integers(0, 2 - depth)))
            ]
        elif name in _FIELDS and draw(st.integers(0, 9)) > 0:
            body[name] = draw(_FIELDS[name])
        elif name not in _FIELDS:
            body[name] = draw(JSON)
    return body


@st.composite
def edit_commands(draw: st.DrawFn) -> Any:
    """Edits shaped like the real ones (known kinds, their fields, ids of the project),
    with wrong values, missing fields and random mutations mixed in."""
    if draw(st.integers(0, 19)) == 0:
        return draw(JSON)
    body = _edit_body(draw, depth=draw(st.integers(0, 1)))
    return _mutate(body, draw) if draw(st.integers(0, 4)) == 0 else body


@FUZZ
@given(command=edit_commands())
def test_random_edit_commands_give_only_coded_errors(command):
    document = load_project_data(rich_project(), Path("."))

    def run() -> None:
        edit = edit_from_data(command)
        result = edit.apply(document)
        edit_from_data(edit.to_data())
        result.inverse.apply(result.document)

    _expect_coded(run)
