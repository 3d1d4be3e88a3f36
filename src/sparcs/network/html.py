"""network.html: the network table for people, self-contained (no scripts, works offline)."""

from __future__ import annotations

import math
from html import escape

import pandas as pd

__all__ = ["network_html"]

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:80em}"
    "table{border-collapse:collapse;margin:1em 0}"
    "th,td{padding:.35em .6em;border-bottom:1px solid #ddd;vertical-align:top}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left}"
    ".bar{display:inline-block;height:.9em;vertical-align:middle}"
    ".pos{background:#1a7f37}.neg{background:#b35900}"
    "caption{text-align:left;font-weight:600}"
)
_COLUMNS = (
    ("rank_peb", "Rank"),
    ("city", "City"),
    ("district", "District"),
    ("ped_class", "PED class"),
    ("peb_per_m2 [kWh_PE/m2]", "PEB [kWh_PE/m²]"),
    ("final_energy_per_m2 [kWh/m2]", "Final energy [kWh/m²]"),
    ("final_energy_per_m2_climate [kWh/m2]", "climate-corrected [kWh/m²]"),
    ("final_energy_per_resident [kWh/resident]", "per resident [kWh]"),
    ("co2_net_per_m2 [kg CO2-eq/m2]", "Net CO₂ [kg/m²]"),
    ("self_sufficiency [%]", "Self-sufficiency [%]"),
    ("hdd [K d]", "HDD G20/15 [K d]"),
    ("rank_final_energy", "Rank energy"),
    ("rank_co2", "Rank CO₂"),
)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return '<td class="n">–</td>' if math.isnan(value) else f'<td class="n">{value:,.1f}</td>'
    if isinstance(value, int):
        return f'<td class="n">{value}</td>'
    return f"<td>{escape(str(value))}</td>"


def _bars(table: pd.DataFrame) -> str:
    column = "peb_per_m2 [kWh_PE/m2]"
    largest = max(float(table[column].abs().max()), 1e-9)
    rows = []
    for _, row in table.iterrows():
        value = float(row[column])
        width = 20 * abs(value) / largest
        kind = "pos" if value >= 0 else "neg"
        rows.append(
            f"<tr><th>{escape(str(row['district']))} ({escape(str(row['city']))})</th>"
            f'<td class="n">{value:,.1f}</td>'
            f'<td><span class="bar {kind}" style="width:{width:.2f}em"></span></td></tr>'
        )
    return (
        "<table><caption>Primary-energy balance per m² (positive = surplus)</caption>"
        f"{''.join(rows)}</table>"
    )


def network_html(table: pd.DataFrame, *, factor_set: str, errors: list[tuple[str, str]]) -> str:
    """The page: method line, PEB bars, the ranked table, and each district's gap driver.

    Parameters
    ----------
    table
        :func:`~sparcs.network.table.network_table`.
    factor_set
        The harmonised factor set's name.
    errors
        ``(file, error)`` of districts that failed; listed, not hidden.

    Returns
    -------
    str
        A complete HTML document.
    """
    ref = float(table["hdd_ref [K d]"].iloc[0]) if len(table) else math.nan
    head = "".join(f"<th>{escape(label)}</th>" for _, label in _COLUMNS)
    body = "".join(
        "<tr>" + "".join(_cell(row[c]) for c, _ in _COLUMNS) + "</tr>"
        for _, row in table.iterrows()
    )
    drivers = "".join(
        f"<li><b>{escape(str(r['district']))}</b> ({escape(str(r['city']))}): "
        f"{escape(str(r['gap_driver']))}</li>"
        for _, r in table.iterrows()
    )
    failed = "".join(f"<li>{escape(f)}: {escape(e)}</li>" for f, e in errors)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>SPARCS network benchmark</title><style>{_STYLE}</style></head><body>"
        "<h1>Network benchmark</h1>"
        f"<p>{len(table)} districts, every one computed on the one harmonised factor set "
        f"<b>{escape(factor_set)}</b> (one method, public inputs), so differences come from the "
        "districts, not from national factors. Final energy is climate-corrected to "
        f"{ref:,.0f} K d (G20/15, the network mean): only the space-heating share scales with "
        "the degree days (VDI 3807-1). Rank 1 is the best.</p>"
        f"{_bars(table)}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<h2>What drives each gap</h2><ul>{drivers}</ul>"
        + (f"<h2>Districts that failed</h2><ul>{failed}</ul>" if failed else "")
        + "</body></html>\n"
    )
