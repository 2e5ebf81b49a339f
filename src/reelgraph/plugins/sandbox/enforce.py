"""The operating-system layer of the sandbox, applied by a worker to itself before plugin code runs.

Linux only (elsewhere nothing is applied and the report says so; the Python guard still
runs). Both steps are irreversible for the worker and every process it starts:

* **network** (without the ``network`` capability): the worker moves into a new, empty
  network namespace (``unshare(CLONE_NEWNET)``; as an unprivileged user, together with a
  new user namespace). Not even loopback is up there, so every connection fails. Where
  namespaces are refused, Landlock (ABI 4+) denies TCP ``connect``/``bind`` instead.
* **filesystem** (without ``disk``): a Landlock ruleset handles every write-like access
  (write, truncate, create, remove, rename, link, make device/fifo/socket/symlink) and
  allows them only beneath the scratch folder. Reading stays allowed (fonts, LUT files).
  ``PR_SET_NO_NEW_PRIVS`` is set first, as Landlock requires.

:func:`apply` returns what was really applied, e.g. ``{"network": "netns", "filesystem":
"landlock-abi7"}``; ``"none"`` marks a layer that could not be applied here.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
from collections.abc import Iterable

__all__ = ["apply", "landlock_abi"]

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_NO_NEW_PRIVS = 38
# Landlock system calls share one number on every Linux architecture (the unified table).
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_FS_WRITE_FILE = 1 << 1
_FS_REMOVE_DIR = 1 << 4
_FS_REMOVE_FILE = 1 << 5
_FS_MAKE_ANY = sum(1 << bit for bit in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
_FS_REFER = 1 << 13  # ABI 2
_FS_TRUNCATE = 1 << 14  # ABI 3
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1  # ABI 4
_O_PATH = getattr(os, "O_PATH", 0o10000000)


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def landlock_abi() -> int:
    """The Landlock ABI version of this kernel, 0 when Landlock is unavailable."""
    libc = _libc()
    if libc is None:
        return 0
    version = libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    return max(int(version), 0)


def _isolate_network(libc: ctypes.CDLL) -> bool:
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    return False


def _write_rights(abi: int) -> int:
    rights = _FS_WRITE_FILE | _FS_REMOVE_DIR | _FS_REMOVE_FILE | _FS_MAKE_ANY
    if abi >= 2:
        rights |= _FS_REFER
    if abi >= 3:
        rights |= _FS_TRUNCATE
    return rights


def _landlock(libc: ctypes.CDLL, abi: int, writable: Iterable[str], fs: bool, net: bool) -> bool:
    handled_fs = _write_rights(abi) if fs else 0
    handled_net = (_NET_BIND_TCP | _NET_CONNECT_TCP) if net and abi >= 4 else 0
    if not handled_fs and not handled_net:
        return False
    # struct landlock_ruleset_attr {u64 handled_access_fs; u64 handled_access_net; ...}
    attr = (
        struct.pack("=QQ", handled_fs, handled_net) if abi >= 4 else struct.pack("=Q", handled_fs)
    )
    buffer = ctypes.create_string_buffer(attr, len(attr))
    ruleset = libc.syscall(_SYS_CREATE_RULESET, buffer, ctypes.c_size_t(len(attr)), 0)
    if ruleset < 0:
        return False
    try:
        for folder in writable if fs else ():
            fd = os.open(folder, _O_PATH | os.O_CLOEXEC)
            try:
                # struct landlock_path_beneath_attr {u64 allowed_access; s32 parent_fd;} packed
                rule = ctypes.create_string_buffer(struct.pack("=Qi", handled_fs, fd), 12)
                if libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, rule, 0) != 0:
                    return False
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return bool(libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0) == 0)
    finally:
        os.close(ruleset)


def apply(capabilities: Iterable[str], scratch: str, *, namespaces: bool = True) -> dict[str, str]:
    """Confine this process to ``capabilities``; writes stay allowed under ``scratch``.

    ``namespaces=False`` skips the network namespace (to exercise the Landlock fallback).

    Returns:
        ``{"network": ..., "filesystem": ...}``: ``"allowed"`` where the capability was
        declared, else the mechanism that enforces the denial, or ``"none"``.
    """
    granted = set(capabilities)
    report = {
        "network": "allowed" if "network" in granted else "none",
        "filesystem": "allowed" if "disk" in granted else "none",
    }
    libc = _libc()
    if libc is None:
        return report
    abi = landlock_abi()
    want_net = "network" not in granted
    want_fs = "disk" not in granted
    if want_net and namespaces and _isolate_network(libc):
        report["network"] = "netns"
        want_net = False
    net_by_landlock = want_net and abi >= 4
    if (want_fs or net_by_landlock) and abi > 0:
        if _landlock(libc, abi, [scratch], want_fs, net_by_landlock):
            if want_fs:
                report["filesystem"] = f"landlock-abi{abi}"
            if net_by_landlock:
                report["network"] = f"landlock-abi{abi}-tcp"
    return report
