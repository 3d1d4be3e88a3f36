"""``sparcs operate`` and ``sparcs override``: live operation from the store.

One cycle at ``--now``: measured state and forecasts from the store, a schedule per asset on
the horizon, kept in the store with its belief time (:mod:`sparcs.live`). Registered in
:mod:`sparcs.cli.app`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from sparcs.cli._console import UsageError, console, say, user_errors
from sparcs.cli._inputs import (
    DB_HELP,
    check_output_folder,
    load_checked,
    parse_period,
    parse_zoned_time,
    scenario_file,
)

__all__ = [
    "operate_command",
    "override_command",
    "run_operate",
]

_FORECASTERS = ("auto", "persistence", "seasonal", "regression")


def run_operate(
    path: Path,
    *,
    db: str | None,
    now: str | None,
    horizon_h: float,
    forecaster: str,
    district: str | None,
    fine_h: float | None = 2.0,
) -> dict[str, Any]:
    """Run one cycle of the scenario at ``now`` and keep it in the store.

    Parameters
    ----------
    path
        Scenario file.
    db
        Store URL or DuckDB file (None: the default).
    now
        Issue time in ISO 8601 (local time of the district without an offset); None for
        the current time.
    horizon_h
        Schedule length [h].
    forecaster
        ``"auto"`` (best recent skill per quantity, persistence until scored) or a name.
    district
        Id the cycle is stored under; default the scenario file's name.
    fine_h
        Hours planned at the step, the rest in hour blocks (steps under an hour); None: all.

    Returns
    -------
    dict
        ``{"cycle": Cycle, "scenario": Scenario, "district": str, "choice": {...}}``.
    """
    from sparcs.climate import load_weather
    from sparcs.live.archive import choose_forecasters, record_cycle
    from sparcs.live.cycle import operate_cycle
    from sparcs.profiles.build import build_inputs
    from sparcs.store import open_store

    scenario = load_checked(path)
    zone = scenario.timezone
    at = parse_zoned_time(now, "--now", zone) or pd.Timestamp.now(tz=zone)
    at = at.floor(pd.Timedelta(scenario.timestep))
    year = at.tz_convert(zone).year
    if year != scenario.year:
        scenario = scenario.model_copy(update={"year": year})
    name = district or path.stem
    inputs = build_inputs(scenario, load_weather(scenario))
    with open_store(db) as store:
        choice: dict[str, str] = {}
        if forecaster == "auto":
            choice, _ = choose_forecasters(store, scenario, name, at)
        chosen: Any = choice if forecaster == "auto" else forecaster
        cycle = operate_cycle(
            scenario,
            store,
            inputs,
            now=at,
            horizon_h=horizon_h,
            forecaster=chosen,
            district=name,
            fine_h=fine_h,
        )
        record_cycle(store, name, cycle)
    return {"cycle": cycle, "scenario": scenario, "district": name, "choice": choice}


def _check_hours(horizon_h: float, fine_h: float) -> None:
    if not 0 < horizon_h <= 24 * 7:
        msg = f"--horizon-h must be between 0 and 168 hours, got {horizon_h:g}"
        raise UsageError(msg)
    if fine_h < 0:
        msg = f"--fine-h must be 0 (every step) or more hours, got {fine_h:g}"
        raise UsageError(msg)


def _schedule_table(cycle: Any, zone: str, steps: int = 6) -> Table:
    table = Table(
        title=escape(f"schedule from {cycle.time[0].tz_convert(zone):%Y-%m-%d %H:%M} [kW]")
    )
    table.add_column("asset")
    for t in cycle.time[:steps]:
        table.add_column(f"{t.tz_convert(zone):%H:%M}", justify="right")
    for asset, kw in cycle.schedule.items():
        table.add_row(escape(asset), *(f"{v:.1f}" for v in kw[:steps]))
    return table


def operate_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML) of the operated district")],
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="issue time, e.g. 2025-04-15T12:00 (default: now)"),
    ] = None,
    horizon_h: Annotated[
        float, typer.Option("--horizon-h", help=escape("schedule length [h]"))
    ] = 48.0,
    forecaster: Annotated[
        str,
        typer.Option(
            help="auto (best recent skill per quantity), persistence, seasonal or regression"
        ),
    ] = "auto",
    district: Annotated[
        str | None, typer.Option(help="id the cycle is kept under (default: the file's name)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="folder for cycle.json and schedule.csv")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the cycle as JSON only")] = False,
    loop: Annotated[
        bool, typer.Option("--loop", help="a cycle every step (on the clock, or from --now on)")
    ] = False,
    cycles: Annotated[
        int, typer.Option("--cycles", help="with --loop: cycles to run (0: until stopped)")
    ] = 0,
    fine_h: Annotated[
        float,
        typer.Option(
            "--fine-h",
            help=escape("hours planned at the step, then hour blocks (steps < 1 h); 0: all [h]"),
        ),
    ] = 2.0,
) -> None:
    """One operation cycle: schedules from the measured state and forecasts, kept in the store."""
    if loop:
        with user_errors():
            if out is not None:
                msg = "--out writes one cycle; with --loop the cycles are kept in the store"
                raise UsageError(msg)
            if cycles < 0:
                msg = f"--cycles must be 0 (until stopped) or more, got {cycles}"
                raise UsageError(msg)
            _loop(scenario, db, now, horizon_h, forecaster, district, cycles, as_json, fine_h)
        return
    if cycles:
        with user_errors():
            msg = "--cycles only counts with --loop"
            raise UsageError(msg)
    with user_errors():
        path = scenario_file(scenario, "operate")
        if forecaster not in _FORECASTERS:
            msg = f"--forecaster {forecaster!r} is not known; choose {', '.join(_FORECASTERS)}"
            raise UsageError(msg)
        _check_hours(horizon_h, fine_h)
        if out is not None:
            check_output_folder(out)
        done = run_operate(
            path,
            db=db,
            now=now,
            horizon_h=horizon_h,
            forecaster=forecaster,
            district=district,
            fine_h=fine_h or None,
        )
        cycle, zone = done["cycle"], done["scenario"].timezone
        payload = cycle.as_dict(zone)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / "cycle.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
            rows = [
                {"asset": asset, "time": step["time"], "kw": step["kw"]}
                for asset, steps in payload["schedule"].items()
                for step in steps
            ]
            pd.DataFrame(rows).to_csv(out / "schedule.csv", index=False)
    if as_json:
        typer.echo(json.dumps(payload))
        return
    console.print(_schedule_table(cycle, zone))
    used = ", ".join(f"{q}: {k}" for q, k in sorted(cycle.forecaster.items())) or "none"
    say(f"strategy {cycle.strategy}; forecasters {used}; kept as {done['district']!r}")
    say(f"weather of the regression: {cycle.weather}")
    if cycle.resolution:
        say(f"LP steps: {cycle.resolution} (--fine-h)")
    for note in cycle.fallbacks:
        say(note, style="yellow")
    if out is not None:
        say(f"wrote {out / 'cycle.json'} and {out / 'schedule.csv'}")


def _loop(
    scenario: Path,
    db: str | None,
    now: str | None,
    horizon_h: float,
    forecaster: str,
    district: str | None,
    cycles: int,
    as_json: bool,
    fine_h: float = 2.0,
) -> None:
    """Run cycles one step apart; each prints one line (``--json``: one JSON object a line)."""
    from sparcs.climate import load_weather
    from sparcs.live.cycle import Cycle
    from sparcs.live.loop import run_loop
    from sparcs.profiles.build import build_inputs
    from sparcs.store import open_store

    path = scenario_file(scenario, "operate")
    if forecaster not in _FORECASTERS:
        msg = f"--forecaster {forecaster!r} is not known; choose {', '.join(_FORECASTERS)}"
        raise UsageError(msg)
    loaded = load_checked(path)
    zone = loaded.timezone
    start = parse_zoned_time(now, "--now", zone)
    year = (start if start is not None else pd.Timestamp.now(tz=zone)).tz_convert(zone).year
    if year != loaded.year:
        loaded = loaded.model_copy(update={"year": year})
    inputs = build_inputs(loaded, load_weather(loaded))
    name = district or path.stem

    def report(at: pd.Timestamp, cycle: Cycle | None, status: str) -> None:
        if as_json:
            line: dict[str, Any] = {"now": at.tz_convert(zone).isoformat(), "status": status}
            if cycle is not None:
                line |= cycle.as_dict(zone)
            typer.echo(json.dumps(line))
        else:
            strategy = f" ({cycle.strategy}, {len(cycle.fallbacks)} fallbacks)" if cycle else ""
            say(f"{at.tz_convert(zone):%Y-%m-%d %H:%M} {status}{strategy}")

    with open_store(db) as store:
        run_loop(
            loaded,
            store,
            inputs,
            district=name,
            cycles=cycles or 10**9,
            start=start,
            horizon_h=horizon_h,
            forecaster=forecaster,
            on_cycle=report,
            fine_h=fine_h or None,
        )


def override_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML) of the operated district")],
    asset: Annotated[str, typer.Argument(help="<building>/battery, /heat_pump or /ev_chargers")],
    kw: Annotated[
        float,
        typer.Option("--kw", help=escape("power [kW]: + draws (charging), - delivers")),
    ],
    date_from: Annotated[str, typer.Option("--from", help="start, e.g. 2025-04-15T17:00")],
    date_to: Annotated[str, typer.Option("--to", help="end (excluded)")],
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    district: Annotated[
        str | None, typer.Option(help="id the cycles are kept under (default: the file's name)")
    ] = None,
) -> None:
    """Put an asset in manual mode for a period; the next cycles schedule around it."""
    from sparcs.store import open_store
    from sparcs.store.beliefs import put_override

    with user_errors():
        path = scenario_file(scenario, "override")
        loaded = load_checked(path)
        kinds = ("battery", "heat_pump", "ev_chargers")
        node, _, kind = asset.rpartition("/")
        ids = [b.id for b in loaded.buildings]
        if kind not in kinds or node not in ids:
            msg = (
                f"asset {asset!r} is not one to override; "
                f"give <building>/{' or <building>/'.join(kinds)} "
                f"with a building of {', '.join(ids)}"
            )
            raise UsageError(msg)
        start, end = parse_period(date_from, date_to, loaded.timezone)
        with open_store(db) as store:
            put_override(store, district or path.stem, asset, start, end, kw)
    say(f"{asset} at {kw:g} kW from {start.isoformat()} to {end.isoformat()}")
