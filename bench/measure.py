"""Timing a command: wall seconds and the child's peak resident memory, nothing else.

Commands run as child processes with their output in files (so a chatty encoder can
never block on a full pipe); ``os.wait4`` gives the child's own resource usage.
"""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Timed", "percentile", "run_timed", "sha256_file"]


@dataclass(frozen=True, slots=True)
class Timed:
    """One finished command."""

    command: tuple[str, ...]
    seconds: float
    peak_rss: int  # bytes
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        """Whether it exited with status 0."""
        return self.returncode == 0

    def failure(self) -> str:
        """A one-line reason for a failed command (its last error line)."""
        lines = [line.strip() for line in self.stderr.splitlines() if line.strip()]
        coded = [line for line in lines if line.startswith("error[")]
        chosen = coded[0] if coded else (lines[-1] if lines else f"exit status {self.returncode}")
        return chosen[:160]


def run_timed(
    command: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Timed:
    """Run ``command`` to its end; its wall time, peak RSS, status and output."""
    args = tuple(str(part) for part in command)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err)
        # Reaped with wait4 (not Popen.wait) so the child's own rusage comes back.
        killer = threading.Timer(timeout, process.kill) if timeout is not None else None
        if killer is not None:
            killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            if killer is not None:
                killer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Timed(
            args,
            seconds,
            usage.ru_maxrss * 1024,
            process.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in [0, 1])."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def sha256_file(path: Path) -> str:
    """The file's SHA-256."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
