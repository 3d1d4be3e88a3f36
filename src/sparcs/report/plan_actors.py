"""The plan report's "who pays and who gains": actors' economics, split incentives, tornado."""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from sparcs.report._style import COLORS, TEMPLATE
from sparcs.report.format import format_number

if TYPE_CHECKING:
    from sparcs.planning.actors import FinanceResult

__all__ = ["actors_section", "tornado_figure"]


def _fmt(value: float, scale: float = 1.0) -> str:
    return "n/a" if not math.isfinite(value) else format_number(scale * value)


def actors_section(finance: FinanceResult | None) -> str:
    """A table per actor (investment, NPV, IRR, payback, bill change) and the split incentives."""
    if finance is None or not finance.actors:
        return ""
    head = [
        "actor",
        "invests [EUR]",
        "NPV [EUR]",
        "IRR [%]",
        "payback [a]",
        "energy bill, year 1 [EUR/a]",
        "discount rate [%]",
    ]
    rows = []
    for a in finance.actors.values():
        rows.append(
            [
                a.name.replace("_", " "),
                _fmt(a.invests_eur),
                _fmt(a.npv_eur),
                _fmt(a.irr, 100.0),
                _fmt(a.payback_years),
                _fmt(a.bill_change_eur),
                _fmt(a.discount_rate, 100.0),
            ]
        )
    rows.append(["district (sum)", "", _fmt(finance.district_npv_eur), "", "", "", ""])
    ths = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "\n".join(
        "<tr>"
        + f'<th scope="row">{escape(r[0])}</th>'
        + "".join(f"<td>{escape(c)}</td>" for c in r[1:])
        + "</tr>"
        for r in rows
    )
    splits = "".join(f"<li>{escape(s.describe())}</li>" for s in finance.split_incentives)
    flagged = (
        f"<p><strong>Split incentives</strong>: an actor pays for another's savings.</p>"
        f"<ul>{splits}</ul>"
        if splits
        else "<p>No split incentive: each investor gets "
        "the savings of its measures or is paid from them.</p>"
    )
    return (
        '<section id="actors" aria-labelledby="actors-title">\n'
        '<h2 id="actors-title">Who pays and who gains</h2>\n'
        "<p>Yearly cash flows per actor over the horizon (plan.json: <code>actors</code>), "
        "with grants, loans, energy performance contracts and community shares as the "
        "scenario's <code>[finance]</code> table sets them.</p>\n"
        f'<div class="table-wrap"><table><thead><tr>{ths}</tr></thead>\n<tbody>\n{body}\n'
        f"</tbody></table></div>\n{flagged}\n</section>"
    )


def tornado_figure(finance: FinanceResult) -> go.Figure:
    """The district's NPV with each input lowered and raised, widest bar on top [EUR]."""
    bars = sorted(finance.sensitivity, key=lambda s: abs(s.npv_high_eur - s.npv_low_eur))
    base = finance.district_npv_eur
    fig = go.Figure(
        layout={
            "template": TEMPLATE,
            "barmode": "overlay",
            "title": {"text": "Sensitivity of the district's NPV"},
            "xaxis": {"title": {"text": "NPV [EUR]"}},
        }
    )
    names = [s.name for s in bars]
    for label, values, key in (
        ("low", [s.npv_low_eur for s in bars], "grid"),
        ("high", [s.npv_high_eur for s in bars], "pv"),
    ):
        text = [s.low_label if label == "low" else s.high_label for s in bars]
        fig.add_trace(
            go.Bar(
                y=names,
                x=[v - base for v in values],
                base=base,
                orientation="h",
                name=f"input {label}",
                text=text,
                marker={"color": COLORS[key]},
            )
        )
    return fig
