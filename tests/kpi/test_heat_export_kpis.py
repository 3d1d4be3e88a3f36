"""Heat export, virtual heat and network losses in the PED accounting (docs/accounting.md):
hand-computed cases with the hand factor set."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kpi_helpers import hand_set, make_flows, make_scenario

from sparcs.carriers import scenario_factors, step_factors
from sparcs.climate.weather import WEATHER_COLUMNS, Weather
from sparcs.kpi import co2_emissions, compute_kpis, net_import_hours, ped_verdict
from sparcs.kpi.ped import pe_steps

HAND = hand_set()  # electricity f_P,nren 1.2 / CO2 0.072; heat 0.5 / 0.183; gas 1.0 / 0.202
LOSS = 0.1


def solar_export_flows():
    """Step 1: 10 kWh solar heat, 4 used, 6 fed into the network; step 2: 5 kWh bought."""
    return make_flows(
        {
            "solar_thermal_kwh": {"b1": [10, 0]},
            "heat_demand_kwh": {"b1": [4, 5]},
            "dh_export_kwh": {"b1": [6, 0]},
            "dh_import_kwh": {"b1": [0, 5]},
        }
    )


def test_network_loss_scales_the_heat_export_factors_only():
    index = pd.date_range("2025-01-01", periods=2, freq="1h", tz="UTC", name="time")
    f = step_factors(HAND, index, dh_export_loss=LOSS)
    np.testing.assert_allclose(f.pef_export["district_heat"], 0.5 * (1 - LOSS))
    np.testing.assert_allclose(f.co2_export_kg_per_kwh["district_heat"], 0.183 * (1 - LOSS))
    np.testing.assert_allclose(f.pef["district_heat"], 0.5)  # delivered heat: loss in the factor
    np.testing.assert_allclose(f.pef_export["electricity"], 1.2)
    assert f.dh_export_loss == LOSS and "10 % network losses" in f.source


def test_solar_heat_export_counts_after_losses_and_makes_the_district_positive():
    flows = solar_export_flows()
    f = step_factors(HAND, flows.time, dh_export_loss=LOSS)
    pei, pee = pe_steps(flows, f)
    np.testing.assert_allclose(pei, [0.0, 2.5])
    np.testing.assert_allclose(pee, [6 * 0.5 * 0.9, 0.0])  # 2.7
    verdict = ped_verdict(flows, factors=f)
    assert verdict.balance_kwh_pe == pytest.approx(0.2)
    assert verdict.ped_class == "PEDdynamic"
    # heat fed in offsets heat bought in the physical count: only step 2 imports net
    assert net_import_hours(flows) == 1.0
    # CO2: 5 x 0.183 gross minus 6 x 0.9 x 0.183
    assert co2_emissions(flows, factors=f, export_credit=True) == pytest.approx(-0.4 * 0.183)
    # without export the same district is not positive
    f0 = step_factors(HAND, flows.time)
    assert ped_verdict(
        flows.replace_data(
            {"dh_export_kwh": np.zeros((2, 2)), "heat_dumped_kwh": flows["dh_export_kwh"]}
        ),
        factors=f0,
    ).balance_kwh_pe == pytest.approx(-2.5)


def test_chp_heat_export_is_credited_at_its_fuel_not_beyond():
    # gas CHP: 10 kWh fuel -> 4.5 el (used) + 4.5 heat, all fed in; plus 3 kWh solar heat fed in
    flows = make_flows(
        {
            "chp_fuel_kwh": {"b1": [10, 0]},
            "chp_el_kwh": {"b1": [4.5, 0]},
            "chp_heat_kwh": {"b1": [4.5, 0]},
            "electricity_demand_kwh": {"b1": [4.5, 0]},
            "solar_thermal_kwh": {"b1": [3, 0]},
            "dh_export_kwh": {"b1": [7.5, 0]},
        },
        fuel={"b1": "gas"},
    )
    f = step_factors(HAND, flows.time, dh_export_loss=LOSS)
    pei, pee = pe_steps(flows, f)
    # CHP first: 4.5 x (10 x 1.0 / 9) = 5.0; then 3 renewable x 0.5 x 0.9 = 1.35
    assert pei.sum() == pytest.approx(10.0)
    assert pee.sum() == pytest.approx(5.0 + 1.35)
    verdict = ped_verdict(flows, factors=f)
    assert verdict.ped_class == "not PED" and "exported CHP output nets" in verdict.reason
    # the CHP alone never reaches its own fuel: PEE_chp <= PEI
    chp_only = flows.replace_data(
        {"solar_thermal_kwh": np.zeros((2, 2)), "dh_export_kwh": np.array([[4.5, 0.0], [0.0, 0.0]])}
    )
    assert pe_steps(chp_only, f)[1].sum() == pytest.approx(5.0)


def test_heat_pump_export_counts_its_ambient_part_only():
    # 9 kWh heat from 3 kWh grid electricity; 3 used, 6 fed in; ambient part 6
    flows = make_flows(
        {
            "hp_heat_kwh": {"b1": [9, 9]},
            "hp_el_kwh": {"b1": [3, 3]},
            "grid_import_kwh": {"b1": [3, 3]},
            "heat_demand_kwh": {"b1": [3, 1]},
            "dh_export_kwh": {"b1": [6, 8]},
        }
    )
    f = step_factors(HAND, flows.time)
    _, pee = pe_steps(flows, f)
    # step 2: 8 fed in, only 6 ambient heat counts; 2 kWh (the electric part) earn nothing
    np.testing.assert_allclose(pee, [6 * 0.5, 6 * 0.5])


def test_heat_export_in_the_tables_and_kpis_json_keys():
    flows = solar_export_flows()
    report = compute_kpis(flows, make_scenario(district={"heat_export": {"network_loss": LOSS}}))
    assert report["heat_export"].value == pytest.approx(6.0)
    f = scenario_factors(make_scenario(), flows.time)
    assert report["pee_heat"].value == pytest.approx(6 * 0.9 * f.pef_export["district_heat"][0])
    assert report.meta["boundary"] == "geographical"
    # revenue: 6 kWh heat at 0.04 EUR/kWh on top of no electricity export
    priced = compute_kpis(
        flows, make_scenario(district={"heat_export": {"price_eur_per_kwh": 0.04}})
    )
    assert priced["export_revenue"].value == pytest.approx(6 * 0.04)


def test_virtual_heat_changes_no_physical_count_and_counts_only_virtually():
    base = solar_export_flows()
    with_virtual = base.replace_data({"virtual_heat_kwh": np.array([[0.0, 2.0], [0.0, 2.0]])})
    geo = make_scenario()
    virtual = make_scenario(
        boundary={
            "kind": "virtual",
            "virtual_assets": [
                {
                    "name": "Lausen share",
                    "kind": "solar_thermal",
                    "capacity_kw": 1000,
                    "share": 0.01,
                }
            ],
        }
    )
    a, b = compute_kpis(base, geo), compute_kpis(with_virtual, geo)
    c = compute_kpis(with_virtual, virtual)
    for key in (
        "pei",
        "pee",
        "peb",
        "hours_net_import",
        "months_net_import",
        "co2",
        "co2_net",
        "heat_export",
    ):
        assert a[key].value == b[key].value == c[key].value
    assert "virtual_heat" not in b.keys() and c["virtual_heat"].value == pytest.approx(4.0)  # noqa: SIM118
    f = scenario_factors(virtual, base.time)
    assert c["pee_virtual"].value == pytest.approx(4.0 * f.pef["district_heat"][0])
    assert c["peb_virtual"].value == pytest.approx(c["peb"].value + c["pee_virtual"].value)


def _sunny_weather(n: int = 4) -> Weather:
    time = pd.date_range("2025-06-21 09:00", periods=n, freq="1h", tz="UTC", name="time")
    frame = pd.DataFrame({c: np.zeros(n) for c in WEATHER_COLUMNS}, index=time)
    frame["temp_air"], frame["ghi"], frame["dni"], frame["dhi"] = 20.0, 800.0, 700.0, 150.0
    return Weather(
        frame,
        latitude=51.3,
        longitude=12.4,
        elevation_m=110.0,
        timezone="Europe/Berlin",
        source="test constants",
        synthetic=True,
    )


def test_virtual_heat_delivered_is_the_plant_share_less_network_losses():
    from sparcs.profiles._generation import virtual_heat_kw

    weather = _sunny_weather()

    def delivered(loss: float) -> np.ndarray:
        scenario = make_scenario(
            "leipzig",
            boundary={
                "kind": "virtual",
                "virtual_assets": [
                    {
                        "name": "Lausen share",
                        "kind": "solar_thermal",
                        "capacity_kw": 700,
                        "share": 0.5,
                        "network_loss": loss,
                    }
                ],
            },
        )
        return virtual_heat_kw(scenario, weather)

    lossless, lossy = delivered(0.0), delivered(0.2)
    assert lossless.min() > 0
    np.testing.assert_allclose(lossy, 0.8 * lossless)
    # 700 kW = 1000 m2 of collector; half of it, at most 0.78 x 800 W/m2 x ~1.2 (tilted)
    assert lossless.max() < 0.5 * 1000 * 0.78 * 1.2


def test_building_rows_credit_heat_fed_in_through_the_own_meter():
    from sparcs.kpi import primary_energy_export

    flows = solar_export_flows()
    f = step_factors(HAND, flows.time, dh_export_loss=LOSS)
    by_building = primary_energy_export(flows, by="building", factors=f)
    assert by_building["b1"] == pytest.approx(6 * 0.5 * 0.9)
    co2 = co2_emissions(flows, by="building", factors=f, export_credit=True)
    assert co2["b1"] == pytest.approx((5 - 6 * 0.9) * 0.183)
