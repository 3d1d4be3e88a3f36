"""Console helpers: one place that turns SparcsError into a clean message and exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import typer
from rich.console import Console

from sparcs.errors import ScenarioError, SparcsError

__all__ = ["console", "err_console", "user_errors"]

# Piped output (CI logs, files) gets a wide fixed width so tables stay readable.
console = Console(width=None if sys.stdout.isatty() else 150)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 150)
T = TypeVar("T")


def print_error(exc: SparcsError) -> None:
    """Print ``exc`` without a traceback: every problem on its own line."""
    if isinstance(exc, ScenarioError) and len(exc.problems) > 1:
        err_console.print(f"[bold red]error:[/] {len(exc.problems)} problems")
        for problem in exc.problems:
            err_console.print(f"  [red]-[/] {problem}", highlight=False)
    else:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)


@contextmanager
def user_errors() -> Iterator[None]:
    """Exit with code 1 and a clean message on any :class:`SparcsError`."""
    try:
        yield
    except SparcsError as exc:
        print_error(exc)
        raise typer.Exit(code=1) from None


def guarded(func: Callable[[], T]) -> T:
    """Run ``func`` under :func:`user_errors`."""
    with user_errors():
        return func()
