"""The watchdog isolates nodes that raise, hang or return garbage; the engine goes on."""

from __future__ import annotations

import contextlib
import contextvars
import io
import json
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reelgraph.cli.main import main
from reelgraph.engine.engine import Engine
from reelgraph.errors import (
    BadNodeOutputError,
    DecodeError,
    NodeFailedError,
    NodeTimeoutError,
    OperationTimeoutError,
    UsageError,
)
from reelgraph.graph.watchdog import ErrorPolicy, Watchdog, placeholder_pixels
from reelgraph.project.load import load_project_data
from reelgraph.render.cpu import CpuBackend
from reelgraph.testing import clip, effect, media, project, track
from reelgraph.testing.generated_media import write_solid_png


class MisbehavingBackend(CpuBackend):
    """The CPU backend, except that the ``invert`` effect does what ``how`` says."""

    def __init__(self, how: str, times: int = 10**9) -> None:
        super().__init__()
        self.how = how
        self.times = times
        self.release = threading.Event()

    def apply_effect(self, image: Any, kind: str, params: Any) -> Any:
        if kind != "invert" or self.times <= 0:
            return super().apply_effect(image, kind, params)
        self.times -= 1
        out = np.array(image)
        if self.how == "raise":
            raise ZeroDivisionError("the effect divided by zero")
        if self.how == "coded":
            raise DecodeError("cannot decode x.mp4", path="x.mp4")
        if self.how == "hang":
            self.release.wait(30)
        if self.how == "nan":
            out[0, 0, 0] = np.nan
        if self.how == "shape":
            out = out[:, :-2]
        if self.how == "dtype":
            out = out.astype(np.float64)
        if self.how == "none":
            return None
        return out


@pytest.fixture(autouse=True, scope="module")
def grey_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A still picture: unlike a colour, it is not folded into a constant at graph build."""
    global MEDIA
    MEDIA = tmp_path_factory.mktemp("watchdog")
    return write_solid_png(MEDIA / "grey.png", (128, 128, 128, 255), 64, 48)


MEDIA = Path(".")


def document(*, with_effect: bool = True) -> Any:
    effects = [effect("invert")] if with_effect else []
    data = project([track("V1", "video", [clip("a", 0, 5, media("grey.png"), effects=effects)])])
    return load_project_data(data, MEDIA)


def render(backend: CpuBackend, watchdog: Watchdog, frame: int = 0) -> np.ndarray:
    with Engine(document(), backend=backend, watchdog=watchdog, with_audio=False) as engine:
        return engine.render_frame(frame)


def reference(with_effect: bool) -> np.ndarray:
    with Engine(document(with_effect=with_effect), with_audio=False) as engine:
        return engine.render_frame(0)


def test_a_node_that_raises_is_bypassed_recorded_and_its_trace_kept():
    watchdog = Watchdog(policy="bypass")
    picture = render(MisbehavingBackend("raise"), watchdog)
    np.testing.assert_array_equal(picture, reference(with_effect=False))
    (incident,) = watchdog.incidents
    assert (incident.code, incident.action, incident.frame) == ("watchdog.node_failed", "bypass", 0)
    assert "ZeroDivisionError" in incident.message and "Traceback" in incident.trace


def test_a_node_that_makes_nan_gets_a_placeholder_of_its_size():
    watchdog = Watchdog(policy=ErrorPolicy.PLACEHOLDER)
    picture = render(MisbehavingBackend("nan"), watchdog)
    assert picture.shape == (48, 64, 4)
    np.testing.assert_array_equal(picture[0, 0], [1.0, 0.0, 1.0, 1.0])  # magenta square
    np.testing.assert_array_equal(placeholder_pixels(48, 64)[0, 40], [0.0, 0.0, 0.0, 1.0])
    assert [i.code for i in watchdog.incidents] == ["watchdog.bad_output"]


@pytest.mark.parametrize(
    ("how", "words"),
    [("shape", "expected 64x48"), ("dtype", "float64"), ("none", "not a picture")],
)
def test_garbage_of_the_wrong_shape_or_type_stops_a_render_under_the_fail_policy(how, words):
    with pytest.raises(BadNodeOutputError) as caught:
        render(MisbehavingBackend(how), Watchdog())
    assert caught.value.code == "watchdog.bad_output"
    assert words in caught.value.message and caught.value.params["frame"] == 0


def test_under_the_fail_policy_an_unexpected_exception_becomes_node_failed():
    with pytest.raises(NodeFailedError) as caught:
        render(MisbehavingBackend("raise"), Watchdog(policy="fail"))
    assert isinstance(caught.value.__cause__, ZeroDivisionError)
    assert caught.value.params["kind"] in ("EffectOpNode", "FusedNode")


def test_a_coded_error_raised_inside_a_node_keeps_its_own_code():
    watchdog = Watchdog(policy="bypass")
    render(MisbehavingBackend("coded"), watchdog)
    assert [i.code for i in watchdog.incidents] == ["media.decode"]
    with pytest.raises(DecodeError):
        render(MisbehavingBackend("coded"), Watchdog())


def test_a_hung_node_is_abandoned_at_its_deadline_and_the_engine_goes_on():
    backend = MisbehavingBackend("hang", times=1)
    watchdog = Watchdog(policy="bypass", node_timeout=0.2)
    try:
        with Engine(document(), backend=backend, watchdog=watchdog, with_audio=False) as engine:
            started = time.monotonic()
            first = engine.render_frame(0)
            assert time.monotonic() - started < 5
            second = engine.render_frame(1)
    finally:
        backend.release.set()
    np.testing.assert_array_equal(first, reference(with_effect=False))
    np.testing.assert_array_equal(second, reference(with_effect=True))
    (incident,) = watchdog.incidents
    assert incident.code == "watchdog.node_timeout" and watchdog.abandoned == 1


def test_a_hung_node_under_the_fail_policy_is_a_node_timeout_error():
    backend = MisbehavingBackend("hang", times=1)
    try:
        with pytest.raises(NodeTimeoutError) as caught:
            render(backend, Watchdog(node_timeout=0.1))
    finally:
        backend.release.set()
    assert isinstance(caught.value, TimeoutError) and caught.value.params["timeout"] == 0.1


def test_a_node_on_the_worker_thread_sees_the_callers_context_variables():
    marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker", default="unset")
    marker.set("caller")
    seen = []
    watchdog = Watchdog(node_timeout=5)
    watchdog.call("look", lambda: seen.append(marker.get()))
    assert seen == ["caller"]


def test_an_operation_past_its_limit_is_an_operation_timeout_whatever_the_policy():
    release = threading.Event()
    watchdog = Watchdog(policy="bypass", operation_timeout=0.1)
    try:
        with pytest.raises(OperationTimeoutError) as caught:
            watchdog.call("decoding frame 3", lambda: release.wait(30), frame=3)
    finally:
        release.set()
    assert caught.value.code == "watchdog.operation_timeout"
    assert caught.value.params["operation"] == "decoding frame 3"
    assert watchdog.call("quick", lambda: 42) == 42


def test_the_watchdog_reads_its_settings_from_the_environment(tmp_path):
    env = {
        "REELGRAPH_ON_ERROR": "placeholder",
        "REELGRAPH_NODE_TIMEOUT": "2.5",
        "REELGRAPH_OPERATION_TIMEOUT": "0",
        "REELGRAPH_PLUGIN_INCIDENTS": str(tmp_path / "i.jsonl"),
    }
    watchdog = Watchdog.from_environment(env)
    assert watchdog.policy is ErrorPolicy.PLACEHOLDER
    assert (watchdog.node_timeout, watchdog.operation_timeout) == (2.5, None)
    render(MisbehavingBackend("raise"), watchdog)
    (line,) = (tmp_path / "i.jsonl").read_text().splitlines()
    assert json.loads(line)["code"] == "watchdog.node_failed"
    with pytest.raises(UsageError):
        Watchdog.from_environment({"REELGRAPH_NODE_TIMEOUT": "soon"})
    with pytest.raises(UsageError):
        Watchdog.from_environment({"REELGRAPH_ON_ERROR": "ignore"})


@pytest.fixture
def infinite_project(tmp_path: Path) -> Path:
    """Three +64-stop exposures of white overflow float32: the chain makes infinities."""
    write_solid_png(tmp_path / "white.png", (255, 255, 255, 255), 64, 48)
    effects = [effect("exposure", stops=64) for _ in range(3)]
    data = project([track("V1", "video", [clip("a", 0, 3, media("white.png"), effects=effects)])])
    path = tmp_path / "inf.json"
    path.write_text(json.dumps(data))
    return path


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def test_the_cli_stops_on_a_bad_node_by_default_with_its_code(infinite_project, tmp_path):
    with np.errstate(over="ignore"):
        status, _, err = _cli(
            "frame", str(infinite_project), "--at", "0", "-o", str(tmp_path / "f.png")
        )
    assert status == 9
    assert "error[watchdog.bad_output]" in err and "NaN or infinite" in err


def test_the_cli_goes_on_past_a_bad_node_with_on_error_and_reports_the_incidents(
    infinite_project, tmp_path
):
    output = tmp_path / "out.mp4"
    with np.errstate(over="ignore"):
        status, _out, err = _cli(
            "render", str(infinite_project), "-o", str(output), "--on-error", "bypass",
            "--node-timeout", "30", "--no-progress", "--no-cache",
        )  # fmt: skip
    assert status == 0, err
    assert output.is_file()
    assert "3 incident(s); the render went on" in err
    assert "[watchdog.bad_output] -> bypass" in err
