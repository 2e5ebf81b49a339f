"""Atomic file writes: temporary sibling, fsync, rename, fsync of the folder."""

from __future__ import annotations

import os
from pathlib import Path

from reelgraph.errors import OutputWriteError

__all__ = ["write_bytes_atomic", "write_text_atomic"]


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a reader sees the old or the new file, never a mix.

    Raises:
        OutputWriteError: the folder is missing or not writable, or the disk is full.
    """
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        folder = os.open(path.resolve().parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError as exc:
        temporary.unlink(missing_ok=True) if temporary.parent.is_dir() else None
        raise OutputWriteError(f"cannot write {path}: {exc.strerror}", path=str(path)) from exc


def write_text_atomic(path: Path, text: str) -> None:
    """:func:`write_bytes_atomic` for UTF-8 text."""
    write_bytes_atomic(path, text.encode("utf-8"))
