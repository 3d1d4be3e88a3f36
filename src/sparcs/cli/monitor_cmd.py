"""``sparcs monitor``: plan versus actual over a period, as report.html and kpis.json.

The planned side is the scenario run with :func:`sparcs.run` over its year, cut to the
period and seen as the meters see it; the measured side is the store's readings made into
Flows (:mod:`sparcs.monitoring.measured`). Both go through the same KPIs
(:func:`sparcs.monitoring.plan_vs_actual.compare_plan`). Registered in :mod:`sparcs.cli.app`.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_args

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from sparcs.cli._console import UsageError, console, say, user_errors
from sparcs.cli._inputs import (
    DB_HELP,
    check_output_folder,
    load_checked,
    parse_choice,
    parse_time_option,
    scenario_file,
)
from sparcs.errors import DataError

if TYPE_CHECKING:
    from sparcs.monitoring.measured import Fill

__all__ = ["monitor_command", "run_monitor"]

#: Said when the store holds no measured weather for the period.
NO_WEATHER = (
    "weather normalisation not applied: the store holds no measured weather for the period "
    "(no weather meter, quantity temp_air_c, with readings), so the plan runs on the "
    "scenario's own weather ({source}); a deviation of demand may be weather"
)
#: Said when the plan was re-run on the measured weather.
WEATHER_USED = (
    "weather-normalised: the plan was re-run on the measured weather ({used}); heating "
    "degree days ({base:g} °C) over the period: measured {measured:,.0f} K·d, the scenario's "
    "weather ({source}) {planned:,.0f} K·d"
)


def _day(text: str, option: str) -> date:
    value = parse_time_option(text, option) or text
    try:
        return date.fromisoformat(value[:10]) if len(value) == 10 else _refuse(text, option)
    except ValueError:
        return _refuse(text, option)


def _refuse(text: str, option: str) -> date:
    msg = f"{option} {text!r} must be a day, e.g. 2025-03-01 (local time of the scenario)"
    raise UsageError(msg)


def _period(first: date, last: date, zone: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if last < first:
        msg = f"--to {last} is before --from {first}; give the first and the last day of the period"
        raise UsageError(msg)
    if first.year != last.year:
        msg = (
            f"the period {first} to {last} spans two years; monitor one year at a time "
            f"(e.g. --to {first.year}-12-31)"
        )
        raise UsageError(msg)
    start = pd.Timestamp(first.isoformat(), tz=zone).tz_convert("UTC")
    end = pd.Timestamp((last + timedelta(days=1)).isoformat(), tz=zone).tz_convert("UTC")
    return start, end


def _weather_notes(
    base: Any, found: Any, start: pd.Timestamp, end: pd.Timestamp, zone: str
) -> tuple[str, dict[str, Any]]:
    """The report's line on the weather the plan ran on, and its ``kpis.json`` entry."""
    from sparcs.monitoring.weather import HDD_BASE_C, heating_degree_days

    if found is None:
        note = NO_WEATHER.format(source=base.source)
        return note, {"normalised": False, "source": base.source, "note": note}

    def hdd(weather: Any) -> float:
        temp = weather.data["temp_air"]
        return heating_degree_days(temp[(temp.index >= start) & (temp.index < end)], timezone=zone)[
            "total"
        ]

    measured, planned = hdd(found.weather), hdd(base)
    note = WEATHER_USED.format(
        used=found.describe(),
        base=HDD_BASE_C,
        measured=measured,
        source=base.source,
        planned=planned,
    )
    return note, {
        "normalised": True,
        "source": found.weather.source,
        "meters": {q: list(m) for q, m in found.meters.items()},
        "steps": found.steps,
        "measured_steps": found.measured,
        "filled_steps": found.filled,
        "flagged_left_out": found.left_out,
        "hdd_base_c": HDD_BASE_C,
        "hdd_measured": measured,
        "hdd_scenario_weather": planned,
        "note": note,
    }


def run_monitor(
    path: Path, *, db: str | None, first: date, last: date, out: Path, tolerance: float, fill: Fill
) -> dict[str, Any]:
    """Compare the plan with the store's readings and write report.html and kpis.json.

    Parameters
    ----------
    path
        Scenario file.
    db
        Store URL or DuckDB file (None: the default).
    first, last
        First and last day of the period (local, both included).
    out
        Output folder.
    tolerance
        Relative tolerance of a deviation.
    fill
        How missing steps are filled (``sparcs.monitoring.measured``).

    Returns
    -------
    dict
        ``{"result": PlanVsActual, "report": Path, "json": Path}``.
    """
    import sparcs
    from sparcs.climate import load_weather
    from sparcs.monitoring.measured import measured_flows
    from sparcs.monitoring.plan_vs_actual import compare_plan, meter_completeness, metered_view
    from sparcs.monitoring.weather import measured_weather
    from sparcs.report.monitor_report import write_monitor_report
    from sparcs.runner import STRATEGY_DESCRIPTIONS
    from sparcs.store import open_store
    from sparcs.store.period_readings import period_readings

    scenario = load_checked(path)
    start, end = _period(first, last, scenario.timezone)
    if first.year != scenario.year:
        scenario = scenario.model_copy(update={"year": first.year})
    with open_store(db) as store:
        meters = store.meters()
        readings = period_readings(store, start=start, end=end)
        where = store.where
    if meters.empty:
        msg = f"the store {where} holds no meters; ingest readings first with 'sparcs ingest'"
        raise DataError(msg)
    if readings.empty:
        msg = (
            f"the store {where} holds no readings from {first} to {last}; check --from and "
            "--to against 'sparcs store info'"
        )
        raise DataError(msg)
    base = load_weather(scenario)
    found = measured_weather(readings, meters, base, start=start, end=end)
    run = sparcs.run(scenario, weather=base if found is None else found.weather)
    flows = run.flows
    rows = (flows.time >= start) & (flows.time < end)
    planned = dataclasses.replace(
        flows, time=flows.time[rows], data={k: v[rows] for k, v in flows.data.items()}
    )
    measured = measured_flows(readings, meters, run.scenario, time=planned.time, fill=fill)
    pairs = list(zip(meters["quantity"], meters["node"], strict=True))
    unmetered = sorted(
        {
            name
            for name, values in flows.data.items()
            if values[rows].any() and name not in set(meters["quantity"])
        }
    )
    weather_note, weather = _weather_notes(base, found, start, end, scenario.timezone)
    notes = [weather_note, f"plan: {STRATEGY_DESCRIPTIONS[run.strategy]} of {path.name}"]
    if unmetered:
        notes.append(f"not metered, so left out on both sides: {', '.join(unmetered)}")
    notes += measured.flows.notes
    completeness = meter_completeness(
        readings, meters, start=start, end=end, filled=measured.filled
    )
    result = compare_plan(
        metered_view(planned, pairs),
        measured.flows,
        run.scenario,
        tolerance=tolerance,
        completeness=completeness,
        weather_normalised=found is not None,
        notes=notes,
    )
    out.mkdir(parents=True, exist_ok=True)
    label = f"{first} to {last}"
    data = {
        "scenario": run.scenario.name,
        "period": {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "timezone": run.scenario.timezone,
        },
        "store": where,
        "fill": fill,
        "weather": weather,
        **result.to_dict(),
    }
    json_path = out / "kpis.json"
    json_path.write_text(json.dumps(data, indent=2, allow_nan=False, default=str), encoding="utf-8")
    report = write_monitor_report(
        out / "report.html", result, title=f"{run.scenario.name}: plan versus actual", period=label
    )
    return {"result": result, "report": report, "json": json_path}


def _summary(result: Any) -> Table:
    table = Table(title="plan versus actual over the period", title_justify="left")
    for column in ("metric", "unit", "planned", "measured", "deviation [%]"):
        table.add_column(column, justify="left" if column in ("metric", "unit") else "right")
    for row in result.monthly[result.monthly["month"] == "total"].itertuples():
        flag = " [bold red]![/]" if row.flagged else ""
        table.add_row(
            escape(row.metric),
            escape(row.unit),
            f"{row.planned:,.1f}",
            f"{row.measured:,.1f}",
            f"{100 * row.relative:+.1f}{flag}",
        )
    return table


def monitor_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML) of the planned district")],
    date_from: Annotated[
        str, typer.Option("--from", help="first day of the period, e.g. 2025-03-01")
    ],
    date_to: Annotated[str, typer.Option("--to", help="last day of the period (included)")],
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("sparcs-monitor"),
    tolerance: Annotated[
        float,
        typer.Option(
            "--tolerance", help=escape("largest deviation not flagged [%]; percentages in points")
        ),
    ] = 10.0,
    fill: Annotated[
        str,
        typer.Option(
            help="missing steps: linear (interpolate, counted), zero (counted) or none (refuse)"
        ),
    ] = "linear",
) -> None:
    """Plan versus actual: planned and measured KPIs side by side, deviations and their cause."""
    from sparcs.monitoring.measured import Fill

    fills: tuple[Fill, ...] = get_args(Fill)
    with user_errors():
        path = scenario_file(scenario, "monitor")
        first, last = _day(date_from, "--from"), _day(date_to, "--to")
        chosen_fill = parse_choice(fill, fills, "--fill")
        if not 0 < tolerance < 1000:
            msg = f"--tolerance must be a positive percentage, got {tolerance:g}"
            raise UsageError(msg)
        check_output_folder(out)
        with console.status("running the plan and reading the store"):
            done = run_monitor(
                path,
                db=db,
                first=first,
                last=last,
                out=out,
                tolerance=tolerance / 100,
                fill=chosen_fill,
            )
    result = done["result"]
    console.print(_summary(result))
    for d in result.deviations[:12]:
        say(
            f"{d.period} {d.metric}: {100 * d.relative:+.1f} % ({d.cause}): {d.reason}",
            style="yellow",
        )
    if len(result.deviations) > 12:
        say(f"... {len(result.deviations) - 12} more deviation(s) in the report")
    say(f"report: {done['report']}")
    say(f"json: {done['json']}")
