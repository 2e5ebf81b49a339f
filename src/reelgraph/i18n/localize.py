"""Errors in the user's language: a coded error's message and hint from the catalogs.

The message template of a code is the catalog entry ``<code>``; its hint, ``<code>.hint``.
Templates fill ``{name}`` fields from the error's ``params``. ``{detail}`` is always
available: the error's own ``detail`` param when it has one (used where the words come
from a foreign library: SQLite, FFmpeg, the OS, jsonschema), else its English message
without a leading ``"<path>: "``. When a catalog lacks the code, or the error lacks a
field the template uses, the parent class's code is tried, and in the end the English
message of the error itself. A hint is its code's own (a parent's would be too vague),
else the English one: localization never fails and never loses the facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reelgraph.errors import ReelgraphError
from reelgraph.i18n.catalog import translate

__all__ = ["Localized", "localize"]


@dataclass(frozen=True, slots=True)
class Localized:
    """An error's text in one language."""

    lang: str
    message: str
    hint: str

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready form (``--json`` output's ``localized``)."""
        return {"lang": self.lang, "message": self.message, "hint": self.hint}


def _fields(error: ReelgraphError) -> dict[str, Any]:
    fields: dict[str, Any] = dict(error.params)
    if "detail" not in fields:
        detail = error.message
        path = fields.get("path")
        if path is not None and detail.startswith(f"{path}: "):
            detail = detail[len(str(path)) + 2 :]
        fields["detail"] = detail
    return fields


def _codes(error: ReelgraphError) -> list[str]:
    codes: list[str] = []
    for cls in type(error).__mro__:
        code = getattr(cls, "code", None) if issubclass(cls, ReelgraphError) else None
        if isinstance(code, str) and code not in codes:
            codes.append(code)
    if error.code not in codes:
        codes.insert(0, error.code)
    return codes


def localize(error: ReelgraphError, lang: str) -> Localized:
    """The message and hint of ``error`` in ``lang`` (``"en"`` or ``"ja"``)."""
    fields = _fields(error)
    codes = _codes(error)
    message = next(
        (text for code in codes if (text := translate(code, lang, fields)) is not None),
        error.message,
    )
    hint = error.hint
    if hint == type(error).hint:  # a hint given at the raise site has no translation
        hint = translate(f"{error.code}.hint", lang) or hint
    return Localized(lang, message, hint)
