"""Chart builders: the numbers drawn are the flows' numbers, in local months and hours."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from plotly.io import to_json

from sparcs.data import get_factor_set
from sparcs.errors import ScenarioError
from sparcs.report import charts
from sparcs.report._emissions import co2_monthly_from_flows

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
    assert {"Public grid", "PV", "Wind", "Fuels", "District heating", "Solar thermal",
            "Storage discharge", "CHP", "Heat pumps", "Electricity demand", "EV charging",
            "Heat demand", "Export", "Losses", "Storage charge"} <= names
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
    assert list(figure.data[0].x) == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                      "Sep", "Oct", "Nov", "Dec"]
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
        week_flows.total("heat_demand_kwh").sum())
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
    net_kw = (week_flows.total("grid_import_kwh") - week_flows.total("grid_export_kwh"))
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


def test_co2_is_split_by_carrier_with_the_factor_set(week_flows, week_report) -> None:
    figure = charts.co2_monthly_figure(week_flows, week_report, BERLIN)
    assert "annual factors of" in figure.layout.title.text
    divisor = 1e3 if figure.layout.yaxis.title.text.startswith("t") else 1.0
    bars = [t for t in figure.data if t.type == "bar" and "credit" not in t.name.lower()]
    gross = sum(_y(t).sum() for t in bars) * divisor
    assert gross > 0


def test_co2_falls_back_to_the_gross_kpi_column(week_flows, week_report) -> None:
    from dataclasses import replace

    report = replace(week_report, factor_set="not-embedded")
    figure = charts.co2_monthly_figure(week_flows, report, BERLIN)
    assert [t.name for t in figure.data] == ["co2_kg"]
    expected = report.monthly["co2_kg"].to_numpy()
    divisor = 1e3 if figure.layout.yaxis.title.text.startswith("t") else 1.0
    assert _y(figure.data[0]) * divisor == pytest.approx(expected)
    assert "KPI report" in figure.layout.title.text


def test_co2_falls_back_to_flows_and_factors(week_flows, week_report) -> None:
    report = dataclasses.replace(week_report, monthly=week_report.monthly.drop(columns="co2_kg"))
    figure = charts.co2_monthly_figure(week_flows, report, BERLIN)
    names = [t.name for t in figure.data]
    assert names == ["Electricity import", "District heat", "Gas", "Export credit", "Net"]
    factors = get_factor_set("de-geg-2020")
    divisor = 1e3 if figure.layout.yaxis.title.text.startswith("t") else 1.0
    electricity = _y(figure.data[0]).sum() * divisor
    assert electricity == pytest.approx(
        week_flows.total("grid_import_kwh").sum() * factors["electricity"].co2_kg_per_kwh)
    assert (_y(_trace(figure, "Export credit")) <= 0).all()
    table = co2_monthly_from_flows(week_flows, BERLIN, factors)
    net = table.drop(columns="Export credit").sum(axis=1) - table["Export credit"]
    assert _y(_trace(figure, "Net")) * divisor == pytest.approx(net.to_numpy())


def test_co2_without_column_or_known_factor_set_says_so(week_flows, week_report) -> None:
    report = dataclasses.replace(week_report, factor_set="xx-unknown",
                                 monthly=week_report.monthly.drop(columns="co2_kg"))
    figure = charts.co2_monthly_figure(week_flows, report, BERLIN)
    assert len(figure.data) == 0
    assert "xx-unknown" in figure.layout.annotations[0].text
    with_factors = charts.co2_monthly_figure(week_flows, report, BERLIN,
                                             get_factor_set("fi-2018-decree"))
    assert "fi-2018-decree" in with_factors.layout.title.text


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
    for figure in (charts.sankey_figure(week_flows), charts.carpet_figure(week_flows, BERLIN),
                   charts.load_duration_figure(week_flows)):
        assert to_json(figure).startswith("{")
