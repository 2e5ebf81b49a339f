"""Fixtures for the plugin tests: the deliberately bad plugins and small projects."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgraph.plugins.discovery import PluginCandidate, discover
from reelgraph.plugins.registry import PluginRegistry

BAD_PLUGINS = Path(__file__).parent / "bad_plugins"


@pytest.fixture(scope="session")
def bad_plugins() -> dict[str, PluginCandidate]:
    """The bad plugins of ``tests/plugins/bad_plugins``, by name."""
    return {c.name: c for c in discover([BAD_PLUGINS], entry_points=False, environ={})}


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[PluginRegistry]:
    """A registry with a short watchdog limit, closed after the test."""
    reg = PluginRegistry(scratch_root=tmp_path / "scratch", timeout_s=2.0)
    yield reg
    reg.close()


@pytest.fixture
def plugin_copy(tmp_path: Path):
    """``copy(package, {old: new})``: a bad plugin copied to a fresh folder, manifest edited.

    Returns the plugin-path folder that holds the copy.
    """

    def copy(package: str, replace: dict[str, str] | None = None) -> Path:
        folder = tmp_path / "copies" / package
        shutil.copytree(BAD_PLUGINS / package, folder / package)
        manifest = folder / package / "plugin.toml"
        text = manifest.read_text()
        for old, new in (replace or {}).items():
            assert old in text, old
            text = text.replace(old, new)
        manifest.write_text(text)
        return folder

    return copy
