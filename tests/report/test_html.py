"""The HTML report as a file: self-contained, escaped, complete (no browser needed)."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from sparcs.errors import ScenarioError
from sparcs.report import render_html_report, report_charts, write_html_report

BERLIN = "Europe/Berlin"


@pytest.fixture(scope="module")
def week_html(tmp_path_factory, week_flows, week_report) -> str:
    path = write_html_report(
        tmp_path_factory.mktemp("html") / "sub" / "report.html",
        flows=week_flows,
        kpis=week_report,
        title="Leipzig <West> & friends",
        timezone=BERLIN,
        scenario_name="PV + storage",
        notes=["Weather: DWD TRY 2015 <test>."],
    )
    assert path.name == "report.html"
    return path.read_text(encoding="utf-8")


def test_page_is_self_contained(week_html: str) -> None:
    assert week_html.startswith("<!DOCTYPE html>")
    assert week_html.count("plotly.js v") == 1  # the library once, inlined
    assert not re.search(r"<script[^>]+src=", week_html)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", week_html)
    assert "@import" not in week_html and "url(http" not in week_html
    assert '<link rel="icon" href="data:,">' in week_html


def test_text_is_escaped(week_html: str) -> None:
    assert "<title>Leipzig &lt;West&gt; &amp; friends</title>" in week_html
    assert "Weather: DWD TRY 2015 &lt;test&gt;." in week_html
    assert "<West>" not in week_html


def test_page_has_verdict_kpis_charts_table_and_notes(week_html: str, week_report) -> None:
    assert 'class="verdict ped-dynamic"' in week_html
    assert week_report.verdict.reason.replace("'", "&#x27;") in week_html
    for kpi in week_report.kpis:
        assert f'data-kpi="{kpi.key}"' in week_html
    assert week_html.count('type="application/json"') == week_html.count('class="chart"') >= 6
    assert 'id="building-table"' in week_html and ">B04</th>" in week_html
    assert "factor set de-geg-2020" in week_html
    assert "Weather: synthetic test profile." in week_html  # from kpis.meta["sources"]
    assert "GEG 2020 Anlage 4" in week_html  # the factor set's own sources


def test_chart_list_and_layout(week_flows, week_report) -> None:
    found = report_charts(week_flows, week_report, BERLIN)
    ids = [c.chart_id for c in found]
    assert ids[0] == "chart-sankey" and ids[-2:] == ["chart-carpet", "chart-buildings"]
    assert {
        "chart-electricity",
        "chart-heat",
        "chart-fuel",
        "chart-primary",
        "chart-co2",
        "chart-duration",
    } <= set(ids)
    halves = [c for c in found if not c.wide]
    assert len(halves) % 2 == 0  # half-width cards come in pairs


def test_minimal_report_still_has_six_charts(week_flows, week_report) -> None:
    bare = dataclasses.replace(
        week_report, monthly=pd.DataFrame(), per_building=pd.DataFrame(), kpis=()
    )
    text = render_html_report(
        flows=week_flows, kpis=bare, title="t", timezone=BERLIN, scenario_name="s"
    )
    assert text.count('class="chart"') >= 6
    assert "No KPIs were computed." in text
    assert "Electricity use" in text  # building table from the flows


def test_bad_timezone_is_refused(tmp_path, week_flows, week_report) -> None:
    with pytest.raises(ScenarioError, match="IANA"):
        write_html_report(
            tmp_path / "r.html",
            flows=week_flows,
            kpis=week_report,
            title="t",
            timezone="Mars/Olympus",
            scenario_name="s",
        )
    assert not (tmp_path / "r.html").exists()


def test_one_year_ten_buildings_stays_small(tmp_path, year_flows, year_report) -> None:
    path = write_html_report(
        tmp_path / "year.html",
        flows=year_flows,
        kpis=year_report,
        title="Year",
        timezone=BERLIN,
        scenario_name="base",
    )
    size_mb = path.stat().st_size / 1e6
    assert 4.5 < size_mb < 8.0  # plotly.js is ~4.8 MB of it
