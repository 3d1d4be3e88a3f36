"""HTML fragments of the report: verdict, KPI tiles, building table, notes, figure cards.

Every text from data is escaped with :func:`html.escape`; numbers are formatted by
:mod:`sparcs.report.format`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sparcs.kpi.report import Kpi, KpiReport, PedVerdict
from sparcs.operation.flows import Flows
from sparcs.report.format import (
    display_scale,
    display_value,
    format_number,
    group_label,
    ordered_groups,
)

__all__ = [
    "VERDICT_CSS_CLASS",
    "building_table",
    "figure_card",
    "figure_data",
    "kpi_section",
    "notes_section",
    "verdict_section",
]

#: PED class -> CSS class of its colour.
VERDICT_CSS_CLASS = {
    "PEDautonomous": "ped-autonomous",
    "PEDdynamic": "ped-dynamic",
    "PEDvirtual": "ped-virtual",
    "pre-PED": "pre-ped",
    "not PED": "not-ped",
}


def verdict_section(verdict: PedVerdict) -> str:
    """The PED class as a coloured badge with its reason and the two annual balances."""
    css = VERDICT_CSS_CLASS.get(verdict.ped_class, "not-ped")
    balances = []
    for label, value in (
        ("Annual primary-energy balance", verdict.balance_kwh_pe),
        ("including virtual assets", verdict.virtual_balance_kwh_pe),
    ):
        number, unit = display_value(value, "kWh_PE/a")
        balances.append(
            f"<div><dt>{escape(label)}</dt><dd>{escape(number)} {escape(unit)}</dd></div>"
        )
    return (
        f'<section id="verdict" class="verdict {css}" aria-labelledby="verdict-title">\n'
        f'  <div class="badge" data-ped-class="{escape(verdict.ped_class)}">'
        f"{escape(verdict.ped_class)}</div>\n"
        f'  <div>\n    <h2 id="verdict-title">PED verdict</h2>\n'
        f'    <p class="reason">{escape(verdict.reason)}</p>\n'
        f'    <dl class="balances">{"".join(balances)}</dl>\n  </div>\n</section>'
    )


def _tile(kpi: Kpi) -> str:
    number, unit = display_value(kpi.value, kpi.unit)
    tip = (
        f'<div class="tip" role="tooltip">{escape(kpi.description)}</div>'
        if kpi.description
        else ""
    )
    return (
        f'<div class="tile" tabindex="0" data-kpi="{escape(kpi.key)}">'
        f'<div class="tile-label">{escape(kpi.label)}</div>'
        f'<div class="tile-value">{escape(number)}<span class="tile-unit">{escape(unit)}</span>'
        f"</div>{tip}</div>"
    )


def kpi_section(kpis: Sequence[Kpi]) -> str:
    """KPI tiles (value, unit, description as tooltip) grouped under group headings."""
    parts = [
        '<section id="kpis" aria-labelledby="kpis-title">',
        '<h2 id="kpis-title">Key performance indicators</h2>',
        '<div class="kpi-groups">',
    ]
    for group in ordered_groups([k.group for k in kpis]):
        tiles = "\n".join(_tile(k) for k in kpis if k.group == group)
        parts.append(
            f'<div class="kpi-group" data-group="{escape(group)}">'
            f"<h3>{escape(group_label(group))}</h3>\n"
            f'<div class="tiles">\n{tiles}\n</div></div>'
        )
    parts.append("</div>")
    if not kpis:
        parts.append("<p>No KPIs were computed.</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _flows_per_building(flows: Flows) -> pd.DataFrame:
    """Fallback table: annual energy per building from the flows [kWh]."""
    names = {
        "electricity_use_kwh": (
            "electricity_demand_kwh",
            "hp_el_kwh",
            "eboiler_el_kwh",
            "chiller_el_kwh",
            "ev_charge_kwh",
        ),
        "local_generation_kwh": ("pv_kwh", "wind_kwh", "chp_el_kwh"),
        "grid_import_kwh": ("grid_import_kwh",),
        "grid_export_kwh": ("grid_export_kwh",),
        "heat_demand_kwh": ("heat_demand_kwh",),
    }
    n = len(flows.building_ids)
    table = pd.DataFrame(
        {
            col: sum(flows[name][:, :n].sum(axis=0) for name in members)
            for col, members in names.items()
        },
        index=pd.Index(flows.building_ids, name="building"),
    )
    table.attrs["units"] = dict.fromkeys(names, "kWh")
    return table


def _header(column: str, labels: dict[str, str], unit: str) -> str:
    label = labels.get(column, column.replace("_", " ").capitalize())
    unit_html = f'<span class="unit">{escape(unit)}</span>' if unit else ""
    return f'<th scope="col"><button type="button">{escape(label)}{unit_html}</button></th>'


def building_table(kpis: KpiReport, flows: Flows) -> str:
    """Per-building KPIs as a sortable table (click a header to sort).

    Uses ``kpis.per_building``; when it is empty, annual energies from the flows instead.
    """
    table = kpis.per_building
    if table.empty or len(table.columns) == 0:
        table = _flows_per_building(flows)
    units = dict(table.attrs.get("units", {}))
    labels = {k.key: k.label for k in kpis.kpis}
    columns = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    texts = [c for c in table.columns if c not in columns]
    heads = ['<th scope="col"><button type="button">Building</button></th>']
    scales = {}
    for column in columns:
        values = table[column].to_numpy(dtype=float)
        biggest = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 0.0
        scales[column] = display_scale(biggest, str(units.get(column, "")))
        heads.append(_header(str(column), labels, scales[column][1]))
    heads += [_header(str(c), labels, "") for c in texts]
    rows = []
    for building, row in table.iterrows():
        cells = [f'<th scope="row">{escape(str(building))}</th>']
        for column in columns:
            value = float(row[column])
            raw = "NaN" if not np.isfinite(value) else repr(value)
            cells.append(
                f'<td data-value="{raw}">{escape(format_number(value / scales[column][0]))}</td>'
            )
        cells += [f"<td>{escape(str(row[c]))}</td>" for c in texts]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<section id="buildings" aria-labelledby="buildings-title">\n'
        f'<h2 id="buildings-title">Buildings ({len(table)})</h2>\n'
        '<div class="table-wrap"><table class="sortable" id="building-table">\n'
        f"<thead><tr>{''.join(heads)}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></div>\n</section>"
    )


def notes_section(notes: Sequence[str]) -> str:
    """Data sources and notes as a list."""
    items = "\n".join(f"<li>{escape(note)}</li>" for note in notes)
    return (
        '<section id="notes" aria-labelledby="notes-title">\n'
        '<h2 id="notes-title">Data sources and notes</h2>\n'
        f'<ul class="notes">\n{items}\n</ul>\n</section>'
    )


def figure_card(chart_id: str, caption: str, *, wide: bool = False) -> str:
    """A card holding one chart (drawn by the page script) and its caption."""
    css = "card wide" if wide else "card"
    return (
        f'<figure class="{css}" style="margin:0">'
        f'<div class="chart" id="{escape(chart_id)}" data-figure="{escape(chart_id)}-data"></div>'
        f'<figcaption class="caption">{escape(caption)}</figcaption></figure>'
    )


def figure_data(chart_id: str, figure: go.Figure) -> str:
    """The figure as JSON in a ``<script type="application/json">`` block.

    Every ``<`` is written as ``\\u003c`` so no text in the figure can close the script.
    """
    text = figure.to_json().replace("<", "\\u003c")
    return f'<script type="application/json" id="{escape(chart_id)}-data">{text}</script>'
