"""The watchdog: runs render-graph nodes (and watched operations) under a time limit and checks.

A node that raises, hangs past its limit, or returns garbage (not a picture, the wrong
shape or type, NaN or infinite values) is *isolated*: the :class:`ErrorPolicy` decides
what takes its place, the failure is recorded as a coded :class:`Incident` in the
:class:`Incidents` resource, and the engine goes on with the next node and frame:

* ``bypass``: the node's first input passes through (transparency when it has none, or
  when its input is not the size the node makes: a transform's input, say);
* ``placeholder``: a magenta-and-black checkerboard of the node's size takes its place
  (the same one the plugin host uses);
* ``fail``: the render stops with the node's coded error (a ``ReelgraphError`` raised by
  the node keeps its own code, e.g. ``plugin.timeout``; anything else becomes
  :class:`~reelgraph.errors.NodeFailedError`, its trace in the incident and the log).

**Time limits and threads.** With a limit, a node runs on a watchdog worker thread while
the evaluating thread waits on a deadline. Python cannot kill a thread: a node past its
limit is *abandoned*. Its daemon thread is left to finish (or hang) on its own, its
result is discarded, and the next call gets a fresh worker. Nodes return new images and
never change their inputs, so an abandoned node cannot corrupt later frames; but a node
that hangs in C code while holding the GIL stops the whole process, and one that never
returns keeps its memory. Plugins that may do either are run out of process by the plugin
sandbox (:mod:`reelgraph.plugins.sandbox`), whose worker can be killed. Without a limit
(the default of the API), nodes run inline, at no cost.

:meth:`Watchdog.call` applies the operation limit to other work (decoding a frame): a
late operation raises :class:`~reelgraph.errors.OperationTimeoutError` whatever the policy,
since the reader it abandoned is in an unknown state.
"""

from __future__ import annotations

import contextvars
import enum
import functools
import json
import logging
import math
import os
import queue
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from reelgraph.errors import (
    BadNodeOutputError,
    NodeFailedError,
    NodeTimeoutError,
    OperationTimeoutError,
    ReelgraphError,
    UsageError,
    WatchdogError,
)
from reelgraph.render.backend import Backend
from reelgraph.render.kernels.checks import count_non_finite

__all__ = [
    "ENV_INCIDENTS",
    "ENV_NODE_TIMEOUT",
    "ENV_ON_ERROR",
    "ENV_OPERATION_TIMEOUT",
    "ErrorPolicy",
    "Incident",
    "Incidents",
    "Watchdog",
    "placeholder_pixels",
]

# The settings travel in the environment so that every engine of a command (worker
# processes of a parallel export too) applies the same ones; the policy and the incidents
# file are the plugin host's variables, so one --on-error governs plugin and other nodes.
ENV_ON_ERROR = "REELGRAPH_ON_ERROR"
"""The error policy: bypass, placeholder or fail (the default)."""

ENV_NODE_TIMEOUT = "REELGRAPH_NODE_TIMEOUT"
"""Seconds one node may run (unset or 0: no limit)."""

ENV_OPERATION_TIMEOUT = "REELGRAPH_OPERATION_TIMEOUT"
"""Seconds one watched operation (decoding a frame) may run (unset or 0: no limit)."""

ENV_INCIDENTS = "REELGRAPH_PLUGIN_INCIDENTS"
"""A file every watchdog (and plugin host) appends its incidents to, as JSON lines."""

T = TypeVar("T")
_log = logging.getLogger("reelgraph.watchdog")
_CHECKER = 32  # pixels per placeholder square, as the plugin host draws it
# Nodes that cannot turn finite pixels into NaN or infinity (pictures read from files,
# constants, resampling, and blends of two pictures with weights in [0, 1]); the value
# scan (about 2 ms for a 1080p picture) is skipped for them.
_FINITE_KEEPING = frozenset(
    {"SourceNode", "SolidNode", "TransformNode", "OpacityNode", "DissolveNode", "WipeNode"}
)


class ErrorPolicy(enum.Enum):
    """What a failing node becomes (``--on-error``)."""

    BYPASS = "bypass"
    PLACEHOLDER = "placeholder"
    FAIL = "fail"

    @classmethod
    def of(cls, value: object) -> ErrorPolicy:
        """A policy from its name or from another enum with the same values."""
        return cls(getattr(value, "value", value))


@dataclass(frozen=True, slots=True)
class Incident:
    """A node that failed while the render went on past it, and what took its place.

    Attributes:
        code: The error's code (``watchdog.node_timeout``, ``plugin.crashed``, …).
        frame: The timeline frame being rendered (-1 when unknown).
        node: The node's index in the frame's graph (None for operations).
        kind: The node's class, or the operation's name.
        message: The error's English message.
        action: What took the node's place: ``"bypass"`` or ``"placeholder"``.
        trace: The traceback of an unexpected exception ("" for coded errors); for logs.
    """

    code: str
    frame: int
    node: int | None
    kind: str
    message: str
    action: str
    trace: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (without the trace)."""
        return {
            "code": self.code,
            "frame": self.frame,
            "node": self.node,
            "kind": self.kind,
            "message": self.message,
            "action": self.action,
        }


class Incidents:
    """World resource: the incidents recorded so far, in order (thread-safe)."""

    def __init__(self) -> None:
        self._items: list[Incident] = []
        self._lock = threading.Lock()

    def record(self, incident: Incident) -> None:
        """Add one incident."""
        with self._lock:
            self._items.append(incident)

    def since(self, count: int) -> list[Incident]:
        """The incidents recorded after the first ``count``."""
        with self._lock:
            return self._items[count:]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Incident]:
        return iter(list(self._items))


def _seconds(env: Mapping[str, str], name: str) -> float | None:
    text = env.get(name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"{name}={text!r}: give a time limit in seconds (0: none)")
    return value or None


def placeholder_pixels(height: int, width: int) -> np.ndarray:
    """An opaque magenta-and-black checkerboard, ``(H, W, 4)`` premultiplied float32."""
    rows = (np.arange(height) // _CHECKER)[:, None]
    cols = (np.arange(width) // _CHECKER)[None, :]
    magenta = ((rows + cols) % 2 == 0).astype(np.float32)
    out = np.zeros((height, width, 4), dtype=np.float32)
    out[..., 0] = magenta
    out[..., 2] = magenta
    out[..., 3] = 1.0
    return out


class _Worker:
    """One daemon thread running calls handed to it; abandoned when a call is late."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], list[Any], threading.Event]]
        self._jobs = queue.SimpleQueue()
        thread = threading.Thread(target=self._loop, name="reelgraph-watchdog", daemon=True)
        thread.start()

    def _loop(self) -> None:
        while True:
            call, box, done = self._jobs.get()
            try:
                box.append((True, call()))
            except BaseException as exc:
                box.append((False, exc))
            done.set()

    def run(self, call: Callable[[], Any], timeout: float) -> tuple[bool, Any] | None:
        """``(ok, value or exception)``, or None when ``call`` is late (then abandon me)."""
        box: list[Any] = []
        done = threading.Event()
        # The node sees the caller's context variables (cancel tokens, plugin guards).
        self._jobs.put((functools.partial(contextvars.copy_context().run, call), box, done))
        if not done.wait(timeout):
            return None
        return box[0]  # type: ignore[no-any-return]


def _shape_of(image: Any) -> tuple[int, ...] | None:
    shape = getattr(image, "shape", None)
    return tuple(int(n) for n in shape) if isinstance(shape, tuple) else None


def _expected_size(node: Any, inputs: list[Any]) -> tuple[int, int] | None:
    """``(H, W)`` the node must make: its own size, else its first input's, else unknown."""
    width, height = getattr(node, "width", None), getattr(node, "height", None)
    if isinstance(width, int) and isinstance(height, int):
        return (height, width)
    shape = _shape_of(inputs[0]) if inputs else None
    return (shape[0], shape[1]) if shape is not None and len(shape) >= 2 else None


def _problem(result: Any, expected: tuple[int, int] | None, check_values: bool) -> str | None:
    shape = _shape_of(result)
    if shape is None:
        return f"returned {type(result).__name__}, not a picture"
    if len(shape) != 3 or shape[2] != 4:
        return f"returned an array of shape {shape}, not (H, W, 4)"
    if expected is not None and shape[:2] != expected:
        return f"returned {shape[1]}x{shape[0]} pixels, expected {expected[1]}x{expected[0]}"
    if isinstance(result, np.ndarray):
        if result.dtype != np.float32:
            return f"returned {result.dtype} pixels, not float32"
        if check_values and result.size and count_non_finite(result.reshape(-1)):
            return "returned NaN or infinite values"
    return None


class Watchdog:
    """Runs nodes and operations under limits, checks their results, applies the policy.

    Args:
        policy: What a failing node becomes (an :class:`ErrorPolicy` or its name).
        node_timeout: Seconds a node may run (None: no limit, nodes run inline).
        operation_timeout: Seconds a watched operation may run (None: no limit).
        check_values: Also look for NaN and infinite values (one pass over the pixels of
            each node that could make them: effects, blends, plugins).
        incidents: Where incidents go (a new :class:`Incidents` by default).
        canvas: ``(H, W)`` for fallbacks of nodes whose size is unknown (sources).
        incidents_file: A file to append each incident to as a JSON line (with its trace).
    """

    def __init__(
        self,
        *,
        policy: ErrorPolicy | str = ErrorPolicy.FAIL,
        node_timeout: float | None = None,
        operation_timeout: float | None = None,
        check_values: bool = True,
        incidents: Incidents | None = None,
        canvas: tuple[int, int] | None = None,
        incidents_file: str | None = None,
    ) -> None:
        for limit in (node_timeout, operation_timeout):
            if limit is not None and limit <= 0:
                raise ValueError("a watchdog time limit must be positive")
        self.policy = ErrorPolicy.of(policy)
        self.node_timeout = node_timeout
        self.operation_timeout = operation_timeout
        self.check_values = check_values
        self.incidents = incidents if incidents is not None else Incidents()
        self.canvas = canvas
        self.incidents_file = incidents_file
        self._worker: _Worker | None = None
        self.abandoned = 0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Watchdog:
        """A watchdog set up by ``REELGRAPH_ON_ERROR``, ``REELGRAPH_NODE_TIMEOUT``,
        ``REELGRAPH_OPERATION_TIMEOUT`` and ``REELGRAPH_PLUGIN_INCIDENTS`` (the CLI's
        ``--on-error``, ``--node-timeout`` and ``--operation-timeout`` set them).

        Raises:
            UsageError: a variable holds something that is not a policy or a time.
        """
        env = os.environ if environ is None else environ
        policy = env.get(ENV_ON_ERROR) or ErrorPolicy.FAIL.value
        if policy not in {p.value for p in ErrorPolicy}:
            raise UsageError(f"{ENV_ON_ERROR}={policy!r}: use bypass, placeholder or fail")
        return cls(
            policy=policy,
            node_timeout=_seconds(env, ENV_NODE_TIMEOUT),
            operation_timeout=_seconds(env, ENV_OPERATION_TIMEOUT),
            incidents_file=env.get(ENV_INCIDENTS) or None,
        )

    def _record(self, incident: Incident) -> None:
        self.incidents.record(incident)
        if self.incidents_file:
            line = json.dumps({**incident.to_dict(), "trace": incident.trace}, sort_keys=True)
            try:
                with open(self.incidents_file, "a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
            except OSError:
                _log.warning("cannot append to %s: %s", self.incidents_file, line)

    # -- running under a limit -----------------------------------------------------------

    def _limited(self, call: Callable[[], T], timeout: float | None) -> tuple[bool, Any]:
        """``(True, value)`` / ``(False, exception)``; ``(False, None)`` when late."""
        if timeout is None:
            try:
                return True, call()
            except Exception as exc:
                return False, exc
        if self._worker is None:
            self._worker = _Worker()
        outcome = self._worker.run(call, timeout)
        if outcome is None:
            self._worker = None
            self.abandoned += 1
            return False, None
        ok, value = outcome
        if not ok and not isinstance(value, Exception):
            raise value  # KeyboardInterrupt, SystemExit: not a node's failure
        return ok, value

    def call(self, operation: str, fn: Callable[[], T], *, frame: int = -1) -> T:
        """Run ``fn`` under the operation limit; its own exceptions pass through.

        Raises:
            OperationTimeoutError: ``fn`` ran past :attr:`operation_timeout`.
        """
        ok, value = self._limited(fn, self.operation_timeout)
        if ok:
            return value  # type: ignore[no-any-return]
        if value is not None:
            raise value
        error = OperationTimeoutError(
            f"{operation} did not finish within {self.operation_timeout} s",
            operation=operation,
            timeout=self.operation_timeout,
            frame=frame,
        )
        raise error

    # -- nodes ---------------------------------------------------------------------------

    def run_node(
        self,
        index: int,
        node: Any,
        inputs: list[Any],
        run: Callable[[], Any],
        backend: Backend[Any],
        frame: int = -1,
    ) -> Any:
        """Run one node (``run()`` computes it); returns its image or the policy's fallback.

        Raises:
            ReelgraphError: under the ``fail`` policy, the node's error.
        """
        expected = _expected_size(node, inputs)
        ok, value = self._limited(run, self.node_timeout)
        if ok:
            scan = self.check_values and type(node).__name__ not in _FINITE_KEEPING
            problem = _problem(value, expected, scan)
            if problem is None:
                return value
            error: ReelgraphError = self._node_error(
                BadNodeOutputError, index, node, frame, problem
            )
        elif value is None:
            error = self._node_error(
                NodeTimeoutError,
                index,
                node,
                frame,
                f"did not finish within {self.node_timeout} s",
                timeout=self.node_timeout,
            )
        elif isinstance(value, ReelgraphError) and not isinstance(value, WatchdogError):
            error = value.with_context(frame=frame, node=index)
        else:
            detail = f"{type(value).__name__}: {value}"
            error = self._node_error(NodeFailedError, index, node, frame, detail)
            error.__cause__ = value
        return self._fallback(error, index, node, inputs, expected, backend, frame)

    @staticmethod
    def _node_error(
        cls: type[WatchdogError], index: int, node: Any, frame: int, detail: str, **extra: Any
    ) -> WatchdogError:
        kind = type(node).__name__
        wording = {
            NodeFailedError: "failed",
            BadNodeOutputError: "returned a bad picture",
        }.get(cls)
        message = (
            f"frame {frame}, node {index} ({kind}) {wording}: {detail}"
            if wording
            else f"frame {frame}, node {index} ({kind}) {detail}"
        )
        return cls(message, node=index, kind=kind, frame=frame, detail=detail, **extra)

    def _fallback(
        self,
        error: ReelgraphError,
        index: int,
        node: Any,
        inputs: list[Any],
        expected: tuple[int, int] | None,
        backend: Backend[Any],
        frame: int,
    ) -> Any:
        kind = type(node).__name__
        action = self.policy.value
        _log.info("frame %d: node %d (%s) [%s] %s -> %s", frame, index, kind, error.code,
                     error.message, action)  # fmt: skip
        if self.policy is ErrorPolicy.FAIL:
            raise error  # the render stops with it: nothing went on past it to record
        cause = error.__cause__
        trace = "".join(traceback.format_exception(cause)) if cause is not None else ""
        self._record(Incident(error.code, frame, index, kind, error.message, action, trace))
        height, width = expected or self.canvas or (16, 16)
        if self.policy is ErrorPolicy.BYPASS:
            if inputs and (_shape_of(inputs[0]) or ())[:2] == (height, width):
                return inputs[0]
            return backend.solid(width, height, (0.0, 0.0, 0.0, 0.0))
        return backend.from_array(placeholder_pixels(height, width))
