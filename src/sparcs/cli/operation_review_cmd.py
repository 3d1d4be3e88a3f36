"""``sparcs forecast-quality`` and ``sparcs operation-value``: how live operation did.

The forecasts kept by the cycles scored against the readings, and what the schedules achieved
against the rule strategy on the measured days (:mod:`sparcs.live`). Registered in
:mod:`sparcs.cli.app`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sparcs.cli._console import console, say, user_errors
from sparcs.cli._inputs import DB_HELP, load_checked, parse_period, scenario_file

__all__ = ["forecast_quality_command", "operation_value_command"]


def forecast_quality_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML) of the operated district")],
    date_from: Annotated[str, typer.Option("--from", help="first step scored, e.g. 2025-04-01")],
    date_to: Annotated[str, typer.Option("--to", help="end of the scored period (excluded)")],
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    district: Annotated[
        str | None, typer.Option(help="id the cycles were kept under (default: the file's name)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON only")] = False,
) -> None:
    """Score every kept forecast against the readings: MAE, RMSE, bias, nMAE per lead hour."""
    from sparcs.live.archive import forecast_quality
    from sparcs.live.scores import best_forecasters
    from sparcs.store import open_store

    with user_errors():
        path = scenario_file(scenario, "forecast-quality")
        loaded = load_checked(path)
        start, end = parse_period(date_from, date_to, loaded.timezone)
        with open_store(db) as store:
            scores = forecast_quality(store, loaded, district or path.stem, start, end)
    overall = scores[scores["lead_h"].isna()]
    best = best_forecasters(scores)
    if as_json:
        records = json.loads(scores.to_json(orient="records"))
        typer.echo(json.dumps({"scores": records, "best": best}))
        return
    if overall.empty:
        say("no forecast in this period has a measured value to be scored against", style="yellow")
        return
    table = Table(title=escape(f"forecast quality {date_from} to {date_to} (all leads)"))
    for column in ("quantity", "forecaster", "n", "MAE [kWh]", "RMSE [kWh]", "bias [kWh]", "nMAE"):
        left = column in ("quantity", "forecaster")
        table.add_column(escape(column), justify="left" if left else "right")
    for row in overall.to_dict("records"):
        nmae = float(row["nmae"])
        table.add_row(
            escape(str(row["quantity"])),
            escape(str(row["forecaster"])),
            f"{int(row['n'])}",
            f"{float(row['mae_kwh']):.3f}",
            f"{float(row['rmse_kwh']):.3f}",
            f"{float(row['bias_kwh']):+.3f}",
            "n/a" if nmae != nmae else f"{nmae:.1%}",  # NaN: nothing measured
        )
    console.print(table)
    for quantity, kind in sorted(best.items()):
        say(f"best recent skill for {quantity}: {kind}")


def operation_value_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML) of the operated district")],
    date_from: Annotated[str, typer.Option("--from", help="first day, e.g. 2025-04-01")],
    date_to: Annotated[str, typer.Option("--to", help="end of the period (excluded)")],
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the table as JSON only")] = False,
) -> None:
    """What operation achieved against the rule strategy on the measured days."""
    from sparcs.climate import load_weather
    from sparcs.live.value import value_of_operation
    from sparcs.profiles.build import build_inputs
    from sparcs.store import open_store

    with user_errors():
        path = scenario_file(scenario, "operation-value")
        loaded = load_checked(path)
        start, end = parse_period(date_from, date_to, loaded.timezone)
        year = start.tz_convert(loaded.timezone).year
        if year != loaded.year:
            loaded = loaded.model_copy(update={"year": year})
        inputs = build_inputs(loaded, load_weather(loaded))
        with open_store(db) as store:
            value = value_of_operation(store, loaded, inputs, start, end)
    if as_json:
        rows = json.loads(value.table.to_json(orient="records"))
        typer.echo(json.dumps({"kpis": rows, "notes": list(value.notes)}))
        return
    table = Table(title=escape(f"operation against the rules, {date_from} to {date_to}"))
    for column in ("KPI", "operated", "rule", "gain"):
        table.add_column(column, justify="left" if column == "KPI" else "right")
    for row in value.table.to_dict("records"):
        table.add_row(
            escape(str(row["label"])),
            f"{float(row['operated']):,.1f}",
            f"{float(row['rule']):,.1f}",
            f"{float(row['gain']):+,.1f}",
        )
    console.print(table)
    say("gain > 0: operation did better than the rules would have on the same days")
    for note in value.notes:
        say(note, style="yellow")
