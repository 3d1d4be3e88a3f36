"""Languages of what SPARCS writes for people: message catalogues, numbers, dates.

The eight languages of the SPARCS cities. Catalogues are gettext ``.po`` files, one domain
per feature, under ``src/sparcs/i18n/locale/<lang>/LC_MESSAGES/<domain>.po`` with the
template ``locale/<domain>.pot``; they are compiled in memory on first use with Babel.
"""

from __future__ import annotations

__all__ = ["LANGUAGES"]

#: Language codes: English (the msgids), Finnish, German, Icelandic, Portuguese, Ukrainian,
#: Greek and Czech.
LANGUAGES = ("en", "fi", "de", "is", "pt", "uk", "el", "cs")
