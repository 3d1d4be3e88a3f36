"""Reports of a run: terminal tables, a self-contained HTML report, and file exports.

- :func:`write_html_report` writes one offline HTML file for people (verdict, KPI tiles,
  charts, building table, sources); :mod:`sparcs.report.charts` holds its chart builders.
- :func:`kpi_table`, :func:`verdict_panel` and :func:`comparison_table` build rich
  renderables for the CLI to print.
- :func:`write_exports` writes Parquet, CSV and JSON files for machines.
"""

from sparcs.report.exports import EXPORT_FILES, write_exports
from sparcs.report.html import render_html_report, report_charts, write_html_report
from sparcs.report.terminal import comparison_table, kpi_table, verdict_panel

__all__ = [
    "EXPORT_FILES",
    "comparison_table",
    "kpi_table",
    "render_html_report",
    "report_charts",
    "verdict_panel",
    "write_exports",
    "write_html_report",
]
