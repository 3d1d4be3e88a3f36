"""The HTML report in headless Chromium: it loads offline, draws its charts, logs no errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from sparcs.report import charts, write_html_report

pytestmark = pytest.mark.browser

BERLIN = "Europe/Berlin"


@dataclass
class Visit:
    page: Page
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def reports(tmp_path_factory, week_flows, week_report, year_flows, year_report) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("browser")
    return {
        "week": write_html_report(
            folder / "week.html",
            flows=week_flows,
            kpis=week_report,
            title="Leipzig West – week",
            timezone=BERLIN,
            scenario_name="week",
        ),
        "year": write_html_report(
            folder / "year.html",
            flows=year_flows,
            kpis=year_report,
            title="Leipzig West – 2025",
            timezone=BERLIN,
            scenario_name="base",
            notes=["Weather: synthetic."],
        ),
    }


def _visit(browser: Browser, path: Path, width: int = 1366) -> Visit:
    context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
    visit = Visit(context.new_page())
    visit.page.on("console", lambda m: visit.console.append((m.type, m.text)))
    visit.page.on("pageerror", lambda e: visit.errors.append(str(e)))
    visit.page.on("request", lambda r: visit.requests.append(r.url))
    visit.page.goto(path.as_uri(), wait_until="load")
    visit.page.wait_for_function(
        "Array.from(document.querySelectorAll('div.chart')).every("
        "el => el.classList.contains('js-plotly-plot') && el.querySelector('.main-svg'))",
        timeout=30_000,
    )
    return visit


@pytest.mark.parametrize("name", ["week", "year"])
def test_report_loads_offline_with_all_charts_and_no_errors(chromium, reports, name) -> None:
    visit = _visit(chromium, reports[name])
    page = visit.page
    try:
        assert page.title() == f"Leipzig West – {'week' if name == 'week' else '2025'}"
        badge = page.locator(".verdict .badge")
        assert badge.is_visible() and badge.inner_text() == "PEDdynamic"
        assert page.get_by_text("inside the geographical boundary").is_visible()
        plots = page.locator(".js-plotly-plot")
        assert plots.count() >= 6
        assert plots.count() == page.locator("div.chart").count()
        assert page.locator(".js-plotly-plot .main-svg").count() >= 6
        for i in range(plots.count()):
            box = plots.nth(i).bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 250
        assert [m for m in visit.console if m[0] == "error"] == []
        assert visit.errors == []
        assert visit.requests == [reports[name].as_uri()]
    finally:
        page.context.close()


def test_charts_draw_their_data(chromium, reports, week_flows) -> None:
    visit = _visit(chromium, reports["week"])
    page = visit.page
    try:
        assert page.locator("#chart-sankey .sankey-link").count() == len(
            charts.sankey_links(week_flows)
        )
        assert page.locator("#chart-carpet .hm image").count() == 1
        assert page.locator("#chart-electricity .bars .point").count() > 0
        assert page.locator("#chart-duration .scatterlayer .trace").count() == 2
    finally:
        page.context.close()


def test_building_table_sorts_and_tiles_explain_themselves(chromium, reports) -> None:
    visit = _visit(chromium, reports["year"])
    page = visit.page
    try:
        header = page.locator("#building-table thead th", has_text="Final energy consumption")
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "ascending"
        values = [
            float(v)
            for v in page.locator("#building-table tbody tr td:nth-child(3)").evaluate_all(
                "cells => cells.map(c => c.dataset.value)"
            )
        ]
        assert values == sorted(values) and len(values) == 10
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "descending"
        first = float(
            page.locator("#building-table tbody tr td:nth-child(3)").first.get_attribute(
                "data-value"
            )
        )
        assert first == max(values)
        tile = page.locator('.tile[data-kpi="self_sufficiency"]')
        assert not tile.locator(".tip").is_visible()
        tile.hover()
        assert tile.locator(".tip").is_visible()
        assert "import / demand" in tile.locator(".tip").inner_text()
        assert visit.errors == []
    finally:
        page.context.close()


def test_report_fits_a_phone_screen(chromium, reports) -> None:
    visit = _visit(chromium, reports["week"], width=390)
    page = visit.page
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        assert page.locator(".js-plotly-plot").count() >= 6
        assert visit.errors == [] and [m for m in visit.console if m[0] == "error"] == []
    finally:
        page.context.close()
