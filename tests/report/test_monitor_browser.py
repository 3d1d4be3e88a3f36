"""The plan-versus-actual report in headless Chromium: offline, charts drawn, tables filled.

A real comparison (a simulated district against the same district measured with 30 % more
electricity demand and half its PV) written by ``write_monitor_report`` and opened in
Debian's Chromium through Playwright.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Browser, Page

from sparcs.climate import load_weather
from sparcs.monitoring.plan_vs_actual import (
    PlanVsActual,
    compare_plan,
    meter_completeness,
    month_slices,
)
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.report.monitor_report import LABELS, write_monitor_report
from sparcs.testing import synthetic_district

pytestmark = pytest.mark.browser

CHARTS = ("electricity_use", "local_generation", "peb")


@pytest.fixture(scope="module")
def comparison() -> PlanVsActual:
    scenario = synthetic_district(2, city="espoo", seed=3)
    year = simulate(scenario, build_inputs(scenario, load_weather(scenario)))
    months = month_slices(year)
    rows = np.flatnonzero(np.isin(year.time, months["2025-02"].time.append(months["2025-03"].time)))
    planned = dataclasses.replace(
        year, time=year.time[rows], data={k: v[rows] for k, v in year.data.items()}
    )
    extra = 0.3 * planned["electricity_demand_kwh"]
    imports = planned["grid_import_kwh"].copy()
    imports[:, -1] += extra.sum(axis=1)
    measured = dataclasses.replace(
        planned,
        data={
            **planned.data,
            "electricity_demand_kwh": planned["electricity_demand_kwh"] + extra,
            "grid_import_kwh": imports,
            "pv_kwh": 0.5 * planned["pv_kwh"],
        },
    )
    start, end = planned.time[0], planned.time[-1] + pd.Timedelta(hours=planned.dt_h)
    stamps = pd.date_range(start, end, freq="1h", inclusive="left")
    values = np.ones(len(stamps))
    values[10:16] = np.nan
    readings = pd.DataFrame(
        {
            "meter": "grid",
            "time": stamps,
            "value": values,
            "flags": np.where(np.isnan(values), 1, 0).astype(np.int32),
        }
    )
    meters = pd.DataFrame(
        {
            "id": ["grid"],
            "node": ["district"],
            "quantity": ["grid_import_kwh"],
            "resolution": ["PT1H"],
        }
    )
    completeness = meter_completeness(readings, meters, start=start, end=end, filled={"grid": 6})
    return compare_plan(planned, measured, scenario, completeness=completeness)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, comparison: PlanVsActual) -> Path:
    folder = tmp_path_factory.mktemp("monitor-browser")
    return write_monitor_report(
        folder / "report.html",
        comparison,
        title="Espoo test – monitor",
        period="2025-02 to 2025-03",
    )


def _open(browser: Browser, path: Path) -> tuple[Page, list[str], list[str], list[str]]:
    context = browser.new_context(offline=True, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    console: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('div.chart')).every("
        "el => el.classList.contains('js-plotly-plot') && el.querySelector('.main-svg'))",
        timeout=30_000,
    )
    return page, console, errors, requests


def test_monitor_report_opens_offline_draws_charts_and_fills_tables(
    chromium: Browser, report: Path, comparison: PlanVsActual
) -> None:
    page, console, errors, requests = _open(chromium, report)
    try:
        assert page.title() == "Espoo test – monitor"
        assert [m for m in console if m.startswith("error")] == []
        assert errors == []
        assert requests == [report.as_uri()]  # self-contained: no fetch beyond the file
        # three monthly charts, each two bar traces (planned, measured) of two months
        assert page.locator("div.chart.js-plotly-plot").count() == len(CHARTS)
        for key in CHARTS:
            chart = page.locator(f"#chart-{key}")
            box = chart.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 250
            assert chart.locator(".barlayer .trace.bars").count() == 2
            assert chart.locator(".barlayer .point").count() == 4
            assert LABELS[key] in (chart.locator(".gtitle").text_content() or "")
            assert set(chart.locator(".legendtext").all_text_contents()) == {"planned", "measured"}
        # the tables: totals, monthly (months x metrics), deviations with causes, completeness
        totals = page.locator("#totals tbody tr")
        assert totals.count() == len(comparison.monthly.query("month == 'total'"))
        monthly = page.locator("#monthly tbody tr")
        assert monthly.count() == len(comparison.monthly.query("month != 'total'"))
        assert set(page.locator("#monthly tbody th").all_inner_texts()) == {"2025-02", "2025-03"}
        deviations = page.locator("#deviations tbody tr")
        assert deviations.count() == len(comparison.deviations) > 0
        causes = set(page.locator("#deviations tbody td:nth-child(6)").all_inner_texts())
        assert {"demand", "generation"} <= causes
        row = page.locator("#completeness tbody tr")
        assert row.count() == 1
        cells = row.first.locator("td").all_inner_texts()
        assert row.first.locator("th").inner_text() == "grid"
        assert cells[:6] == ["district", "grid_import_kwh", "1415", "1409", "6", "6"]
    finally:
        page.context.close()
