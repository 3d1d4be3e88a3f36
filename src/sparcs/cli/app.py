"""Typer application: ``sparcs validate | cities | profiles | run``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
    strategy: Annotated[str, typer.Option(help="operation strategy")] = "rule",
) -> None:
    """Simulate districts for a year, print KPIs and the PED verdict, write reports."""
    from sparcs.cli.run_cmd import bundled_examples, run_many
    from sparcs.report import comparison_table, kpi_table, verdict_panel

    with user_errors():
        paths = list(files) if files else bundled_examples()
        results = run_many(paths, out_dir=out, strategy=strategy)
    if len(results) == 1 and not compare:
        (name, result), = results.items()
        console.print(verdict_panel(result.kpis))
        console.print(kpi_table(result.kpis))
        console.print(f"report: {out / 'report.html'}", highlight=False)
        return
    console.print(comparison_table({name: r.kpis for name, r in results.items()}))
    console.print(f"reports: {out}/<scenario>/report.html", highlight=False)


def main() -> None:
    """Entry point of the ``sparcs`` console script."""
    app()
