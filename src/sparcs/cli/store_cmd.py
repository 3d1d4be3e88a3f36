"""``sparcs ingest`` and ``sparcs store info``: meter files into the store, and what it holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sparcs.cli._console import UsageError, console, err_console, say, user_errors
from sparcs.cli._inputs import DB_HELP

if TYPE_CHECKING:
    from sparcs.store import Migration

__all__ = ["ingest_command", "store_app"]

store_app = typer.Typer(
    name="store", help="Inspect the store (meters, readings, flags).", no_args_is_help=True
)


def _check_files(files: list[Path]) -> None:
    for path in files:
        if path.is_dir():
            msg = f"{path} is a folder; give meter files, e.g. {path}/*.csv"
            raise UsageError(msg)
        if not path.is_file():
            msg = f"meter file {path} does not exist; check the name and the folder"
            raise UsageError(msg)


def _migrated(migration: Migration) -> None:
    say(f"store: applied migration {migration.version}: {migration.description}", style="yellow")


def ingest_command(
    files: Annotated[list[Path], typer.Argument(help="meter files (CSV, Datahub CSV, MSCONS)")],
    meters: Annotated[
        Path, typer.Option("--meters", help=escape("meter map (TOML of [[meters]] tables)"))
    ],
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="auto, csv, wide, datahub or mscons")
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="print the counts as JSON")] = False,
) -> None:
    """Store meter readings: one transaction per file, duplicates ignored, conflicts kept."""
    from sparcs.monitoring.ingest import FORMATS, load_meter_map
    from sparcs.store import ingest_files, open_store

    with user_errors():
        if fmt not in FORMATS:
            msg = f"--format {fmt!r} is not known; choose {', '.join(FORMATS)}"
            raise UsageError(msg)
        _check_files([*files, meters])
        meter_map = load_meter_map(meters)
        with open_store(db, on_migration=None if as_json else _migrated) as store:
            results = ingest_files(store, files, meter_map, fmt=fmt)
    failed = [r for r in results if r.error is not None]
    for result in failed:
        err_console.print(
            f"[bold red]error:[/] {escape(str(result.error))}", highlight=False, soft_wrap=True
        )  # one line per file: grep-able
    done = [r.result for r in results if r.result is not None]
    flagged: dict[str, int] = {}
    for r in done:
        for flag, n in r.flagged.items():
            flagged[flag] = flagged.get(flag, 0) + n
    total = {
        "accepted": sum(r.accepted for r in done),
        "duplicates": sum(r.duplicates for r in done),
        "conflicts": sum(r.conflicts for r in done),
        "rejected": sum(r.rejected for r in done),
        "flagged": flagged,
    }
    if as_json:
        typer.echo(json.dumps(total))
    else:
        for result in results:
            if result.result is not None:
                r = result.result
                flags = ", ".join(f"{k} {v}" for k, v in sorted(r.flagged.items())) or "none"
                say(
                    f"{result.path}: {r.accepted} accepted, {r.duplicates} duplicates, "
                    f"{r.conflicts} conflicts, {r.rejected} rejected; flagged: {flags}"
                )
    if failed:
        err_console.print(
            f"{len(failed)} of {len(results)} file(s) could not be ingested; the others are stored"
        )
        raise typer.Exit(code=1)


@store_app.command("info")
def info_command(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print as JSON")] = False,
) -> None:
    """List meters with reading counts, first and last time and flag counts."""
    from sparcs.store import open_store

    with user_errors(), open_store(db, on_migration=None if as_json else _migrated) as store:
        info = store.info()
        where = store.where
    if as_json:
        typer.echo(json.dumps({"meters": info}))
        return
    table = Table(title=f"meters in {escape(where)}", title_justify="left")
    for column in ("meter", "readings", "first (UTC)", "last (UTC)", "flags"):
        table.add_column(column, justify="right" if column == "readings" else "left")
    for meter, row in info.items():
        flags = ", ".join(f"{k} {v}" for k, v in sorted(row["flags"].items())) or "-"
        table.add_row(
            escape(meter),
            str(row["readings"]),
            row["first"] or "-",
            row["last"] or "-",
            escape(flags),
        )
    console.print(table)
