"""Chart builders: pure functions from :class:`Flows` and :class:`KpiReport` to plotly figures.

Every chart that can be drawn from the flows is drawn from them; the KPI report's monthly
table is used only for what needs factors (primary energy, and CO2 when it carries it). Months,
days and clock hours are local time of the district's IANA zone. Energies are shown in kWh,
MWh or GWh depending on their size.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sparcs.errors import ScenarioError
from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import Flows
from sparcs.report._emissions import co2_monthly_figure
from sparcs.report._sankey import SankeyLink, sankey_figure, sankey_links
from sparcs.report._series import (
    carpet_matrix,
    find_columns,
    local_month_labels,
    monthly_sums,
    monthly_totals,
    net_import_kwh,
)
from sparcs.report._style import COLORS, TEMPLATE, energy_scale, rgba

__all__ = [
    "SankeyLink",
    "building_energy_figure",
    "carpet_figure",
    "carpet_matrix",
    "co2_monthly_figure",
    "load_duration_figure",
    "monthly_balance_figure",
    "primary_energy_figure",
    "sankey_figure",
    "sankey_links",
]

Carrier = Literal["electricity", "heat", "fuel"]

# carrier -> [(label, colour key, flow names, sign)]; sign -1 draws below the axis.
_MONTHLY_BARS: dict[str, list[tuple[str, str, tuple[str, ...], int]]] = {
    "electricity": [
        ("Grid import", "grid", ("grid_import_kwh",), 1),
        ("PV", "pv", ("pv_kwh",), 1),
        ("Wind", "wind", ("wind_kwh",), 1),
        ("CHP", "chp", ("chp_el_kwh",), 1),
        ("Grid export", "export", ("grid_export_kwh",), -1),
        ("Curtailment", "curtailed", ("curtailed_kwh",), -1),
    ],
    "heat": [
        ("District heat import", "district_heat", ("dh_import_kwh",), 1),
        ("Heat pumps", "heat_pump", ("hp_heat_kwh",), 1),
        ("Boilers", "boiler", ("boiler_heat_kwh",), 1),
        ("CHP", "chp", ("chp_heat_kwh",), 1),
        ("Electric boilers", "eboiler", ("eboiler_heat_kwh",), 1),
        ("Solar thermal", "solar_thermal", ("solar_thermal_kwh",), 1),
        ("Heat export", "export", ("dh_export_kwh",), -1),
        ("Heat dumped", "curtailed", ("heat_dumped_kwh",), -1),
    ],
}
_MONTHLY_LINES = {
    "electricity": (
        "Electricity use",
        (
            "electricity_demand_kwh",
            "hp_el_kwh",
            "eboiler_el_kwh",
            "chiller_el_kwh",
            "ev_charge_kwh",
        ),
    ),
    "heat": ("Heat demand", ("heat_demand_kwh",)),
}
_TITLES = {
    "electricity": "Electricity per month: import, local generation and export",
    "heat": "Heat per month: supply by source",
    "fuel": "Fuel burnt per month (boilers and CHP)",
}


def _fuel_burnt(flows: Flows) -> dict[str, np.ndarray]:
    """Fuel burnt by boilers and CHP per fuel name, district total per step [kWh]."""
    burnt = flows["boiler_fuel_kwh"] + flows["chp_fuel_kwh"]
    fuels = np.array(flows.fuel, dtype=object)
    return {
        (fuel or "unspecified").capitalize(): burnt[:, fuels == fuel].sum(axis=1)
        for fuel in dict.fromkeys(flows.fuel)
    }


def monthly_balance_figure(flows: Flows, timezone: str, carrier: Carrier) -> go.Figure:
    """Stacked bars per local month: import and local generation up, export down.

    Parameters
    ----------
    flows
        The flows [kWh per step].
    timezone
        IANA zone whose calendar months are meant.
    carrier
        ``"electricity"`` (import, PV, wind, CHP; export and curtailment below the axis;
        a line for total electricity use), ``"heat"`` (supply by source, a line for heat
        demand) or ``"fuel"`` (fuel burnt by boilers and CHP, one bar per fuel).

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    sparcs.errors.ScenarioError
        When ``carrier`` is none of the three.
    """
    if carrier == "fuel":
        table = monthly_sums(flows.time, timezone, _fuel_burnt(flows))
        bars = [
            (str(c), c.lower() if c.lower() in COLORS else "fuel", table[c].to_numpy(), 1)
            for c in table.columns
            if table[c].abs().sum() > 0
        ]
        return _bar_figure(table.index, bars, None, _TITLES[carrier])
    if carrier not in _MONTHLY_BARS:
        msg = f"carrier {carrier!r} is not one of 'electricity', 'heat', 'fuel'"
        raise ScenarioError(msg)
    groups = _MONTHLY_BARS[carrier]
    line_label, line_names = _MONTHLY_LINES[carrier]
    columns = {label: names for label, _, names, _ in groups} | {line_label: line_names}
    table = monthly_totals(flows, timezone, columns)
    bars = [
        (label, key, table[label].to_numpy(), sign)
        for label, key, _, sign in groups
        if table[label].abs().sum() > 0
    ]
    return _bar_figure(
        table.index, bars, (line_label, table[line_label].to_numpy()), _TITLES[carrier]
    )


def _bar_figure(
    months: pd.Index,
    bars: list[tuple[str, str, np.ndarray, int]],
    line: tuple[str, np.ndarray] | None,
    title: str,
    *,
    suffix: str = "",
) -> go.Figure:
    """Relative (stacked, signed) monthly bars with an optional line; energies in kWh."""
    labels = local_month_labels(months)
    arrays = [values for _, _, values, _ in bars] + ([line[1]] if line else [])
    biggest = max((float(np.nanmax(np.abs(a))) for a in arrays if len(a)), default=0.0)
    divisor, unit = energy_scale(biggest, suffix)
    figure = go.Figure()
    for label, key, values, sign in bars:
        figure.add_trace(
            go.Bar(
                x=labels,
                y=sign * values / divisor,
                name=label,
                marker_color=COLORS.get(key, key),
                hovertemplate=f"%{{y:,.1f}} {unit}<extra>{label}</extra>",
            )
        )
    if line is not None:
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=line[1] / divisor,
                name=line[0],
                mode="lines+markers",
                line={"color": COLORS["demand"], "width": 2.5},
                hovertemplate=f"%{{y:,.1f}} {unit}<extra>{line[0]}</extra>",
            )
        )
    figure.update_layout(
        template=TEMPLATE,
        title=title,
        barmode="relative",
        height=420,
        yaxis_title=unit,
        bargap=0.25,
    )
    return figure


def carpet_figure(flows: Flows, timezone: str) -> go.Figure:
    """Carpet plot of district net grid import: local date by local clock hour.

    Cells hold energy per clock hour [kWh], the mean net import power [kW] of ordinary
    hours; red is net import, blue net export. DST days are folded as in
    :func:`carpet_matrix`: the skipped spring hour is blank, the repeated autumn hour holds
    both hours' energy.

    Parameters
    ----------
    flows
        The flows [kWh per step].
    timezone
        IANA zone of the local clock.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    matrix = carpet_matrix(flows, timezone)
    values = matrix.to_numpy(dtype=float).T
    bound = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=pd.DatetimeIndex(matrix.index).strftime("%Y-%m-%d").tolist(),
            y=list(matrix.columns),
            zmid=0.0,
            zmin=-bound,
            zmax=bound,
            colorscale=[[0.0, COLORS["export"]], [0.5, "#f8f9fa"], [1.0, COLORS["grid"]]],
            colorbar={"title": {"text": "kWh/h"}, "thickness": 12},
            hovertemplate="%{x}, %{y}:00 local<br>net import %{z:,.1f} kWh<extra></extra>",
            hoverongaps=False,
        )
    )
    figure.update_layout(
        template=TEMPLATE,
        title="Net grid import by day and hour (local time)",
        height=420,
        hovermode="closest",
        yaxis={"title": "hour of day", "dtick": 3, "range": [-0.5, 23.5]},
        xaxis={"type": "date"},
    )
    return figure


def load_duration_figure(flows: Flows) -> go.Figure:
    """Load duration curve of the district's net grid import power [kW].

    Net import power per step is (import - export) / dt_h, sorted from the highest to the
    lowest; the part below zero is net export.

    Parameters
    ----------
    flows
        The flows [kWh per step].

    Returns
    -------
    plotly.graph_objects.Figure
        x: hours over the period for which net import is at least y.
    """
    power_kw = np.sort(net_import_kwh(flows) / flows.dt_h)[::-1]
    hours = np.arange(1, len(power_kw) + 1) * flows.dt_h
    figure = go.Figure()
    for label, key, part in (
        ("net import", "grid", np.clip(power_kw, 0, None)),
        ("net export", "export", np.clip(power_kw, None, 0)),
    ):
        figure.add_trace(
            go.Scatter(
                x=hours,
                y=part,
                name=label,
                mode="lines",
                line={"color": COLORS[key], "width": 1.5},
                fill="tozeroy",
                fillcolor=rgba(COLORS[key], 0.3),
                hovertemplate="%{y:,.1f} kW for %{x:,.0f} h<extra></extra>",
            )
        )
    import_hours = float((power_kw > 0).sum() * flows.dt_h)
    if import_hours > 0:
        summary = f"peak {power_kw[0]:,.0f} kW, net import during {import_hours:,.0f} h"
    else:
        summary = "net export in every step"
    figure.update_layout(
        template=TEMPLATE,
        height=420,
        hovermode="closest",
        title=f"Load duration of net grid import ({summary})",
        xaxis_title="hours",
        yaxis_title="kW",
    )
    return figure


def primary_energy_figure(kpis: KpiReport) -> go.Figure | None:
    """Monthly primary-energy balance from :attr:`KpiReport.monthly`, if it has the columns.

    Looks for exported (PEE), imported (PEI) and balance (PEB) columns by name; PEE is drawn
    up, PEI down, PEB as a line.

    Parameters
    ----------
    kpis
        The KPI report.

    Returns
    -------
    plotly.graph_objects.Figure or None
        None when the monthly table carries neither a PEB column nor both PEI and PEE.
    """
    monthly = kpis.monthly
    pei = find_columns(monthly, "pei", "primary_energy_import", "pe_import")
    pee = find_columns(monthly, "pee", "primary_energy_export", "pe_export")
    peb = find_columns(monthly, "peb", "primary_energy_balance", "pe_balance")
    if not peb and not (pei and pee):
        return None
    bars = []
    if pee:
        bars.append(("Primary energy exported (PEE)", "export", monthly[pee[0]].to_numpy(), 1))
    if pei:
        bars.append(("Primary energy imported (PEI)", "grid", monthly[pei[0]].to_numpy(), -1))
    balance = (
        monthly[peb[0]].to_numpy()
        if peb
        else monthly[pee[0]].to_numpy() - monthly[pei[0]].to_numpy()
    )
    return _bar_figure(
        monthly.index,
        bars,
        ("Balance PEB = PEE − PEI", balance),
        "Primary-energy balance per month",
        suffix="_PE",
    )


def building_energy_figure(flows: Flows) -> go.Figure:
    """Annual electricity per building: use, local generation, grid import and export.

    Parameters
    ----------
    flows
        The flows [kWh per step].

    Returns
    -------
    plotly.graph_objects.Figure
        Horizontal grouped bars, one group per building (the district node included when it
        has any flow).
    """
    use_names = (
        "electricity_demand_kwh",
        "hp_el_kwh",
        "eboiler_el_kwh",
        "chiller_el_kwh",
        "ev_charge_kwh",
    )
    groups = {
        "Electricity use": ("demand", use_names),
        "Local generation": ("pv", ("pv_kwh", "wind_kwh", "chp_el_kwh")),
        "Grid import": ("grid", ("grid_import_kwh",)),
        "Grid export": ("export", ("grid_export_kwh",)),
    }
    sums = {label: sum(flows[n].sum(axis=0) for n in names) for label, (_, names) in groups.items()}
    keep = [i for i, _ in enumerate(flows.nodes) if any(v[i] > 0 for v in sums.values())]
    nodes = [flows.nodes[i] for i in keep][::-1]
    biggest = max((float(v[keep].max()) for v in sums.values() if keep), default=0.0)
    divisor, unit = energy_scale(biggest)
    figure = go.Figure()
    for label, (key, _) in groups.items():
        figure.add_trace(
            go.Bar(
                y=nodes,
                x=sums[label][keep][::-1] / divisor,
                name=label,
                orientation="h",
                marker_color=COLORS[key],
                hovertemplate=f"%{{x:,.1f}} {unit}<extra>{label}</extra>",
            )
        )
    figure.update_layout(
        template=TEMPLATE,
        title="Electricity per building over the period",
        barmode="group",
        height=160 + 70 * max(len(nodes), 1),
        xaxis_title=unit,
        hovermode="y unified",
    )
    return figure
