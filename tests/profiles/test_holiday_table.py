"""The embedded holiday table is the ``holidays`` package's calendar, and spares its import."""

from __future__ import annotations

import subprocess
import sys

import holidays
import pytest

from sparcs.profiles._calendar import _holiday_table, public_holidays

COUNTRIES = ("CZ", "DE", "FI", "GR", "IS", "PT", "UA")


@pytest.mark.parametrize("country", COUNTRIES)
def test_table_equals_the_package_every_year(country: str) -> None:
    """Regenerate with ``python scripts/holiday_table.py`` when this fails after an upgrade."""
    years = sorted(y for c, y in _holiday_table() if c == country)
    assert years == list(range(1990, 2071))
    for year in years:
        expected = frozenset(holidays.country_holidays(country, years=year))
        assert _holiday_table()[country, year] == expected, (country, year)


def test_outside_the_table_the_package_answers() -> None:
    """A subdivision, another country or a far year still gets the package's calendar."""
    saxony = public_holidays("DE", 2023, "SN")
    assert saxony == frozenset(holidays.country_holidays("DE", subdiv="SN", years=2023))
    assert len(saxony) > len(public_holidays("DE", 2023))  # Reformation and Repentance Day
    assert public_holidays("AT", 2023) == frozenset(holidays.country_holidays("AT", years=2023))
    assert public_holidays("DE", 2100) == frozenset(holidays.country_holidays("DE", years=2100))


def test_a_city_calendar_does_not_import_the_package() -> None:
    code = (
        "import sys, pandas as pd\n"
        "from sparcs.profiles._calendar import day_types\n"
        "t = pd.date_range('2023-01-01', periods=8760, freq='h', tz='UTC')\n"
        "day_types(t, 'Europe/Berlin', 'DE')\n"
        "print('holidays' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
