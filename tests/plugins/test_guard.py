"""Trusted (in-process) plugins get the same capability checks at the Python level."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from reelgraph.errors import PluginCapabilityError
from reelgraph.plugins.discovery import discover
from reelgraph.plugins.guard import GuardRules, guarded


def frame() -> np.ndarray:
    return np.zeros((2, 2, 4), dtype=np.float32)


def trusted(plugin_copy, package: str, registry, **replace: str):
    folder = plugin_copy(package, {"risky = true": "risky = false", **replace})
    (candidate,) = discover([folder], entry_points=False, environ={})
    return registry.register(candidate)


def test_a_trusted_plugin_runs_in_process_and_is_marked_trusted(plugin_copy, registry):
    registered = trusted(plugin_copy, "rg_netgrab", registry)
    assert registered.trusted
    assert registered.to_dict()["mode"] == "in_process"
    assert registered.enforcement["network"] == "python"


def test_a_trusted_plugin_without_network_is_refused_a_connection(plugin_copy, registry):
    trusted(plugin_copy, "rg_netgrab", registry)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    try:
        with pytest.raises(PluginCapabilityError) as info:
            registry.runner("netgrab").apply_effect(
                "phone_home", frame(), {"port": server.getsockname()[1]}
            )
        assert info.value.params["layer"] == "python"
        server.settimeout(0.1)
        with pytest.raises(TimeoutError):
            server.accept()
    finally:
        server.close()


def test_a_trusted_plugin_may_write_only_to_its_scratch_folder(plugin_copy, registry, tmp_path):
    trusted(plugin_copy, "rg_scribbler", registry)
    outside = tmp_path / "outside.txt"
    with pytest.raises(PluginCapabilityError, match="for writing"):
        registry.runner("scribbler").apply_effect("write", frame(), {"target": str(outside)})
    assert not outside.exists()
    registry.runner("scribbler").apply_effect("write", frame(), {"target": ""})
    assert (registry.scratch_for("scribbler") / "note.txt").exists()


def test_the_disk_capability_allows_writes_anywhere(plugin_copy, registry, tmp_path):
    trusted(
        plugin_copy, "rg_scribbler", registry, **{"capabilities = []": 'capabilities = ["disk"]'}
    )
    target = tmp_path / "allowed.txt"
    registry.runner("scribbler").apply_effect("write", frame(), {"target": str(target)})
    assert target.read_text() == "scribbled"


def test_the_guard_holds_only_inside_a_plugin_call(tmp_path):
    rules = GuardRules("demo", frozenset(), str(tmp_path / "scratch"))
    with guarded(rules), pytest.raises(PluginCapabilityError):
        (tmp_path / "denied.txt").write_text("x")
    (tmp_path / "fine.txt").write_text("x")  # the engine itself is never held
    assert rules.denials == [f"open {tmp_path / 'denied.txt'} for writing"]


def test_a_symlink_out_of_the_scratch_folder_does_not_get_around_the_guard(tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "exit").symlink_to(tmp_path)
    rules = GuardRules("demo", frozenset(), str(scratch))
    with guarded(rules), pytest.raises(PluginCapabilityError):
        (scratch / "exit" / "escaped.txt").write_text("x")
    assert not (tmp_path / "escaped.txt").exists()


def test_starting_processes_is_refused_to_a_trusted_plugin_without_capabilities(tmp_path):
    import subprocess

    rules = GuardRules("demo", frozenset(), str(tmp_path))
    with guarded(rules), pytest.raises(PluginCapabilityError, match="subprocess"):
        subprocess.run(["true"], check=False)
