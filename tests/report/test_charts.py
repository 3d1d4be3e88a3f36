"""Chart builders: the numbers drawn are the flows' numbers, in local months and hours."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from plotly.io import to_json

from sparcs.errors import ScenarioError
from sparcs.report import charts

BERLIN = "Europe/Berlin"


def _y(trace) -> np.ndarray:
    return np.asarray(trace.y, dtype=float)


def _trace(figure, name: str):
    matches = [t for t in figure.data if t.name == name]
    assert matches, f"no trace {name!r} in {[t.name for t in figure.data]}"
    return matches[0]


def test_sankey_hubs_balance_and_cover_every_source(week_flows) -> None:
    links = charts.sankey_links(week_flows)
    for hub in ("Electricity", "Heat"):
        inflow = sum(link.kwh for link in links if link.target == hub)
        outflow = sum(link.kwh for link in links if link.source == hub)
        assert inflow == pytest.approx(outflow, rel=1e-9), hub
    names = {name for link in links for name in (link.source, link.target)}
    assert {
        "Public grid",
        "PV",
        "Wind",
        "Fuels",
        "District heating",
        "Solar thermal",
        "Storage discharge",
        "CHP",
        "Heat pumps",
        "Electricity demand",
        "EV charging",
        "Heat demand",
        "Export",
        "Losses",
        "Storage charge",
    } <= names
    assert all(link.kwh > 0 for link in links)
    grid = next(link for link in links if link.source == "Public grid")
    assert grid.kwh == pytest.approx(week_flows.total("grid_import_kwh").sum())


def test_sankey_figure_values_match_links(week_flows) -> None:
    figure = charts.sankey_figure(week_flows)
    links = charts.sankey_links(week_flows)
    sankey = figure.data[0]
    divisor = 1e3 if "MWh" in figure.layout.title.text else 1.0
    assert np.asarray(sankey.link.value) * divisor == pytest.approx([lk.kwh for lk in links])
    assert len(sankey.node.label) == len({n for lk in links for n in (lk.source, lk.target)})


def test_monthly_electricity_bars_are_local_months_with_export_below(year_flows) -> None:
    figure = charts.monthly_balance_figure(year_flows, BERLIN, "electricity")
    assert list(figure.data[0].x) == [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ]
    divisor = {"kWh": 1.0, "MWh": 1e3, "GWh": 1e6}[figure.layout.yaxis.title.text]
    imported = _y(_trace(figure, "Grid import")).sum() * divisor
    exported = _y(_trace(figure, "Grid export")) * divisor
    assert imported == pytest.approx(year_flows.total("grid_import_kwh").sum())
    assert (exported <= 0).all()
    assert -exported.sum() == pytest.approx(year_flows.total("grid_export_kwh").sum())
    assert "Curtailment" not in [t.name for t in figure.data]  # zero series are left out


def test_monthly_heat_and_fuel(week_flows) -> None:
    heat = charts.monthly_balance_figure(week_flows, BERLIN, "heat")
    divisor = {"kWh": 1.0, "MWh": 1e3}[heat.layout.yaxis.title.text]
    assert _y(_trace(heat, "Heat demand")).sum() * divisor == pytest.approx(
        week_flows.total("heat_demand_kwh").sum()
    )
    fuel = charts.monthly_balance_figure(week_flows, BERLIN, "fuel")
    divisor = {"kWh": 1.0, "MWh": 1e3}[fuel.layout.yaxis.title.text]
    burnt = week_flows.total("boiler_fuel_kwh") + week_flows.total("chp_fuel_kwh")
    assert _y(_trace(fuel, "Gas")).sum() * divisor == pytest.approx(burnt.sum())
    assert list(fuel.data[0].x) == ["Mar", "Apr"]


def test_unknown_carrier_is_refused(week_flows) -> None:
    with pytest.raises(ScenarioError, match="carrier"):
        charts.monthly_balance_figure(week_flows, BERLIN, "steam")  # type: ignore[arg-type]


def test_load_duration_is_sorted_net_import_power(week_flows) -> None:
    figure = charts.load_duration_figure(week_flows)
    imp, exp = (_y(_trace(figure, name)) for name in ("net import", "net export"))
    power = imp + exp
    net_kw = week_flows.total("grid_import_kwh") - week_flows.total("grid_export_kwh")
    assert power == pytest.approx(np.sort(net_kw / week_flows.dt_h)[::-1])
    assert (imp >= 0).all() and (exp <= 0).all()
    assert np.asarray(figure.data[0].x)[-1] == pytest.approx(len(week_flows.time) * week_flows.dt_h)


def test_carpet_figure_is_days_by_24_local_hours(year_flows) -> None:
    figure = charts.carpet_figure(year_flows, BERLIN)
    z = np.asarray(figure.data[0].z, dtype=float)
    assert z.shape == (24, 365)
    net = year_flows.total("grid_import_kwh") - year_flows.total("grid_export_kwh")
    assert np.nansum(z) == pytest.approx(net.sum())
    assert figure.data[0].zmid == 0


def test_co2_is_drawn_from_the_kpi_columns_per_carrier(week_report) -> None:
    figure = charts.co2_monthly_figure(week_report)
    monthly = week_report.monthly
    names = [t.name for t in figure.data]
    # district heat is zero in this report: no empty bar
    assert names == ["Electricity import", "Gas", "Credits (export, virtual, functional)", "Net"]
    divisor = 1e3 if figure.layout.yaxis.title.text.startswith("t") else 1.0
    assert _y(_trace(figure, "Electricity import")) * divisor == pytest.approx(
        monthly["co2_electricity"].to_numpy()
    )
    assert _y(_trace(figure, "Credits (export, virtual, functional)")) * divisor == pytest.approx(
        -monthly["co2_credit"].to_numpy()
    )
    assert _y(_trace(figure, "Net")) * divisor == pytest.approx(monthly["co2_net"].to_numpy())


def test_co2_in_tonnes_is_converted_by_its_declared_unit(week_report) -> None:
    monthly = week_report.monthly.copy()
    for column in ("co2_electricity", "co2_gas", "co2_credit"):
        monthly[column] = monthly[column] / 1000.0
    monthly.attrs["units"] = {
        **week_report.monthly.attrs["units"],
        "co2_electricity": "t CO2-eq",
        "co2_gas": "t CO2-eq",
        "co2_credit": "t CO2-eq",
    }
    tonnes = charts.co2_monthly_figure(dataclasses.replace(week_report, monthly=monthly))
    kilos = charts.co2_monthly_figure(week_report)
    for a, b in zip(tonnes.data, kilos.data, strict=True):
        assert _y(a) == pytest.approx(_y(b))


def test_co2_without_its_columns_or_units_says_so(week_report) -> None:
    bare = dataclasses.replace(week_report, monthly=week_report.monthly.drop(columns="co2_credit"))
    figure = charts.co2_monthly_figure(bare)
    assert len(figure.data) == 0
    assert "no monthly CO2 per carrier" in figure.layout.annotations[0].text
    monthly = week_report.monthly.copy()
    monthly.attrs["units"] = {**monthly.attrs["units"], "co2_gas": "kg"}
    figure = charts.co2_monthly_figure(dataclasses.replace(week_report, monthly=monthly))
    assert "units kg are not CO2 masses" in figure.layout.annotations[0].text


def test_primary_energy_needs_its_columns(week_report) -> None:
    figure = charts.primary_energy_figure(week_report)
    assert figure is not None
    balance = _y(_trace(figure, "Balance PEB = PEE − PEI"))
    divisor = {"kWh_PE": 1.0, "MWh_PE": 1e3}[figure.layout.yaxis.title.text]
    assert balance * divisor == pytest.approx(week_report.monthly["peb_kwh_pe"].to_numpy())
    bare = dataclasses.replace(week_report, monthly=week_report.monthly[["fuel_kwh"]])
    assert charts.primary_energy_figure(bare) is None


def test_building_figure_has_every_node_with_flows(week_flows) -> None:
    figure = charts.building_energy_figure(week_flows)
    assert set(figure.data[0].y) == set(week_flows.nodes)
    divisor = {"kWh": 1.0, "MWh": 1e3}[figure.layout.xaxis.title.text]
    imported = np.asarray(_trace(figure, "Grid import").x, dtype=float).sum() * divisor
    assert imported == pytest.approx(week_flows.total("grid_import_kwh").sum())


def test_figures_serialise(week_flows, week_report) -> None:
    for figure in (
        charts.sankey_figure(week_flows),
        charts.carpet_figure(week_flows, BERLIN),
        charts.load_duration_figure(week_flows),
    ):
        assert to_json(figure).startswith("{")
