"""Relinking: finding moved or renamed media by their content fingerprint.

When a project's media path is missing, the index still knows the fingerprint last seen
there. A file with that fingerprint elsewhere is the same content: first the other paths
the index knows for it, then the project's folder and the configured search folders
(``REELGRAPH_MEDIA_PATH``, separated like ``PATH``), walked in sorted order so the same
folders always give the same answer. Only files of exactly the right size are read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reelgraph.media_index.fingerprint import Fingerprint, fingerprint_file
from reelgraph.media_index.index import MediaIndex

__all__ = ["SEARCH_PATH_VARIABLE", "Relink", "find_relink", "search_folders"]

SEARCH_PATH_VARIABLE = "REELGRAPH_MEDIA_PATH"
"""Environment variable: more folders to search for moved media."""

_MAX_FILES = 50_000  # per search: a relink never turns into a scan of a whole disk


@dataclass(frozen=True, slots=True)
class Relink:
    """A missing media path and the file with the same content that replaces it."""

    missing: Path
    found: Path
    fingerprint: Fingerprint


def search_folders(project_folder: Path | None, extra: Sequence[Path] = ()) -> list[Path]:
    """The folders searched for moved media: the project's, ``extra``, then the variable's."""
    folders = [] if project_folder is None else [project_folder]
    folders += list(extra)
    variable = os.environ.get(SEARCH_PATH_VARIABLE, "")
    folders += [Path(p) for p in variable.split(os.pathsep) if p]
    unique: list[Path] = []
    for folder in folders:
        if folder not in unique:
            unique.append(folder)
    return unique


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            yield Path(root) / name


def _candidates(
    index: MediaIndex, expected: Fingerprint, folders: Iterable[Path]
) -> Iterator[Path]:
    yield from index.paths_of(expected)
    seen = 0
    for folder in folders:
        for path in _walk(folder):
            seen += 1
            if seen > _MAX_FILES:
                return
            yield path


def find_relink(index: MediaIndex, missing: Path, folders: Sequence[Path]) -> Relink | None:
    """The file that replaces ``missing``, or None.

    Args:
        index: Knows the fingerprint last seen at ``missing``.
        missing: The media path that is gone (absolute).
        folders: Searched after the paths the index knows (see :func:`search_folders`).

    Returns:
        The relink (the found file is recorded in the index), or None when the missing
        path was never fingerprinted or no file with its content is found.
    """
    expected = index.last_fingerprint(missing)
    if expected is None:
        return None
    # Same-named files first: a renamed folder is the common case.
    ordered = sorted(
        dict.fromkeys(_candidates(index, expected, folders)),
        key=lambda p: p.name != missing.name,
    )
    for path in ordered:
        try:
            if path == missing or path.stat().st_size != expected.size:
                continue
            if fingerprint_file(path) == expected:
                index.identify(path)
                return Relink(missing, path, expected)
        except OSError:
            continue
    return None
