"""Fixtures for the report tests: balanced synthetic flows and a hand-made KPI report.

The flows are built to close every carrier balance in every step (checked with
``check_balance``): buildings with a flat-ish electricity load, PV, an EV, and heat from
district heating, a heat pump or a gas boiler with solar thermal; a district node with wind,
a battery and a gas CHP feeding a district heat consumer. Grid import and export close the
electricity balance of each node.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from sparcs.kpi.report import Kpi, KpiReport, PedVerdict
from sparcs.operation.flows import DISTRICT_NODE, FLOW_NAMES, STATE_NAMES, Flows, check_balance
from sparcs.timeseries import year_index

BERLIN = "Europe/Berlin"


def _profiles(time: pd.DatetimeIndex, dt_h: float) -> dict[str, np.ndarray]:
    hour = (time.hour + time.minute / 60 + 1) % 24  # about local solar time in Central Europe
    season = np.cos(2 * np.pi * (time.dayofyear.to_numpy() - 172) / 365)
    solar = np.clip(np.sin(np.pi * (hour - 6) / 14), 0, None) * (0.55 + 0.45 * season)
    temp_c = 9 + 10 * season + 4 * np.sin(np.pi * (hour - 9) / 12)
    load = 0.6 + 0.4 * np.exp(-((hour - 19) ** 2) / 6) + 0.2 * np.exp(-((hour - 8) ** 2) / 4)
    return {
        "solar": np.asarray(solar * dt_h),
        "heat": np.asarray(np.clip(16 - temp_c, 0, None) * 0.8 * dt_h),
        "load": np.asarray(load * dt_h),
        "evening": np.asarray(((hour >= 18) & (hour < 22)) * dt_h),
        "wind": np.asarray((1.2 + np.sin(time.dayofyear.to_numpy() / 3.0)) * dt_h),
    }


def _fill_buildings(
    data: dict[str, np.ndarray], p: dict[str, np.ndarray], n_b: int, rng: np.random.Generator
) -> None:
    size = rng.uniform(0.7, 1.6, n_b)
    data["electricity_demand_kwh"][:, :n_b] = np.outer(p["load"], 8 * size)
    data["pv_kwh"][:, :n_b] = np.outer(p["solar"], 25 * size)
    data["ev_charge_kwh"][:, 0] = 7 * p["evening"]
    heat = np.outer(p["heat"], 6 * size)
    data["heat_demand_kwh"][:, :n_b] = heat
    data["dh_import_kwh"][:, 0] = heat[:, 0]
    data["hp_heat_kwh"][:, 1] = heat[:, 1]
    data["hp_el_kwh"][:, 1] = heat[:, 1] / 3.2
    solar_thermal = np.minimum(heat[:, 2:], np.outer(p["solar"], 2 * size[2:]))
    data["solar_thermal_kwh"][:, 2:n_b] = solar_thermal
    data["boiler_heat_kwh"][:, 2:n_b] = heat[:, 2:] - solar_thermal
    data["boiler_fuel_kwh"][:, 2:n_b] = data["boiler_heat_kwh"][:, 2:n_b] / 0.92


def _fill_district(data: dict[str, np.ndarray], p: dict[str, np.ndarray]) -> None:
    data["wind_kwh"][:, -1] = 40 * p["wind"]
    data["battery_charge_kwh"][:, -1] = 12 * p["solar"]
    charged = data["battery_charge_kwh"][:, -1].sum()
    data["battery_discharge_kwh"][:, -1] = 0.9 * charged * p["evening"] / p["evening"].sum()
    fuel = 30 * p["heat"]
    data["chp_fuel_kwh"][:, -1] = fuel
    data["chp_el_kwh"][:, -1] = 0.33 * fuel
    data["chp_heat_kwh"][:, -1] = 0.52 * fuel
    data["heat_demand_kwh"][:, -1] = 0.52 * fuel
    soc = np.cumsum(0.95 * data["battery_charge_kwh"][:, -1] - data["battery_discharge_kwh"][:, -1])
    data["battery_soc_kwh"][:, -1] = soc - soc.min()


def _close_grid(data: dict[str, np.ndarray]) -> None:
    sources = ("pv_kwh", "wind_kwh", "chp_el_kwh", "battery_discharge_kwh", "ev_v2g_kwh")
    sinks = (
        "electricity_demand_kwh",
        "hp_el_kwh",
        "eboiler_el_kwh",
        "chiller_el_kwh",
        "battery_charge_kwh",
        "ev_charge_kwh",
        "curtailed_kwh",
    )
    net = sum(data[s] for s in sources) - sum(data[s] for s in sinks)
    data["grid_import_kwh"][:] = np.clip(-net, 0, None)
    data["grid_export_kwh"][:] = np.clip(net, 0, None)


def build_flows(
    time: pd.DatetimeIndex, n_buildings: int = 4, seed: int = 1, timezone: str = BERLIN
) -> Flows:
    """Balanced synthetic flows on ``time`` with ``n_buildings`` (at least 3) buildings."""
    dt_h = float((time[1] - time[0]) / pd.Timedelta(hours=1))
    nodes = (*(f"B{i + 1:02d}" for i in range(n_buildings)), DISTRICT_NODE)
    data = {name: np.zeros((len(time), len(nodes))) for name in (*FLOW_NAMES, *STATE_NAMES)}
    profiles = _profiles(time, dt_h)
    rng = np.random.default_rng(seed)
    _fill_buildings(data, profiles, n_buildings, rng)
    _fill_district(data, profiles)
    _close_grid(data)
    area = np.append(rng.uniform(800, 4000, n_buildings).round(), 0.0)
    flows = Flows(
        time=time,
        dt_h=dt_h,
        nodes=nodes,
        data=data,
        fuel=("", "", *(["gas"] * (n_buildings - 2)), "gas"),
        floor_area_m2=area,
        residents=(area / 40).round(),
        capacities={"pv_kwp": np.append(np.full(n_buildings, 25.0), 0.0)},
        timezone=timezone,
    )
    check_balance(flows)
    return flows


def _local_monthly(flows: Flows, timezone: str) -> pd.DataFrame:
    local = flows.time.tz_convert(timezone)
    months = pd.Index(local.strftime("%Y-%m"), name="month")
    frame = (
        pd.DataFrame(
            {
                "electricity_import_kwh": flows.total("grid_import_kwh"),
                "electricity_export_kwh": flows.total("grid_export_kwh"),
                "heat_import_kwh": flows.total("dh_import_kwh"),
                "fuel_kwh": flows.total("boiler_fuel_kwh") + flows.total("chp_fuel_kwh"),
                "local_generation_kwh": flows.total("pv_kwh") + flows.total("wind_kwh"),
            },
            index=months,
        )
        .groupby(level=0)
        .sum()
    )
    frame["pei_kwh_pe"] = 1.8 * frame["electricity_import_kwh"] + 0.7 * frame["heat_import_kwh"]
    frame["pee_kwh_pe"] = 2.8 * frame["electricity_export_kwh"]
    frame["peb_kwh_pe"] = frame["pee_kwh_pe"] - frame["pei_kwh_pe"]
    # the columns and units of sparcs.kpi.tables.monthly_table
    frame["co2_electricity"] = 0.56 * frame["electricity_import_kwh"]
    frame["co2_district_heat"] = 0.0 * frame["heat_import_kwh"]
    frame["co2_gas"] = 0.24 * frame["fuel_kwh"]
    frame["co2"] = frame["co2_electricity"] + frame["co2_gas"]
    frame["co2_credit"] = 0.56 * frame["electricity_export_kwh"]
    frame["co2_net"] = frame["co2"] - frame["co2_credit"]
    frame.attrs["units"] = {
        c: ("kg CO2-eq" if c.startswith("co2") else "kWh") for c in frame.columns
    }
    return frame


def build_kpi_report(flows: Flows, timezone: str = BERLIN) -> KpiReport:
    """A hand-made KPI report that looks like the real one (values loosely from ``flows``)."""
    imported = float(flows.total("grid_import_kwh").sum())
    exported = float(flows.total("grid_export_kwh").sum())
    kpis = (
        Kpi(
            "peb",
            "Primary-energy balance",
            2.8 * exported - 1.8 * imported,
            "kWh_PE/a",
            "ped",
            "PEE − PEI over the year (Gabaldón Moreno et al. 2021).",
        ),
        Kpi(
            "final_energy",
            "Final energy consumption",
            imported * 3.1,
            "kWh/a",
            "energy",
            "Delivered energy of all carriers (SCIS).",
        ),
        Kpi(
            "self_sufficiency",
            "Self-sufficiency",
            41.234,
            "%",
            "energy",
            "1 − import / demand (gsy-e).",
        ),
        Kpi(
            "self_consumption",
            "Self-consumption",
            77.0,
            "%",
            "energy",
            "Locally used share of local generation.",
        ),
        Kpi(
            "co2",
            "GHG emissions",
            imported * 0.56,
            "kg CO2-eq/a",
            "emissions",
            "Delivered energy times emission factors (GEG Anlage 9).",
        ),
        Kpi(
            "peak_import",
            "Peak grid import",
            float(flows.total("grid_import_kwh").max() / flows.dt_h),
            "kW",
            "grid",
            "Highest net import power at the district meter.",
        ),
        Kpi(
            "battery_cycles",
            "Battery full cycles",
            212.0,
            "cycles/a",
            "storage",
            "Discharged energy over usable capacity.",
        ),
        Kpi(
            "net_energy_cost",
            "Energy cost",
            123456.7,
            "EUR/a",
            "economics",
            "Energy bill of the district.",
        ),
    )
    verdict = PedVerdict(
        "PEDdynamic",
        "Annual primary-energy balance is positive (+12 % of "
        "PEI) inside the geographical boundary; net import in 4,321 h.",
        kpis[0].value,
        kpis[0].value + 1e5,
    )
    ids = list(flows.building_ids)
    per_building = pd.DataFrame(
        {
            "self_sufficiency": np.linspace(20, 60, len(ids)),
            "final_energy": flows["grid_import_kwh"][:, : len(ids)].sum(axis=0) * 3,
            "ghg_emissions": flows["grid_import_kwh"][:, : len(ids)].sum(axis=0) * 0.56,
        },
        index=pd.Index(ids, name="building"),
    )
    per_building.attrs["units"] = {
        "self_sufficiency": "%",
        "final_energy": "kWh/a",
        "ghg_emissions": "kg CO2-eq/a",
    }
    return KpiReport(
        kpis=kpis,
        verdict=verdict,
        per_building=per_building,
        monthly=_local_monthly(flows, timezone),
        factor_set="de-geg-2020",
        meta={"sources": ["Weather: synthetic test profile."]},
    )


@pytest.fixture(scope="session")
def week_flows() -> Flows:
    """One winter-spring week, hourly, 4 buildings; crosses the March DST change in Berlin."""
    time = pd.date_range("2025-03-27", periods=24 * 7, freq="h", tz="UTC", name="time")
    return build_flows(time, n_buildings=4)


@pytest.fixture(scope="session")
def week_report(week_flows: Flows) -> KpiReport:
    return build_kpi_report(week_flows)


@pytest.fixture(scope="session")
def year_flows() -> Flows:
    """One Berlin calendar year (2025), hourly, 10 buildings."""
    return build_flows(year_index(2025, "1h", tz=BERLIN), n_buildings=10, seed=7)


@pytest.fixture(scope="session")
def year_report(year_flows: Flows) -> KpiReport:
    return build_kpi_report(year_flows)


@pytest.fixture
def flows_builder() -> Callable[..., Flows]:
    return build_flows


@pytest.fixture
def report_builder() -> Callable[..., KpiReport]:
    return build_kpi_report
