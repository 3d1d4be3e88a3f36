"""The executor options every multi-run command shares.

They are ``--executor``, ``--workers`` and ``--scheduler``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sparcs.cli._console import UsageError
from sparcs.errors import SparcsError
from sparcs.scale import ExecutorSpec, parse_executor

__all__ = ["ExecutorOption", "SchedulerOption", "WorkersOption", "executor_spec"]

ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        help="where runs go: local (one after the other), processes (local worker processes) "
        "or dask (a Dask cluster: local unless --scheduler is given)",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", help="worker processes (processes, local dask); default: CPU cores"),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler", help="address of a running Dask scheduler, tcp://HOST:PORT (with dask)"
    ),
]


def executor_spec(kind: str, workers: int | None, scheduler: str | None) -> ExecutorSpec:
    """The checked executor options of a command; bad values are a usage error (exit 2)."""
    try:
        return parse_executor(kind, workers, scheduler)
    except SparcsError as exc:
        raise UsageError(str(exc)) from None
