"""Tariffs (flat, time-of-use, file) and cost KPIs against hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kpi_helpers import make_flows, make_scenario

from sparcs.carriers import tariff_prices
from sparcs.errors import DataError, ScenarioError
from sparcs.kpi import compute_kpis, energy_cost, export_revenue, net_energy_cost
from sparcs.kpi.economics import capacity_cost
from sparcs.scenario import scenario_from_dict

CUSTOM_SITE = {"latitude": 60.2, "longitude": 24.7, "timezone": "Europe/Helsinki"}


@pytest.fixture
def mixed():
    return make_flows(
        {
            "grid_import_kwh": {"b1": [2, 0, 0, 2]},
            "grid_export_kwh": {"b1": [0, 2, 4, 0]},
            "dh_import_kwh": {"b1": [1, 1, 1, 1]},
            "boiler_fuel_kwh": {"b1": [1, 0, 0, 0]},
        },
        fuel={"b1": "gas"},
    )


def test_flat_default_tariff_of_the_city(mixed):
    # fi-flat-2024: import 0.17, export 0.04, district heat 0.10, gas 0.09 EUR/kWh; capacity
    # 3 EUR/kW per month on the import peak (2 kW), 30 EUR/kW per year on the heat peak
    # (1 kW), pro rata of the 4 h of the 744 h of January and the 8,760 h of 2025
    prices = tariff_prices(make_scenario(), mixed.time)
    capacity = 2 * 3.0 * 4 / 744 + 1 * 30.0 * 4 / 8760
    assert capacity_cost(mixed, prices=prices) == pytest.approx(capacity)
    assert energy_cost(mixed, prices=prices) == pytest.approx(4 * 0.17 + 4 * 0.10 + 0.09 + capacity)
    assert export_revenue(mixed, prices=prices) == pytest.approx(6 * 0.04)
    assert net_energy_cost(mixed, prices=prices) == pytest.approx(1.17 + capacity - 0.24)
    assert energy_cost(mixed, by="building", prices=prices)["b1"] == pytest.approx(1.17 + capacity)


def test_scenario_prices_override_the_default(mixed):
    scenario = make_scenario(tariff={"import_eur_per_kwh": 0.3, "gas_eur_per_kwh": 0.0})
    prices = tariff_prices(scenario, mixed.time)
    volumetric = energy_cost(mixed, prices=prices) - capacity_cost(mixed, prices=prices)
    assert volumetric == pytest.approx(4 * 0.3 + 4 * 0.10)


def test_tou_windows_in_local_time_weekdays_only():
    scenario = make_scenario(
        tariff={
            "kind": "tou",
            "import_eur_per_kwh": 0.2,
            "tou": [
                {"start_hour": 0, "end_hour": 6, "price_eur_per_kwh": 0.1},
                {"start_hour": 17, "end_hour": 20, "price_eur_per_kwh": 0.5, "weekdays_only": True},
            ],
        }
    )
    # Friday 3 Jan 2025 14:00 UTC = 16:00 in Helsinki, for 48 hours
    index = pd.date_range("2025-01-03 14:00", periods=48, freq="1h", tz="UTC", name="time")
    prices = tariff_prices(scenario, index)
    local = pd.Series(prices.import_eur_per_kwh, index=index.tz_convert("Europe/Helsinki"))
    expected = {
        "2025-01-03 16:00": 0.2,
        "2025-01-03 17:00": 0.5,
        "2025-01-03 19:00": 0.5,
        "2025-01-03 20:00": 0.2,
        "2025-01-04 02:00": 0.1,
        "2025-01-04 05:00": 0.1,
        "2025-01-04 06:00": 0.2,
        "2025-01-04 18:00": 0.2,  # Saturday: no peak window
    }
    for when, price in expected.items():
        assert local[pd.Timestamp(when, tz="Europe/Helsinki")] == pytest.approx(price), when
    flows = make_flows({"grid_import_kwh": {"b1": np.ones(48)}}, index=index)
    volumetric = energy_cost(flows, prices=prices) - capacity_cost(flows, prices=prices)
    assert volumetric == pytest.approx(prices.import_eur_per_kwh.sum())


def test_tou_follows_daylight_saving_time():
    scenario = make_scenario(
        tariff={
            "kind": "tou",
            "import_eur_per_kwh": 0.2,
            "tou": [{"start_hour": 0, "end_hour": 4, "price_eur_per_kwh": 0.1}],
        }
    )
    # 30 Mar 2025 in Helsinki: 03:00 EET jumps to 04:00 EEST at 01:00 UTC
    index = pd.date_range("2025-03-29 23:00", periods=12, freq="15min", tz="UTC", name="time")
    prices = tariff_prices(scenario, index).import_eur_per_kwh
    # 01:00-02:45 local (8 quarters) are in the window; 01:00 UTC is already 04:00 local
    np.testing.assert_allclose(prices, [0.1] * 8 + [0.2] * 4)


def test_tou_gap_without_base_price_on_a_custom_site():
    scenario = scenario_from_dict(
        {
            "name": "t",
            "site": CUSTOM_SITE,
            "tariff": {
                "kind": "tou",
                "tou": [{"start_hour": 0, "end_hour": 12, "price_eur_per_kwh": 0.1}],
            },
        }
    )
    index = pd.date_range("2025-01-01", periods=24, freq="1h", tz="UTC", name="time")
    with pytest.raises(ScenarioError, match="uncovered"):
        tariff_prices(scenario, index)


def test_price_file_forward_filled_to_quarter_hours(tmp_path):
    hours = pd.date_range("2025-01-01", periods=3, freq="1h", tz="UTC", name="time")
    path = tmp_path / "prices.csv"
    pd.DataFrame(
        {
            "time": [t.tz_convert("Europe/Helsinki").isoformat() for t in hours],
            "price_eur_per_kwh": [0.1, 0.3, 0.2],
        }
    ).to_csv(path, index=False)
    scenario = make_scenario(tariff={"kind": "file", "file": str(path)})
    quarters = pd.date_range("2025-01-01", periods=12, freq="15min", tz="UTC", name="time")
    flows = make_flows({"grid_import_kwh": {"b1": np.full(12, 0.25)}}, index=quarters)
    prices = tariff_prices(scenario, flows.time)
    np.testing.assert_allclose(prices.import_eur_per_kwh, np.repeat([0.1, 0.3, 0.2], 4))
    volumetric = energy_cost(flows, prices=prices) - capacity_cost(flows, prices=prices)
    assert volumetric == pytest.approx(0.1 + 0.3 + 0.2)
    assert prices.export_eur_per_kwh == 0.04  # other prices still from the city


def test_price_file_that_does_not_cover_the_period(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text(
        "time,price_eur_per_kwh\n2025-01-01T00:00:00+00:00,0.1\n2025-01-01T01:00:00+00:00,0.1\n"
    )
    scenario = make_scenario(tariff={"kind": "file", "file": str(path)})
    flows = make_flows({"grid_import_kwh": {"b1": [1, 1, 1]}})
    with pytest.raises(DataError, match="price file .* covers"):
        compute_kpis(flows, scenario)


def test_custom_site_without_prices_is_a_scenario_error(mixed):
    scenario = scenario_from_dict({"name": "t", "site": CUSTOM_SITE})
    with pytest.raises(ScenarioError, match="import_eur_per_kwh"):
        compute_kpis(mixed, scenario)


def test_custom_site_with_prices(mixed):
    scenario = scenario_from_dict(
        {
            "name": "t",
            "site": CUSTOM_SITE,
            "tariff": {
                "import_eur_per_kwh": 0.2,
                "export_eur_per_kwh": 0.05,
                "district_heat_eur_per_kwh": 0.1,
                "gas_eur_per_kwh": 0.1,
            },
        }
    )
    report = compute_kpis(mixed, scenario)
    assert report["energy_cost"].value == pytest.approx(0.8 + 0.4 + 0.1)
    assert report["export_revenue"].value == pytest.approx(0.3)
    assert report["net_energy_cost"].value == pytest.approx(1.0)
    assert report.factor_set == "eu-eed-2023"


def test_custom_site_needs_only_prices_of_carriers_in_use():
    flows = make_flows({"grid_import_kwh": {"b1": [1, 1]}})
    scenario = scenario_from_dict(
        {"name": "t", "site": CUSTOM_SITE, "tariff": {"import_eur_per_kwh": 0.2}}
    )
    assert compute_kpis(flows, scenario)["energy_cost"].value == pytest.approx(0.4)


def test_prices_must_match_the_flows_steps(mixed):
    other = pd.date_range("2024-01-01", periods=4, freq="1h", tz="UTC", name="time")
    with pytest.raises(DataError, match="other steps"):
        energy_cost(mixed, prices=tariff_prices(make_scenario(), other))
