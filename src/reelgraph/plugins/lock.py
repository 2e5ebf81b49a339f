"""The plugin lock: a generated registry file recording what was verified.

``reelgraph plugins lock`` writes ``reelgraph-plugins.lock.json``: for every plugin found,
either what registration verified (features, operations and their parameters, how it is
confined, its content hash) or why it was refused (the error's code and message). The
file is generated, sorted and free of timestamps, so the same plugins in the same folders
give the same bytes.
It is written atomically, and never over a file that is not itself a generated lock: the
user's own files are left alone. ``reelgraph plugins check`` compares what is installed
now with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgraph import __version__
from reelgraph.errors import PluginError, PluginLockError
from reelgraph.plugins.discovery import PluginCandidate, content_hash
from reelgraph.plugins.registry import PluginRegistry
from reelgraph.project.atomic import write_text_atomic

__all__ = [
    "LOCK_NAME",
    "LOCK_SCHEMA",
    "PluginCheck",
    "compare_with_lock",
    "lock_document",
    "read_lock",
    "verify_candidates",
    "write_lock",
]

LOCK_NAME = "reelgraph-plugins.lock.json"
"""The default file name of the lock."""

LOCK_SCHEMA = "PluginLock.1"
"""The schema label of the lock document."""

_GENERATOR = "reelgraph plugins lock"


@dataclass(frozen=True, slots=True)
class PluginCheck:
    """The outcome of registering one plugin: its record, or the refusal."""

    name: str
    record: Mapping[str, Any] | None
    error: PluginError | None

    @property
    def ok(self) -> bool:
        """Whether the plugin was verified."""
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """The lock's entry for this plugin."""
        if self.record is not None:
            return {"status": "verified", **self.record}
        assert self.error is not None
        return {
            "name": self.name,
            "status": "refused",
            "code": self.error.code,
            "message": self.error.message,
        }


def verify_candidates(
    candidates: Sequence[PluginCandidate], **registry_options: Any
) -> list[PluginCheck]:
    """Register each plugin in a throw-away registry; one :class:`PluginCheck` each."""
    checks: list[PluginCheck] = []
    registry = PluginRegistry(**registry_options)
    try:
        for candidate in candidates:
            try:
                record = registry.register(candidate).to_dict()
                checks.append(PluginCheck(candidate.name, record, None))
            except PluginError as exc:
                checks.append(PluginCheck(candidate.name, None, exc))
    finally:
        registry.close()
    return checks


def lock_document(checks: Sequence[PluginCheck]) -> dict[str, Any]:
    """The lock's JSON document."""
    return {
        "schema": LOCK_SCHEMA,
        "generated_by": _GENERATOR,
        "engine": __version__,
        "note": "Generated file: do not edit. Rewrite it with 'reelgraph plugins lock'.",
        "plugins": [check.to_dict() for check in sorted(checks, key=lambda c: c.name)],
    }


def read_lock(path: Path) -> dict[str, Any] | None:
    """The lock at ``path``, or None if there is no file.

    Raises:
        PluginLockError: the file exists but is not a generated plugin lock.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise PluginLockError(f"cannot read {path}: {exc}", path=str(path)) from None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("schema") != LOCK_SCHEMA:
        raise PluginLockError(
            f"{path} is not a reelgraph plugin lock; it is left untouched",
            path=str(path),
            hint="Choose another --lock path; reelgraph never overwrites files it did not make.",
        )
    return data


def write_lock(path: Path, checks: Sequence[PluginCheck]) -> dict[str, Any]:
    """Write the lock atomically; returns the document written.

    Raises:
        PluginLockError: a file that is not a generated lock is in the way.
        OutputWriteError: the folder cannot be written.
    """
    read_lock(path)
    document = lock_document(checks)
    write_text_atomic(path, json.dumps(document, indent=1, sort_keys=True) + "\n")
    return document


def compare_with_lock(
    lock: Mapping[str, Any] | None, candidates: Sequence[PluginCandidate]
) -> dict[str, str]:
    """Plugin name -> ``"locked"``, ``"changed"`` (content differs), ``"unlocked"``
    (not in the lock) or ``"missing"`` (in the lock, not installed)."""
    if lock is None:
        return {c.name: "unlocked" for c in candidates}
    locked = {
        entry["name"]: entry.get("content_hash")
        for entry in lock.get("plugins", [])
        if entry.get("status") == "verified"
    }
    status: dict[str, str] = {}
    for candidate in candidates:
        if candidate.name not in locked:
            status[candidate.name] = "unlocked"
        elif locked[candidate.name] != content_hash(candidate.folder):
            status[candidate.name] = "changed"
        else:
            status[candidate.name] = "locked"
    for name in locked:
        status.setdefault(name, "missing")
    return dict(sorted(status.items()))
