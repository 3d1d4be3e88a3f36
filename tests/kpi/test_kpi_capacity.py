"""Capacity charges and the storage end value against hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kpi_helpers import make_flows, make_scenario

from sparcs.carriers import tariff_prices
from sparcs.carriers.capacity import capacity_charge, period_peaks
from sparcs.kpi import compute_kpis, energy_cost
from sparcs.kpi.economics import capacity_cost, storage_end_value
from sparcs.scenario import scenario_from_dict

SITE = {"latitude": 60.2, "longitude": 24.7, "timezone": "Europe/Helsinki"}
PRICES = {
    "import_eur_per_kwh": 0.2,
    "export_eur_per_kwh": 0.05,
    "district_heat_eur_per_kwh": 0.1,
    "gas_eur_per_kwh": 0.1,
}


def _scenario(**tariff: object):
    return scenario_from_dict({"name": "t", "site": SITE, "tariff": {**PRICES, **tariff}})


def _two_months() -> pd.DatetimeIndex:
    """January and February 2025 in Helsinki local time (UTC+2), hourly: 1,416 steps."""
    return pd.date_range("2024-12-31 22:00", "2025-02-28 21:00", freq="1h", tz="UTC", name="time")


def test_two_months_with_known_peaks():
    index = _two_months()
    imports = np.ones(len(index))
    imports[100] = 5.0  # 5 Jan
    imports[800] = 3.0  # 2 Feb (the first February peak)
    imports[1400] = 7.0  # 28 Feb
    imports[743] = 9.0  # 31 Jan 23:00 local time: still January
    heat = np.full(len(index), 2.0)
    heat[50] = 6.0
    flows = make_flows(
        {"grid_import_kwh": {"b1": imports}, "dh_import_kwh": {"b1": heat}}, index=index
    )
    scenario = _scenario(capacity_eur_per_kw_month=8.0, district_heat_capacity_eur_per_kw_year=24.0)
    prices = tariff_prices(scenario, index)
    assert prices.capacity.labels == ("2025-01", "2025-02")
    np.testing.assert_allclose(prices.capacity.peaks(imports), [9.0, 7.0])
    # January and February are covered in full; the heat charge is yearly: 1,416 of 8,760 h
    expected = 8.0 * 9.0 + 8.0 * 7.0 + 24.0 * 6.0 * 1416 / 8760
    assert capacity_cost(flows, prices=prices) == pytest.approx(expected)
    volumetric = 0.2 * imports.sum() + 0.1 * heat.sum()
    assert energy_cost(flows, prices=prices) == pytest.approx(volumetric + expected)
    per_building = capacity_cost(flows, by="building", prices=prices)
    assert per_building["b1"] == pytest.approx(expected)


def test_yearly_period_and_monthly_price_given_per_year():
    index = _two_months()
    imports = np.ones(len(index))
    imports[[100, 1400]] = [5.0, 7.0]
    flows = make_flows({"grid_import_kwh": {"b1": imports}}, index=index)
    prices = tariff_prices(
        _scenario(
            capacity_eur_per_kw_month=8.0,
            capacity_period="year",
            district_heat_capacity_eur_per_kw_year=0.0,
        ),
        index,
    )
    # one peak for the year (7 kW) at 96 EUR/kW and year, pro rata of 1,416 of 8,760 h
    assert capacity_cost(flows, prices=prices) == pytest.approx(7.0 * 96.0 * 1416 / 8760)


def test_window_in_local_time_and_weekdays():
    scenario = _scenario(
        capacity_eur_per_kw_year=120.0,
        district_heat_capacity_eur_per_kw_year=0,
        capacity_window={"start_hour": 8, "end_hour": 20, "weekdays_only": True},
    )
    # Friday 3 Jan 2025, 00:00 local time, for 48 hours
    index = pd.date_range("2025-01-02 22:00", periods=48, freq="1h", tz="UTC", name="time")
    imports = np.ones(48)
    imports[3] = 10.0  # Friday 03:00 local: outside the window
    imports[30] = 12.0  # Saturday 06:00: outside (weekend)
    imports[10] = 4.0  # Friday 10:00: counts
    flows = make_flows({"grid_import_kwh": {"b1": imports}}, index=index)
    prices = tariff_prices(scenario, index)
    assert capacity_cost(flows, prices=prices) == pytest.approx(4.0 * 10.0 * 48 / 744)


def test_peak_is_the_mean_power_of_a_step():
    quarters = pd.date_range("2025-01-01", periods=8, freq="15min", tz="UTC", name="time")
    energy = np.array([0.25, 0.25, 1.0, 0.25, 0.25, 0.25, 0.25, 0.25])  # 4 kW in one quarter
    flows = make_flows({"grid_import_kwh": {"b1": energy}}, index=quarters)
    prices = tariff_prices(
        _scenario(capacity_eur_per_kw_month=744.0, district_heat_capacity_eur_per_kw_year=0),
        quarters,
    )
    assert capacity_cost(flows, prices=prices) == pytest.approx(4.0 * 744.0 * 2 / 744)


def test_month_length_follows_daylight_saving_time():
    march = pd.date_range("2025-02-28 22:00", "2025-03-31 20:00", freq="1h", tz="UTC")
    charge = capacity_charge(march, tz="Europe/Helsinki", kind="month", eur_per_kw_year=120.0)
    assert charge.labels == ("2025-03",)
    assert charge.eur_per_kw[0] == pytest.approx(10.0)  # 743 of 743 local hours covered


def test_period_peaks_per_column():
    period = np.array([0, 0, 1, 1, 1])
    power = np.array([[1, 5], [3, 0], [2, 2], [0, 7], [4, 1]], dtype=float)
    window = np.array([True, True, True, False, True])
    np.testing.assert_allclose(period_peaks(power, period, window, 2), [[3, 5], [4, 2]])


def test_default_capacity_charges_of_the_city():
    prices = tariff_prices(make_scenario(), _two_months())
    assert prices.capacity.kind == "month"
    np.testing.assert_allclose(prices.capacity.eur_per_kw, [3.0, 3.0])
    assert prices.district_heat_capacity.kind == "year"
    assert "capacity charges" in prices.source
    none = tariff_prices(make_scenario(tariff={"capacity_eur_per_kw_month": 0.0}), _two_months())
    assert none.capacity is None


def test_month_and_year_price_together_is_an_error():
    with pytest.raises(Exception, match="not both"):
        _scenario(capacity_eur_per_kw_month=1.0, capacity_eur_per_kw_year=12.0)


def test_storage_end_value_of_a_drained_battery():
    index = pd.date_range("2025-01-01", periods=4, freq="1h", tz="UTC", name="time")
    flows = make_flows(
        {
            "battery_discharge_kwh": {"b1": [100, 100, 100, 100]},
            "battery_soc_kwh": {"b1": [400, 300, 200, 100]},
            "tes_soc_kwh": {"b1": [60, 70, 80, 90]},
        },
        index=index,
        capacities={"battery_initial_kwh": {"b1": 500.0}, "tes_initial_kwh": {"b1": 50.0}},
    )
    prices = tariff_prices(_scenario(), index)
    expected = -400 * 0.2 + 40 * 0.1
    assert storage_end_value(flows, prices=prices) == pytest.approx(expected)
    report = compute_kpis(flows, _scenario())
    assert report["storage_end_value"].value == pytest.approx(expected)
    net = report["net_energy_cost"].value
    assert report["net_energy_cost_adjusted"].value == pytest.approx(net - expected)
    assert report["capacity_cost"].value == pytest.approx(0.0)
