"""Finding plugins: installed ones through entry points, others through a plugin path.

* Installed: every entry point of the group ``reelgraph.plugins`` names a plugin's
  package (``lut = "reelgraph_lut"``); the package folder is located without importing it.
* Plugin path: folders given with ``--plugin-path`` or in ``REELGRAPH_PLUGIN_PATH``
  (``os.pathsep``-separated). A folder holding ``plugin.toml`` is a plugin package; any
  other folder is searched one level down for plugin packages.

Discovery reads manifests only: no plugin code runs until registration. When two plugins
have the same name, the plugin path wins over installed packages (so a working copy can
stand in for an installed release); two of one name in the same place is a conflict.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reelgraph.errors import PluginConflictError, PluginLoadError, PluginManifestError
from reelgraph.plugins.manifest import MANIFEST_NAME, PluginManifest, read_manifest

__all__ = [
    "ENTRY_POINT_GROUP",
    "PATH_VARIABLE",
    "PluginCandidate",
    "content_hash",
    "discover",
    "plugin_path_from",
]

ENTRY_POINT_GROUP = "reelgraph.plugins"
"""The entry point group installed plugins register under."""

PATH_VARIABLE = "REELGRAPH_PLUGIN_PATH"
"""The environment variable listing plugin folders."""

_SKIPPED_PARTS = frozenset({"__pycache__", ".git", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


@dataclass(frozen=True, slots=True)
class PluginCandidate:
    """A plugin found on disk, not yet loaded.

    Attributes:
        manifest: its checked ``plugin.toml``.
        folder: its package folder (the one holding ``plugin.toml``).
        origin: ``"entry_point"`` or ``"path"``.
    """

    manifest: PluginManifest
    folder: Path
    origin: str

    @property
    def name(self) -> str:
        """The plugin's name."""
        return self.manifest.name


def plugin_path_from(
    given: Sequence[str | Path] = (), environ: Mapping[str, str] | None = None
) -> list[Path]:
    """The plugin path: folders given first, then those of ``REELGRAPH_PLUGIN_PATH``."""
    env = os.environ if environ is None else environ
    folders = [Path(p) for p in given]
    folders += [Path(p) for p in env.get(PATH_VARIABLE, "").split(os.pathsep) if p]
    return folders


def discover(
    plugin_path: Sequence[str | Path] = (),
    *,
    entry_points: bool = True,
    environ: Mapping[str, str] | None = None,
) -> list[PluginCandidate]:
    """Every plugin found, sorted by name.

    Args:
        plugin_path: extra folders (``--plugin-path``); ``REELGRAPH_PLUGIN_PATH`` follows.
        entry_points: also look at installed packages.
        environ: the environment to read (default ``os.environ``).

    Raises:
        PluginManifestError: a ``plugin.toml`` is malformed.
        PluginConflictError: two plugins of one name in the same place.
        PluginLoadError: an entry point names a package that cannot be found.
    """
    found: dict[str, PluginCandidate] = {}
    for candidate in _from_path(plugin_path_from(plugin_path, environ)):
        _add(found, candidate)
    if entry_points:
        for candidate in _from_entry_points():
            if candidate.name not in found:
                _add(found, candidate)
    return [found[name] for name in sorted(found)]


def _add(found: dict[str, PluginCandidate], candidate: PluginCandidate) -> None:
    earlier = found.get(candidate.name)
    if earlier is not None:
        if earlier.folder.resolve() == candidate.folder.resolve():
            return
        raise PluginConflictError(
            f"two plugins are named {candidate.name!r}: {earlier.folder} and {candidate.folder}",
            plugin=candidate.name,
            first=str(earlier.folder),
            second=str(candidate.folder),
        )
    found[candidate.name] = candidate


def _from_path(folders: Iterable[Path]) -> Iterable[PluginCandidate]:
    for folder in folders:
        if (folder / MANIFEST_NAME).is_file():
            yield _candidate(folder, "path")
            continue
        if not folder.is_dir():
            continue
        for child in sorted(folder.iterdir()):
            if (child / MANIFEST_NAME).is_file():
                yield _candidate(child, "path")


def _from_entry_points() -> Iterable[PluginCandidate]:
    points = sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda p: (p.name, p.value)
    )
    for point in points:
        package = point.value.split(":")[0].strip()
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError) as exc:
            raise PluginLoadError(
                f"entry point {point.name!r} names {package!r}, which cannot be found: {exc}",
                plugin=point.name,
            ) from None
        locations = list(spec.submodule_search_locations or []) if spec else []
        if not locations:
            raise PluginLoadError(
                f"entry point {point.name!r} names {package!r}, which is not a package",
                plugin=point.name,
            )
        folder = Path(locations[0])
        if not (folder / MANIFEST_NAME).is_file():
            raise PluginManifestError(
                f"installed plugin {point.name!r} has no {MANIFEST_NAME} in {folder}",
                path=str(folder / MANIFEST_NAME),
                field="plugin",
            )
        yield _candidate(folder, "entry_point")


def _candidate(folder: Path, origin: str) -> PluginCandidate:
    folder = folder.resolve()
    return PluginCandidate(read_manifest(folder / MANIFEST_NAME), folder, origin)


def content_hash(folder: Path) -> str:
    """``sha256:<hex>`` over the package's files (relative paths and bytes, sorted).

    Caches (``__pycache__``, ``.pyc``) and hidden folders are left out, so the hash names
    the plugin's content, not the machine it ran on.
    """
    digest = hashlib.sha256()
    files = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not _SKIPPED_PARTS.intersection(path.relative_to(folder).parts)
        and path.suffix not in (".pyc", ".pyo")
    )
    for path in files:
        relative = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return f"sha256:{digest.hexdigest()}"
