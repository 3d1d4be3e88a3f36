"""Numbers, money and months in a language's own format (CLDR data through Babel).

Decimal commas in fi, de, is, pt, uk, el and cs; grouping by the locale's rule; the euro
sign where the locale puts it. Patterns are parsed once per language, since statements
format thousands of figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

__all__ = ["BABEL_LOCALES", "Formats", "formats"]

#: Language code -> CLDR locale where they differ (Portuguese as written in Portugal).
BABEL_LOCALES = {"pt": "pt_PT"}


@dataclass(frozen=True)
class Formats:
    """Formatters of one language.

    Attributes
    ----------
    language
        Language code.
    """

    language: str
    _locale: Locale = field(init=False, repr=False)
    _patterns: dict[int, NumberPattern] = field(init=False, repr=False)
    _money: NumberPattern = field(init=False, repr=False)
    _symbols: tuple[str, str, str] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        locale = Locale.parse(BABEL_LOCALES.get(self.language, self.language))
        object.__setattr__(self, "_locale", locale)
        object.__setattr__(
            self,
            "_patterns",
            {d: parse_pattern("#,##0" + ("." + "0" * d if d else "")) for d in range(4)},
        )
        object.__setattr__(self, "_money", parse_pattern(locale.currency_formats["standard"]))
        symbols = locale.number_symbols["latn"]
        fast = (symbols["group"], symbols["decimal"], "-")
        object.__setattr__(self, "_symbols", fast)
        # the quick path (Python's grouping, the locale's symbols) only where it gives what
        # Babel gives (a locale with a minimum grouping of 2 would not); ties such as 0.05 at
        # one decimal round by the binary value here, half-even on the decimal text in Babel
        samples = (0.0, -0.4, 999.94, 1234.5, -12345.67, 1234567.891, 1e9 + 0.25)
        if any(
            self._quick(v, d) != self._patterns[d].apply(v, locale)
            for v in samples
            for d in range(4)
        ) or any(
            self._quick_money(v) != self._money.apply(v, locale, currency="EUR") for v in samples
        ):
            object.__setattr__(self, "_symbols", None)

    def _quick(self, value: float, digits: int) -> str:
        group, decimal, minus = self._symbols or (",", ".", "-")
        text = f"{value:,.{digits}f}"
        return (
            text.replace(",", "\0").replace(".", decimal).replace("\0", group).replace("-", minus)
        )

    def number(self, value: float, digits: int = 1) -> str:
        """``value`` with ``digits`` decimals, grouped, in the language's format.

        Parameters
        ----------
        value
            The number.
        digits
            Decimals, 0 to 3.

        Returns
        -------
        str
            E.g. ``1 234,5`` in Finnish.
        """
        if self._symbols is not None:
            return self._quick(value, digits)
        return str(self._patterns[digits].apply(value, self._locale))

    def money(self, value: float) -> str:
        """An amount in euros with the language's currency format.

        Parameters
        ----------
        value
            Amount [EUR].

        Returns
        -------
        str
            E.g. ``1.234,50 €`` in German.
        """
        if self._symbols is not None:
            return self._quick_money(value)
        return str(self._money.apply(value, self._locale, currency="EUR"))

    def _quick_money(self, value: float) -> str:
        negative = value < 0 or (value == 0 and str(value).startswith("-"))
        sign = 1 if negative else 0
        symbol = self._locale.currency_symbols.get("EUR", "EUR")
        prefix = self._money.prefix[sign].replace("¤", symbol)
        suffix = self._money.suffix[sign].replace("¤", symbol)
        return prefix + self._quick(abs(value), 2) + suffix

    def month(self, year: int, month: int) -> str:
        """A month's name and year as a heading.

        Parameters
        ----------
        year, month
            The month.

        Returns
        -------
        str
            E.g. ``tammikuu 2025`` in Finnish.
        """
        return str(format_date(date(year, month, 1), "LLLL y", locale=self._locale))


@cache
def formats(language: str) -> Formats:
    """The (cached) formatters of a language.

    Parameters
    ----------
    language
        Language code of :data:`sparcs.i18n.LANGUAGES`.

    Returns
    -------
    Formats
        Its number, money and month formatters.
    """
    return Formats(language)
