"""CO2 per month for the report: from the KPI report when it has it, else from the flows.

The KPI code may use hourly emission factors, so its monthly CO2 column, when present, is
preferred. Otherwise emissions are computed here from the flows with the annual factors of a
:class:`~sparcs.data.FactorSet`: delivered electricity, district heat and fuels times their
factor, and exported electricity as a credit shown separately (below the axis).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sparcs.data import FactorSet, get_factor_set
from sparcs.errors import SparcsError
from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import Flows
from sparcs.report._series import find_columns, local_month_labels, monthly_sums
from sparcs.report._style import COLORS, TEMPLATE

__all__ = ["co2_monthly_figure", "co2_monthly_from_flows", "resolve_factor_set"]

_CO2_NEEDLES = ("co2", "ghg", "emission")
_PALETTE = (COLORS["grid"], COLORS["district_heat"], COLORS["fuel"], COLORS["chp"],
            COLORS["boiler"])


def resolve_factor_set(kpis: KpiReport, factors: FactorSet | None) -> FactorSet | None:
    """``factors`` if given, else the embedded set named by the report, else None."""
    if factors is not None:
        return factors
    try:
        return get_factor_set(kpis.factor_set)
    except (SparcsError, KeyError):
        return None


def co2_monthly_from_flows(flows: Flows, timezone: str, factors: FactorSet) -> pd.DataFrame:
    """Monthly CO2 emissions by carrier from the flows and annual factors [kg CO2-eq].

    Parameters
    ----------
    flows
        The flows [kWh per step].
    timezone
        IANA zone whose calendar months are meant.
    factors
        Emission factors per carrier [kg CO2-eq/kWh]; fuels are looked up by each node's
        ``fuel`` name.

    Returns
    -------
    pandas.DataFrame
        One row per local month; columns ``Electricity import``, ``District heat``, one per
        fuel that has a factor, and ``Export credit`` (non-negative; subtract it for a net
        figure) [kg CO2-eq]. Fuels without a factor are left out.
    """
    columns = {
        "Electricity import": flows.total("grid_import_kwh") * factors["electricity"].co2_kg_per_kwh,
        "District heat": flows.total("dh_import_kwh") * factors["district_heat"].co2_kg_per_kwh,
    }
    burnt = flows["boiler_fuel_kwh"] + flows["chp_fuel_kwh"]
    fuels = np.array(flows.fuel, dtype=object)
    for fuel in dict.fromkeys(flows.fuel):
        if fuel in factors.carriers:
            columns[fuel.capitalize()] = (burnt[:, fuels == fuel].sum(axis=1)
                                          * factors[fuel].co2_kg_per_kwh)
    columns["Export credit"] = (flows.total("grid_export_kwh")
                                * factors["electricity"].co2_export_kg_per_kwh)
    return monthly_sums(flows.time, timezone, columns)


def _unfactored_fuels(flows: Flows, factors: FactorSet) -> list[str]:
    burnt = (flows["boiler_fuel_kwh"] + flows["chp_fuel_kwh"]).sum(axis=0)
    return sorted({fuel or "unspecified" for fuel, kwh in zip(flows.fuel, burnt, strict=True)
                   if kwh > 0 and fuel not in factors.carriers})


def _kg_factor(column: str, units: dict[str, str]) -> float:
    """Multiplier from the unit of a monthly CO2 column to kg (kg assumed when unknown)."""
    unit = str(units.get(column, "")).strip().lower()
    name = column.lower()
    if unit.startswith("t") or name.endswith(("_t", "_tonnes", "_tco2")) or "_t_" in name:
        return 1000.0
    return 1.0


def co2_monthly_figure(
    flows: Flows, kpis: KpiReport, timezone: str, factors: FactorSet | None = None
) -> go.Figure:
    """CO2 emissions per local month.

    Per carrier from the flows (:func:`co2_monthly_from_flows`) with ``factors`` or the embedded
    factor set named ``kpis.factor_set``; otherwise the gross CO2 columns of ``kpis.monthly``
    (names containing ``co2``, ``ghg`` or ``emission``, net columns left out so nothing is
    counted twice). If neither is available the figure says so.

    Parameters
    ----------
    flows
        The flows [kWh per step].
    kpis
        The KPI report.
    timezone
        IANA zone whose calendar months are meant.
    factors
        Factor set for the fallback computation.

    Returns
    -------
    plotly.graph_objects.Figure
        Bars in kg or t CO2-eq per month; export credit below the axis, net as a line.
    """
    notes: list[str] = []
    resolved = resolve_factor_set(kpis, factors)
    if resolved is not None:
        # Per carrier with the export credit below the axis: more telling than one total.
        table = co2_monthly_from_flows(flows, timezone, resolved)
        source = f"annual factors of {resolved.name}"
        missing = _unfactored_fuels(flows, resolved)
        if missing:
            notes.append(f"no factor for fuel {', '.join(missing)}; not counted")
        return _co2_bars(table, source, notes)
    monthly = kpis.monthly
    found = [c for c in find_columns(monthly, *_CO2_NEEDLES) if "net" not in str(c).lower()]
    if not found:
        return _empty_figure(f"No CO2 figures: the KPI report has no monthly CO2 and the "
                             f"factor set {kpis.factor_set!r} is not embedded.")
    units = dict(monthly.attrs.get("units", {}))
    table = pd.DataFrame({c: monthly[c] * _kg_factor(str(c), units) for c in found},
                         index=monthly.index)
    source = "from the KPI report"
    return _co2_bars(table, source, notes)


def _co2_bars(table: pd.DataFrame, source: str, notes: list[str]) -> go.Figure:
    biggest = float(table.abs().to_numpy().max()) if table.size else 0.0
    divisor, unit = (1000.0, "t CO2-eq") if biggest >= 1e4 else (1.0, "kg CO2-eq")
    labels = local_month_labels(table.index)
    figure = go.Figure()
    credit = [c for c in table.columns if "credit" in str(c).lower()]
    for i, column in enumerate(c for c in table.columns if c not in credit):
        figure.add_trace(go.Bar(x=labels, y=table[column].to_numpy() / divisor,
                                name=str(column), marker_color=_PALETTE[i % len(_PALETTE)],
                                hovertemplate=f"%{{y:,.1f}} {unit}<extra>{column}</extra>"))
    for column in credit:
        figure.add_trace(go.Bar(x=labels, y=-table[column].to_numpy() / divisor,
                                name=str(column), marker_color=COLORS["export"],
                                hovertemplate=f"%{{y:,.1f}} {unit}<extra>{column}</extra>"))
    if credit:
        net = table.drop(columns=credit).sum(axis=1) - table[credit].sum(axis=1)
        figure.add_trace(go.Scatter(x=labels, y=net.to_numpy() / divisor, name="Net",
                                    mode="lines+markers", line={"color": COLORS["net"]},
                                    hovertemplate=f"%{{y:,.1f}} {unit}<extra>Net</extra>"))
    subtitle = f"{source}; " + "; ".join(notes) if notes else source
    figure.update_layout(template=TEMPLATE, barmode="relative", height=420, yaxis_title=unit,
                         title={"text": f"CO2 emissions per month<br><sup>{subtitle}</sup>"})
    return figure


def _empty_figure(message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, xref="paper", yref="paper",
                          x=0.5, y=0.5, font={"size": 14})
    figure.update_layout(template=TEMPLATE, title="CO2 emissions per month", height=300,
                         xaxis={"visible": False}, yaxis={"visible": False})
    return figure
