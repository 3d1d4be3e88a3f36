"""Emissions and per-step factors: annual sets, hourly files, alignment and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kpi_helpers import hand_set, make_flows, make_scenario

from sparcs.carriers import read_hourly_factors, scenario_factors, step_factors
from sparcs.data import get_factor_set
from sparcs.errors import DataError, TimeIndexError
from sparcs.kpi import co2_emissions, compute_kpis, primary_energy_balance, primary_energy_import
from sparcs.timeseries import year_index

HAND = hand_set()


def write_csv(path, index, tz="Europe/Helsinki", **columns):
    times = [ts.isoformat() for ts in index.tz_convert(tz)]
    pd.DataFrame({"time": times, **columns}).to_csv(path, index=False)
    return path


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
        floor_area={"b1": 50.0},
        residents={"b1": 4},
    )


def test_co2_with_and_without_export_credit(mixed):
    f = step_factors(HAND, mixed.time)
    gross = 4 * 0.072 + 4 * 0.183 + 1 * 0.202
    assert co2_emissions(mixed, factors=f) == pytest.approx(gross)
    assert co2_emissions(mixed, factors=f, export_credit=True) == pytest.approx(gross - 6 * 0.072)
    assert co2_emissions(mixed, factors=f, per="m2") == pytest.approx(gross / 50)
    assert co2_emissions(mixed, factors=f, per="resident") == pytest.approx(gross / 4)
    assert co2_emissions(mixed, by="building", factors=f)["b1"] == pytest.approx(gross)
    de = step_factors("de-geg-2020-building-code", mixed.time)
    # GEG: grid 0.560, displacement mix 0.860 for export, district heat 0.180, gas 0.240
    net = 4 * 0.56 + 4 * 0.18 + 0.24 - 6 * 0.86
    assert co2_emissions(mixed, factors=de, export_credit=True) == pytest.approx(net)


def test_hourly_factors_apply_per_step(tmp_path):
    flows = make_flows(
        {"grid_import_kwh": {"b1": [1, 1, 0, 2]}, "grid_export_kwh": {"b1": [0, 0, 1, 0]}}
    )
    path = write_csv(
        tmp_path / "f.csv",
        flows.time,
        co2_kg_per_kwh=[0.1, 0.3, 0.2, 0.4],
        pef=[1.0, 2.0, 3.0, 1.5],
    )
    f = step_factors(HAND, flows.time, hourly=read_hourly_factors(path))
    assert f.hourly
    assert co2_emissions(flows, factors=f) == pytest.approx(0.1 + 0.3 + 0.8)
    # no export column: the hourly series credits the export of its hour too
    assert co2_emissions(flows, factors=f, export_credit=True) == pytest.approx(1.2 - 0.2)
    assert primary_energy_import(flows, factors=f) == pytest.approx(1.0 + 2.0 + 3.0)
    assert primary_energy_balance(flows, factors=f) == pytest.approx(3.0 - 6.0)


def test_hourly_export_columns_are_used(tmp_path):
    flows = make_flows({"grid_export_kwh": {"b1": [1, 1]}})
    path = write_csv(
        tmp_path / "f.csv", flows.time, co2_kg_per_kwh=[0.1, 0.1], co2_export_kg_per_kwh=[0.5, 0.7]
    )
    f = step_factors(HAND, flows.time, hourly=read_hourly_factors(path))
    assert co2_emissions(flows, factors=f, export_credit=True) == pytest.approx(-1.2)
    assert f.pef["electricity"][0] == 1.2  # no pef column: the set's PEF stays


def test_constant_hourly_file_equals_annual_factors(tmp_path):
    index = year_index(2025, "1h", "Europe/Helsinki")
    rng = np.random.default_rng(3)
    flows = make_flows(
        {
            "grid_import_kwh": {"b1": rng.random(len(index)), "b2": rng.random(len(index))},
            "grid_export_kwh": {"b1": rng.random(len(index))},
            "dh_import_kwh": {"b2": rng.random(len(index))},
        },
        index=index,
        buildings=("b1", "b2"),
    )
    el = get_factor_set("fi-2018-decree")["electricity"]
    path = write_csv(
        tmp_path / "hourly.csv",
        index,
        co2_kg_per_kwh=np.full(len(index), el.co2_kg_per_kwh),
        pef=np.full(len(index), el.f_p_nren),
    )
    annual = compute_kpis(flows, make_scenario())
    hourly = compute_kpis(flows, make_scenario(factors={"hourly_file": str(path)}))
    assert hourly.meta["hourly_factors"] and not annual.meta["hourly_factors"]
    for key in ("pei", "pee", "peb", "co2", "co2_net", "hours_net_import", "months_net_import"):
        assert hourly[key].value == pytest.approx(annual[key].value, rel=1e-12), key
    assert hourly["peb_annual_factors"].value == pytest.approx(annual["peb"].value)
    assert hourly["co2_annual_factors"].value == pytest.approx(annual["co2"].value)
    assert hourly.verdict.ped_class == annual.verdict.ped_class
    pd.testing.assert_frame_equal(hourly.per_building, annual.per_building)


def test_hourly_file_forward_fills_onto_quarter_hours(tmp_path):
    hours = pd.date_range("2025-01-01", periods=3, freq="1h", tz="UTC", name="time")
    path = write_csv(tmp_path / "f.csv", hours, co2_kg_per_kwh=[0.1, 0.2, 0.3])
    quarters = pd.date_range("2025-01-01", periods=12, freq="15min", tz="UTC", name="time")
    f = step_factors(HAND, quarters, hourly=read_hourly_factors(path))
    np.testing.assert_allclose(f.co2_kg_per_kwh["electricity"], np.repeat([0.1, 0.2, 0.3], 4))


def test_finer_file_is_averaged_over_the_step(tmp_path):
    quarters = pd.date_range("2025-01-01", periods=8, freq="15min", tz="UTC", name="time")
    path = write_csv(
        tmp_path / "f.csv",
        quarters,
        tz="UTC",
        co2_kg_per_kwh=[0.1, 0.2, 0.3, 0.2, 0.0, 0.0, 0.4, 0.4],
    )
    hours = pd.date_range("2025-01-01", periods=2, freq="1h", tz="UTC", name="time")
    f = step_factors(HAND, hours, hourly=read_hourly_factors(path))
    np.testing.assert_allclose(f.co2_kg_per_kwh["electricity"], [0.2, 0.2])


def test_hourly_file_must_cover_the_period(tmp_path):
    flows = make_flows({"grid_import_kwh": {"b1": [1, 1, 1, 1]}})
    path = write_csv(tmp_path / "short.csv", flows.time[:3], co2_kg_per_kwh=[0.1, 0.1, 0.1])
    scenario = make_scenario(factors={"hourly_file": str(path)})
    with pytest.raises(DataError, match="extend the file"):
        scenario_factors(scenario, flows.time)
    with pytest.raises(DataError, match="extend the file"):
        compute_kpis(flows, scenario)


def test_hourly_file_errors(tmp_path):
    naive = tmp_path / "naive.csv"
    naive.write_text("time,co2_kg_per_kwh\n2025-01-01T00:00,0.1\n2025-01-01T01:00,0.1\n")
    with pytest.raises(TimeIndexError, match="no UTC offset"):
        read_hourly_factors(naive)
    missing = tmp_path / "missing.csv"
    missing.write_text("time,pef\n2025-01-01T00:00Z,1\n2025-01-01T01:00Z,1\n")
    with pytest.raises(DataError, match="co2_kg_per_kwh"):
        read_hourly_factors(missing)
    negative = tmp_path / "negative.csv"
    negative.write_text("time,co2_kg_per_kwh\n2025-01-01T00:00Z,0.1\n2025-01-01T01:00Z,-1\n")
    with pytest.raises(DataError, match="line 3"):
        read_hourly_factors(negative)
    with pytest.raises(DataError, match="does not exist"):
        read_hourly_factors(tmp_path / "nowhere.csv")


def test_factors_must_match_the_flows_steps(mixed):
    other = step_factors(
        HAND, pd.date_range("2024-01-01", periods=4, freq="1h", tz="UTC", name="time")
    )
    with pytest.raises(DataError, match="steps"):
        co2_emissions(mixed, factors=other)


def test_dh_allocation_label_is_reported(mixed):
    scenario = make_scenario(factors={"dh_allocation": "power-bonus method"})
    report = compute_kpis(mixed, scenario)
    assert report.meta["dh_allocation"] == "power-bonus method"
    assert report.factor_set == "fi-2018-decree"
