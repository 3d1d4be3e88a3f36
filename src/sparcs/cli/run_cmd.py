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
from typing import get_args

from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from sparcs.cli._console import UsageError, console, escape, say, user_errors
from sparcs.cli._inputs import check_output_folder, load_checked, parse_choice, scenario_files
from sparcs.errors import Problem, ScenarioError
from sparcs.operation.optimal.forecast import Forecast
from sparcs.runner import STAGES, STRATEGIES, RunResult, Strategy, run

__all__ = [
    "STRATEGIES",
    "MpcSettings",
    "RunJob",
    "bundled_examples",
    "mpc_settings",
    "parse_strategies",
    "plan_jobs",
    "run_many",
    "run_scenarios",
]

_FORECASTS: tuple[Forecast, ...] = get_args(Forecast)


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


@dataclass(frozen=True)
class MpcSettings:
    """The settings of the ``mpc`` strategy.

    Attributes
    ----------
    horizon_h
        Planning horizon [h].
    step_h
        Hours committed per plan [h].
    forecast
        Where the forecast of each window comes from.
    """

    horizon_h: float = 48.0
    step_h: float = 24.0
    forecast: Forecast = "persistence"


def mpc_settings(
    strategies: Sequence[str], horizon_h: float | None, step_h: float | None, forecast: str | None
) -> MpcSettings:
    """The mpc settings of ``sparcs run``; refused when given for strategies they do not apply to.

    Raises
    ------
    UsageError
        An mpc option without ``--strategy mpc``, an unknown forecast, a non-positive number
        of hours.
    """
    given = {"--horizon-h": horizon_h, "--step-h": step_h, "--forecast": forecast}
    if "mpc" not in strategies:
        for option, value in given.items():
            if value is not None:
                msg = (
                    f"{option} applies only to --strategy mpc, not to "
                    f"{', '.join(strategies)}; drop {option} or run "
                    f"--strategy {','.join([*strategies, 'mpc'])}"
                )
                raise UsageError(msg)
    default = MpcSettings()
    chosen = (
        default.forecast if forecast is None else parse_choice(forecast, _FORECASTS, "--forecast")
    )
    for option, value in (("--horizon-h", horizon_h), ("--step-h", step_h)):
        if value is not None and not value > 0:
            msg = f"{option} must be a positive number of hours, got {value:g}"
            raise UsageError(msg)
    return MpcSettings(
        horizon_h=default.horizon_h if horizon_h is None else horizon_h,
        step_h=default.step_h if step_h is None else step_h,
        forecast=chosen,
    )


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
    jobs: Sequence[RunJob], *, write: bool = True, mpc: MpcSettings | None = None
) -> dict[str, RunResult]:
    """Run every job with progress bars and write its outputs to its folder.

    Returns the results by :attr:`RunJob.label`; ``mpc`` configures the ``mpc`` strategy.
    """
    mpc = mpc or MpcSettings()
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
                horizon_h=mpc.horizon_h,
                step_h=mpc.step_h,
                forecast=mpc.forecast,
                on_window=on_window,
            )
            if write:
                progress.update(task, description=f"{name}: report", completed=len(STAGES))
                result.report(job.folder)
            progress.update(task, description=f"{name}: done", completed=len(STAGES) + int(write))
            progress.advance(overall)
            results[job.label] = result
    return results


def _load_all(paths: list[Path]) -> None:
    """Check every scenario file before the first run starts; all problems at once."""
    problems: list[Problem] = []
    for path in paths:
        try:
            load_checked(path)
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)


def run_scenarios(
    files: list[Path] | None,
    *,
    out: Path,
    compare: bool,
    strategy: str,
    horizon_h: float | None,
    step_h: float | None,
    forecast: str | None,
) -> None:
    """``sparcs run``: check everything, run every job, print and write the results.

    The options are those of the command (:func:`sparcs.cli.app.run_command`).
    """
    with user_errors():
        paths = scenario_files(files) if files else bundled_examples()
        strategies = parse_strategies(strategy)
        settings = mpc_settings(strategies, horizon_h, step_h, forecast)
        check_output_folder(out)
        _load_all(paths)
        jobs, notes = plan_jobs(paths, strategies, out)
        for note in notes:
            say(f"note: {note}", style="yellow")
        results = run_many(jobs, mpc=settings)
    _print_results(results, {job.label: job.folder for job in jobs}, out, compare)


def _print_results(
    results: dict[str, RunResult], folders: dict[str, Path], out: Path, compare: bool
) -> None:
    from sparcs.cli.compare import comparison_tables, write_comparison
    from sparcs.report import kpi_table, verdict_panel

    if len(results) == 1 and not compare:
        ((label, result),) = results.items()
        console.print(verdict_panel(result.kpis))
        console.print(kpi_table(result.kpis))
        say(f"report: {folders[label] / 'report.html'}")
        return
    for table in comparison_tables({name: r.kpis for name, r in results.items()}, console.width):
        console.print(table)
    for label, result in results.items():
        say(
            f"{label} ({result.scenario.name}): {result.kpis.verdict.ped_class}, "
            f"report {folders[label] / 'report.html'}"
        )
    if compare:
        with user_errors():
            paths = write_comparison(out, results, folders)
        say(f"comparison: {paths['html']} and {paths['csv']}")
