"""Terminal renderables: KPI table, verdict panel, scenario comparison; and number formatting."""

from __future__ import annotations

import dataclasses
import math

import pytest
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from sparcs.kpi.report import Kpi
from sparcs.report import comparison_table, kpi_table, verdict_panel
from sparcs.report.format import display_value, format_number, ordered_groups


def _render(renderable) -> str:
    console = Console(record=True, width=140, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_kpi_table_lists_every_kpi_by_group_with_units(week_report) -> None:
    table = kpi_table(week_report)
    assert isinstance(table, Table)
    text = _render(table)
    for kpi in week_report.kpis:
        assert kpi.label in text
    assert "de-geg-2020" in text
    assert (
        text.index("Positive Energy District")
        < text.index("Energy ")
        < text.index("Emissions")
        < text.index("Economics")
    )
    assert "41.2" in text and "%" in text
    assert "123,457" in text and "EUR/a" in text


def test_kpi_table_keeps_brackets_in_labels_and_units(week_report) -> None:
    odd = Kpi("x", "Load [peak]", 3.0, "[kW]", "grid")
    text = _render(kpi_table(dataclasses.replace(week_report, kpis=(odd,))))
    assert "Load [peak]" in text and "[kW]" in text


def test_verdict_panel_shows_class_reason_and_balances(week_report) -> None:
    panel = verdict_panel(week_report)
    assert isinstance(panel, Panel)
    text = _render(panel)
    assert "PEDdynamic" in text
    assert "inside the geographical boundary" in text
    balance, unit = display_value(week_report.verdict.balance_kwh_pe, "kWh_PE/a")
    assert f"{balance} {unit}" in text


def test_comparison_table_puts_scenarios_side_by_side(week_report, year_report) -> None:
    worse = dataclasses.replace(
        week_report,
        verdict=dataclasses.replace(week_report.verdict, ped_class="pre-PED"),
        kpis=tuple(k for k in week_report.kpis if k.key != "self_consumption"),
    )
    text = _render(comparison_table({"baseline": worse, "PV + storage": year_report}))
    assert "baseline" in text and "PV + storage" in text
    ped_row = next(line for line in text.splitlines() if "PED class" in line)
    assert "pre-PED" in ped_row and "PEDdynamic" in ped_row
    assert "Self-sufficiency [%]" in text
    consumption = next(line for line in text.splitlines() if "Self-consumption" in line)
    assert "–" in consumption
    emissions = next(line for line in text.splitlines() if "GHG emissions" in line)
    assert "CO2-eq/a]" in emissions  # unit in the label, not eaten as markup
    assert "Battery full cycles" not in text  # not a headline KPI


def test_comparison_table_with_explicit_keys(week_report) -> None:
    text = _render(comparison_table({"a": week_report}, keys=["battery_cycles", "missing"]))
    assert "Battery full cycles [cycles/a]" in text
    assert "missing" not in text


def test_comparison_falls_back_to_all_keys(week_report) -> None:
    custom = dataclasses.replace(week_report, kpis=(Kpi("k1", "Custom one", 1.5, "", "energy"),))
    text = _render(comparison_table({"a": custom}))
    assert "Custom one" in text and "1.50" in text


@pytest.mark.parametrize(
    "value, text",
    [
        (12345.6, "12,346"),
        (123.4, "123"),
        (12.34, "12.3"),
        (1.234, "1.23"),
        (0.01234, "0.0123"),
        (0.0, "0"),
        (-0.0001, "-0.000100"),
        (math.nan, "–"),
        (None, "–"),
        (-2500.0, "-2,500"),
    ],
)
def test_format_number(value, text: str) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (1_234_567.0, "kWh/a", ("1,235", "MWh/a")),
        (25_000_000.0, "kWh_PE/a", ("25.0", "GWh_PE/a")),
        (9_999.0, "kWh/a", ("9,999", "kWh/a")),
        (-45_000.0, "kg CO2-eq/a", ("-45.0", "t CO2-eq/a")),
        (45_000.0, "kgCO2", ("45,000", "kgCO2")),
        (87.0, "%", ("87.0", "%")),
        (20_000.0, "kWh/(m²·a)", ("20.0", "MWh/(m²·a)")),
    ],
)
def test_display_value_scales_energy_and_mass(value: float, unit: str, expected) -> None:
    assert display_value(value, unit) == expected


def test_groups_in_display_order() -> None:
    assert ordered_groups(["economics", "custom", "energy", "ped", "energy"]) == [
        "ped",
        "energy",
        "economics",
        "custom",
    ]
