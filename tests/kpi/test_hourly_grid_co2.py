"""Embedded hourly grid CO2: the data, the mapping to any year, the scaling, and KPIs with it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kpi_helpers import make_flows, make_scenario

from sparcs.carriers import scenario_factors, step_factors
from sparcs.carriers.factors import hourly_co2_factors
from sparcs.data import GRID_CO2_COUNTRIES, get_factor_set, hourly_grid_co2
from sparcs.data.grid_co2 import grid_co2_table, map_hours
from sparcs.errors import ScenarioError
from sparcs.kpi import co2_emissions
from sparcs.scenario import scenario_from_dict
from sparcs.timeseries import year_index

#: Annual production-based references (domain.md §5.10 and data/grid_co2/SOURCES.md) [kg/kWh]:
#: DE 2019 400-450 g/kWh; the others between the Ember/Electricity Maps values and 2019's
#: more fossil mix (FI sits high, see SOURCES.md).
PLAUSIBLE = {
    "CZ": (0.45, 0.65),
    "DE": (0.40, 0.45),
    "FI": (0.10, 0.25),
    "GR": (0.45, 0.70),
    "PT": (0.20, 0.35),
}


@pytest.mark.parametrize("country", GRID_CO2_COUNTRIES)
def test_embedded_year_is_complete_and_plausible(country: str) -> None:
    table = grid_co2_table(country)
    assert len(table) == 8760
    assert str(table.index.tz) == "UTC"
    assert table.index[0] == pd.Timestamp("2019-01-01T00:00Z")
    assert ((table.index[1:] - table.index[:-1]) == pd.Timedelta(hours=1)).all()
    assert table.notna().all().all()
    assert table["co2_kg_per_kwh"].between(0.0, 1.5).all()
    assert table["renewable_share"].between(0.0, 1.0).all()
    low, high = PLAUSIBLE[country]
    assert low < table["co2_kg_per_kwh"].mean() < high


def test_german_grid_is_cleaner_at_summer_midday() -> None:
    # the premise of the PV test below, read from the data: solar pushes the DE mix down
    s = grid_co2_table("DE")["co2_kg_per_kwh"]
    summer = s[s.index.month.isin([5, 6, 7, 8])]
    by_hour = summer.groupby(summer.index.hour).mean()
    assert by_hour.loc[10:13].mean() < 0.8 * by_hour.loc[17:20].mean()


@pytest.mark.parametrize("country", ["IS", "UA", "is", "FR"])
def test_countries_without_hourly_data_get_a_clear_error(country: str) -> None:
    time = pd.date_range("2025-01-01", periods=4, freq="1h", tz="UTC")
    with pytest.raises(ScenarioError, match="CZ, DE, FI, GR, PT") as info:
        hourly_grid_co2(country, time)
    assert "hourly_grid_co2 = false" in str(info.value)


@pytest.mark.parametrize("year", [2019, 2024, 2025, 2030])
def test_mapping_keeps_weekday_and_hour_near_the_same_date(year: int) -> None:
    time = pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq="1h", inclusive="left", tz="UTC"
    )
    source = pd.Timestamp("2019-01-01T00:00Z") + pd.to_timedelta(map_hours(time), unit="h")
    assert (source.weekday == time.weekday).all()
    assert (source.hour == time.hour).all()
    same_date = pd.to_datetime(
        pd.DataFrame({"year": 2019, "month": 1, "day": 1}, index=range(1)), utc=True
    )[0] + pd.to_timedelta(time.dayofyear - 1, unit="D")
    gap_days = np.abs((source.normalize() - same_date).days)
    assert ((gap_days <= 3) | (gap_days >= 361)).all()  # 361+: wrapped at the year's ends
    if year == 2019:
        assert (map_hours(time) == np.arange(8760)).all()


def test_quarter_hours_hold_their_hour_across_the_clock_change() -> None:
    quarter = year_index(2024, "15min", "Europe/Berlin")  # a leap year in local time
    hourly = year_index(2024, "1h", "Europe/Berlin")
    q = hourly_grid_co2("DE", quarter)
    h = hourly_grid_co2("DE", hourly)
    assert len(q) == 4 * len(h) == 4 * 8784
    np.testing.assert_array_equal(q.reshape(-1, 4), np.repeat(h[:, None], 4, axis=1))
    # the night of the switch to summer time: local 02:00 does not exist, UTC has no gap
    night = pd.date_range("2024-03-31T00:00Z", periods=8, freq="15min")
    values = hourly_grid_co2("DE", night)
    assert values[0] == values[3] and values[4] == values[7]


def test_longer_steps_average_their_hours() -> None:
    two_hourly = pd.date_range("2025-06-01", periods=12, freq="2h", tz="UTC")
    hourly = pd.date_range("2025-06-01", periods=24, freq="1h", tz="UTC")
    np.testing.assert_allclose(
        hourly_grid_co2("PT", two_hourly), hourly_grid_co2("PT", hourly).reshape(12, 2).mean(axis=1)
    )


@pytest.mark.parametrize(
    ("step", "name"), [("1h", "de-geg-2020"), ("15min", "de-geg-2020"), ("1h", "eu-eed-2023")]
)
def test_scaled_series_keeps_the_annual_factor_as_its_mean(step: str, name: str) -> None:
    time = year_index(2025, step, "Europe/Berlin")
    annual = step_factors(name, time)
    hourly = step_factors(name, time, grid_co2_country="DE")
    fs = get_factor_set(name)["electricity"]
    co2 = hourly.co2_kg_per_kwh["electricity"]
    assert hourly.hourly and not annual.hourly
    assert co2.mean() == pytest.approx(fs.co2_kg_per_kwh, rel=1e-3)
    assert hourly.co2_export_kg_per_kwh["electricity"].mean() == pytest.approx(
        fs.co2_export_kg_per_kwh, rel=1e-3
    )
    # the shape is the embedded one: a constant ratio to the raw series
    ratio = co2 / hourly_grid_co2("DE", time)
    assert ratio.std() / ratio.mean() < 1e-12
    assert co2.std() > 0.2 * co2.mean()
    # primary energy and the other carriers keep the annual set
    np.testing.assert_array_equal(hourly.pef["electricity"], annual.pef["electricity"])
    np.testing.assert_array_equal(hourly.co2_kg_per_kwh["gas"], annual.co2_kg_per_kwh["gas"])
    np.testing.assert_array_equal(
        hourly.annual().co2_kg_per_kwh["electricity"], annual.co2_kg_per_kwh["electricity"]
    )
    assert "ENTSO-E" in hourly.source and "Tranberg" in hourly.source


def test_a_short_window_uses_the_scaling_of_its_year() -> None:
    year = year_index(2025, "1h", "UTC")
    window = pd.date_range("2025-06-01", periods=48, freq="1h", tz="UTC")
    full = step_factors("de-geg-2020", year, grid_co2_country="DE").co2_kg_per_kwh["electricity"]
    short = step_factors("de-geg-2020", window, grid_co2_country="DE").co2_kg_per_kwh["electricity"]
    np.testing.assert_allclose(short, full[year.get_loc(window[0]) :][:48])


def test_scenario_flag_switches_the_embedded_series_on() -> None:
    time = year_index(2025, "1h", "Europe/Berlin")
    scenario = make_scenario("leipzig", factors={"hourly_grid_co2": True})
    factors = scenario_factors(scenario, time)
    assert factors.hourly
    assert factors.co2_kg_per_kwh["electricity"].mean() == pytest.approx(0.342, rel=1e-3)
    assert not scenario_factors(scenario, time, hourly=False).hourly
    assert not scenario_factors(make_scenario("leipzig"), time).hourly


def test_scenario_flag_in_iceland_names_the_countries_with_data() -> None:
    time = year_index(2025, "1h", "Atlantic/Reykjavik")
    scenario = make_scenario("reykjavik", factors={"hourly_grid_co2": True})
    with pytest.raises(ScenarioError, match="no embedded hourly grid CO2 for country 'IS'"):
        scenario_factors(scenario, time)
    # for signals the annual set stays in force there, marked as not hourly
    assert not hourly_co2_factors(make_scenario("reykjavik"), time).hourly
    assert hourly_co2_factors(make_scenario("maia"), time).hourly


def test_hourly_file_and_embedded_series_exclude_each_other() -> None:
    with pytest.raises(ScenarioError, match="either hourly_file or hourly_grid_co2"):
        scenario_from_dict(
            {
                "name": "x",
                "site": {"city": "leipzig"},
                "factors": {"hourly_grid_co2": True, "hourly_file": "f.csv"},
            }
        )


def test_pv_district_emits_more_with_hourly_factors_in_germany() -> None:
    # a June month of a PV district: export at midday (grid clean), import in the evening
    time = pd.date_range("2025-06-01T00:00+02:00", periods=30 * 24, freq="1h").tz_convert("UTC")
    local_hour = time.tz_convert("Europe/Berlin").hour
    export = np.where((local_hour >= 11) & (local_hour < 16), 20.0, 0.0)
    imported = np.where((local_hour >= 18) & (local_hour < 23), 10.0, 0.0)
    flows = make_flows(
        {"grid_import_kwh": {"b1": imported}, "grid_export_kwh": {"b1": export}},
        index=pd.DatetimeIndex(time, name="time"),
    )
    annual = step_factors("de-geg-2020", flows.time)
    hourly = step_factors("de-geg-2020", flows.time, grid_co2_country="DE")
    gross_a, gross_h = (co2_emissions(flows, factors=f) for f in (annual, hourly))
    net_a, net_h = (co2_emissions(flows, factors=f, export_credit=True) for f in (annual, hourly))
    assert gross_h > 1.1 * gross_a  # evening imports meet a dirtier grid than the average
    assert net_h - gross_h > net_a - gross_a  # midday export is credited at a cleaner grid
