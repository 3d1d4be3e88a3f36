"""Typer application: ``sparcs validate | cities | profiles | run | green-hours | flexibility | flex-request``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sparcs.cli._console import console, err_console, print_error, user_errors
from sparcs.data import city_names, get_city, get_factor_set
from sparcs.errors import SparcsError
from sparcs.scenario import load_scenario

__all__ = ["app", "main"]

app = typer.Typer(
    name="sparcs",
    help="Plan, operate and monitor Positive Energy Districts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="scenario files (TOML) to check")],
) -> None:
    """Check scenario files without running anything; exit non-zero on any problem."""
    failed = 0
    for path in files:
        try:
            scenario = load_scenario(path)
        except SparcsError as exc:
            failed += 1
            err_console.print(f"[bold red]FAIL[/] {path}", highlight=False)
            print_error(exc)
            continue
        console.print(
            f"[bold green]ok[/]   {path}: {scenario.name!r}, {len(scenario.buildings)} buildings",
            highlight=False,
        )
    if failed:
        err_console.print(f"{failed} of {len(files)} file(s) have problems")
        raise typer.Exit(code=1)


@app.command()
def cities() -> None:
    """List the embedded SPARCS cities with their climate and default factor sets."""
    table = Table(title="Embedded SPARCS cities", title_justify="left")
    for column in ("key", "city", "country", "lat", "lon", "time zone", "T mean [°C]",
                   "GHI [kWh/m²a]", "factor set", "grid CO2 [g/kWh]"):
        table.add_column(column, justify="right" if "[" in column or column in ("lat", "lon") else "left")
    for key in city_names():
        city = get_city(key)
        factors = get_factor_set(city.factor_set)
        table.add_row(
            key, city.name, city.country, f"{city.latitude:.2f}", f"{city.longitude:.2f}",
            city.timezone, f"{sum(city.temp_c) / 12:.1f}", f"{city.annual_ghi_kwh_m2:.0f}",
            city.factor_set, f"{factors['electricity'].co2_kg_per_kwh * 1000:.0f}",
        )
    console.print(table)


@app.command()
def profiles(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("sparcs-profiles"),
) -> None:
    """Write weather and every building's profiles to Parquet and draw a week and a year."""
    from sparcs.cli.profiles_cmd import write_profiles

    with user_errors(), console.status("computing weather and profiles"):
        paths = write_profiles(scenario, out)
    for kind, path in paths.items():
        console.print(f"{kind:>10}: {path}", highlight=False)


@app.command("run")
def run_command(
    files: Annotated[list[Path] | None, typer.Argument(help="scenario files; none = all bundled city examples")] = None,
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("sparcs-out"),
    compare: Annotated[bool, typer.Option("--compare", help="set the scenarios side by side")] = False,
    strategy: Annotated[str, typer.Option(
        help="operation strategy: rule, optimal or mpc; comma-separated to compare them")] = "rule",
    horizon_h: Annotated[float, typer.Option("--horizon-h", help="mpc: planning horizon [h]")] = 48.0,
    step_h: Annotated[float, typer.Option("--step-h", help="mpc: hours committed per plan")] = 24.0,
    forecast: Annotated[str, typer.Option(help="mpc: persistence, seasonal or perfect")] = "persistence",
) -> None:
    """Simulate districts for a year, print KPIs and the PED verdict, write reports."""
    from sparcs.cli.run_cmd import bundled_examples, run_many
    from sparcs.report import comparison_table, kpi_table, verdict_panel

    with user_errors():
        paths = list(files) if files else bundled_examples()
        results = run_many(paths, out_dir=out, strategy=strategy, horizon_h=horizon_h,
                           step_h=step_h, forecast=forecast)
    if len(results) == 1 and not compare:
        (name, result), = results.items()
        console.print(verdict_panel(result.kpis))
        console.print(kpi_table(result.kpis))
        console.print(f"report: {out / 'report.html'}", highlight=False)
        return
    console.print(comparison_table({name: r.kpis for name, r in results.items()}))
    console.print(f"reports: {out}/<run>/report.html", highlight=False)


@app.command("green-hours")
def green_hours_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    start: Annotated[str, typer.Option("--start", help="first hour, local time of the scenario, e.g. 2025-06-01T00:00")],
    hours: Annotated[int, typer.Option("--hours", help="length of the window [h]")] = 48,
    forecast: Annotated[str, typer.Option(help="'profile' (simulated data) or 'persistence' (the day before)")] = "profile",
    reference: Annotated[str, typer.Option(help="CO2 terciles of the 'window' or of the whole 'year'")] = "window",
    json_file: Annotated[Path | None, typer.Option("--json", help="write the signal as JSON")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="write a chart as HTML")] = None,
) -> None:
    """Traffic light per hour: when local surplus or a clean grid make electricity green."""
    from sparcs.cli.signals_cmd import green_hours_table, run_green_hours
    from sparcs.report.signal_charts import green_hours_figure

    with user_errors(), console.status("simulating the district"):
        run, signal = run_green_hours(scenario, start=start, hours=hours, forecast=forecast,
                                      reference=reference)
    console.print(green_hours_table(signal, run.scenario.name))
    _write_outputs(signal, json_file, html,
                   lambda: green_hours_figure(signal, f"{run.scenario.name}: green hours"))


def _write_outputs(result: Any, json_file: Path | None, html: Path | None = None,
                   figure: Callable[[], Any] | None = None) -> None:
    """Write ``result`` as JSON and its chart as HTML where asked, and say where."""
    if json_file is not None:
        result.to_json(json_file)
        console.print(f"json: {json_file}", highlight=False)
    if html is not None and figure is not None:
        from sparcs.report.signal_charts import write_figure_html

        write_figure_html(figure(), html)
        console.print(f"chart: {html}", highlight=False)


@app.command("flexibility")
def flexibility_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    start: Annotated[str | None, typer.Option("--start", help="first hour, local time; default the first simulated hour")] = None,
    hours: Annotated[int | None, typer.Option("--hours", help="number of hours; default to the end of the year")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="write the flexibility as JSON")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="write a chart as HTML")] = None,
) -> None:
    """Upward and downward flexibility per hour and asset type of a rule-based run."""
    from sparcs.cli.signals_cmd import flexibility_tables, run_flexibility
    from sparcs.report.signal_charts import flexibility_figure

    with user_errors(), console.status("simulating the district"):
        run, flex = run_flexibility(scenario, start=start, hours=hours)
    for table in flexibility_tables(flex, run.scenario.name):
        console.print(table)
    _write_outputs(flex, json_file, html,
                   lambda: flexibility_figure(flex, f"{run.scenario.name}: flexibility"))


@app.command("flex-request")
def flex_request_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML)")],
    start: Annotated[str, typer.Option("--start", help="first hour of the cut, local time, e.g. 2025-01-15T17:00")],
    end: Annotated[str, typer.Option("--end", help="end of the cut (exclusive), local time")],
    reduce_kw: Annotated[float, typer.Option("--reduce-kw", help="cut of the district's import [kW]")],
    json_file: Annotated[Path | None, typer.Option("--json", help="write the answer as JSON")] = None,
) -> None:
    """Answer "cut district import by N kW from 17:00 to 19:00": re-dispatch, kW delivered, cost."""
    from sparcs.cli.signals_cmd import flex_request_table, run_flex_request

    with user_errors(), console.status("optimising with and without the cut"):
        loaded, answer = run_flex_request(scenario, start=start, end=end, reduce_kw=reduce_kw)
    console.print(flex_request_table(answer, loaded.name))
    _write_outputs(answer, json_file)


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(help="scenario file (TOML) of the district as it is")],
    target: Annotated[list[str] | None, typer.Option(
        "--target", help="ped, ped:<kWh_PE/a>, co2:<t CO2/a> or ss:<percent>; repeat for more")] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="largest total investment [EUR]")] = None,
    typical_days: Annotated[int, typer.Option(
        "--typical-days", help="typical days to operate on (0 = every hour of the year)")] = 12,
    pareto: Annotated[int, typer.Option("--pareto", help="points of the cost-CO2 front (0 = none)")] = 0,
    costs: Annotated[Path | None, typer.Option("--costs", help="TOML file of cost overrides")] = None,
    retrofit: Annotated[str, typer.Option(
        help="retrofit packages to offer: all, none or a comma-separated list")] = "all",
    verify: Annotated[bool, typer.Option(
        "--verify/--no-verify", help="re-run the plan with full-year optimal operation")] = True,
    error_tolerance: Annotated[float, typer.Option(
        "--error-tolerance", help="largest typical-day error against the full-year re-run "
        "before the typical days are doubled [%]")] = 2.0,
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("sparcs-plan"),
) -> None:
    """Size PV, batteries, heat pumps, tanks and retrofits to meet targets at least cost."""
    from sparcs.cli.plan_cmd import plan_table, run_plan

    with user_errors(), console.status("planning: profiles, sizing LP, economics, re-run"):
        result, paths = run_plan(scenario, out_dir=out, targets=list(target or []), budget=budget,
                                 typical_days=typical_days, pareto=pareto, costs=costs,
                                 retrofit=retrofit, verify=verify,
                                 error_tolerance_pct=error_tolerance)
    console.print(plan_table(result))
    for kind, path in paths.items():
        console.print(f"{kind:>10}: {path}", highlight=False)


def main() -> None:
    """Entry point of the ``sparcs`` console script."""
    app()
