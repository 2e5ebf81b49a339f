"""Messages in the user's language (English and Japanese), through gettext catalogs.

    >>> from reelgraph.i18n import localize
    >>> localize(error, "ja").message

Error codes are the message ids; see :mod:`reelgraph.i18n.localize` for how templates are
filled and :mod:`reelgraph.i18n.msgfmt` for how the catalogs are built.
"""

from reelgraph.i18n.catalog import LANGUAGES, translate
from reelgraph.i18n.language import detect_language, language_from_argv
from reelgraph.i18n.localize import Localized, localize

__all__ = [
    "LANGUAGES",
    "Localized",
    "detect_language",
    "language_from_argv",
    "localize",
    "translate",
]
