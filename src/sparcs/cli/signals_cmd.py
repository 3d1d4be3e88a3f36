"""``sparcs green-hours``, ``flexibility`` and ``flex-request``: operator signals and requests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rich.console import JustifyMethod
from rich.markup import escape
from rich.table import Table

from sparcs.carriers.factors import hourly_co2_factors, scenario_country
from sparcs.cli._console import console, say, user_errors
from sparcs.cli._inputs import (
    check_output_file,
    load_checked,
    parse_choice,
    parse_time_option,
    scenario_file,
)
from sparcs.climate import load_weather
from sparcs.operation.flows import Flows
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.report.signal_charts import (
    LIGHT_COLORS,
    flexibility_figure,
    green_hours_figure,
    hour_labels,
    write_figure_html,
)
from sparcs.scenario import Scenario, load_scenario
from sparcs.services.flex_request import FlexResponse, flexibility_request
from sparcs.services.flexibility import ASSET_TYPES, Flexibility, available_flexibility
from sparcs.services.signals import (
    FORECASTS,
    REFERENCES,
    Forecast,
    GreenHours,
    Reference,
    SignalThresholds,
    green_hours,
)

__all__ = [
    "SimulatedRun",
    "answer_flex_request",
    "flex_request_table",
    "flexibility_tables",
    "green_hours_table",
    "run_flex_request",
    "run_flexibility",
    "run_green_hours",
    "show_flexibility",
    "show_green_hours",
    "simulate_file",
]

#: Windows up to this many hours are printed hour by hour.
MAX_TABLE_HOURS = 72


@dataclass(frozen=True)
class SimulatedRun:
    """A scenario with its inputs and rule-based flows (no KPIs)."""

    scenario: Scenario
    inputs: Inputs
    flows: Flows


def simulate_file(path: Path) -> SimulatedRun:
    """Load, profile and simulate a scenario file (rule-based operation)."""
    scenario = load_scenario(path)
    inputs = build_inputs(scenario, load_weather(scenario))
    return SimulatedRun(scenario=scenario, inputs=inputs, flows=simulate(scenario, inputs))


def run_green_hours(
    path: Path, *, start: str, hours: int, forecast: Forecast, reference: Reference = "window"
) -> tuple[SimulatedRun, GreenHours]:
    """Simulate ``path`` and compute its green-hours signal (see :func:`green_hours`)."""
    thresholds = SignalThresholds(reference=reference)
    run = simulate_file(path)
    factors = hourly_co2_factors(run.scenario, run.flows.time)
    label = (
        factors.source
        if factors.hourly
        else (
            f"annual factor of {factors.name}; no hourly grid CO2 for "
            f"{scenario_country(run.scenario)}, so only a local surplus turns an hour green"
        )
    )
    co2 = factors.co2_kg_per_kwh["electricity"]
    signal = green_hours(
        run.flows,
        co2,
        start=start,
        timezone=run.scenario.timezone,
        hours=hours,
        forecast=forecast,
        co2_source=label,
        thresholds=thresholds,
    )
    return run, signal


def run_flexibility(
    path: Path, *, start: str | None, hours: int | None
) -> tuple[SimulatedRun, Flexibility]:
    """Simulate ``path`` and compute its available flexibility per hour."""
    run = simulate_file(path)
    return run, available_flexibility(run.flows, run.scenario, run.inputs, start=start, hours=hours)


def green_hours_table(signal: GreenHours, title: str) -> Table:
    """One row per hour: local time, light, surplus, grid CO2 and the reason."""
    counts = ", ".join(f"{n} {light}" for light, n in signal.counts().items())
    table = Table(
        title=escape(
            f"{title}: green hours, {signal.forecast} forecast ({counts}; "
            f"local time {signal.timezone})"
        ),
        title_justify="left",
        caption=escape(f"grid CO2: {signal.co2_source}"),
        caption_justify="left",
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("local time", "left"),
        ("light", "left"),
        ("surplus [kW]", "right"),
        ("grid CO2 [g/kWh]", "right"),
        ("reason", "left"),
    )
    for column, justify in columns:
        table.add_column(escape(column), justify=justify)
    frame = signal.frame
    for label, light, surplus_kw, co2_kg_per_kwh, reason in zip(
        hour_labels(frame["local_time"]),
        frame["light"].astype(str),
        frame["surplus_kw"].to_numpy(dtype=float),
        frame["co2_kg_per_kwh"].to_numpy(dtype=float),
        frame["reason"].astype(str),
        strict=True,
    ):
        table.add_row(
            label,
            f"[bold {LIGHT_COLORS[light]}]● {light}[/]",
            f"{surplus_kw:,.1f}",
            f"{co2_kg_per_kwh * 1000:,.0f}",
            escape(reason),
        )
    return table


def flexibility_tables(flex: Flexibility, title: str) -> list[Table]:
    """A summary per asset type, and an hourly table for windows up to 72 hours."""
    summary = Table(
        title=escape(
            f"{title}: available flexibility for one hour [kW] "
            f"({len(flex.frame)} h from {flex.frame['local_time'].iloc[0]:%Y-%m-%d %H:%M})"
        ),
        title_justify="left",
    )
    summary.add_column("asset")
    for column in ("mean up", "max up", "mean down", "max down"):
        summary.add_column(column, justify="right")
    for asset, row in flex.summary().iterrows():
        summary.add_row(
            escape(str(asset)),
            *(f"{v:,.1f}" for v in row.to_numpy()),
            style="bold" if asset == "total" else None,
        )
    tables = [summary]
    if len(flex.frame) <= MAX_TABLE_HOURS:
        hourly = Table(
            title=escape("per hour [kW] (up = less import / more export)"), title_justify="left"
        )
        hourly.add_column("local time")
        for asset in ASSET_TYPES:
            hourly.add_column(f"{asset} up/down", justify="right")
        hourly.add_column("total up", justify="right")
        hourly.add_column("total down", justify="right")
        frame = flex.frame
        for label, (_, row) in zip(hour_labels(frame["local_time"]), frame.iterrows(), strict=True):
            cells = [f"{row[f'up_{a}_kw']:,.0f}/{row[f'down_{a}_kw']:,.0f}" for a in ASSET_TYPES]
            hourly.add_row(label, *cells, f"{row['up_kw']:,.0f}", f"{row['down_kw']:,.0f}")
        tables.append(hourly)
    return tables


def run_flex_request(
    path: Path, *, start: str, end: str, reduce_kw: float
) -> tuple[Scenario, FlexResponse]:
    """Answer a request to cut the district's import by ``reduce_kw`` between ``start`` and
    ``end``."""
    scenario = load_scenario(path)
    inputs = build_inputs(scenario, load_weather(scenario))
    return scenario, flexibility_request(
        scenario, inputs, start=start, end=end, reduce_kw=reduce_kw
    )


def flex_request_table(answer: FlexResponse, title: str) -> Table:
    """Per hour: baseline import, the new import, requested, delivered and short [kW]."""
    status = "delivered in full" if answer.fully_delivered else "delivered in part"
    table = Table(
        title=escape(
            f"{title}: cut of {answer.reduce_kw:,.0f} kW {status} (local time {answer.timezone})"
        ),
        title_justify="left",
        caption=f"extra energy cost {answer.extra_cost_eur:,.2f} EUR for "
        f"{answer.delivered_kwh:,.1f} kWh not imported",
        caption_justify="left",
    )
    columns = ("baseline import", "new import", "requested", "delivered", "short")
    table.add_column("local time")
    for column in columns:
        table.add_column(escape(f"{column} [kW]"), justify="right")
    frame = answer.frame
    for label, row in zip(
        hour_labels(frame["local_time"]), frame.itertuples(index=False), strict=True
    ):
        table.add_row(
            label,
            f"{row.baseline_import_kw:,.1f}",
            f"{row.import_kw:,.1f}",
            f"{row.requested_kw:,.1f}",
            f"{row.delivered_kw:,.1f}",
            f"{row.shortfall_kw:,.1f}",
        )
    return table


class _JsonResult(Protocol):
    def to_json(self, path: str | Path | None = None) -> str: ...


def _write_outputs(
    result: _JsonResult,
    json_file: Path | None,
    html: Path | None = None,
    figure: Callable[[], Any] | None = None,
) -> None:
    """Write ``result`` as JSON and its chart as HTML where asked, and say where."""
    if json_file is not None:
        result.to_json(json_file)
        say(f"json: {json_file}")
    if html is not None and figure is not None:
        write_figure_html(figure(), html)
        say(f"chart: {html}")


def show_green_hours(
    scenario: Path,
    *,
    start: str,
    hours: int,
    forecast: str,
    reference: str,
    json_file: Path | None,
    html: Path | None,
) -> None:
    """``sparcs green-hours``: check the options, simulate, print the lights, write files.

    The options are those of the command (:func:`sparcs.cli.app.green_hours_command`).
    """
    with user_errors():
        path = scenario_file(scenario, "green-hours")
        start = parse_time_option(start, "--start") or start
        chosen_forecast = parse_choice(forecast, FORECASTS, "--forecast")
        chosen_reference = parse_choice(reference, REFERENCES, "--reference")
        check_output_file(json_file, "--json")
        check_output_file(html, "--html")
        load_checked(path)
        with console.status("simulating the district"):
            run, signal = run_green_hours(
                path,
                start=start,
                hours=hours,
                forecast=chosen_forecast,
                reference=chosen_reference,
            )
        console.print(green_hours_table(signal, run.scenario.name))
        _write_outputs(
            signal,
            json_file,
            html,
            lambda: green_hours_figure(signal, f"{run.scenario.name}: green hours"),
        )


def show_flexibility(
    scenario: Path,
    *,
    start: str | None,
    hours: int | None,
    json_file: Path | None,
    html: Path | None,
) -> None:
    """``sparcs flexibility``: check the options, simulate, print the tables, write files.

    The options are those of the command (:func:`sparcs.cli.app.flexibility_command`).
    """
    with user_errors():
        path = scenario_file(scenario, "flexibility")
        start = parse_time_option(start, "--start")
        check_output_file(json_file, "--json")
        check_output_file(html, "--html")
        load_checked(path)
        with console.status("simulating the district"):
            run, flex = run_flexibility(path, start=start, hours=hours)
        for table in flexibility_tables(flex, run.scenario.name):
            console.print(table)
        _write_outputs(
            flex,
            json_file,
            html,
            lambda: flexibility_figure(flex, f"{run.scenario.name}: flexibility"),
        )


def answer_flex_request(
    scenario: Path, *, start: str, end: str, reduce_kw: float, json_file: Path | None
) -> None:
    """``sparcs flex-request``: check the options, optimise with and without the cut, print.

    The options are those of the command (:func:`sparcs.cli.app.flex_request_command`).
    """
    with user_errors():
        path = scenario_file(scenario, "flex-request")
        start = parse_time_option(start, "--start") or start
        end = parse_time_option(end, "--end") or end
        check_output_file(json_file, "--json")
        load_checked(path)
        with console.status("optimising with and without the cut"):
            loaded, answer = run_flex_request(path, start=start, end=end, reduce_kw=reduce_kw)
        console.print(flex_request_table(answer, loaded.name))
        _write_outputs(answer, json_file)
