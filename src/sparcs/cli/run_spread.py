"""``sparcs run --executor processes|dask``: the runs of one command spread over workers.

Each job runs on a worker (:func:`run_job`) and comes back as its
:class:`~sparcs.runner.RunResult`; the driver writes its report as it arrives. A run that
fails is named and the others are written; the command then exits with code 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from sparcs.cli._console import console, err_console
from sparcs.cli.run_cmd import RunJob
from sparcs.operation.optimal.forecast import Forecast
from sparcs.runner import RunResult, run
from sparcs.scale import ExecutorSpec, PointError, map_points

__all__ = ["SpreadJob", "run_job", "run_spread"]


@dataclass(frozen=True)
class SpreadJob:
    """A job with the settings of its strategy: what a worker needs to run it.

    Attributes
    ----------
    job
        The scenario file, strategy, label and output folder.
    horizon_h, step_h, forecast
        The ``mpc`` strategy's window [h], commit step [h] and forecast.
    """

    job: RunJob
    horizon_h: float = 48.0
    step_h: float = 24.0
    forecast: Forecast = "persistence"


def run_job(spread: SpreadJob) -> RunResult:
    """Run one job on a worker.

    Parameters
    ----------
    spread
        The job and its strategy's settings.

    Returns
    -------
    RunResult
        Flows, KPIs and the verdict.
    """
    job = spread.job
    return run(
        job.path,
        strategy=job.strategy,
        horizon_h=spread.horizon_h,
        step_h=spread.step_h,
        forecast=spread.forecast,
    )


def run_spread(
    jobs: Sequence[RunJob],
    spec: ExecutorSpec,
    *,
    write: bool = True,
    horizon_h: float = 48.0,
    step_h: float = 24.0,
    forecast: Forecast = "persistence",
) -> dict[str, RunResult]:
    """Run every job on the executor of ``spec``; write each report as its run arrives.

    Parameters
    ----------
    jobs
        The runs (:func:`~sparcs.cli.run_cmd.plan_jobs`).
    spec
        The executor.
    write
        Write each run's outputs to its folder.
    horizon_h, step_h, forecast
        Settings of the ``mpc`` strategy.

    Returns
    -------
    dict
        Results by :attr:`RunJob.label`, in the order of ``jobs``.

    Raises
    ------
    PointError
        After the other runs are written, when some failed (each is printed).
    """
    spread = [SpreadJob(job, horizon_h, step_h, forecast) for job in jobs]
    results: dict[int, RunResult] = {}
    failed: list[tuple[str, str]] = []
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"runs on {spec.kind}", total=len(jobs))
        for outcome in map_points(run_job, spread, [j.label for j in jobs], spec):
            if outcome.value is None:
                failed.append((outcome.label, outcome.error))
                progress.console.print(f"[red]failed[/] {escape(outcome.label)}")
            else:
                if write:
                    outcome.value.report(jobs[outcome.index].folder)
                results[outcome.index] = outcome.value
                progress.console.print(f"[green]done[/] {escape(outcome.label)}")
            progress.advance(task)
    if failed:
        for label, error in failed:
            err_console.print(f"[red]-[/] {escape(label)}: {escape(error)}", highlight=False)
        msg = f"{len(failed)} of {len(jobs)} runs failed (listed above); the others are written"
        raise PointError(msg)
    return {jobs[i].label: results[i] for i in sorted(results)}
