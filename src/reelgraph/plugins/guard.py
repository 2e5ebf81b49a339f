"""The Python-level capability guard: an audit hook that refuses what a plugin did not declare.

:func:`sys.addaudithook` sees every ``open``, socket connection, file removal and process
start that goes through Python. While a plugin's code runs (inside :func:`guarded`, or
for the whole life of a sandbox worker with :func:`guard_process`) the hook refuses:

* without ``network``: ``socket.connect``/``bind``/``sendto``/``sendmsg`` and name lookups;
* without ``disk``: opening a file for writing, creating, removing, renaming, linking or
  changing files anywhere but under the plugin's scratch folder (symlinks resolved);
* without ``gpu``: opening GPU device nodes (``/dev/dri``, ``/dev/nvidia*``, ``/dev/kfd``);
* for in-process plugins without both ``disk`` and ``network``: starting processes, whose
  actions the hook could not see.

A refusal raises :class:`~reelgraph.errors.PluginCapabilityError` inside the plugin and is
recorded on the :class:`GuardRules`. This is a seatbelt, not a wall: code that calls the C
library directly (``ctypes``, a compiled extension) or starts threads of its own is not
seen. That is why risky plugins run in a worker that the operating system confines too
(:mod:`reelgraph.plugins.sandbox.enforce`); in-process plugins are marked *trusted*.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from reelgraph.errors import PluginCapabilityError

__all__ = ["GuardRules", "guard_process", "guarded"]

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.bind",
        "socket.sendto",
        "socket.sendmsg",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
    }
)
# Events whose leading arguments are paths that get changed, with the dir_fd positions.
_CHANGE_EVENTS: dict[str, tuple[tuple[int, int | None], ...]] = {
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.mkdir": ((0, 2),),
    "os.rename": ((0, 2), (1, 3)),
    "os.link": ((1, 3),),
    "os.symlink": ((1, 2),),
    "os.truncate": ((0, None),),
    "os.chmod": ((0, 2),),
    "os.chown": ((0, 3),),
    "os.utime": ((0, 3),),
    "os.setxattr": ((0, None),),
    "os.removexattr": ((0, None),),
    "shutil.rmtree": ((0, 1),),
}
_PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"}
)
_GPU_PREFIXES = ("/dev/dri", "/dev/nvidia", "/dev/kfd")


@dataclass
class GuardRules:
    """What one plugin may do, and what it was refused.

    Attributes:
        plugin: the plugin's name (for messages).
        capabilities: its declared capabilities.
        scratch: its scratch folder, always writable.
        processes: whether it may start processes.
        denials: one line per refused action, in order.
    """

    plugin: str
    capabilities: frozenset[str]
    scratch: str
    processes: bool = False
    denials: list[str] = field(default_factory=list)

    def check(self, event: str, args: tuple[Any, ...]) -> str | None:
        """Why ``event`` is refused, or None when it is allowed."""
        if event in _NETWORK_EVENTS:
            if "network" not in self.capabilities:
                return (
                    f"{event} {_short(args[1:] if event.endswith(('connect', 'bind')) else args)}"
                )
            return None
        if event == "open":
            return self._check_open(args)
        if event in _CHANGE_EVENTS and "disk" not in self.capabilities:
            for position, dir_fd in _CHANGE_EVENTS[event]:
                fd = args[dir_fd] if dir_fd is not None and len(args) > dir_fd else None
                target = _resolve(args[position], fd)
                if target is not None and not self._in_scratch(target):
                    return f"{event} {target}"
            return None
        if event in _PROCESS_EVENTS and not self.processes:
            return f"{event} {_short(args[:1])}"
        return None

    def _check_open(self, args: tuple[Any, ...]) -> str | None:
        path, _mode, flags = (*args, None, None, 0)[:3]
        target = _resolve(path, None)
        if target is None:
            return None
        if "gpu" not in self.capabilities and target.startswith(_GPU_PREFIXES):
            return f"open {target} (a GPU device)"
        writing = isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
        if writing and "disk" not in self.capabilities and not self._in_scratch(target):
            return f"open {target} for writing"
        return None

    def _in_scratch(self, target: str) -> bool:
        return target == self.scratch or target.startswith(self.scratch + os.sep)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _resolve(path: object, dir_fd: object) -> str | None:
    if isinstance(path, int) or path is None:
        return None
    try:
        text = os.fsdecode(os.fspath(path))  # type: ignore[call-overload]
    except TypeError:
        return None
    if not os.path.isabs(text) and isinstance(dir_fd, int) and dir_fd >= 0:
        text = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), text)
    # The parent is resolved, not the file, so a symlink that does not exist yet (or a
    # file about to be created) still lands where the kernel would put it.
    absolute = os.path.abspath(text)
    parent, name = os.path.split(absolute)
    real = os.path.join(os.path.realpath(parent), name)
    return os.path.realpath(real) if os.path.islink(real) else real


_ACTIVE: ContextVar[GuardRules | None] = ContextVar("reelgraph_plugin_guard", default=None)
_process_rules: list[GuardRules] = []
_installed = threading.Lock()
_state = threading.local()
_hook_added: list[bool] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    rules = _ACTIVE.get()
    if rules is None:
        if not _process_rules:
            return
        rules = _process_rules[0]
    if getattr(_state, "busy", False):
        return
    _state.busy = True
    try:
        reason = rules.check(event, args)
    finally:
        _state.busy = False
    if reason is not None:
        rules.denials.append(reason)
        raise PluginCapabilityError(
            f"plugin {rules.plugin!r} may not do this without the capability: {reason}",
            plugin=rules.plugin,
            action=reason,
            layer="python",
        )


def _install() -> None:
    # Audit hooks cannot be removed; one hook serves every plugin, idle (one ContextVar
    # read) while no plugin code runs.
    with _installed:
        if not _hook_added:
            sys.addaudithook(_hook)
            _hook_added.append(True)


@contextmanager
def guarded(rules: GuardRules) -> Iterator[GuardRules]:
    """Run the ``with`` body (a plugin call) under ``rules`` in this thread's context."""
    _install()
    token = _ACTIVE.set(rules)
    try:
        yield rules
    finally:
        _ACTIVE.reset(token)


def guard_process(rules: GuardRules) -> None:
    """Hold the whole process (every thread, from now on) to ``rules``; for sandbox workers."""
    _process_rules[:] = [rules]
    _install()
