"""Which language to speak: an explicit choice, else the gettext environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping

from reelgraph.i18n.catalog import LANGUAGES

__all__ = ["detect_language", "language_from_argv", "normalize_language"]


def normalize_language(value: str) -> str | None:
    """``"ja_JP.UTF-8"`` → ``"ja"``; ``"C"``/``"POSIX"`` → ``"en"``; None if not ours."""
    base = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if base in ("c", "posix"):
        return LANGUAGES[0]
    return base if base in LANGUAGES else None


def detect_language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language for messages.

    Order, as gettext reads it: ``explicit`` (``--lang``), then the first supported entry
    of ``LANGUAGE`` (a colon-separated list), then the first of ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG`` that is set. English when nothing says otherwise.
    """
    if explicit:
        return normalize_language(explicit) or LANGUAGES[0]
    env = os.environ if environ is None else environ
    for item in env.get("LANGUAGE", "").split(":"):
        found = normalize_language(item) if item else None
        if found:
            return found
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return normalize_language(value) or LANGUAGES[0]
    return LANGUAGES[0]


def language_from_argv(argv: list[str], environ: Mapping[str, str] | None = None) -> str:
    """The language a command line asks for (``--lang ja`` or ``--lang=ja`` anywhere).

    Read before argument parsing, so that even a usage error is reported in that language.
    """
    explicit = None
    for index, item in enumerate(argv):
        if item == "--":
            break
        if item == "--lang" and index + 1 < len(argv):
            explicit = argv[index + 1]
        elif item.startswith("--lang="):
            explicit = item.partition("=")[2]
    if explicit is not None and normalize_language(explicit) is None:
        explicit = None
    return detect_language(explicit, environ)
