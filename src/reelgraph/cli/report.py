"""How the CLI speaks: plain text or ``--json``, and the error funnel.

User errors print one coded line and a hint, and exit with their class's status.
Anything else is a bug of ours: a short message on screen, the trace in a log file.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from reelgraph.errors import InternalError, ReelgraphError, exit_code_for

__all__ = ["emit", "log_path", "report_error"]


def emit(data: dict[str, Any], text: str, as_json: bool) -> None:
    """Print ``data`` as JSON or ``text`` for people."""
    if as_json:
        sys.stdout.write(json.dumps(data, indent=1, sort_keys=True) + "\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")


def log_path() -> Path:
    """Where bug reports are logged: ``$XDG_STATE_HOME/reelgraph/reelgraph.log``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "reelgraph" / "reelgraph.log"


def _log_bug(error: BaseException) -> Path | None:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)))
        return path
    except OSError:
        logging.getLogger("reelgraph").exception("bug", exc_info=error)
        return None


def report_error(error: BaseException, as_json: bool) -> int:
    """Print an error the way its kind deserves; returns the exit status."""
    if not isinstance(error, ReelgraphError) or isinstance(error, InternalError):
        where = _log_bug(error)
        error = InternalError(
            f"internal error ({type(error).__name__}: {error}); this is a bug in reelgraph",
            log=str(where) if where else "",
        )
    if as_json:
        sys.stdout.write(json.dumps({"ok": False, "error": error.to_dict()}, indent=1) + "\n")
    else:
        sys.stderr.write(f"error[{error.code}]: {error.message}\n")
        if error.hint:
            sys.stderr.write(f"hint: {error.hint}\n")
        if error.params.get("log"):
            sys.stderr.write(f"details: {error.params['log']}\n")
    return exit_code_for(error)
