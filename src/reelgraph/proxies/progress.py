"""Build progress on disk: how far a proxy build is, readable from any process.

A build (in an editing session, or ``reelgraph proxies build``) keeps a small note next
to the proxies it writes, ``<folder>/.building-<pid>.json``, rewritten every few frames
and deleted when the build ends, whichever way. ``reelgraph proxies PROJECT list`` reads
it to show builds in progress. A note whose process is gone (killed mid-build) is
ignored: the build is over, and its partial files never became proxies.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from reelgraph.processes import process_alive

__all__ = ["BuildProgress", "clear_progress", "read_progress", "write_progress"]

_PREFIX = ".building-"


@dataclass(frozen=True, slots=True)
class BuildProgress:
    """A build's progress as its note says.

    Attributes:
        pid: The process building.
        levels: The levels being built (``"full"``, ``"half"``, ``"quarter"``).
        frames_done: Frames written to every level so far.
        frames_total: The original's frame count (None when the probe did not say).
    """

    pid: int
    levels: tuple[str, ...]
    frames_done: int
    frames_total: int | None

    def describe(self) -> str:
        """``building half, quarter: 120/300 frames`` (for ``proxies list``)."""
        total = f"/{self.frames_total}" if self.frames_total else ""
        return f"building {', '.join(self.levels)}: {self.frames_done}{total} frames"


def _note(folder: Path, pid: int) -> Path:
    return folder / f"{_PREFIX}{pid}.json"


def write_progress(folder: Path, progress: BuildProgress) -> None:
    """Replace this process's note in ``folder`` (atomically; a failed write is ignored)."""
    note = _note(folder, progress.pid)
    scratch = note.with_suffix(".tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        scratch.write_text(json.dumps(asdict(progress)))
        os.replace(scratch, note)
    except OSError:
        pass  # progress is only shown, never needed


def clear_progress(folder: Path, pid: int) -> None:
    """Delete the note of process ``pid`` in ``folder``, if any."""
    _note(folder, pid).unlink(missing_ok=True)


def read_progress(folder: Path) -> BuildProgress | None:
    """The note of a live build in ``folder`` (the furthest one if several), or None."""
    found: list[BuildProgress] = []
    for note in sorted(folder.glob(f"{_PREFIX}*.json")) if folder.is_dir() else ():
        try:
            data = json.loads(note.read_text())
            progress = BuildProgress(
                int(data["pid"]),
                tuple(str(level) for level in data["levels"]),
                int(data["frames_done"]),
                None if data["frames_total"] is None else int(data["frames_total"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # being replaced, or not ours
        if process_alive(progress.pid):
            found.append(progress)
    return max(found, key=lambda p: p.frames_done, default=None)
