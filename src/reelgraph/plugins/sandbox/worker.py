"""The sandbox worker: one process that runs one risky plugin, started as ``python -m``.

Start-up, in this order, before any plugin code runs:

1. keep private copies of stdin/stdout for the protocol and point fd 1 at the log (fd 2),
   so whatever the plugin prints cannot corrupt a message;
2. read the hello message and map the engine's frame block;
3. confine the process: the OS layer (:mod:`~reelgraph.plugins.sandbox.enforce`), then
   the Python guard (:mod:`~reelgraph.plugins.guard`) for the whole process;
4. import the plugin, make it, verify its features, and answer with what it provides and
   which layers were applied.

Then it serves requests until stdin closes. Every message is one JSON line; pictures
travel through the frame block. A failing call answers with a coded error and the worker
lives on; a hang or a crash is the engine's watchdog's business.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from reelgraph.errors import PluginCapabilityError, PluginError, PluginNodeError
from reelgraph.plugins.guard import GuardRules, guard_process
from reelgraph.plugins.loading import instantiate, load_factory
from reelgraph.plugins.manifest import PluginManifest
from reelgraph.plugins.protocols import PluginContext
from reelgraph.plugins.sandbox import enforce
from reelgraph.plugins.sandbox.frames import INPUT_A, INPUT_B, OUTPUT, attach, slot_view
from reelgraph.plugins.verify import verify_plugin

__all__ = ["main"]

# What the kernel answers when the OS layer refuses a write or a connection.
_DENIED_ERRNOS = frozenset(
    {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENETUNREACH, errno.ENETDOWN}
)


class _Worker:
    def __init__(self, hello: dict[str, Any]) -> None:
        self.hello = hello
        self.block = attach(hello["shm"], hello["shm_size"])
        self.slot_bytes = int(hello["slot_bytes"])
        self.os_layer: dict[str, str] = {}
        self.plugin: Any = None

    def start(self) -> dict[str, Any]:
        hello = self.hello
        capabilities = tuple(hello["capabilities"])
        scratch = os.path.realpath(hello["scratch"])
        if hello.get("os_layer", True):
            namespaces = hello.get("namespaces", True)
            self.os_layer = enforce.apply(capabilities, scratch, namespaces=namespaces)
        if hello.get("python_guard", True):
            guard_process(
                GuardRules(hello["name"], frozenset(capabilities), scratch, processes=True)
            )
        manifest = PluginManifest(**{k: _tuple(v) for k, v in hello["manifest"].items()})
        factory = load_factory(manifest.entry_point, Path(hello["folder"]), manifest.name)
        context = PluginContext(manifest.name, Path(scratch), capabilities, sandboxed=True)
        self.plugin = instantiate(factory, context)
        description = verify_plugin(self.plugin, manifest)
        return {"ok": True, "description": description.to_dict(), "enforcement": self.os_layer}

    def serve(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request["op"]
        params = {k: _tuple(v) for k, v in request.get("params", {}).items()}
        if op == "ping":
            return {"ok": True}
        if op == "effect":
            image = self._input(INPUT_A, request["shape"])
            out = self.plugin.apply_effect(request["name"], image, params)
            shape = request["shape"]
        elif op == "transition":
            a = self._input(INPUT_A, request["shape"])
            b = self._input(INPUT_B, request["shape"])
            out = self.plugin.apply_transition(
                request["name"], a, b, float(request["progress"]), params
            )
            shape = request["shape"]
        elif op == "generate":
            shape = [request["height"], request["width"]]
            out = self.plugin.generate(request["name"], request["width"], request["height"], params)
        else:
            raise PluginNodeError(f"unknown request {op!r}")
        _check_output(out, shape, request.get("name", ""))
        slot_view(self.block, OUTPUT, self.slot_bytes, shape[0], shape[1])[...] = out
        return {"ok": True, "shape": shape}

    def _input(self, slot: int, shape: list[int]) -> np.ndarray:
        view = slot_view(self.block, slot, self.slot_bytes, shape[0], shape[1]).copy()
        view.flags.writeable = False
        return view

    def error(self, exc: BaseException) -> dict[str, Any]:
        if isinstance(exc, PluginError):
            payload = exc.to_dict()
        elif isinstance(exc, OSError) and exc.errno in _DENIED_ERRNOS and self._confined():
            payload = PluginCapabilityError(
                f"plugin {self.hello['name']!r} was refused by the operating system: {exc}",
                plugin=self.hello["name"],
                action=str(exc),
                layer="os",
                enforcement=json.dumps(self.os_layer, sort_keys=True),
            ).to_dict()
        else:
            payload = PluginNodeError(
                f"plugin {self.hello['name']!r} raised {type(exc).__name__}: {exc}",
                plugin=self.hello["name"],
                exception=type(exc).__name__,
            ).to_dict()
        return {"ok": False, "error": payload}

    def _confined(self) -> bool:
        return any(v not in ("allowed", "none") for v in self.os_layer.values())


def _tuple(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuple(v) for v in value)
    return value


def _check_output(out: object, shape: list[int], name: str) -> None:
    expected = (shape[0], shape[1], 4)
    if not isinstance(out, np.ndarray) or out.shape != expected:
        got = getattr(out, "shape", type(out).__name__)
        raise PluginNodeError(f"{name} returned {got}, expected an array of shape {expected}")
    if out.dtype != np.float32:
        raise PluginNodeError(f"{name} returned {out.dtype} pixels, expected float32")


def _send(stream: BinaryIO, message: dict[str, Any]) -> None:
    stream.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")
    stream.flush()


def _die_with_parent(parent: int) -> None:
    # A hung plugin never reads stdin's end-of-file, so it must not outlive the engine.
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def main() -> int:
    """Run the worker until the engine closes its stdin."""
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdout = sys.stderr
    worker: _Worker | None = None
    try:
        hello = json.loads(requests.readline())
        _die_with_parent(int(hello.get("parent", os.getppid())))
        worker = _Worker(hello)
        _send(replies, worker.start())
    except BaseException as exc:
        traceback.print_exc()
        payload = (
            exc.to_dict()
            if isinstance(exc, PluginError)
            else {
                "code": "plugin.load_failed",
                "message": f"{type(exc).__name__}: {exc}",
                "params": {},
            }
        )
        _send(replies, {"ok": False, "error": payload})
        return 1
    for line in requests:
        try:
            reply = worker.serve(json.loads(line))
        except Exception as exc:
            traceback.print_exc()
            reply = worker.error(exc)
        _send(replies, reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
