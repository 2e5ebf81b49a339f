"""Schema labels (``"Clip.1"``): reading them and refusing the ones we cannot read."""

from __future__ import annotations

from typing import Any

from reelgraph.errors import SchemaTooNewError, UnknownSchemaError
from reelgraph.project.json_schema import CURRENT_VERSIONS

__all__ = ["check_labels", "format_path", "split_label"]


def format_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """``("sequences", 0, "tracks")`` → ``"sequences[0].tracks"`` (``"$"`` for the root)."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "$"


def split_label(label: object) -> tuple[str, int] | None:
    """``"Clip.1"`` → ``("Clip", 1)``; None when the label is malformed."""
    if not isinstance(label, str) or "." not in label:
        return None
    name, _, version = label.rpartition(".")
    if not version.isdigit() or not name:
        return None
    return name, int(version)


def check_labels(
    document: Any, path: tuple[str | int, ...] = (), *, older_ok: bool = False
) -> None:
    """Walk the document and refuse unknown names and versions newer than ours.

    Args:
        document: Parsed JSON.
        path: Where ``document`` sits in the file.
        older_ok: Let versions older than ours pass (before migrations run).

    Raises:
        SchemaTooNewError: a version newer than ours (the file is from a newer reelgraph).
        UnknownSchemaError: an unknown name, a malformed label, or (unless ``older_ok``)
            an old version no migration upgraded; ``path`` names the object, ``schema``
            its label.
    """
    if isinstance(document, list):
        for index, item in enumerate(document):
            check_labels(item, (*path, index), older_ok=older_ok)
        return
    if not isinstance(document, dict):
        return
    if "schema" in document:
        _check_one(document["schema"], path, older_ok)
    for key, value in document.items():
        if key != "metadata":
            check_labels(value, (*path, key), older_ok=older_ok)


def _check_one(label: object, path: tuple[str | int, ...], older_ok: bool = False) -> None:
    where = format_path((*path, "schema"))
    parsed = split_label(label)
    if parsed is None:
        raise UnknownSchemaError(
            f"{where}: {label!r} is not a schema label like 'Clip.1'", path=where, schema=str(label)
        )
    name, version = parsed
    if name not in CURRENT_VERSIONS:
        raise UnknownSchemaError(f"{where}: unknown schema {name!r}", path=where, schema=str(label))
    current = CURRENT_VERSIONS[name]
    if version > current:
        raise SchemaTooNewError(
            f"{where}: {label} is newer than this engine reads ({name}.{current}); "
            "upgrade reelgraph to open this file",
            path=where,
            schema=str(label),
            current=f"{name}.{current}",
        )
    if version < current and not older_ok:
        raise UnknownSchemaError(
            f"{where}: {label} is an old version with no migration to {name}.{current}",
            path=where,
            schema=str(label),
        )
