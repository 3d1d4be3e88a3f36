"""``sparcs sweep``: the cartesian product of scenario values, on an executor, as one table.

Registered in :mod:`sparcs.cli.app`. The points run on ``--executor`` (``local``, ``processes``
or ``dask``); each finished point is printed as it arrives, and ``--out`` gets ``sweep.csv``
(parameter columns, then the KPI columns) with every point that completed, also when others
failed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sparcs.cli._console import UsageError, console, err_console, user_errors
from sparcs.cli._inputs import check_output_folder, load_checked, scenario_file
from sparcs.cli.run_cmd import parse_strategies
from sparcs.cli.scale_options import ExecutorOption, SchedulerOption, WorkersOption, executor_spec
from sparcs.errors import ScenarioError
from sparcs.scale import Outcome, PointError
from sparcs.sweep import PointResult, SweepResult, parse_param, run_sweep

__all__ = ["HEADLINE", "sweep_command", "sweep_summary"]

#: The KPI columns the terminal table shows (sweep.csv has all of them).
HEADLINE = (
    "peb [kWh_PE]",
    "self_sufficiency [%]",
    "co2_net [kg CO2-eq]",
    "net_energy_cost [EUR]",
    "peak_import [kW]",
)


def sweep_summary(result: SweepResult) -> Table:
    """The terminal table: parameters, PED class and the :data:`HEADLINE` KPIs per point."""
    table = Table(title=f"sweep: {len(result.table)} of {result.n_points} points")
    frame = result.table
    kpis = [c for c in HEADLINE if c in frame.columns]
    params = [c for c in frame.columns if c not in kpis and " [" not in c]
    params = [c for c in params if c not in ("ped_class", "ghg_net_zero")]
    for column in [*params, "ped_class", *kpis]:
        if column in frame.columns:
            table.add_column(escape(column), justify="left" if column in params else "right")
    for _, row in frame.iterrows():
        cells = [escape(str(row[c])) for c in params] + [str(row["ped_class"])]
        table.add_row(*cells, *(f"{row[c]:,.0f}" for c in kpis))
    return table


def _line(outcome: Outcome[PointResult]) -> str:
    if outcome.value is None:
        return f"[red]failed[/] {escape(outcome.label)}: {escape(outcome.error)}"
    kpis = outcome.value.kpis
    return (
        f"[green]done[/] {escape(outcome.label)}: {kpis['ped_class']}, "
        f"PEB {float(kpis['peb [kWh_PE]']):,.0f} kWh_PE"
    )


def _store(db: str, result: SweepResult, name: str, strategy: str) -> None:
    from sparcs.store import open_store
    from sparcs.sweep.store import store_sweep

    with open_store(db) as store:
        stored = store_sweep(store, result, name=name, strategy=strategy)
    runs = [p.run_id for p in stored.points]
    console.print(
        f"stored {len(runs)} points in {escape(db)} as sweep {stored.sweep_id} "
        f"(runs {runs[0]}-{runs[-1]})"
        if runs
        else f"no points to store in {escape(db)}"
    )


def sweep_command(
    scenario: Annotated[Path, typer.Argument(help="scenario file")],
    param: Annotated[
        list[str],
        typer.Option(
            "--param",
            help=escape(
                "PATH=V1,V2,... e.g. buildings[*].pv.kwp=0,50,100 or tariff.kind=flat,tou; "
                "repeat for a cartesian product; 0 for an asset's size removes the asset"
            ),
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="folder for sweep.csv (one row per point)")
    ] = None,
    strategy: Annotated[
        str, typer.Option(help="operation strategy: rule, optimal or mpc")
    ] = "rule",
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="also keep every point as a scenario and a run in this database "
            "(a DuckDB file or a postgresql:// URL)",
        ),
    ] = None,
) -> None:
    """Run a scenario for every combination of parameter values; one row of KPIs per point."""
    with user_errors():
        path = scenario_file(scenario, "sweep")
        spec = executor_spec(executor, workers, scheduler)
        strategies = parse_strategies(strategy)
        if len(strategies) > 1:
            msg = "--strategy takes one strategy in a sweep; sweep several by running it again"
            raise UsageError(msg)
        try:
            params = [parse_param(text) for text in param]
        except ScenarioError as exc:
            raise UsageError(str(exc)) from None
        if out is not None:
            check_output_folder(out)
        base = load_checked(path)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
        )
        n = math.prod(len(p.values) for p in params)
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"sweep on {spec.kind}", total=n)

            def on_result(outcome: Outcome[PointResult]) -> None:
                progress.console.print(_line(outcome), highlight=False)
                progress.advance(task)

            result = run_sweep(
                base, params, executor=spec, strategy=strategies[0], on_result=on_result
            )
        console.print(sweep_summary(result))
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            result.table.to_csv(out / "sweep.csv", index=False)
            console.print(f"wrote {escape(str(out / 'sweep.csv'))}")
        if db is not None:
            _store(db, result, base.name, strategies[0])
        if result.errors:
            for label, error in result.errors:
                err_console.print(f"[red]-[/] {escape(label)}: {escape(error)}", highlight=False)
            msg = (
                f"{len(result.errors)} of {result.n_points} sweep points failed (listed above); "
                f"the other {len(result.table)} are in the table"
            )
            raise PointError(msg)
