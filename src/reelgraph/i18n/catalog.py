"""The message catalogs: standard gettext ``.mo`` files, one per language.

:func:`translate` looks a message id up in a language's catalog (``None`` when the
catalog has no entry) and fills its ``{name}`` fields. Catalogs are read once per process
with :func:`gettext.translation` from ``reelgraph/i18n/locale`` (see
:mod:`reelgraph.i18n.msgfmt` for how they are built).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import cache
from pathlib import Path

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE_DIR", "catalog", "template", "translate"]

#: The gettext domain: the catalogs are ``<lang>/LC_MESSAGES/reelgraph.mo``.
DOMAIN = "reelgraph"

#: Where the catalogs live: ``LOCALE_DIR / <lang> / "LC_MESSAGES" / "reelgraph.mo"``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: The languages reelgraph speaks; the first is the fallback.
LANGUAGES: tuple[str, ...] = ("en", "ja")


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang`` (a do-nothing catalog when it has none)."""
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)


def template(msgid: str, lang: str) -> str | None:
    """The catalog text of ``msgid`` in ``lang``, or None when the catalog lacks it."""
    text = catalog(lang).gettext(msgid)
    return None if text == msgid or not text else text


def translate(msgid: str, lang: str, params: Mapping[str, object] | None = None) -> str | None:
    """``msgid``'s text in ``lang`` with its ``{fields}`` filled from ``params``.

    Returns:
        The text, or None when neither ``lang`` nor English has the entry or a field the
        text needs is missing from ``params`` (callers then fall back to other text).
    """
    values = {key: str(value) for key, value in (params or {}).items()}
    for language in dict.fromkeys((lang, LANGUAGES[0])):
        text = template(msgid, language)
        if text is None:
            continue
        try:
            return text.format_map(values)
        except (KeyError, IndexError, ValueError):
            return None
    return None
