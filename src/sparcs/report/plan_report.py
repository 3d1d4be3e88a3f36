"""The self-contained HTML report of a plan: baseline, plan and Pareto points side by side.

One offline file like :mod:`sparcs.report.html`: plotly.js inlined, figures as JSON drawn by
the shared page script, the shared style sheet. It shows summary tiles, a comparison table
(sizes, investment, annual cost, PE balance, CO2, self-sufficiency), the cost-CO2 chart with
the Pareto front, the economics of each measure, the check against a full-period re-run and
the notes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

import sparcs
from sparcs.report._sections import figure_card, figure_data, notes_section
from sparcs.report._style import COLORS, TEMPLATE
from sparcs.report._template import RENDER_JS, STYLE, page
from sparcs.report.format import format_number
from sparcs.report.plan_actors import actors_section, tornado_figure

if TYPE_CHECKING:
    from sparcs.planning.result import MeasureEconomics, PlanOutcome, PlanResult

__all__ = ["cost_co2_figure", "render_plan_report", "write_plan_report"]

_PAGE = page(
    "District plan",
    """
<section id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">The plan at a glance</h2>
<div class="tiles">$tiles</div>
</section>
$comparison
<section id="charts" aria-labelledby="charts-title">
  <h2 id="charts-title">Cost and CO2</h2>
  <div class="charts">
$charts
  </div>
</section>
$economics
$actors
$verification
$costs
$notes
""",
)
#: Rows of the comparison table: label, unit, value of an outcome.
_ROWS: tuple[tuple[str, str, Callable[[PlanOutcome], float]], ...] = (
    ("PV", "kWp", lambda o: o.sizes["pv"]),
    ("Heat pumps", "kW_th", lambda o: o.sizes["hp"]),
    ("Batteries", "kWh", lambda o: o.sizes["battery_energy"]),
    ("Battery power", "kW", lambda o: o.sizes["battery_power"]),
    ("Hot-water tanks", "kWh", lambda o: o.sizes["tank"]),
    ("EV charge points", "kW", lambda o: o.sizes["ev"]),
    ("Investment", "EUR", lambda o: o.capex_eur),
    ("Annualised investment + O&M", "EUR/a", lambda o: o.annual_investment_eur),
    ("Energy cost, net of export", "EUR/a", lambda o: o.operating_cost_eur),
    ("Total annual cost", "EUR/a", lambda o: o.total_annual_cost_eur),
    ("Primary-energy balance", "MWh_PE/a", lambda o: o.pe_balance_kwh / 1000),
    ("CO2 emissions", "t/a", lambda o: o.co2_kg / 1000),
    ("Self-sufficiency", "%", lambda o: 100 * o.self_sufficiency),
)


def _tile(label: str, value: str, unit: str, tip: str) -> str:
    return (
        f'<div class="tile" tabindex="0"><div class="tile-label">{escape(label)}</div>'
        f'<div class="tile-value">{escape(value)}<span class="tile-unit">{escape(unit)}'
        f'</span></div><div class="tip" role="tooltip">{escape(tip)}</div></div>'
    )


def _tiles(result: PlanResult) -> str:
    base, plan = result.baseline, result.plan
    cut = 1 - plan.co2_kg / base.co2_kg if base.co2_kg > 0 else math.nan
    return "\n".join(
        [
            _tile("Investment", format_number(plan.capex_eur), "EUR", "Added sizes and retrofits."),
            _tile(
                "Total annual cost",
                format_number(plan.total_annual_cost_eur),
                "EUR/a",
                f"Baseline {format_number(base.total_annual_cost_eur)} EUR/a: energy cost plus "
                "annualised investment and fixed O&M.",
            ),
            _tile(
                "PE balance",
                format_number(plan.pe_balance_kwh / 1000),
                "MWh_PE/a",
                f"Baseline {format_number(base.pe_balance_kwh / 1000)} MWh_PE/a; the district is "
                "positive at 0 or above.",
            ),
            _tile(
                "CO2 reduction",
                format_number(100 * cut),
                "%",
                f"{format_number(base.co2_kg / 1000)} -> {format_number(plan.co2_kg / 1000)} t/a.",
            ),
            _tile(
                "Self-sufficiency",
                format_number(100 * plan.self_sufficiency),
                "%",
                f"Baseline {format_number(100 * base.self_sufficiency)} %.",
            ),
        ]
    )


def _table(title: str, section: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    ths = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "\n".join(
        "<tr>"
        + f'<th scope="row">{escape(r[0])}</th>'
        + "".join(f"<td>{escape(c)}</td>" for c in r[1:])
        + "</tr>"
        for r in rows
    )
    return (
        f'<section id="{section}" aria-labelledby="{section}-title">\n'
        f'<h2 id="{section}-title">{escape(title)}</h2>\n<div class="table-wrap"><table>'
        f"<thead><tr>{ths}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>\n</section>"
    )


def _outcomes(result: PlanResult) -> list[PlanOutcome]:
    return [result.baseline, result.plan, *(p.outcome for p in result.pareto)]


def _comparison(result: PlanResult) -> str:
    outcomes = _outcomes(result)
    head = ["", "unit", *(o.label for o in outcomes)]
    rows = [[label, unit, *(format_number(get(o)) for o in outcomes)] for label, unit, get in _ROWS]
    for name in result.plan.retrofit_m2:
        rows.insert(
            5,
            [
                f"Retrofit {name}",
                "m2",
                *(format_number(o.retrofit_m2.get(name, 0.0)) for o in outcomes),
            ],
        )
    return _table("Baseline, plan and Pareto points", "comparison", head, rows)


def _years(value: float) -> str:
    return "never" if math.isinf(value) else format_number(value)


def _economics(items: Sequence[MeasureEconomics]) -> str:
    head = [
        "measure",
        "size",
        "investment [EUR]",
        "O&M [EUR/a]",
        "saving [EUR/a]",
        "NPV [EUR]",
        "IRR [%]",
        "payback [a]",
        "disc. payback [a]",
        "LCOE/LCOH [EUR/kWh]",
    ]
    rows = []
    for m in items:
        lc = m.lcoe_eur_per_kwh if math.isfinite(m.lcoe_eur_per_kwh) else m.lcoh_eur_per_kwh
        size = f"{format_number(m.size)} {m.unit}" if m.unit else "–"
        rows.append(
            [
                m.measure,
                size,
                format_number(m.capex_eur),
                format_number(m.opex_eur),
                format_number(m.saving_eur),
                format_number(m.npv_eur),
                format_number(100 * m.irr),
                _years(m.simple_payback_years),
                _years(m.discounted_payback_years),
                format_number(lc),
            ]
        )
    return _table("Economics per measure and for the plan", "economics", head, rows)


def _costs(result: PlanResult) -> str:
    """The cost figures used, each with its provenance; replaced figures say so."""
    costs = result.costs
    if costs is None:
        return ""
    replaced = {line.split(".", 1)[0] for line in costs.overridden}
    rows = [
        [
            name,
            t.unit,
            format_number(t.capex),
            format_number(t.lifetime_years),
            format_number(t.opex_fixed_pct),
            "yes" if name in replaced else "",
            t.source,
        ]
        for name, t in costs.technologies.items()
    ]
    title = (
        f"Cost data ({costs.country}, discount rate {100 * costs.discount_rate:g} %/a, "
        f"horizon {costs.horizon_years} a)"
    )
    return _table(
        title,
        "costs",
        [
            "technology",
            "unit",
            "capex [EUR/unit]",
            "lifetime [a]",
            "fixed O&M [%/a]",
            "replaced",
            "source",
        ],
        rows,
    )


def _verification(result: PlanResult) -> str:
    v = result.verification
    if v is None:
        return ""
    model = result.model_plan or result.plan
    rows = [
        [
            "Total annual cost",
            format_number(model.total_annual_cost_eur),
            format_number(v.operating_cost_eur + result.plan.annual_investment_eur),
            format_number(100 * v.cost_error),
        ],
        [
            "PE balance [MWh_PE/a]",
            format_number(model.pe_balance_kwh / 1000),
            format_number(v.pe_balance_kwh / 1000),
            format_number(100 * v.pe_error),
        ],
        [
            "CO2 [t/a]",
            format_number(model.co2_kg / 1000),
            format_number(v.co2_kg / 1000),
            format_number(100 * v.co2_error),
        ],
    ]
    if v.history:
        tried = "; ".join(f"{k} days: {format_number(100 * e)}" for k, e in v.history)
        rows.append(
            [
                f"Largest error, tolerance {100 * v.tolerance:g} %",
                tried,
                "",
                "within" if v.within_tolerance else "ABOVE the tolerance",
            ]
        )
    for c in v.targets:
        rows.append([f"Target: {c.describe()}", "", "", "holds" if c.holds else "MISSED"])
    if v.unmet_reason:
        rows.append(["Why a target misses", v.unmet_reason, "", ""])
    return _table(
        f"Check: {v.description} ({v.strategy} operation, sizes rounded as in "
        "plan.toml; the plan's figures above are the full-period ones)",
        "verification",
        ["", "planning model", "full period", "difference [%]"],
        rows,
    )


def cost_co2_figure(result: PlanResult) -> go.Figure:
    """Total annual cost against CO2: Pareto front, baseline and plan [EUR/a, t/a]."""
    fig = go.Figure(
        layout={
            "template": TEMPLATE,
            "hovermode": "closest",
            "title": {"text": "Total annual cost against CO2 emissions"},
            "xaxis": {"title": {"text": "CO2 [t/a]"}},
            "yaxis": {"title": {"text": "Total annual cost [EUR/a]"}},
        }
    )
    if result.pareto:
        pts = [p.outcome for p in result.pareto]
        fig.add_trace(
            go.Scatter(
                x=[o.co2_kg / 1000 for o in pts],
                y=[o.total_annual_cost_eur for o in pts],
                mode="lines+markers",
                name="Pareto front",
                text=[o.label for o in pts],
                line={"color": COLORS["storage"]},
            )
        )
    for o, key in ((result.baseline, "grid"), (result.plan, "heat_pump")):
        fig.add_trace(
            go.Scatter(
                x=[o.co2_kg / 1000],
                y=[o.total_annual_cost_eur],
                mode="markers",
                name=o.label,
                marker={"size": 14, "color": COLORS[key]},
            )
        )
    return fig


def render_plan_report(result: PlanResult, *, title: str | None = None) -> str:
    """The plan report as HTML text."""
    title = title or f"{result.baseline.scenario.name} – plan"
    goals = ", ".join(t.describe() for t in result.config.targets) or "least annual cost"
    budget = (
        f"budget {result.config.budget_eur:,.0f} EUR"
        if result.config.budget_eur is not None
        else "no budget limit"
    )
    meta = "".join(f"<span>{escape(x)}</span>" for x in (goals, budget, result.aggregation))
    figures = [
        (
            "chart-cost-co2",
            cost_co2_figure(result),
            "Each point is a whole plan; along the front the cheapest plan for each CO2 "
            "bound (epsilon constraint). Total annual cost = energy cost + annualised "
            "investment and fixed O&M of the additions.",
        )
    ]
    if result.finance is not None and result.finance.sensitivity:
        figures.append(
            (
                "chart-tornado",
                tornado_figure(result.finance),
                "The district's NPV (every actor's cash flows together) with energy "
                "prices and the investment 20 % lower and higher, and the discount "
                "and interest rates 2 points lower and higher.",
            )
        )
    now = datetime.now(UTC)
    return _PAGE.substitute(
        generator=escape(f"SPARCS {sparcs.__version__}"),
        title=escape(title),
        style=STYLE,
        plotlyjs=get_plotlyjs(),
        meta=meta,
        tiles=_tiles(result),
        comparison=_comparison(result),
        charts="\n".join(figure_card(i, c, wide=True) for i, _, c in figures),
        economics=_economics(result.economics),
        actors=actors_section(result.finance),
        verification=_verification(result),
        costs=_costs(result),
        notes=notes_section(result.notes),
        footer=escape(
            f"Generated by SPARCS {sparcs.__version__} on {now:%Y-%m-%d %H:%M} UTC. "
            "A self-contained file: share it as it is."
        ),
        data="\n".join(figure_data(i, f) for i, f, _ in figures),
        render=RENDER_JS,
    )


def write_plan_report(path: str | Path, result: PlanResult, *, title: str | None = None) -> Path:
    """Write the self-contained HTML plan report; its folder is created if missing.

    Parameters
    ----------
    path
        Output file.
    result
        The planning result (:func:`sparcs.planning.plan_district`).
    title
        Page title; default ``"<scenario> – plan"``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_plan_report(result, title=title), encoding="utf-8")
    return path
