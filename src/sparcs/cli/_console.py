"""Console helpers: clean messages, escaped user text, and the exit codes of ``sparcs``.

Exit codes (documented in the README and ``sparcs --help``):

====  =====================================================================================
0     success
1     a scenario or data file has problems, or a run, plan or optimisation failed
2     usage error: an unknown option, a bad option value, or a path that cannot be used
      (missing scenario, empty folder, ``--out`` not writable or an existing file)
130   interrupted (Ctrl-C)
====  =====================================================================================
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from sparcs.errors import ScenarioError, SparcsError

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "console",
    "err_console",
    "escape",
    "print_paths",
    "say",
    "user_errors",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

# Piped output (CI logs, files) gets a wide fixed width so tables stay readable.
console = Console(width=None if sys.stdout.isatty() else 150)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 150)
T = TypeVar("T")


class UsageError(SparcsError):
    """The command line is wrong: an option value or a path that cannot be used (exit 2)."""


def say(text: str, *, style: str = "") -> None:
    """Print user text (file names, scenario names) as it is: no markup, no highlighting."""
    console.print(escape(text) if not style else f"[{style}]{escape(text)}[/]", highlight=False)


def print_paths(paths: Mapping[str, Path]) -> None:
    """Print the files a command wrote, one per line: ``kind: path``."""
    for kind, path in paths.items():
        say(f"{kind:>10}: {path}")


def print_error(exc: SparcsError) -> None:
    """Print ``exc`` without a traceback: every problem on its own line, markup escaped."""
    if isinstance(exc, ScenarioError) and len(exc.problems) > 1:
        err_console.print(f"[bold red]error:[/] {len(exc.problems)} problems")
        for problem in exc.problems:
            err_console.print(f"  [red]-[/] {escape(str(problem))}", highlight=False)
    else:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)


@contextmanager
def user_errors() -> Iterator[None]:
    """Exit with a clean message: code 2 on a :class:`UsageError`, 1 on any other error."""
    try:
        yield
    except SparcsError as exc:
        print_error(exc)
        raise typer.Exit(code=EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILED) from None
    except OSError as exc:  # the last net: a disk that fills up or vanishes during the work
        where = f" {exc.filename}" if exc.filename else ""
        err_console.print(
            f"[bold red]error:[/] cannot use{escape(where)}: {escape(exc.strerror or str(exc))}",
            highlight=False,
        )
        raise typer.Exit(code=EXIT_FAILED) from None


def guarded(func: Callable[[], T]) -> T:
    """Run ``func`` under :func:`user_errors`."""
    with user_errors():
        return func()
