"""Typer application: ``sparcs validate | cities | profiles | run | green-hours | flexibility | flex-request | plan | baseline | ingest | store info | monitor | export``.

Every command checks its paths and options before any work starts (:mod:`._inputs`), prints
user text escaped (file names such as ``maia[draft].toml`` survive), and ends with the exit
codes of :mod:`._console`: 0 ok, 1 failed file or run, 2 usage error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, get_args

import typer
from rich.markup import escape
from rich.table import Table

from sparcs import __version__
from sparcs.cli._console import (
    UsageError,
    console,
    err_console,
    print_error,
    say,
    user_errors,
)
from sparcs.cli._inputs import (
    check_output_file,
    check_output_folder,
    load_checked,
    parse_time_option,
    scenario_file,
    scenario_files,
)
from sparcs.data import city_names, get_city, get_factor_set
from sparcs.errors import Problem, ScenarioError, SparcsError

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
    with user_errors():
        paths = scenario_files(files)
    failed = 0
    for path in paths:
        try:
            scenario = load_checked(path)
        except SparcsError as exc:
            failed += 1
            err_console.print(f"[bold red]FAIL[/] {escape(str(path))}", highlight=False)
            print_error(exc)
            continue
        console.print(
            f"[bold green]ok[/]   {escape(str(path))}: {escape(repr(scenario.name))}, "
            f"{len(scenario.buildings)} buildings",
            highlight=False,
        )
    if failed:
        err_console.print(f"{failed} of {len(paths)} file(s) have problems")
        raise typer.Exit(code=1)


@app.command()
def cities() -> None:
    """List the embedded SPARCS cities with their climate and default factor sets."""
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
        table.add_column(
            escape(column), justify="right" if "[" in column or column in ("lat", "lon") else "left"
        )
    for key in city_names():
        city = get_city(key)
        factors = get_factor_set(city.factor_set)
        table.add_row(
            *(
                escape(cell)
                for cell in (
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
            )
        )
    console.print(table)


def _print_paths(paths: dict[str, Path]) -> None:
    for kind, path in paths.items():
        say(f"{kind:>10}: {path}")


@app.command()
def profiles(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("sparcs-profiles"),
) -> None:
    """Write weather and every building's profiles to Parquet and draw a week and a year."""
    from sparcs.cli.profiles_cmd import write_profiles

    with user_errors():
        path = scenario_file(scenario, "profiles")
        load_checked(path)
        check_output_folder(out)
        with console.status("computing weather and profiles"):
            paths = write_profiles(path, out)
    _print_paths(paths)


def _mpc_options(
    strategies: Sequence[str], horizon_h: float | None, step_h: float | None, forecast: str | None
) -> dict[str, Any]:
    """The mpc settings; refused when given for strategies they do not apply to."""
    from sparcs.operation.optimal.forecast import Forecast

    given = {"--horizon-h": horizon_h, "--step-h": step_h, "--forecast": forecast}
    if "mpc" not in strategies:
        for option, value in given.items():
            if value is not None:
                msg = (
                    f"{option} applies only to --strategy mpc, not to "
                    f"{', '.join(strategies)}; drop {option} or run "
                    f"--strategy {','.join([*strategies, 'mpc'])}"
                )
                raise UsageError(msg)
    if forecast is not None and forecast not in get_args(Forecast):
        msg = f"--forecast {forecast!r} is not known; choose {', '.join(get_args(Forecast))}"
        raise UsageError(msg)
    for option, value in (("--horizon-h", horizon_h), ("--step-h", step_h)):
        if value is not None and not value > 0:
            msg = f"{option} must be a positive number of hours, got {value:g}"
            raise UsageError(msg)
    return {
        "horizon_h": 48.0 if horizon_h is None else horizon_h,
        "step_h": 24.0 if step_h is None else step_h,
        "forecast": forecast or "persistence",
    }


def _load_all(paths: list[Path]) -> None:
    """Check every scenario file before the first run starts; all problems at once."""
    problems: list[Problem] = []
    for path in paths:
        try:
            load_checked(path)
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)


@app.command("run")
def run_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="scenario files or folders of them (every *.toml); none = all bundled city examples"
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
) -> None:
    """Simulate districts for a year, print KPIs and the PED verdict, write reports."""
    from sparcs.cli.run_cmd import bundled_examples, parse_strategies, plan_jobs, run_many

    with user_errors():
        paths = scenario_files(files) if files else bundled_examples()
        strategies = parse_strategies(strategy)
        settings = _mpc_options(strategies, horizon_h, step_h, forecast)
        check_output_folder(out)
        _load_all(paths)
        jobs, notes = plan_jobs(paths, strategies, out)
        for note in notes:
            say(f"note: {note}", style="yellow")
        results = run_many(jobs, **settings)
    _print_results(results, {job.label: job.folder for job in jobs}, out, compare)


def _print_results(
    results: dict[str, Any], folders: dict[str, Path], out: Path, compare: bool
) -> None:
    from sparcs.cli.compare import comparison_tables, write_comparison
    from sparcs.report import kpi_table, verdict_panel

    if len(results) == 1 and not compare:
        ((label, result),) = results.items()
        console.print(verdict_panel(result.kpis))
        console.print(kpi_table(result.kpis))
        say(f"report: {folders[label] / 'report.html'}")
        return
    for table in comparison_tables({name: r.kpis for name, r in results.items()}, console.width):
        console.print(table)
    for label, result in results.items():
        say(
            f"{label} ({result.scenario.name}): {result.kpis.verdict.ped_class}, "
            f"report {folders[label] / 'report.html'}"
        )
    if compare:
        with user_errors():
            paths = write_comparison(out, results, folders)
        say(f"comparison: {paths['html']} and {paths['csv']}")


def _write_outputs(
    result: Any,
    json_file: Path | None,
    html: Path | None = None,
    figure: Callable[[], Any] | None = None,
) -> None:
    """Write ``result`` as JSON and its chart as HTML where asked, and say where."""
    if json_file is not None:
        result.to_json(json_file)
        say(f"json: {json_file}")
    if html is not None and figure is not None:
        from sparcs.report.signal_charts import write_figure_html

        write_figure_html(figure(), html)
        say(f"chart: {html}")


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
    from sparcs.cli.signals_cmd import green_hours_table, run_green_hours
    from sparcs.report.signal_charts import green_hours_figure

    with user_errors():
        path = scenario_file(scenario, "green-hours")
        start = parse_time_option(start, "--start") or start
        check_output_file(json_file, "--json")
        check_output_file(html, "--html")
        load_checked(path)
        with console.status("simulating the district"):
            run, signal = run_green_hours(
                path, start=start, hours=hours, forecast=forecast, reference=reference
            )
        console.print(green_hours_table(signal, run.scenario.name))
        _write_outputs(
            signal,
            json_file,
            html,
            lambda: green_hours_figure(signal, f"{run.scenario.name}: green hours"),
        )


@app.command("flexibility")
def flexibility_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help=(
                "first hour, local time, ISO 8601 (2025-06-01T17:00); default the first simulated hour"
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
    from sparcs.cli.signals_cmd import flexibility_tables, run_flexibility
    from sparcs.report.signal_charts import flexibility_figure

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
    from sparcs.cli.signals_cmd import flex_request_table, run_flex_request

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


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML) of the district as it is")],
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target", help="ped, ped:<kWh_PE/a>, co2:<t CO2/a> or ss:<percent>; repeat for more"
        ),
    ] = None,
    budget: Annotated[
        float | None, typer.Option("--budget", help=escape("largest total investment [EUR]"))
    ] = None,
    typical_days: Annotated[
        int,
        typer.Option(
            "--typical-days", help="typical days to operate on (0 = every hour of the year)"
        ),
    ] = 12,
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
    from sparcs.cli.plan_cmd import actors_table, plan_config, plan_table, run_plan

    with user_errors():
        path = scenario_file(scenario, "plan")
        config = plan_config(
            list(target or []),
            budget,
            typical_days,
            pareto,
            costs,
            retrofit,
            verify,
            error_tolerance,
            verify_strategy=verify_strategy,
            discrete=discrete,
        )
        check_output_folder(out)
        load_checked(path)
        with console.status("planning: profiles, sizing LP, economics, re-run"):
            result, paths = run_plan(path, out_dir=out, config=config)
    console.print(plan_table(result))
    actors = actors_table(result)
    if actors is not None:
        console.print(actors)
    check = result.verification
    if check is not None and not check.targets_hold:
        console.print(
            f"[bold red]not every target holds on the full period[/]: "
            f"{escape(check.unmet_reason)}; the plan written is the nearest one found"
        )
    _print_paths(paths)


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

from sparcs.cli.community_cmd import community_app  # noqa: E402  (registered with the others)

app.add_typer(community_app)


def main() -> None:
    """Entry point of the ``sparcs`` console script."""
    app()
