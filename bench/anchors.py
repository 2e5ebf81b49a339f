"""The anchors: find ffmpeg, melt and MoviePy, install them when asked, say their versions.

``ffmpeg`` and ``melt`` come from Debian's packages (``apt-get install -y ffmpeg melt``);
MoviePy from PyPI into a virtual environment of its own under the work folder, so its
pins (it caps Pillow) never touch reelgraph's environment. Installing happens only in the
harness, never in tests, and only when ``install`` is true. An anchor that is still
missing is skipped with the reason, never an error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Anchor", "Anchors", "find_anchors", "find_font"]

Log = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Anchor:
    """One anchor: how to run it, or why it cannot run."""

    name: str
    command: tuple[str, ...] = ()
    version: str = ""
    reason: str = ""

    @property
    def available(self) -> bool:
        """Whether it can run."""
        return bool(self.command) and not self.reason


@dataclass(frozen=True, slots=True)
class Anchors:
    """Every anchor of this run."""

    ffmpeg: Anchor
    melt: Anchor
    moviepy: Anchor

    def all(self) -> tuple[Anchor, ...]:
        """The anchors in table order."""
        return (self.ffmpeg, self.melt, self.moviepy)


def _first_line(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"? ({exc})"
    text = (result.stdout or result.stderr).strip().splitlines()
    return text[0] if text else "?"


def _apt_install(packages: list[str], log: Log) -> str:
    """Install Debian packages; returns an error text, empty on success."""
    apt = shutil.which("apt-get")
    if apt is None:
        return "apt-get not found"
    prefix: list[str] = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log(f"  installing {' '.join(packages)} with apt-get ...")
    for command in ([*prefix, apt, "update"], [*prefix, apt, "install", "-y", *packages]):
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            return f"'{' '.join(command)}' failed: {result.stderr.strip()[-200:]}"
    return ""


def _moviepy(folder: Path, install: bool, log: Log) -> Anchor:
    venv = folder / "moviepy-venv"
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('moviepy'))"]
    if not python.exists() and install:
        log("  installing moviepy into its own virtual environment ...")
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
        if made.returncode == 0:
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", "moviepy"],
                capture_output=True,
            )
    if not python.exists():
        return Anchor("moviepy", reason=f"no MoviePy environment at {venv} (run without --quick)")
    result = subprocess.run(probe, capture_output=True, text=True)
    if result.returncode != 0:
        return Anchor("moviepy", reason="MoviePy does not import in its environment")
    return Anchor("moviepy", (str(python),), f"MoviePy {result.stdout.strip()}")


def find_anchors(folder: Path, *, install: bool, log: Log = print) -> Anchors:
    """Find (and with ``install``, first install) the anchors."""
    missing = [name for name in ("ffmpeg", "melt") if shutil.which(name) is None]
    install_error = _apt_install(missing, log) if missing and install else ""
    found = {}
    for name in ("ffmpeg", "melt"):
        path = shutil.which(name)
        if path is None:
            why = install_error or f"{name} not found on PATH"
            if not install:
                why += " (run without --quick/--no-install to install it)"
            found[name] = Anchor(name, reason=why)
            continue
        flag = "-version"
        found[name] = Anchor(name, (path,), _first_line([path, flag]))
    return Anchors(found["ffmpeg"], found["melt"], _moviepy(folder, install, log))


def find_font() -> str | None:
    """A bold sans-serif TrueType font for the anchors' titles, or None."""
    known = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    if known.exists():
        return str(known)
    match = shutil.which("fc-match")
    if match is None:
        return None
    result = subprocess.run(
        [match, "-f", "%{file}", "DejaVu Sans:bold"], capture_output=True, text=True
    )
    return result.stdout.strip() or None
