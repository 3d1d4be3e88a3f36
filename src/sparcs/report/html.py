"""The self-contained HTML report of a run, fit to show a city council.

One file, no network: plotly.js from the installed plotly package is inlined once, every
figure is embedded as JSON and drawn by a short script, fonts are the system's. The page
shows the PED verdict as a coloured badge with its reason, KPI tiles by group, charts of the
flows (Sankey, monthly balances, primary energy, CO2, carpet, load duration, buildings), a
sortable per-building table and the data sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

import sparcs
from sparcs.data import FactorSet
from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import Flows
from sparcs.report import _sections, charts
from sparcs.report._emissions import resolve_factor_set
from sparcs.report._template import PAGE, RENDER_JS, STYLE
from sparcs.timeseries import local_index, to_zoneinfo

__all__ = ["ReportChart", "report_charts", "render_html_report", "write_html_report"]


class ReportChart(NamedTuple):
    """One chart of the report: its element id, figure, caption and width."""

    chart_id: str
    figure: go.Figure
    caption: str
    wide: bool = False


def _monthly_charts(flows: Flows, kpis: KpiReport, timezone: str) -> list[ReportChart]:
    """Monthly balances of electricity, heat and fuel, and primary energy where available."""
    heat = any(flows[n].any() for n in ("heat_demand_kwh", "dh_import_kwh", "hp_heat_kwh"))
    fuel = bool((flows["boiler_fuel_kwh"] + flows["chp_fuel_kwh"]).any())
    primary = charts.primary_energy_figure(kpis)
    halves = [
        ReportChart(
            "chart-electricity",
            charts.monthly_balance_figure(flows, timezone, "electricity"),
            "Per local calendar month. Bars above the axis supply the district (grid import and "
            "local generation); below it, export and curtailment. The line is electricity use.",
        )
    ]
    if heat:
        halves.append(
            ReportChart(
                "chart-heat",
                charts.monthly_balance_figure(flows, timezone, "heat"),
                "Heat supply per local month by source; the line is heat demand.",
            )
        )
    if fuel:
        halves.append(
            ReportChart(
                "chart-fuel",
                charts.monthly_balance_figure(flows, timezone, "fuel"),
                "Fuel burnt per local month by boilers and CHP units.",
            )
        )
    if primary is not None:
        halves.append(
            ReportChart(
                "chart-primary",
                primary,
                "Primary energy exported (up) and "
                "imported (down) per month, factor set "
                f"{kpis.factor_set}. A PED has a positive annual sum.",
            )
        )
    return halves


def report_charts(flows: Flows, kpis: KpiReport, timezone: str) -> list[ReportChart]:
    """The charts of the HTML report, in page order.

    Charts without data (heat with no heat flow, fuel with no fuel, primary energy when the
    monthly KPI table lacks it) are left out; the Sankey, electricity, CO2, carpet, load
    duration and building charts are always there.

    Parameters
    ----------
    flows
        The flows [kWh per step].
    kpis
        The KPI report.
    timezone
        IANA zone of the district: months, days and hours are local.

    Returns
    -------
    list of ReportChart
    """
    halves = [
        *_monthly_charts(flows, kpis, timezone),
        ReportChart(
            "chart-co2",
            charts.co2_monthly_figure(kpis),
            "Emissions of delivered energy per local month; the export credit is "
            "shown below the axis where it applies.",
        ),
        ReportChart(
            "chart-duration",
            charts.load_duration_figure(flows),
            "Net import power sorted from highest to lowest: how many hours the "
            "district draws at least a given power from the grid.",
        ),
    ]
    if len(halves) % 2:
        halves[-1] = halves[-1]._replace(wide=True)
    return [
        ReportChart(
            "chart-sankey",
            charts.sankey_figure(flows),
            "Where the district's energy comes from (left) and where it goes (right), "
            "summed over the period. Hover a band or a node for its size.",
            True,
        ),
        *halves,
        ReportChart(
            "chart-carpet",
            charts.carpet_figure(flows, timezone),
            "Net grid import (import − export) for each day (x) and local clock hour "
            "(y): red is import, blue export. On the spring DST day the skipped hour "
            "is blank; on the autumn day the repeated hour holds both hours.",
            True,
        ),
        ReportChart(
            "chart-buildings",
            charts.building_energy_figure(flows),
            "Electricity use, local generation and grid exchange of each building "
            "over the period; the district node holds the shared assets.",
            True,
        ),
    ]


def _settings_text(settings: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{key} {value:g}" if isinstance(value, float) else f"{key} {value}"
        for key, value in settings.items()
    )


def strategy_text(strategy: Mapping[str, Any]) -> str:
    """``"operation: mpc (horizon_h 48, step_h 24, forecast persistence)"``, for people."""
    settings = _settings_text(strategy.get("settings", {}))
    return f"operation: {strategy['name']}" + (f" ({settings})" if settings else "")


def _meta_line(
    flows: Flows,
    timezone: str,
    scenario_name: str,
    factor_set: str,
    strategy: Mapping[str, Any] | None = None,
) -> str:
    local = local_index(flows.time, timezone)
    last = local[-1] + (local[1] - local[0]) - pd.Timedelta(1, "ns")
    step = f"{flows.dt_h * 60:g} min" if flows.dt_h < 1 else f"{flows.dt_h:g} h"
    items = [
        f"Scenario {scenario_name}",
        f"{local[0].day} {local[0]:%b %Y} – {last.day} {last:%b %Y}",
        f"{len(flows.time):,} steps of {step}",
        f"time zone {timezone}",
        f"{len(flows.building_ids)} buildings",
        f"factor set {factor_set}",
    ]
    if strategy is not None:
        items.append(strategy_text(strategy))
    return "".join(f"<span>{escape(item)}</span>" for item in items)


def _notes(
    kpis: KpiReport,
    timezone: str,
    factors: FactorSet | None,
    notes: Sequence[str],
    strategy: Mapping[str, Any] | None = None,
) -> list[str]:
    out = list(notes)
    if strategy is not None:
        description = strategy.get("description")
        settings = _settings_text(strategy.get("settings", {}))
        out.insert(
            0,
            f"Operation strategy: {strategy['name']}"
            + (f", {description}" if description else "")
            + (f"; settings: {settings}" if settings else "")
            + ".",
        )
    meta_sources = kpis.meta.get("sources", ())
    out += [meta_sources] if isinstance(meta_sources, str) else [str(s) for s in meta_sources]
    resolved = resolve_factor_set(kpis, factors)
    if resolved is None:
        out.append(f"Primary-energy and CO2 factors: factor set {kpis.factor_set}.")
    else:
        out.append(
            f"Primary-energy and CO2 factors: factor set {resolved.name} "
            f"({resolved.description}; version {resolved.version}; district-heat "
            f"allocation {resolved.dh_allocation})."
        )
        sources = dict.fromkeys(f.source for f in resolved.carriers.values())
        out += [f"Factor source: {source}" for source in sources]
    out += [
        f"Times are local ({timezone}); flows are computed on a UTC time axis. KPIs are "
        "computed by sparcs.kpi from the same flows shown in the charts.",
        "Charts drawn with plotly.js (MIT licence), embedded in this file; it opens offline.",
    ]
    return out


def render_html_report(
    *,
    flows: Flows,
    kpis: KpiReport,
    title: str,
    timezone: str,
    scenario_name: str,
    notes: Sequence[str] = (),
    factors: FactorSet | None = None,
    strategy: Mapping[str, Any] | None = None,
) -> str:
    """The self-contained HTML report of a run, as text (plotly.js and the data inlined).

    Parameters
    ----------
    flows
        The flows the KPIs were computed from [kWh per step].
    kpis
        The KPI report: verdict, KPIs (each with its unit), per-building and monthly tables
        [kWh, kWh_PE, kg CO2-eq, EUR per period].
    title
        Page title, e.g. ``"Leipzig West – PED assessment"``.
    timezone
        IANA zone of the district (months, days and clock hours are local).
    scenario_name
        Name of the scenario shown in the header.
    notes
        Extra notes and data-source attributions, one sentence each.
    factors
        Factor set described in the notes [kWh_PE/kWh, kg CO2-eq/kWh]; defaults to the
        embedded set named ``kpis.factor_set``.
    strategy
        The operation strategy, ``{"name": ..., "description": ..., "settings": {...}}``,
        shown in the header and the notes.

    Returns
    -------
    str
        One HTML document (a few MB: plotly.js is inlined so the page works offline);
        :func:`write_html_report` writes it to a file.

    Raises
    ------
    sparcs.errors.ScenarioError
        When ``timezone`` is not an IANA zone.
    """
    to_zoneinfo(timezone)
    figures = report_charts(flows, kpis, timezone)
    now = datetime.now(UTC)
    return PAGE.substitute(
        generator=escape(f"SPARCS {sparcs.__version__}"),
        title=escape(title),
        style=STYLE,
        plotlyjs=get_plotlyjs(),
        meta=_meta_line(flows, timezone, scenario_name, kpis.factor_set, strategy),
        verdict=_sections.verdict_section(kpis.verdict),
        kpis=_sections.kpi_section(kpis.kpis),
        charts="\n".join(
            _sections.figure_card(c.chart_id, c.caption, wide=c.wide) for c in figures
        ),
        buildings=_sections.building_table(kpis, flows),
        notes=_sections.notes_section(_notes(kpis, timezone, factors, notes, strategy)),
        footer=escape(
            f"Generated by SPARCS {sparcs.__version__} on {now:%Y-%m-%d %H:%M} UTC. "
            "A self-contained file: share it as it is."
        ),
        data="\n".join(_sections.figure_data(c.chart_id, c.figure) for c in figures),
        render=RENDER_JS,
    )


def write_html_report(
    path: str | Path,
    *,
    flows: Flows,
    kpis: KpiReport,
    title: str,
    timezone: str,
    scenario_name: str,
    notes: Sequence[str] = (),
    factors: FactorSet | None = None,
    strategy: Mapping[str, Any] | None = None,
) -> Path:
    """Write the self-contained HTML report of a run.

    Parameters
    ----------
    path
        Output file; its folder is created if missing.
    flows
        The flows the KPIs were computed from [kWh per step].
    kpis
        The KPI report: verdict, KPIs, per-building and monthly tables.
    title
        Page title, e.g. ``"Leipzig West – PED assessment"``.
    timezone
        IANA zone of the district (months, days and clock hours are local).
    scenario_name
        Name of the scenario shown in the header.
    notes
        Extra notes and data-source attributions, one sentence each.
    factors
        Factor set described in the notes; defaults to the embedded set named
        ``kpis.factor_set``.
    strategy
        The operation strategy, ``{"name": ..., "description": ..., "settings": {...}}``,
        shown in the header and the notes.

    Returns
    -------
    pathlib.Path
        The written file (UTF-8).

    Raises
    ------
    sparcs.errors.ScenarioError
        When ``timezone`` is not an IANA zone.
    """
    path = Path(path)
    text = render_html_report(
        flows=flows,
        kpis=kpis,
        title=title,
        timezone=timezone,
        scenario_name=scenario_name,
        notes=notes,
        factors=factors,
        strategy=strategy,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
