"""Runs side by side: terminal tables that fit the width, ``comparison.csv`` and ``.html``.

``comparison.csv`` has one row per headline KPI (key, label, unit, then one column per run
in the KPI's own unit) after rows for the scenario name, the strategy and the PED class.
``comparison.html`` is the same table for people, self-contained, each run linked to its
report.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from html import escape as html_escape
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from sparcs.kpi.report import Kpi, KpiReport
from sparcs.report import comparison_table
from sparcs.report.format import format_number
from sparcs.report.terminal import HEADLINE_KEYS
from sparcs.runner import RunResult

__all__ = ["comparison_tables", "headline_rows", "write_comparison"]

#: Width of the KPI label column and of each run's column in the terminal [characters].
LABEL_WIDTH, RUN_WIDTH = 30, 13


def comparison_tables(reports: Mapping[str, KpiReport], width: int) -> list[Table]:
    """The comparison split into tables of as many runs as fit in ``width`` columns.

    Long run names fold onto several lines instead of being cut, so ``leipzig-virtual-…``
    and ``leipzig-baumwoll…`` stay apart at 80 columns.
    """
    names = list(reports)
    per_table = max(1, (width - LABEL_WIDTH - 4) // (RUN_WIDTH + 3))
    tables = []
    for first in range(0, len(names), per_table):
        chunk = names[first : first + per_table]
        table = comparison_table({escape(name): reports[name] for name in chunk})
        if len(names) > per_table:
            table.title = f"Scenario comparison ({first + 1}–{first + len(chunk)} of {len(names)})"
        table.columns[0].max_width = LABEL_WIDTH
        table.columns[0].overflow = "fold"
        for column in table.columns[1:]:
            column.overflow = "fold"
            column.max_width = max(RUN_WIDTH, (width - LABEL_WIDTH - 4) // len(chunk) - 3)
        tables.append(table)
    return tables


def _keys(reports: Mapping[str, KpiReport]) -> list[str]:
    present = {k.key for report in reports.values() for k in report.kpis}
    return [key for key in HEADLINE_KEYS if key in present]


def headline_rows(results: Mapping[str, RunResult]) -> list[list[str]]:
    """Rows of ``comparison.csv``: header, scenario, strategy, PED class, then the KPIs."""
    labels = list(results)
    rows = [
        ["kpi", "label", "unit", *labels],
        ["scenario", "scenario name", "", *(r.scenario.name for r in results.values())],
        ["strategy", "operation strategy", "", *(r.strategy for r in results.values())],
        ["ped_class", "PED class", "", *(r.kpis.verdict.ped_class for r in results.values())],
    ]
    lookups = [{k.key: k for k in r.kpis.kpis} for r in results.values()]
    for key in _keys({name: r.kpis for name, r in results.items()}):
        first = next(lookup[key] for lookup in lookups if key in lookup)
        cells = []
        for lookup in lookups:
            kpi = lookup.get(key)
            same_unit = kpi is not None and kpi.unit == first.unit
            cells.append(
                f"{kpi.value:.6g}"
                if kpi is not None and same_unit and math.isfinite(kpi.value)
                else ""
            )
        rows.append([key, first.label, first.unit, *cells])
    return rows


def _html_cell(kpi: Kpi | None, unit: str) -> str:
    if kpi is None or kpi.unit != unit or not math.isfinite(kpi.value):
        return "–"
    return html_escape(format_number(kpi.value))


def _html(results: Mapping[str, RunResult], folders: Mapping[str, Path], out_dir: Path) -> str:
    head = "".join(
        f'<th><a href="{html_escape(folders[name].relative_to(out_dir).as_posix())}/report.html">'
        f"{html_escape(name)}</a><br><small>{html_escape(r.scenario.name)}</small></th>"
        for name, r in results.items()
    )
    rows = [
        "<tr><th>operation strategy</th>"
        + "".join(f"<td>{html_escape(r.strategy)}</td>" for r in results.values())
        + "</tr>",
        "<tr><th>PED class</th>"
        + "".join(
            f"<td><b>{html_escape(r.kpis.verdict.ped_class)}</b></td>" for r in results.values()
        )
        + "</tr>",
    ]
    lookups = [{k.key: k for k in r.kpis.kpis} for r in results.values()]
    for key in _keys({name: r.kpis for name, r in results.items()}):
        first = next(lookup[key] for lookup in lookups if key in lookup)
        label = f"{first.label} [{first.unit}]" if first.unit else first.label
        rows.append(
            f"<tr><th>{html_escape(label)}</th>"
            + "".join(f"<td>{_html_cell(lookup.get(key), first.unit)}</td>" for lookup in lookups)
            + "</tr>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>SPARCS scenario comparison</title><style>"
        "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse}th,td{padding:.35em .8em;border-bottom:1px solid #ddd}"
        "td{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left}"
        "thead th{text-align:right;vertical-align:bottom}</style></head><body>"
        "<h1>Scenario comparison</h1><p>Headline KPIs of each run, in the unit of each row. "
        "Each column links to the run's full report.</p>"
        f"<table><thead><tr><th>KPI</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>\n"
    )


def write_comparison(
    out_dir: Path, results: Mapping[str, RunResult], folders: Mapping[str, Path]
) -> dict[str, Path]:
    """Write ``comparison.csv`` and ``comparison.html`` into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out_dir / "comparison.csv", "html": out_dir / "comparison.html"}
    with paths["csv"].open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(headline_rows(results))
    paths["html"].write_text(_html(results, folders, out_dir), encoding="utf-8")
    return paths
