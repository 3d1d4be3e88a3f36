"""Rich renderables for the terminal: KPI table, PED verdict panel, scenario comparison, and
the table of embedded cities.

All functions are pure: they build and return a renderable and print nothing; the CLI prints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sparcs.data import city_names, get_city, get_factor_set
from sparcs.kpi.report import Kpi, KpiReport
from sparcs.report.format import (
    display_scale,
    display_value,
    format_number,
    group_label,
    ordered_groups,
)

__all__ = [
    "HEADLINE_KEYS",
    "VERDICT_STYLES",
    "cities_table",
    "comparison_table",
    "kpi_table",
    "verdict_panel",
]

#: PED class -> rich style of its badge.
VERDICT_STYLES = {
    "PEDautonomous": "bold white on dark_green",
    "PEDdynamic": "bold white on green4",
    "PEDvirtual": "bold white on dodger_blue3",
    "pre-PED": "bold black on dark_orange",
    "not PED": "bold white on red3",
}

#: KPI keys compared side by side by default, when the reports have them.
HEADLINE_KEYS = (
    "peb",
    "peb_per_m2",
    "peb_virtual",
    "pei",
    "pee",
    "final_energy",
    "self_sufficiency",
    "self_consumption",
    "res_share",
    "co2",
    "co2_per_m2",
    "peak_import",
    "net_energy_cost",
    "curtailment",
    "hours_net_import",
)


def kpi_table(kpis: KpiReport) -> Table:
    """All KPIs of a report, grouped, with values and units.

    Parameters
    ----------
    kpis
        The KPI report.

    Returns
    -------
    rich.table.Table
        Columns group, KPI, value, unit; one section per KPI group, large energies and
        masses scaled (kWh to MWh or GWh, kg to t).
    """
    table = Table(
        title=f"KPIs (factor set {kpis.factor_set})",
        title_justify="left",
        header_style="bold",
        expand=False,
    )
    table.add_column("Group", style="dim")
    table.add_column("KPI")
    table.add_column("Value", justify="right", style="bold")
    table.add_column("Unit")
    groups = ordered_groups([k.group for k in kpis.kpis])
    for i, group in enumerate(groups):
        members = [k for k in kpis.kpis if k.group == group]
        for j, kpi in enumerate(members):
            number, unit = display_value(kpi.value, kpi.unit)
            table.add_row(
                Text(group_label(group) if j == 0 else ""),
                Text(kpi.label),
                Text(number),
                Text(unit),
                end_section=(j == len(members) - 1 and i < len(groups) - 1),
            )
    return table


def _verdict_text(ped_class: str) -> Text:
    return Text(f" {ped_class} ", style=VERDICT_STYLES.get(ped_class, "bold reverse"))


def verdict_panel(kpis: KpiReport) -> Panel:
    """The PED verdict: class badge, reason and the two annual primary-energy balances.

    Parameters
    ----------
    kpis
        The KPI report.

    Returns
    -------
    rich.panel.Panel
    """
    verdict = kpis.verdict
    balance, unit = display_value(verdict.balance_kwh_pe, "kWh_PE/a")
    virtual, virtual_unit = display_value(verdict.virtual_balance_kwh_pe, "kWh_PE/a")
    body = Group(
        Text.assemble("PED class  ", _verdict_text(verdict.ped_class)),
        Text(""),
        Text(verdict.reason),
        Text(""),
        Text.assemble(
            ("Annual primary-energy balance (PEE − PEI): ", "dim"), (f"{balance} {unit}", "bold")
        ),
        Text.assemble(("Including virtual assets: ", "dim"), (f"{virtual} {virtual_unit}", "bold")),
    )
    return Panel(
        body,
        title="PED verdict",
        title_align="left",
        expand=False,
        border_style=VERDICT_STYLES.get(verdict.ped_class, "white").split()[-1],
    )


def _comparison_keys(reports: Sequence[dict[str, Kpi]], keys: Sequence[str] | None) -> list[str]:
    if keys is not None:
        return list(keys)
    available = list(dict.fromkeys(key for report in reports for key in report))
    headline = [key for key in HEADLINE_KEYS if key in available]
    return headline or available


def comparison_table(
    named_reports: Mapping[str, KpiReport], keys: Sequence[str] | None = None
) -> Table:
    """Scenarios side by side: PED class and headline KPIs.

    Parameters
    ----------
    named_reports
        Scenario name -> its KPI report, in column order.
    keys
        KPI keys to compare, in row order. By default the :data:`HEADLINE_KEYS` that any of
        the reports has, or every KPI key when none of them is present.

    Returns
    -------
    rich.table.Table
        One row per KPI (label and unit from the first report that has it), one column per
        scenario; a dash where a scenario lacks the KPI.
    """
    reports = list(named_reports.values())
    lookups = [{kpi.key: kpi for kpi in report.kpis} for report in reports]
    table = Table(title="Scenario comparison", title_justify="left", header_style="bold")
    table.add_column("KPI")
    for name in named_reports:
        table.add_column(name, justify="right")
    table.add_row(
        Text("PED class"), *(_verdict_text(r.verdict.ped_class) for r in reports), end_section=True
    )
    for key in _comparison_keys(lookups, keys):
        found = [lookup[key] for lookup in lookups if key in lookup]
        if found:
            table.add_row(*_comparison_row(found[0], [lookup.get(key) for lookup in lookups]))
    return table


def _comparison_row(first: Kpi, row: Sequence[Kpi | None]) -> list[Text]:
    """Label and one cell per scenario; values in the first one's unit share one scale."""
    finite = [
        abs(k.value)
        for k in row
        if k is not None and k.unit == first.unit and math.isfinite(k.value)
    ]
    divisor, unit = display_scale(max(finite, default=0.0), first.unit)
    cells = [f"{first.label} [{unit}]" if unit else first.label]
    for kpi in row:
        if kpi is None:
            cells.append("–")
        elif kpi.unit == first.unit:
            cells.append(format_number(kpi.value / divisor))
        else:
            cells.append(" ".join(display_value(kpi.value, kpi.unit)))
    return [Text(cell) for cell in cells]


def cities_table() -> Table:
    """The embedded SPARCS cities: place, zone, climate and default factor set.

    Returns
    -------
    rich.table.Table
        One row per city: coordinates [deg], mean air temperature [°C], annual global
        horizontal irradiation [kWh/m²a], the factor set and its grid CO2 [g CO2-eq/kWh].
    """
    table = Table(title="Embedded SPARCS cities", title_justify="left")
    for column in (
        "key",
        "city",
        "country",
        "lat",
        "lon",
        "time zone",
        "T mean [°C]",
        "GHI [kWh/m²a]",
        "factor set",
        "grid CO2 [g/kWh]",
    ):
        right = "[" in column or column in ("lat", "lon")
        table.add_column(escape(column), justify="right" if right else "left")
    for key in city_names():
        city = get_city(key)
        factors = get_factor_set(city.factor_set)
        cells = (
            key,
            city.name,
            city.country,
            f"{city.latitude:.2f}",
            f"{city.longitude:.2f}",
            city.timezone,
            f"{sum(city.temp_c) / 12:.1f}",
            f"{city.annual_ghi_kwh_m2:.0f}",
            city.factor_set,
            f"{factors['electricity'].co2_kg_per_kwh * 1000:.0f}",
        )
        table.add_row(*(escape(cell) for cell in cells))
    return table
