"""Risky plugins in their sandbox: hangs killed, crashes restarted, capabilities enforced.

The sandbox's OS layer is checked on its own too (the Python guard turned off), and the
tests say which mechanisms ran; they require Linux with network namespaces or Landlock.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from reelgraph.errors import (
    PluginCapabilityError,
    PluginCrashError,
    PluginNodeError,
    PluginTimeoutError,
)
from reelgraph.plugins.discovery import discover
from reelgraph.plugins.registry import PluginRegistry
from reelgraph.plugins.sandbox import enforce

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sandbox")


def frame() -> np.ndarray:
    image = np.zeros((6, 8, 4), dtype=np.float32)
    image[..., 0] = 0.25
    image[..., 3] = 1.0
    return image


class Listener:
    """A TCP server on loopback that records whether anyone connected."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_a_hanging_plugin_is_killed_by_the_watchdog_and_restarted(bad_plugins, tmp_path):
    registry = PluginRegistry(scratch_root=tmp_path, timeout_s=0.5)
    try:
        registry.register(bad_plugins["hang"])
        runner = registry.runner("hang")
        first_pid = runner.pid
        started = time.monotonic()
        with pytest.raises(PluginTimeoutError) as info:
            runner.apply_effect("forever", frame(), {})
        assert time.monotonic() - started < 5
        assert info.value.code == "plugin.timeout"
        assert runner.pid is None  # killed
        with pytest.raises(PluginTimeoutError):
            runner.apply_effect("forever", frame(), {})  # a fresh worker, hung again
        assert runner.starts == 2 and runner.failures == 2
        assert first_pid is not None
    finally:
        registry.close()


def test_a_plugin_given_up_on_fails_at_once(bad_plugins, tmp_path):
    registry = PluginRegistry(scratch_root=tmp_path, timeout_s=0.3, max_restarts=1)
    try:
        registry.register(bad_plugins["hang"])
        runner = registry.runner("hang")
        for _ in range(2):
            with pytest.raises(PluginTimeoutError):
                runner.apply_effect("forever", frame(), {})
        started = time.monotonic()
        with pytest.raises(PluginCrashError, match="given up"):
            runner.apply_effect("forever", frame(), {})
        assert time.monotonic() - started < 0.2
    finally:
        registry.close()


def test_a_crashed_worker_is_restarted_and_the_next_call_works(bad_plugins, registry):
    registry.register(bad_plugins["crash"])
    runner = registry.runner("crash")
    with pytest.raises(PluginCrashError) as info:
        runner.apply_effect("once", frame(), {})
    assert info.value.code == "plugin.crashed"
    assert info.value.params["status"] < 0  # killed by a signal (SIGSEGV)
    out = runner.apply_effect("once", frame(), {})
    np.testing.assert_allclose(out[..., 0], 0.75)
    assert runner.starts == 2


@linux_only
def test_a_plugin_without_network_cannot_connect(bad_plugins, registry, listener):
    registered = registry.register(bad_plugins["netgrab"])
    if registered.enforcement["network"].startswith("none"):
        pytest.skip("neither network namespaces nor Landlock TCP rules work here")
    assert registered.enforcement["network"].startswith(("netns", "landlock"))
    with pytest.raises(PluginCapabilityError) as info:
        registry.runner("netgrab").apply_effect("phone_home", frame(), {"port": listener.port})
    assert info.value.code == "plugin.capability_denied"
    assert info.value.params["layer"] == "python"
    time.sleep(0.3)
    assert listener.connections == 0


@linux_only
def test_a_plugin_without_disk_cannot_write_outside_its_scratch_folder(
    bad_plugins, registry, tmp_path
):
    registered = registry.register(bad_plugins["scribbler"])
    if enforce.landlock_abi() == 0:
        pytest.skip("this kernel has no Landlock")
    assert registered.enforcement["filesystem"].startswith("landlock")
    target = tmp_path / "escaped.txt"
    with pytest.raises(PluginCapabilityError, match="for writing"):
        registry.runner("scribbler").apply_effect("write", frame(), {"target": str(target)})
    assert not target.exists()
    registry.runner("scribbler").apply_effect("write", frame(), {"target": ""})
    assert (registry.scratch_for("scribbler") / "note.txt").read_text() == "scribbled"


@linux_only
def test_the_os_layer_alone_denies_network_and_writes(bad_plugins, tmp_path, listener):
    if enforce.landlock_abi() == 0:
        pytest.skip("this kernel has no Landlock")
    registry = PluginRegistry(
        scratch_root=tmp_path / "scratch", timeout_s=3.0, sandbox_options={"python_guard": False}
    )
    try:
        registry.register(bad_plugins["netgrab"])
        registered = registry.register(bad_plugins["scribbler"])
        assert "+python" not in registered.enforcement["filesystem"]
        with pytest.raises(PluginCapabilityError) as info:
            registry.runner("netgrab").apply_effect("phone_home", frame(), {"port": listener.port})
        assert info.value.params["layer"] == "os"
        target = tmp_path / "escaped.txt"
        with pytest.raises(PluginCapabilityError, match="Permission denied"):
            registry.runner("scribbler").apply_effect("write", frame(), {"target": str(target)})
        assert not target.exists()
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        registry.close()


@linux_only
def test_landlock_holds_the_network_where_namespaces_are_not_used(bad_plugins, tmp_path, listener):
    if enforce.landlock_abi() < 4:
        pytest.skip("this kernel's Landlock cannot restrict TCP (ABI < 4)")
    registry = PluginRegistry(
        scratch_root=tmp_path,
        timeout_s=3.0,
        sandbox_options={"python_guard": False, "namespaces": False},
    )
    try:
        registered = registry.register(bad_plugins["netgrab"])
        assert registered.enforcement["network"].startswith("landlock")
        with pytest.raises(PluginCapabilityError):
            registry.runner("netgrab").apply_effect("phone_home", frame(), {"port": listener.port})
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        registry.close()


def test_a_plugin_returning_the_wrong_shape_is_a_node_error(plugin_copy, registry):
    folder = plugin_copy("rg_scribbler")
    init = folder / "rg_scribbler" / "__init__.py"
    init.write_text(init.read_text().replace("return image.copy()", "return image[:2]"))
    (candidate,) = discover([folder], entry_points=False, environ={})
    registry.register(candidate)
    with pytest.raises(PluginNodeError, match="shape"):
        registry.runner("scribbler").apply_effect("write", frame(), {"target": ""})


def test_bigger_frames_restart_the_worker_with_a_bigger_block(bad_plugins, registry):
    registry.register(bad_plugins["crash"])
    runner = registry.runner("crash")
    (runner.scratch / "crashed-once").write_text("yes")  # skip the crash
    runner.apply_effect("once", frame(), {})
    big = np.ones((1100, 1930, 4), dtype=np.float32)
    out = runner.apply_effect("once", big, {})
    assert out.shape == big.shape and runner.starts == 2
    assert Path(runner.log_path).exists()
