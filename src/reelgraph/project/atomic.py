"""Atomic file writes: temporary sibling, fsync, rename, fsync of the folder.

A reader (or a process started after a crash at any instant) sees the old file or the
new one, never a mix, and never no file at all where there was one.
:func:`write_bytes_atomic` with ``backup=`` first keeps the previous version under
another name, also atomically: the old file is hard-linked (or, where links are not
possible, copied) to a temporary name that is renamed over the backup.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from reelgraph.errors import output_error_for

__all__ = ["fsync_folder", "write_bytes_atomic", "write_text_atomic"]


def fsync_folder(folder: Path) -> None:
    """Make the entries of ``folder`` (a rename, a new file) durable."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _keep_backup(path: Path, backup: Path) -> None:
    temporary = backup.with_name(f".{backup.name}.tmp-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    try:
        os.link(path, temporary)
    except OSError:
        shutil.copyfile(path, temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
    os.replace(temporary, backup)


def write_bytes_atomic(path: Path, data: bytes, *, backup: Path | None = None) -> None:
    """Replace ``path`` with ``data`` so that a reader sees the old or the new file, never a mix.

    Args:
        path: The file to write.
        data: Its new content.
        backup: Where to keep the previous version of ``path`` (when there is one).

    Raises:
        OutputWriteError: the folder is missing, or another OS refusal; its subclasses
            DiskFullError (no space) and OutputNotWritableError (permissions, read-only
            disk). ``path`` is then unchanged.
    """
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        if backup is not None and path.is_file():
            _keep_backup(path, backup)
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        fsync_folder(path.resolve().parent)
    except OSError as exc:
        _remove_quietly(temporary)
        raise output_error_for(str(path), exc) from exc


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def write_text_atomic(path: Path, text: str, *, backup: Path | None = None) -> None:
    """:func:`write_bytes_atomic` for UTF-8 text."""
    write_bytes_atomic(path, text.encode("utf-8"), backup=backup)
