"""The self-contained HTML report of plan versus actual (``sparcs monitor``).

One offline file like :mod:`sparcs.report.html`: plotly.js inlined, figures as JSON drawn by
the shared page script, the shared style sheet. It shows summary tiles, the KPIs of the
period planned and measured side by side, a monthly chart and table, the deviations beyond
the tolerance with their likely cause, the completeness of every meter and the notes (among
them whether the plan was weather-normalised).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

import sparcs
from sparcs.report._sections import figure_card, figure_data, notes_section
from sparcs.report._style import COLORS, TEMPLATE
from sparcs.report._template import RENDER_JS, STYLE, page
from sparcs.report.format import format_number

if TYPE_CHECKING:
    from sparcs.monitoring.plan_vs_actual import PlanVsActual

__all__ = ["monthly_figure", "render_monitor_report", "write_monitor_report"]

_PAGE = page(
    "Plan versus actual",
    """
<section id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">The period at a glance</h2>
<div class="tiles">$tiles</div>
</section>
$totals
<section id="charts" aria-labelledby="charts-title">
  <h2 id="charts-title">Month by month</h2>
  <div class="charts">
$charts
  </div>
</section>
$monthly
$deviations
$completeness
$notes
""",
)
#: Human labels of the compared KPIs.
LABELS = {
    "peb": "PED balance (PEB)",
    "final_energy": "Final energy",
    "electricity_use": "Electricity use",
    "local_generation": "Local generation",
    "co2": "CO2 emissions",
    "self_sufficiency": "Self-sufficiency",
    "peak_import": "Peak grid import",
}


def _tile(label: str, value: str, unit: str, tip: str) -> str:
    return (
        f'<div class="tile" tabindex="0"><div class="tile-label">{escape(label)}</div>'
        f'<div class="tile-value">{escape(value)}<span class="tile-unit">{escape(unit)}'
        f'</span></div><div class="tip" role="tooltip">{escape(tip)}</div></div>'
    )


def _table(
    title: str, section: str, head: Sequence[str], rows: Sequence[Sequence[str]], intro: str = ""
) -> str:
    ths = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "\n".join(
        "<tr>"
        + f'<th scope="row">{escape(r[0])}</th>'
        + "".join(f"<td>{escape(c)}</td>" for c in r[1:])
        + "</tr>"
        for r in rows
    )
    lead = f"<p>{escape(intro)}</p>\n" if intro else ""
    return (
        f'<section id="{section}" aria-labelledby="{section}-title">\n'
        f'<h2 id="{section}-title">{escape(title)}</h2>\n{lead}<div class="table-wrap"><table>'
        f"<thead><tr>{ths}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>\n</section>"
    )


def _pct(relative: float) -> str:
    return "n/a" if not math.isfinite(relative) else f"{100 * relative:+.1f}"


def _tiles(result: PlanVsActual) -> str:
    p, m = result.planned, result.measured
    worst = min((c.completeness for c in result.completeness), default=1.0)
    return "\n".join(
        [
            _tile(
                "PEB measured",
                format_number(m["peb"].value / 1000),
                "MWh_PE",
                f"Planned {format_number(p['peb'].value / 1000)} MWh_PE over the period.",
            ),
            _tile(
                "PED class measured", m.verdict.ped_class, "", f"Planned: {p.verdict.ped_class}."
            ),
            _tile(
                "Deviations",
                str(len(result.deviations)),
                "",
                f"Metrics beyond ±{100 * result.tolerance:g} % (percentages: points), over the "
                "period and per month.",
            ),
            _tile(
                "Least complete meter",
                format_number(100 * worst),
                "%",
                "Share of expected readings stored with a value.",
            ),
            _tile(
                "Weather-normalised",
                "yes" if result.weather_normalised else "no",
                "",
                "Whether the plan was re-run on the measured weather.",
            ),
        ]
    )


def _records(result: PlanVsActual, total: bool) -> list[dict[str, Any]]:
    frame = result.monthly
    chosen = frame[(frame["month"] == "total") == total]
    return [{str(k): v for k, v in row.items()} for row in chosen.to_dict(orient="records")]


def _cells(r: dict[str, Any]) -> list[str]:
    return [
        LABELS.get(str(r["metric"]), str(r["metric"])),
        str(r["unit"]),
        format_number(float(r["planned"])),
        format_number(float(r["measured"])),
        _pct(float(r["relative"])),
        "beyond" if r["flagged"] else "",
    ]


def _totals(result: PlanVsActual) -> str:
    body = [_cells(r) for r in _records(result, True)]
    return _table(
        "Planned and measured over the period",
        "totals",
        ["", "unit", "planned", "measured", "deviation [%]", f"±{100 * result.tolerance:g} %"],
        body,
        "Both sides through the same KPI computation; the plan as the meters "
        "see it (unmetered flows are zero on both sides).",
    )


def _monthly(result: PlanVsActual) -> str:
    body = [[str(r["month"]), *_cells(r)] for r in _records(result, False)]
    return _table(
        "Per local month",
        "monthly",
        ["month", "metric", "unit", "planned", "measured", "deviation [%]", "flag"],
        body,
    )


def _deviations(result: PlanVsActual) -> str:
    if not result.deviations:
        return _table(
            "Deviations",
            "deviations",
            ["", "result"],
            [["none", f"every metric within ±{100 * result.tolerance:g} %"]],
        )
    body = [
        [
            d.period,
            LABELS.get(d.metric, d.metric),
            format_number(d.planned),
            format_number(d.measured),
            _pct(d.relative),
            d.cause,
            d.reason,
        ]
        for d in result.deviations
    ]
    return _table(
        "Deviations and their likely cause",
        "deviations",
        ["period", "metric", "planned", "measured", "deviation [%]", "cause", "why"],
        body,
    )


def _completeness(result: PlanVsActual) -> str:
    body = [
        [
            c.meter,
            c.node,
            c.quantity,
            str(c.expected),
            str(c.present),
            str(c.missing),
            str(c.filled),
            format_number(100 * c.completeness),
            ", ".join(f"{k} {v}" for k, v in sorted(c.flagged.items())) or "–",
        ]
        for c in result.completeness
    ]
    return _table(
        "Data completeness per meter",
        "completeness",
        [
            "meter",
            "node",
            "quantity",
            "expected",
            "present",
            "missing",
            "filled steps",
            "complete [%]",
            "flags",
        ],
        body,
    )


def monthly_figure(result: PlanVsActual, metric: str) -> go.Figure:
    """Planned and measured ``metric`` per local month as grouped bars.

    Parameters
    ----------
    result
        The comparison (:func:`sparcs.monitoring.plan_vs_actual.compare_plan`).
    metric
        A compared KPI key, e.g. ``"electricity_use"``.

    Returns
    -------
    plotly.graph_objects.Figure
        Two bar traces, planned and measured.
    """
    rows = result.monthly[
        (result.monthly["month"] != "total") & (result.monthly["metric"] == metric)
    ]
    unit = rows["unit"].iloc[0] if len(rows) else ""
    fig = go.Figure(
        layout={
            "template": TEMPLATE,
            "barmode": "group",
            "title": {"text": f"{LABELS.get(metric, metric)} [{unit}]"},
        }
    )
    for side, color in (("planned", COLORS["grid"]), ("measured", COLORS["pv"])):
        fig.add_trace(
            go.Bar(x=list(rows["month"]), y=list(rows[side]), name=side, marker={"color": color})
        )
    return fig


def render_monitor_report(result: PlanVsActual, *, title: str, period: str) -> str:
    """The plan-versus-actual report as HTML text.

    Parameters
    ----------
    result
        The comparison.
    title
        Page title, e.g. the scenario's name.
    period
        The period in words, e.g. ``"2025-03-01 to 2025-04-30"``.

    Returns
    -------
    str
        A whole HTML page.
    """
    meta = "".join(
        f"<span>{escape(x)}</span>"
        for x in (
            period,
            f"tolerance ±{100 * result.tolerance:g} %",
            "weather-normalised" if result.weather_normalised else "not weather-normalised",
        )
    )
    figures = [
        (
            f"chart-{key}",
            monthly_figure(result, key),
            f"{LABELS[key]} per local month, planned and measured.",
        )
        for key in ("electricity_use", "local_generation", "peb")
    ]
    now = datetime.now(UTC)
    return _PAGE.substitute(
        generator=escape(f"SPARCS {sparcs.__version__}"),
        title=escape(title),
        style=STYLE,
        plotlyjs=get_plotlyjs(),
        meta=meta,
        tiles=_tiles(result),
        totals=_totals(result),
        charts="\n".join(figure_card(i, c) for i, _, c in figures),
        monthly=_monthly(result),
        deviations=_deviations(result),
        completeness=_completeness(result),
        notes=notes_section(result.notes),
        footer=escape(
            f"Generated by SPARCS {sparcs.__version__} on {now:%Y-%m-%d %H:%M} UTC. "
            "A self-contained file: share it as it is."
        ),
        data="\n".join(figure_data(i, f) for i, f, _ in figures),
        render=RENDER_JS,
    )


def write_monitor_report(
    path: str | Path, result: PlanVsActual, *, title: str, period: str
) -> Path:
    """Write the self-contained plan-versus-actual report; its folder is created if missing.

    Parameters
    ----------
    path
        Output file.
    result
        The comparison.
    title
        Page title.
    period
        The period in words.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_monitor_report(result, title=title, period=period), encoding="utf-8")
    return path
