"""CO2 per month for the report, drawn from the KPI report's monthly table.

The KPIs compute the emissions (hourly factors where given) and split them per delivered
carrier (``co2_<carrier>``) with the credits taken off them (``co2_credit``), in units they
declare (``monthly.attrs["units"]``); the report draws them and computes nothing itself.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sparcs.data import FactorSet, get_factor_set
from sparcs.errors import SparcsError
from sparcs.kpi.report import KpiReport
from sparcs.report._series import local_month_labels
from sparcs.report._style import COLORS, TEMPLATE

__all__ = ["co2_monthly_figure", "resolve_factor_set"]

_PALETTE = (
    COLORS["grid"],
    COLORS["district_heat"],
    COLORS["fuel"],
    COLORS["chp"],
    COLORS["boiler"],
)
#: Carriers of the monthly table, in drawing order, with their legend names.
_CARRIERS = {
    "electricity": "Electricity import",
    "district_heat": "District heat",
    "gas": "Gas",
    "oil": "Oil",
    "biomass": "Biomass",
}
#: Declared mass units -> kg.
_KG = {"kg CO2-eq": 1.0, "t CO2-eq": 1000.0}


def resolve_factor_set(kpis: KpiReport, factors: FactorSet | None) -> FactorSet | None:
    """``factors`` if given, else the embedded set named by the report, else None."""
    if factors is not None:
        return factors
    try:
        return get_factor_set(kpis.factor_set)
    except (SparcsError, KeyError):
        return None


def co2_monthly_figure(kpis: KpiReport) -> go.Figure:
    """CO2 emissions per local month, per delivered carrier, the credits below the axis.

    Parameters
    ----------
    kpis
        The KPI report; its ``monthly`` table holds ``co2_<carrier>``, ``co2_credit`` and
        ``co2_net`` [kg CO2-eq] (:func:`sparcs.kpi.tables.monthly_table`).

    Returns
    -------
    plotly.graph_objects.Figure
        Bars in kg or t CO2-eq per month, credits below the axis and the net as a line; a
        figure that says why when the table lacks the columns or their units.
    """
    monthly = kpis.monthly
    units = dict(monthly.attrs.get("units", {}))
    columns = {name: f"co2_{c}" for c, name in _CARRIERS.items()}
    present = {
        name: col
        for name, col in columns.items()
        if col in monthly.columns and monthly[col].abs().sum() > 0
    }
    wanted = [*present.values(), "co2_credit"]
    unknown = sorted({str(units.get(c)) for c in wanted if c in monthly.columns} - set(_KG))
    if "co2_credit" not in monthly.columns or unknown:
        why = (
            f"units {', '.join(unknown)} are not CO2 masses"
            if unknown
            else "the KPI report has no monthly CO2 per carrier"
        )
        return _empty_figure(f"No CO2 chart: {why}.")
    table = pd.DataFrame(
        {name: monthly[col] * _KG[units[col]] for name, col in present.items()}, index=monthly.index
    )
    if (monthly["co2_credit"] != 0).any():
        table["Credits (export, virtual, functional)"] = (
            monthly["co2_credit"] * _KG[units["co2_credit"]]
        )
    return _co2_bars(table, f"from the KPIs, factor set {kpis.factor_set}", [])


def _co2_bars(table: pd.DataFrame, source: str, notes: list[str]) -> go.Figure:
    biggest = float(table.abs().to_numpy().max()) if table.size else 0.0
    divisor, unit = (1000.0, "t CO2-eq") if biggest >= 1e4 else (1.0, "kg CO2-eq")
    labels = local_month_labels(table.index)
    figure = go.Figure()
    credit = [c for c in table.columns if str(c).startswith("Credits")]
    for i, column in enumerate(c for c in table.columns if c not in credit):
        figure.add_trace(
            go.Bar(
                x=labels,
                y=table[column].to_numpy() / divisor,
                name=str(column),
                marker_color=_PALETTE[i % len(_PALETTE)],
                hovertemplate=f"%{{y:,.1f}} {unit}<extra>{column}</extra>",
            )
        )
    for column in credit:
        figure.add_trace(
            go.Bar(
                x=labels,
                y=-table[column].to_numpy() / divisor,
                name=str(column),
                marker_color=COLORS["export"],
                hovertemplate=f"%{{y:,.1f}} {unit}<extra>{column}</extra>",
            )
        )
    if credit:
        net = table.drop(columns=credit).sum(axis=1) - table[credit].sum(axis=1)
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=net.to_numpy() / divisor,
                name="Net",
                mode="lines+markers",
                line={"color": COLORS["net"]},
                hovertemplate=f"%{{y:,.1f}} {unit}<extra>Net</extra>",
            )
        )
    subtitle = f"{source}; " + "; ".join(notes) if notes else source
    figure.update_layout(
        template=TEMPLATE,
        barmode="relative",
        height=420,
        yaxis_title=unit,
        title={"text": f"CO2 emissions per month<br><sup>{subtitle}</sup>"},
    )
    return figure


def _empty_figure(message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(
        text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 14}
    )
    figure.update_layout(
        template=TEMPLATE,
        title="CO2 emissions per month",
        height=300,
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return figure
