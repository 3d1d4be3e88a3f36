"""The reader's language: ``?lang=``, else the household's setting, else ``Accept-Language``.

Texts come from the ``citizens`` gettext domain of :mod:`sparcs.i18n`; numbers, dates and
units from Babel in the same language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime

from sparcs.i18n import LANGUAGES
from sparcs.i18n.catalogue import translations
from sparcs.i18n.formats import BABEL_LOCALES, Formats, formats

__all__ = ["DOMAIN", "Texts", "choose_language", "texts", "warm_languages"]

#: The gettext domain of the citizen pages.
DOMAIN = "citizens"


def _accepted(header: str) -> list[str]:
    """Language codes of an Accept-Language header, the most wanted first."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        code, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, position, code.strip().lower().split("-")[0]))
    return [code for _, _, code in sorted(ranked) if code]


def choose_language(query: str | None, setting: str | None, accept: str | None) -> str:
    """The language of a page.

    Parameters
    ----------
    query
        ``?lang=`` of the request.
    setting
        The household's stored language.
    accept
        The ``Accept-Language`` header.

    Returns
    -------
    str
        A code of :data:`sparcs.i18n.LANGUAGES` (English when nothing fits).

    Examples
    --------
    >>> choose_language(None, None, "de-AT,de;q=0.9,en;q=0.5")
    'de'
    >>> choose_language("fi", "de", "en")
    'fi'
    """
    for wanted in (query, setting):
        if wanted in LANGUAGES:
            return str(wanted)
    for code in _accepted(accept or ""):
        if code in LANGUAGES:
            return code
    return "en"


@dataclass(frozen=True)
class Texts:
    """Text, numbers and dates of one language for a template."""

    language: str

    @cached_property
    def numbers(self) -> Formats:
        """Number formatters of the language (made once: Babel's locale data is slow)."""
        return formats(self.language)

    def gettext(self, message: str) -> str:
        """``message`` in the language."""
        return translations(self.language, DOMAIN).gettext(message)

    def number(self, value: float, digits: int = 1) -> str:
        """A number in the language's format."""
        return self.numbers.number(value, digits)

    def kwh(self, value: float, digits: int = 1) -> str:
        """An energy with its unit, e.g. ``1 234,5 kWh``."""
        return f"{self.numbers.number(value, digits)}\u00a0kWh"

    def pct(self, value: float) -> str:
        """A percentage in the language's format."""
        return f"{self.numbers.number(value, 0)}\u00a0%"

    def money(self, value: float) -> str:
        """An amount in euros."""
        return self.numbers.money(value)

    def date(self, moment: dt.datetime, pattern: str = "medium") -> str:
        """A date in the language's format."""
        return _date(self.language, moment, _zone(moment), pattern)

    def datetime(self, moment: dt.datetime, pattern: str = "short") -> str:
        """A date and time in the language's format."""
        return _datetime(self.language, moment, _zone(moment), pattern)

    def time(self, moment: dt.datetime) -> str:
        """A weekday and time, e.g. ``Mo., 14:00``."""
        return _datetime(self.language, moment, _zone(moment), "EEE HH:mm")


# Babel formats a date in some 50 us; the pages of a district show the same days and hours
# to every household (period buckets, the next 48 hours), so each is formatted once per language.
# The zone is part of the key: aware datetimes of one instant in two zones are equal
def _zone(moment: dt.date) -> str:
    return str(getattr(moment, "tzinfo", None))


@lru_cache(maxsize=8192)
def _date(language: str, moment: dt.datetime, zone: str, pattern: str) -> str:
    return str(format_date(moment, pattern, locale=_locale(language)))


@lru_cache(maxsize=8192)
def _datetime(language: str, moment: dt.datetime, zone: str, pattern: str) -> str:
    return str(format_datetime(moment, pattern, locale=_locale(language)))


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(language, language))


@cache
def texts(language: str) -> Texts:
    """The (cached) :class:`Texts` of a language."""
    return Texts(language)


def warm_languages() -> None:
    """Load every language's catalogue, numbers and Babel dates now, not on a first page.

    Babel reads and merges a locale's data on first use (about 0.1 s of CPU each); the server
    does it in a background thread when it starts, so no citizen waits for it.
    """
    moment = dt.datetime(2025, 1, 1, 12)
    for code in LANGUAGES:
        found = texts(code)
        found.gettext("My household")
        found.kwh(1.0)
        found.date(moment)
        found.date(moment, "EEE d.M.")
        found.datetime(moment)
