"""Statement figures per member and month, prices, and the pages in eight languages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from babel.messages.extract import extract_from_file
from community_cases import readings
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.community import CommunityFile, Readings, settle
from sparcs.community.prices import read_prices
from sparcs.community.statements import statement_table
from sparcs.errors import DataError
from sparcs.i18n import LANGUAGES
from sparcs.i18n.catalogue import missing_messages, template_ids, translations
from sparcs.i18n.formats import formats
from sparcs.report.statement import render_statement

STATEMENT_SOURCE = Path(__file__).parents[2] / "src" / "sparcs" / "report" / "statement.py"
SPEC = CommunityFile(shares={"a": 0.5, "b": 0.5}, name="Test community")


def _prices(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prices.toml"
    path.write_text(text, "utf-8")
    return path


def _two_months() -> Readings:
    """a, b and a producer p over the last quarter-hour of January and the first of February
    (local time, +01:00)."""
    r = readings([[2.0, 4.0, 0.0], [1.0, 1.0, 0.0]], [[0, 0, 4.0], [0, 0, 3.0]], "a b p")
    time = pd.DatetimeIndex(["2025-01-31T22:45Z", "2025-01-31T23:00Z"], name="time")
    return Readings(time, r.members, r.consumption_kwh, r.production_kwh, r.utc_offset_min)


def test_a_month_sums_energy_and_prices_it(tmp_path: Path) -> None:
    prices = _prices(
        tmp_path,
        "community_eur_per_kwh = 0.10\ngrid_import_eur_per_kwh = 0.30\ngrid_export_eur_per_kwh = 0.05\n",
    )
    settled = settle(_two_months(), "static", SPEC)
    table = statement_table(settled, read_prices(prices, settled.readings.time))
    assert table["month"].tolist() == ["2025-01"] * 3 + ["2025-02"] * 3
    jan_b = table.iloc[1]
    # 4 kWh, static halves: a takes 2 (its use), b takes 2 of its 4; nothing exported
    assert (jan_b["allocated_kwh"], jan_b["grid_import_kwh"]) == (2.0, 2.0)
    assert jan_b["bill_eur"] == pytest.approx(2 * 0.10 + 2 * 0.30)
    assert jan_b["without_community_eur"] == pytest.approx(4 * 0.30)
    assert jan_b["savings_eur"] == pytest.approx(0.4)
    feb_p = table.iloc[5]
    # 3 kWh: a and b take 1 each, 1 kWh exported: the producer is paid for 2 shared and 1 exported
    assert (feb_p["shared_kwh"], feb_p["own_export_kwh"]) == pytest.approx((2.0, 1.0))
    assert feb_p["net_eur"] == pytest.approx(-(2 * 0.10 + 1 * 0.05))


def test_a_community_price_is_required(tmp_path: Path) -> None:
    path = _prices(tmp_path, "grid_import_eur_per_kwh = 0.3\ngrid_export_eur_per_kwh = 0.05\n")
    with pytest.raises(DataError, match="community_eur_per_kwh missing"):
        read_prices(path, _two_months().time)


def test_a_grid_price_file_is_read_per_interval(tmp_path: Path) -> None:
    (tmp_path / "grid.csv").write_text(
        "time,price_eur_per_kwh\n2025-01-31T22:00Z,0.2\n2025-01-31T23:00Z,0.4\n", "utf-8"
    )
    path = _prices(
        tmp_path,
        'community_eur_per_kwh = 0.1\ngrid_import_file = "grid.csv"\ngrid_export_eur_per_kwh = 0\n',
    )
    prices = read_prices(path, _two_months().time).grid_import_eur_per_kwh
    np.testing.assert_allclose(prices, [0.2, 0.4])  # 22:45 takes the hourly price of 22:00


def test_the_scenario_tariff_fills_the_grid_prices(tmp_path: Path) -> None:
    from sparcs.testing import synthetic_district

    scenario = synthetic_district(1, city="maia")
    path = _prices(tmp_path, "community_eur_per_kwh = 0.1\n")
    prices = read_prices(path, _two_months().time, scenario)
    assert (prices.grid_import_eur_per_kwh > 0).all() and prices.grid_export_eur_per_kwh >= 0
    assert "scenario's tariff" in prices.source


def test_unknown_price_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="grid_price: unknown key"):
        read_prices(_prices(tmp_path, "grid_price = 0.3\n"), _two_months().time)


# --- languages ---------------------------------------------------------------------------------


def test_the_template_holds_every_message_of_the_statements() -> None:
    found = {str(message) for _, message, *_ in extract_from_file("python", STATEMENT_SOURCE)}
    assert found == set(template_ids("community"))


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_language_translates_every_message(language: str) -> None:
    assert missing_messages(language, "community") == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_statement_page_is_in_the_member_s_language(language: str) -> None:
    settled = settle(_two_months(), "iterative", SPEC)
    table = statement_table(settled)
    page = render_statement(settled, table.iloc[1], slice(0, 1), language=language)
    _ = translations(language, "community").gettext
    assert f'<html lang="{language}">' in page
    assert _("Consumption") in page and _("Energy community statement") in page
    assert f"{formats(language).number(4.0, 1)} kWh" in page
    assert "<script" not in page and "<caption>" in page


def test_a_finnish_statement_uses_finnish_numbers_and_months() -> None:
    settled = settle(_two_months(), "static", SPEC)
    page = render_statement(settled, statement_table(settled).iloc[1], slice(0, 1), language="fi")
    assert "tammikuu 2025" in page and "4,0 kWh" in page and "Kulutus" in page


@settings(max_examples=200, deadline=None)
@given(value=st.floats(-1e9, 1e9, allow_nan=False), language=st.sampled_from(LANGUAGES))
def test_quick_number_formats_agree_with_babel(value: float, language: str) -> None:
    from babel.numbers import format_currency, format_decimal

    f = formats(language)
    locale = "pt_PT" if language == "pt" else language
    rounded = round(value, 2)
    # a tie on the decimal text (x.xx5) may round either way; compare away from ties
    if abs(rounded * 1000 % 10 - 5) < 1e-6:
        return
    assert f.number(rounded, 2) == format_decimal(rounded, "#,##0.00", locale=locale)
    assert f.money(rounded) == format_currency(rounded, "EUR", locale=locale)
    assert np.isfinite(value)
