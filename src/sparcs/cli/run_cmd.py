"""``sparcs run``: simulate, compute KPIs and the PED verdict, write reports.

Output layout, the same for one run and for many: ``<out>/<name>/`` for each scenario file,
and ``<out>/<name>/<strategy>/`` when several strategies run. ``<name>`` is the file's stem;
when two files share a stem the later ones get ``<stem>-2``, ``<stem>-3`` and a note says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from sparcs.cli._console import UsageError, console, escape
from sparcs.errors import ScenarioError
from sparcs.operation.optimal.forecast import Forecast
from sparcs.runner import STAGES, STRATEGIES, RunResult, Strategy, run

__all__ = ["STRATEGIES", "RunJob", "bundled_examples", "parse_strategies", "plan_jobs", "run_many"]


@dataclass(frozen=True)
class RunJob:
    """One run of ``sparcs run``: a scenario file, a strategy, and where its outputs go.

    Attributes
    ----------
    path
        The scenario file.
    strategy
        The operation strategy.
    label
        The run's unique name: ``<name>`` or ``<name>/<strategy>``; the folder relative to
        ``--out`` and the column of the comparison.
    folder
        The output folder, ``<out>/<label>``.
    """

    path: Path
    strategy: Strategy
    label: str
    folder: Path


def bundled_examples() -> list[Path]:
    """Scenario files of the bundled SPARCS city examples.

    Looks inside the installed package first (wheels carry ``sparcs/examples``), then in the
    source checkout's ``examples/`` folder (editable installs).
    """
    packaged = resources.files("sparcs").joinpath("examples")
    candidates = [Path(str(packaged)), Path(__file__).resolve().parents[3] / "examples"]
    for folder in candidates:
        files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        if files:
            return files
    msg = "no bundled examples found; pass scenario files to 'sparcs run'"
    raise ScenarioError(msg)


def parse_strategies(text: str) -> list[Strategy]:
    """Strategies from ``"rule"`` or a comma-separated list such as ``"rule,optimal,mpc"``."""
    names = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    known: dict[str, Strategy] = {s: s for s in STRATEGIES}
    unknown = [s for s in names if s not in known]
    if unknown or not names:
        msg = (
            f"--strategy {', '.join(unknown) or text!r} is not available; choose one or more "
            f"of: {', '.join(STRATEGIES)} (comma-separated to compare)"
        )
        raise UsageError(msg)
    return [known[s] for s in names]


def plan_jobs(
    files: Sequence[Path], strategies: Sequence[Strategy], out_dir: Path
) -> tuple[list[RunJob], list[str]]:
    """Every run with its unique label and folder, and notes on renamed outputs."""
    names: dict[Path, str] = {}
    for path in files:
        name, n = path.stem, 2
        while name in names.values():
            name, n = f"{path.stem}-{n}", n + 1
        names[path] = name
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        by_stem[path.stem].append(path)
    notes = [
        f"{len(paths)} scenario files are named {paths[0].name!r}; their results go to "
        + ", ".join(f"{out_dir / names[p]} ({p})" for p in paths)
        for paths in by_stem.values()
        if len(paths) > 1
    ]
    jobs = []
    for path in files:
        for strategy in strategies:
            label = names[path] if len(strategies) == 1 else f"{names[path]}/{strategy}"
            jobs.append(RunJob(path, strategy, label, out_dir.joinpath(*label.split("/"))))
    return jobs, notes


def run_many(
    jobs: Sequence[RunJob],
    *,
    write: bool = True,
    horizon_h: float = 48.0,
    step_h: float = 24.0,
    forecast: Forecast = "persistence",
) -> dict[str, RunResult]:
    """Run every job with progress bars and write its outputs to its folder.

    Returns the results by :attr:`RunJob.label`. ``horizon_h``, ``step_h`` and ``forecast``
    configure the ``mpc`` strategy.
    """
    results: dict[str, RunResult] = {}
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        overall = progress.add_task("runs", total=len(jobs))
        for job in jobs:
            name = escape(job.label)
            task = progress.add_task(f"{name}: starting", total=len(STAGES) + int(write))

            def on_stage(stage: str, task: TaskID = task, name: str = name) -> None:
                progress.update(task, description=f"{name}: {stage}", completed=STAGES.index(stage))

            def on_window(done: int, total: int, task: TaskID = task, name: str = name) -> None:
                progress.update(task, description=f"{name}: mpc window {done}/{total}")

            result = run(
                job.path,
                on_stage=on_stage,
                strategy=job.strategy,
                horizon_h=horizon_h,
                step_h=step_h,
                forecast=forecast,
                on_window=on_window,
            )
            if write:
                progress.update(task, description=f"{name}: report", completed=len(STAGES))
                result.report(job.folder)
            progress.update(task, description=f"{name}: done", completed=len(STAGES) + int(write))
            progress.advance(overall)
            results[job.label] = result
    return results
