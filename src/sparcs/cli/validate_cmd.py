"""``sparcs validate``: check scenario files, and the files they name, without running anything.

Registered in :mod:`sparcs.cli.app`; every file is checked and every problem printed, so one
call lists all the mistakes of a folder of scenarios.
"""

from __future__ import annotations

from pathlib import Path

import typer

from sparcs.cli._console import (
    EXIT_FAILED,
    console,
    err_console,
    escape,
    print_error,
    user_errors,
)
from sparcs.cli._inputs import load_checked, scenario_files
from sparcs.errors import SparcsError

__all__ = ["validate_files"]


def validate_files(files: list[Path]) -> None:
    """Check each scenario file (a folder stands for its ``*.toml``) and print ok or FAIL.

    Parameters
    ----------
    files
        Scenario files and folders, as given on the command line.

    Raises
    ------
    typer.Exit
        Code 1 when any file has problems, 2 for a path that cannot be used.
    """
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
        raise typer.Exit(code=EXIT_FAILED)
