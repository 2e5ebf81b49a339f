"""The engine's side of a sandboxed plugin: start the worker, call it, watch it.

:class:`SandboxedPlugin` starts ``python -m reelgraph.plugins.sandbox.worker`` and speaks
JSON lines with it; pictures go through a :class:`~reelgraph.plugins.sandbox.frames.FrameBlock`.
The watchdog is the deadline on every reply: a call that has not answered within
``timeout_s`` gets the worker killed (``SIGKILL``) and raises
:class:`~reelgraph.errors.PluginTimeoutError`; a worker that dies mid-call raises
:class:`~reelgraph.errors.PluginCrashError`. Either way the next call starts a fresh
worker, up to ``max_restarts`` times; after that the plugin is given up on and every call
fails at once (so a broken plugin costs a render one timeout per restart, not one per
frame). The render's error policy decides what the failed node becomes.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reelgraph import errors
from reelgraph.errors import (
    PluginCrashError,
    PluginError,
    PluginLoadError,
    PluginNodeError,
    PluginTimeoutError,
)
from reelgraph.plugins.discovery import PluginCandidate
from reelgraph.plugins.protocols import Frame, PluginValue
from reelgraph.plugins.sandbox.frames import INPUT_A, INPUT_B, OUTPUT, FrameBlock
from reelgraph.plugins.verify import PluginDescription

__all__ = ["SandboxedPlugin"]

_LOG_TAIL = 2000


class _NoReply(Exception):
    def __init__(self, timed_out: bool) -> None:
        super().__init__("timed out" if timed_out else "worker exited")
        self.timed_out = timed_out


class SandboxedPlugin:
    """A risky plugin running in a confined worker process, restarted when it fails."""

    def __init__(
        self,
        candidate: PluginCandidate,
        scratch: Path,
        *,
        timeout_s: float = 30.0,
        start_timeout_s: float = 60.0,
        max_restarts: int = 3,
        python_guard: bool = True,
        os_layer: bool = True,
        namespaces: bool = True,
    ) -> None:
        """Prepare (but do not start) the worker.

        Args:
            candidate: the plugin.
            scratch: its scratch folder; the worker's log is ``worker.log`` there.
            timeout_s: the watchdog's limit on one call.
            start_timeout_s: the limit on starting, loading and verifying the plugin.
            max_restarts: restarts after failures before the plugin is given up on.
            python_guard: install the audit-hook guard in the worker (tests turn it off
                to see the OS layer alone).
            os_layer: apply the OS layer (namespaces, Landlock) in the worker.
            namespaces: allow the network namespace (off: Landlock alone holds TCP).
        """
        self.candidate = candidate
        self.scratch = scratch
        self.timeout_s = timeout_s
        self.start_timeout_s = start_timeout_s
        self.max_restarts = max_restarts
        self.python_guard = python_guard
        self.os_layer = os_layer
        self.namespaces = namespaces
        self.description: PluginDescription | None = None
        self.enforcement: dict[str, str] = {}
        self.starts = 0
        self.failures = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._block: FrameBlock | None = None
        self._buffer = b""
        # One call at a time: a call abandoned by the graph's watchdog may still be in
        # flight when the next frame's call comes (it ends within timeout_s).
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The plugin's name."""
        return self.candidate.name

    @property
    def log_path(self) -> Path:
        """The worker's stderr log."""
        return self.scratch / "worker.log"

    @property
    def pid(self) -> int | None:
        """The running worker's process id, if one runs."""
        return self._process.pid if self._process is not None else None

    def start(self, slot_bytes: int = 1920 * 1080 * 16) -> PluginDescription:
        """Start the worker (stopping any old one); returns what the plugin provides.

        Raises:
            PluginError: the plugin failed to load or verify (its own code), or the worker
                did not come up in time.
        """
        self._stop()
        self._block = FrameBlock(slot_bytes)
        self.scratch.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "reelgraph.plugins.sandbox.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=self.scratch,
                env=self._environment(),
            )
        self.starts += 1
        self._buffer = b""
        manifest = self.candidate.manifest
        self._send(
            {
                "name": manifest.name,
                "manifest": manifest.to_dict(),
                "folder": str(self.candidate.folder),
                "capabilities": list(manifest.capabilities),
                "scratch": str(self.scratch),
                "shm": self._block.name,
                "shm_size": self._block.size,
                "slot_bytes": self._block.slot_bytes,
                "python_guard": self.python_guard,
                "os_layer": self.os_layer,
                "namespaces": self.namespaces,
                "parent": os.getpid(),
            }
        )
        try:
            reply = self._receive(self.start_timeout_s)
        except _NoReply as exc:
            self._stop()
            raise PluginLoadError(
                f"plugin {self.name!r}: its worker did not start ({exc}); {self._log_tail()}",
                plugin=self.name,
            ) from None
        if not reply.get("ok"):
            self._stop()
            raise _error_from(reply["error"])
        self.description = PluginDescription.from_dict(reply["description"])
        self.enforcement = dict(reply["enforcement"])
        return self.description

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONUNBUFFERED="1",
            TMPDIR=str(self.scratch),
            PYTHONPATH=os.pathsep.join(p for p in sys.path if p),
        )
        return env

    # -- calls ----------------------------------------------------------------------------

    def apply_effect(self, name: str, image: Frame, params: Mapping[str, PluginValue]) -> Frame:
        """Run effect ``name`` in the worker (see ``protocols.EffectPlugin``)."""
        height, width = image.shape[:2]
        request = {"op": "effect", "name": name, "params": params, "shape": [height, width]}
        return self._call(request, [(INPUT_A, image)], height, width)

    def apply_transition(
        self, name: str, a: Frame, b: Frame, progress: float, params: Mapping[str, PluginValue]
    ) -> Frame:
        """Run transition ``name`` in the worker."""
        height, width = a.shape[:2]
        request = {
            "op": "transition",
            "name": name,
            "progress": progress,
            "params": params,
            "shape": [height, width],
        }
        return self._call(request, [(INPUT_A, a), (INPUT_B, b)], height, width)

    def generate(
        self, name: str, width: int, height: int, params: Mapping[str, PluginValue]
    ) -> Frame:
        """Run generator ``name`` in the worker."""
        request = {"op": "generate", "name": name, "width": width, "height": height}
        request["params"] = params
        return self._call(request, [], height, width)

    def _call(
        self,
        request: dict[str, Any],
        inputs: list[tuple[int, Frame]],
        height: int,
        width: int,
    ) -> Frame:
        with self._lock:
            self._ensure_running(height, width)
            assert self._block is not None
            for slot, image in inputs:
                self._block.write(slot, image)
            try:
                self._send(request)
                reply = self._receive(self.timeout_s)
            except (_NoReply, BrokenPipeError) as exc:
                raise self._failed(exc) from None
            if not reply.get("ok"):
                raise _error_from(reply["error"])
            return self._block.read(OUTPUT, height, width)

    def _ensure_running(self, height: int, width: int) -> None:
        if self._running() and self._block is not None and self._block.fits(height, width):
            return
        if self.starts > self.max_restarts:
            raise PluginCrashError(
                f"plugin {self.name!r} was given up on after {self.max_restarts} restarts",
                plugin=self.name,
                restarts=self.max_restarts,
            )
        slot = max(height * width * 16, self._block.slot_bytes if self._block else 0)
        self.start(slot)

    def _failed(self, exc: BaseException) -> PluginError:
        self.failures += 1
        timed_out = isinstance(exc, _NoReply) and exc.timed_out
        status = self._kill()
        if timed_out:
            return PluginTimeoutError(
                f"plugin {self.name!r} did not answer within {self.timeout_s:g} s; "
                "its worker was killed and will be restarted",
                plugin=self.name,
                timeout=self.timeout_s,
            )
        return PluginCrashError(
            f"plugin {self.name!r} crashed its worker (exit status {status}); it will be "
            f"restarted. {self._log_tail()}",
            plugin=self.name,
            status=status,
        )

    # -- the pipe -------------------------------------------------------------------------

    def _send(self, message: Mapping[str, Any]) -> None:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")
        self._process.stdin.flush()

    def _receive(self, timeout: float) -> dict[str, Any]:
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _NoReply(timed_out=True)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise _NoReply(timed_out=False)
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            message = json.loads(line)
        except ValueError:
            raise _NoReply(timed_out=False) from None
        if not isinstance(message, dict):
            raise _NoReply(timed_out=False)
        return message

    # -- lifetime -------------------------------------------------------------------------

    def _running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _kill(self) -> int | None:
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        status = process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        return status

    def _stop(self) -> None:
        process = self._process
        if process is not None and process.poll() is None and process.stdin is not None:
            try:
                process.stdin.close()
                process.wait(timeout=2.0)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._kill()
        if self._block is not None:
            self._block.close()
            self._block = None

    def close(self) -> None:
        """Stop the worker and free the frame block (idempotent)."""
        with self._lock:
            self._stop()

    def _log_tail(self) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        tail = text[-_LOG_TAIL:].strip()
        return f"worker log ({self.log_path}): ...{tail[-300:]}" if tail else ""


def _error_classes() -> dict[str, type[PluginError]]:
    return {
        cls.code: cls
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, PluginError)
    }


def _error_from(payload: Mapping[str, Any]) -> PluginError:
    cls = _error_classes().get(str(payload.get("code")), PluginNodeError)
    params = dict(payload.get("params", {}))
    return cls(str(payload.get("message", "plugin error")), **params)
