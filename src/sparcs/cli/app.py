"""Typer application: ``sparcs validate | cities | profiles | run | green-hours | flexibility |
flex-request | plan | baseline | ingest | store info | monitor | export``.

Every command checks its paths and options before any work starts (:mod:`._inputs`), prints
user text escaped (file names such as ``maia[draft].toml`` survive), and ends with the exit
codes of :mod:`._console`: 0 ok, 1 failed file or run, 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sparcs import __version__
from sparcs.cli._console import console
from sparcs.cli.scale_options import ExecutorOption, SchedulerOption, WorkersOption

__all__ = ["app", "main"]

HELP = """Plan, operate and monitor Positive Energy Districts.

Exit codes: 0 success; 1 a scenario or data file has problems, or a run failed; 2 usage error
(unknown option, bad value, a path that cannot be used)."""

app = typer.Typer(
    name="sparcs",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        console.print(f"sparcs {__version__}", highlight=False)
        raise typer.Exit


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="print the version and exit"
        ),
    ] = False,
) -> None:
    pass


@app.command()
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="scenario files (TOML) or folders of them to check")
    ],
) -> None:
    """Check scenario files, and the files they name, without running anything."""
    from sparcs.cli.validate_cmd import validate_files

    validate_files(files)


@app.command()
def cities() -> None:
    """List the embedded SPARCS cities with their climate and default factor sets."""
    from sparcs.report.terminal import cities_table

    console.print(cities_table())


@app.command()
def profiles(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("sparcs-profiles"),
) -> None:
    """Write weather and every building's profiles to Parquet and draw a week and a year."""
    from sparcs.cli.profiles_cmd import profiles_to_files

    profiles_to_files(scenario, out)


@app.command("run")
def run_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help=(
                "scenario files or folders of them (every *.toml); none = all bundled city examples"
            )
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help=escape(
                "output folder; each run writes to <out>/<scenario>/ (<out>/<scenario>/<strategy>/ "
                "with several strategies)"
            ),
        ),
    ] = Path("sparcs-out"),
    compare: Annotated[
        bool,
        typer.Option(
            "--compare",
            help="set the runs side by side and write comparison.html and .csv to --out",
        ),
    ] = False,
    strategy: Annotated[
        str,
        typer.Option(
            help="operation strategy: rule, optimal or mpc; comma-separated to compare them"
        ),
    ] = "rule",
    horizon_h: Annotated[
        float | None,
        typer.Option("--horizon-h", help=escape("mpc: planning horizon [h]; default 48")),
    ] = None,
    step_h: Annotated[
        float | None,
        typer.Option("--step-h", help=escape("mpc: hours committed per plan [h]; default 24")),
    ] = None,
    forecast: Annotated[
        str | None, typer.Option(help="mpc: persistence (default), seasonal or perfect")
    ] = None,
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Simulate districts for a year, print KPIs and the PED verdict, write reports."""
    from sparcs.cli.run_cmd import run_scenarios

    run_scenarios(
        files,
        out=out,
        compare=compare,
        strategy=strategy,
        horizon_h=horizon_h,
        step_h=step_h,
        forecast=forecast,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
    )


@app.command("green-hours")
def green_hours_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    start: Annotated[
        str,
        typer.Option(
            "--start",
            help=(
                "first hour, local time of the scenario, ISO 8601: 2025-06-01 or 2025-06-01T17:00"
            ),
        ),
    ],
    hours: Annotated[int, typer.Option("--hours", help=escape("length of the window [h]"))] = 48,
    forecast: Annotated[
        str, typer.Option(help="'profile' (simulated data) or 'persistence' (the day before)")
    ] = "profile",
    reference: Annotated[
        str, typer.Option(help="CO2 terciles of the 'window' or of the whole 'year'")
    ] = "window",
    json_file: Annotated[
        Path | None, typer.Option("--json", help="write the signal as JSON")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="write a chart as HTML")] = None,
) -> None:
    """Traffic light per hour: when local surplus or a clean grid make electricity green."""
    from sparcs.cli.signals_cmd import show_green_hours

    show_green_hours(
        scenario,
        start=start,
        hours=hours,
        forecast=forecast,
        reference=reference,
        json_file=json_file,
        html=html,
    )


@app.command("flexibility")
def flexibility_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help=(
                "first hour, local time, ISO 8601 (2025-06-01T17:00); "
                "default the first simulated hour"
            ),
        ),
    ] = None,
    hours: Annotated[
        int | None, typer.Option("--hours", help="number of hours; default to the end of the year")
    ] = None,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="write the flexibility as JSON")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="write a chart as HTML")] = None,
) -> None:
    """Upward and downward flexibility per hour and asset type of a rule-based run."""
    from sparcs.cli.signals_cmd import show_flexibility

    show_flexibility(scenario, start=start, hours=hours, json_file=json_file, html=html)


@app.command("flex-request")
def flex_request_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    start: Annotated[
        str,
        typer.Option(
            "--start", help=("first hour of the cut, local time, ISO 8601, e.g. 2025-01-15T17:00")
        ),
    ],
    end: Annotated[
        str, typer.Option("--end", help="end of the cut (exclusive), local time, ISO 8601")
    ],
    reduce_kw: Annotated[
        float, typer.Option("--reduce-kw", help=escape("cut of the district's import [kW]"))
    ],
    json_file: Annotated[
        Path | None, typer.Option("--json", help="write the answer as JSON")
    ] = None,
) -> None:
    """Answer "cut district import by N kW from 17:00 to 19:00": re-dispatch, kW delivered, cost."""
    from sparcs.cli.signals_cmd import answer_flex_request

    answer_flex_request(scenario, start=start, end=end, reduce_kw=reduce_kw, json_file=json_file)


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML) of the district as it is")],
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target",
            help="ped (PEB >= 0 and net-zero GHG), ped:<kWh_PE/a>, co2:<t CO2/a>, ghg (net zero), "
            "ghg:<t CO2-eq/a> or ss:<percent>; repeat for more",
        ),
    ] = None,
    budget: Annotated[
        float | None, typer.Option("--budget", help=escape("largest total investment [EUR]"))
    ] = None,
    typical_days: Annotated[
        int | None,
        typer.Option(
            "--typical-days",
            help="typical days to operate on (0 = every hour of the year; default 12, "
            "8 from 50 buildings)",
        ),
    ] = None,
    pareto: Annotated[
        int,
        typer.Option("--pareto", help="points of the cost-CO2 front (0 = none, else 2 or more)"),
    ] = 0,
    costs: Annotated[
        Path | None, typer.Option("--costs", help="TOML file of cost overrides")
    ] = None,
    retrofit: Annotated[
        str, typer.Option(help="retrofit packages to offer: all, none or a comma-separated list")
    ] = "all",
    verify: Annotated[
        bool,
        typer.Option(
            "--verify/--no-verify",
            help="operate the rounded plan over the full year and tighten "
            "the plan until every target holds there",
        ),
    ] = True,
    discrete: Annotated[
        bool,
        typer.Option(
            "--discrete",
            help="yes/no decisions: whole retrofit packages per building, equipment "
            "in catalogue sizes (a MILP; slower)",
        ),
    ] = False,
    verify_strategy: Annotated[
        str,
        typer.Option(
            "--verify-strategy", help="operation the targets must hold with: optimal or rule"
        ),
    ] = "optimal",
    error_tolerance: Annotated[
        float,
        typer.Option(
            "--error-tolerance",
            help=escape(
                "largest typical-day error against the full-year re-run "
                "before the typical days are doubled [%]"
            ),
        ),
    ] = 2.0,
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("sparcs-plan"),
) -> None:
    """Size PV, batteries, heat pumps, tanks and retrofits to meet targets at least cost."""
    from sparcs.cli.plan_cmd import plan_and_report

    plan_and_report(
        scenario,
        targets=list(target or []),
        budget=budget,
        typical_days=typical_days,
        pareto=pareto,
        costs=costs,
        retrofit=retrofit,
        verify=verify,
        discrete=discrete,
        verify_strategy=verify_strategy,
        error_tolerance_pct=error_tolerance,
        out=out,
    )


from sparcs.cli.baseline_cmd import baseline_command  # noqa: E402  (registered with the others)

app.command("baseline")(baseline_command)

from sparcs.cli.export_cmd import export_command  # noqa: E402  (registered with the others)

app.command("export")(export_command)


def _store_commands() -> None:
    from sparcs.cli.store_cmd import ingest_command, store_app

    app.command("ingest")(ingest_command)
    app.add_typer(store_app)


_store_commands()

from sparcs.cli.monitor_cmd import monitor_command  # noqa: E402  (registered with the others)

app.command("monitor")(monitor_command)

from sparcs.cli.serve_cmd import serve_command  # noqa: E402  (registered with the others)
from sparcs.cli.token_cmd import token_app  # noqa: E402

app.command("serve")(serve_command)
app.add_typer(token_app)

from sparcs.cli.operate_cmd import operate_command, override_command  # noqa: E402
from sparcs.cli.operation_review_cmd import (  # noqa: E402  (registered with the others)
    forecast_quality_command,
    operation_value_command,
)

app.command("operate")(operate_command)
app.command("override")(override_command)
app.command("operation-value")(operation_value_command)
app.command("forecast-quality")(forecast_quality_command)

from sparcs.cli.sweep_cmd import sweep_command  # noqa: E402  (registered with the others)

app.command("sweep")(sweep_command)

from sparcs.cli.network_cmd import network_command  # noqa: E402  (registered with the others)

app.command("network")(network_command)

from sparcs.cli.stock_cmd import stock_command  # noqa: E402  (registered with the others)

app.command("stock")(stock_command)

from sparcs.cli.replicate_cmd import replicate_command  # noqa: E402  (registered with the others)

app.command("replicate")(replicate_command)

from sparcs.cli.community_cmd import community_app  # noqa: E402  (registered with the others)

app.add_typer(community_app)


def main() -> None:
    """Entry point of the ``sparcs`` console script."""
    app()
