"""``sparcs network``: every district on the harmonised basis, as network.csv and network.html.

Registered in :mod:`sparcs.cli.app`. With no files, the bundled examples of the seven SPARCS
cities run; the districts run on ``--executor`` and are printed as they complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sparcs.cli._console import console, err_console, user_errors
from sparcs.cli._inputs import check_output_folder, load_checked, scenario_files
from sparcs.cli.run_cmd import bundled_examples
from sparcs.cli.scale_options import ExecutorOption, SchedulerOption, WorkersOption, executor_spec
from sparcs.network import DistrictRecord
from sparcs.scale import Outcome, PointError
from sparcs.scale.network_run import NetworkResult, run_network

__all__ = ["network_command", "network_summary"]


def network_summary(result: NetworkResult) -> Table:
    """The terminal table: rank, city, district, PED class, PEB and energy per m2, driver."""
    table = Table(title="network benchmark (harmonised factors eu-harmonised-2024)")
    for name in ("#", "city", "district", "PED class", "PEB kWh_PE/m2", "FE kWh/m2 (clim.)"):
        table.add_column(name, justify="right" if "kWh" in name or name == "#" else "left")
    table.add_column("what drives the gap", overflow="fold")
    for _, row in result.table.iterrows():
        table.add_row(
            str(row["rank_peb"]),
            escape(str(row["city"])),
            escape(str(row["district"])),
            str(row["ped_class"]),
            f"{row['peb_per_m2 [kWh_PE/m2]']:,.1f}",
            f"{row['final_energy_per_m2_climate [kWh/m2]']:,.1f}",
            escape(str(row["gap_driver"])),
        )
    return table


def network_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="scenario files or folders of them; none = the seven cities' examples"),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="folder for network.csv and network.html")
    ] = Path("sparcs-network"),
    hdd_ref: Annotated[
        float | None,
        typer.Option(
            "--hdd-ref",
            help="reference degree days G20/15 of the climate correction [K d]; "
            "default: the mean of the districts",
        ),
    ] = None,
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Benchmark districts of many cities on one harmonised basis: ranks and gap drivers."""
    with user_errors():
        paths = scenario_files(files) if files else bundled_examples()
        spec = executor_spec(executor, workers, scheduler)
        check_output_folder(out)
        for path in paths:
            load_checked(path)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"districts on {spec.kind}", total=len(paths))

            def on_result(outcome: Outcome[DistrictRecord]) -> None:
                name = escape(Path(outcome.label).name)
                if outcome.value is None:
                    line = f"[red]failed[/] {name}: {escape(outcome.error)}"
                else:
                    line = f"[green]done[/] {name}: {outcome.value.ped_class}"
                progress.console.print(line, highlight=False)
                progress.advance(task)

            result = run_network(paths, executor=spec, hdd_ref=hdd_ref, on_result=on_result)
        console.print(network_summary(result))
        written = result.write(out)
        for path in written.values():
            console.print(f"wrote {escape(str(path))}")
        if result.errors:
            for label, error in result.errors:
                err_console.print(f"[red]-[/] {escape(label)}: {escape(error)}", highlight=False)
            msg = f"{len(result.errors)} of {len(paths)} districts failed (listed above)"
            raise PointError(msg)
