"""``sparcs replicate``: a lighthouse district screened in fellow cities, as replication.csv.

Registered in :mod:`sparcs.cli.app`. Each target city is one run on ``--executor``; the method
is in :mod:`sparcs.network.replicate` and docs/network.md ("Replication screening").
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sparcs.cli._console import UsageError, console, err_console, user_errors
from sparcs.cli._inputs import check_output_folder, load_checked, scenario_file
from sparcs.cli.scale_options import ExecutorOption, SchedulerOption, WorkersOption, executor_spec
from sparcs.data import city_names
from sparcs.network.replicate import ReplicationRecord, replicate_district, replication_table
from sparcs.scale import PointError, map_points

__all__ = ["FELLOW_CITIES", "replicate_command"]

#: The SPARCS fellow cities, the default targets.
FELLOW_CITIES = ("reykjavik", "maia", "lviv", "kifissia", "kladno")


def _table(records: list[ReplicationRecord]) -> Table:
    table = Table(title="replication screening (each city's own factors, tariff and climate)")
    for name in ("city", "PED class", "PEB kWh_PE/m2", "PV yield kWh/kWp", "net cost EUR/a"):
        table.add_column(name, justify="left" if name in ("city", "PED class") else "right")
    table.add_column("what it takes", overflow="fold")
    for r in records:
        advice = r.advice
        if r.adjustment is not None and r.adjustment.status == "planned":
            a = r.adjustment
            advice = (
                f"the planner reaches PED with: {a.message} "
                f"({a.capex_eur:,.0f} EUR invested, {a.annual_cost_change_eur:+,.0f} EUR/a)"
            )
        elif r.adjustment is not None:
            advice = f"planner: {r.adjustment.message}"
        table.add_row(
            escape(r.city),
            r.ped_class,
            f"{r.peb_per_m2:,.1f}",
            f"{r.pv_yield:,.0f}",
            f"{r.net_energy_cost:,.0f}",
            escape(advice),
        )
    return table


def replicate_command(
    scenario: Annotated[Path, typer.Argument(help="the lighthouse scenario file")],
    to: Annotated[
        str,
        typer.Option(
            "--to", help="target cities, comma-separated; default: the five fellow cities"
        ),
    ] = ",".join(FELLOW_CITIES),
    out: Annotated[Path, typer.Option("--out", help="folder for replication.csv")] = Path(
        "sparcs-replicate"
    ),
    plan: Annotated[
        bool,
        typer.Option(
            "--plan",
            help="where the district is not PED, run the planner with the PED target: "
            "the measures and their cost, or why none on site suffice",
        ),
    ] = False,
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Move a district's buildings and measures to other cities and screen if PED holds there."""
    with user_errors():
        path = scenario_file(scenario, "replicate")
        cities = [c.strip().lower() for c in to.split(",") if c.strip()]
        unknown = [c for c in cities if c not in city_names()]
        if unknown or not cities:
            named = ", ".join(unknown) or repr(to)
            msg = f"--to {named}: choose from {', '.join(city_names())}"
            raise UsageError(msg)
        spec = executor_spec(executor, workers, scheduler)
        check_output_folder(out)
        load_checked(path)
        points = [(path, city) for city in cities]
        records: dict[int, ReplicationRecord] = {}
        failed = []
        with console.status(f"replicating to {len(cities)} cities on {spec.kind}"):
            task = partial(replicate_district, adjust=plan)
            for outcome in map_points(task, points, cities, spec):
                if outcome.value is None:
                    failed.append((outcome.label, outcome.error))
                else:
                    records[outcome.index] = outcome.value
        ordered = [records[i] for i in sorted(records)]
        console.print(_table(ordered))
        out.mkdir(parents=True, exist_ok=True)
        replication_table(ordered).to_csv(out / "replication.csv", index=False)
        console.print(f"wrote {escape(str(out / 'replication.csv'))}")
        if failed:
            for city, error in failed:
                err_console.print(f"[red]-[/] {escape(city)}: {escape(error)}", highlight=False)
            msg = f"{len(failed)} of {len(cities)} cities failed (listed above)"
            raise PointError(msg)
