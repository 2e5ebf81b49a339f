"""How the CLI speaks: plain text or ``--json``, and the error funnel.

User errors print one coded line and a hint, and exit with their class's status.
Anything else is a bug of ours: a short message on screen, the trace in a log file.
The screen gets the user's language (``--lang``, else the locale; see
:mod:`reelgraph.i18n`); the log and ``--json``'s ``error.message`` keep the English
message, and ``--json`` adds the ``localized`` text next to it.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from reelgraph.errors import InternalError, NodeFailedError, ReelgraphError, exit_code_for
from reelgraph.i18n import detect_language, localize, translate

__all__ = ["emit", "log_path", "log_text", "report_error"]


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


def log_text(text: str) -> Path | None:
    """Append ``text`` to the log file; returns its path, or None if it cannot be written."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        return path
    except OSError:
        logging.getLogger("reelgraph").warning("cannot write the log: %s", text)
        return None


def _log_bug(error: BaseException) -> Path | None:
    return log_text("".join(traceback.format_exception(error)))


def report_error(error: BaseException, as_json: bool, lang: str | None = None) -> int:
    """Print an error the way its kind deserves; returns the exit status.

    Args:
        error: What was raised.
        as_json: Print one JSON object on stdout instead of text on stderr.
        lang: ``"en"`` or ``"ja"``; None detects it from the environment.
    """
    if not isinstance(error, ReelgraphError) or isinstance(error, InternalError):
        where = _log_bug(error)
        error = InternalError(
            f"internal error ({type(error).__name__}: {error}); this is a bug in reelgraph",
            log=str(where) if where else "",
            kind=type(error).__name__,
            detail=str(error),
        )
    else:
        logging.getLogger("reelgraph").info("%s", error)
        if isinstance(error, NodeFailedError) and error.__cause__ is not None:
            # A node raised something unexpected: a bug of the node, whose trace is logged.
            where = _log_bug(error.__cause__)
            error.with_context(log=str(where) if where else "")
    language = lang or detect_language()
    localized = localize(error, language)
    if as_json:
        body = {**error.to_dict(), "localized": localized.to_dict()}
        sys.stdout.write(json.dumps({"ok": False, "error": body}, indent=1) + "\n")
    else:
        label = translate("ui.error", language) or "error"
        sys.stderr.write(f"{label}[{error.code}]: {localized.message}\n")
        if localized.hint:
            sys.stderr.write(f"{translate('ui.hint', language) or 'hint'}: {localized.hint}\n")
        if error.params.get("log"):
            details = translate("ui.details", language) or "details"
            sys.stderr.write(f"{details}: {error.params['log']}\n")
    return exit_code_for(error)
