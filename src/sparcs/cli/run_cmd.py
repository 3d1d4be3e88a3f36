"""``sparcs run``: simulate, compute KPIs and the PED verdict, write reports."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from sparcs.cli._console import console
from sparcs.errors import ScenarioError
from sparcs.runner import STAGES, STRATEGIES, RunResult, run

__all__ = ["STRATEGIES", "bundled_examples", "run_many"]


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


def parse_strategies(text: str) -> list[str]:
    """Strategies from ``"rule"`` or a comma-separated list such as ``"rule,optimal,mpc"``."""
    strategies = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown or not strategies:
        msg = (f"strategy {', '.join(unknown) or text!r} is not available; choose one or more "
               f"of: {', '.join(STRATEGIES)} (comma-separated to compare)")
        raise ScenarioError(msg)
    return strategies


def run_many(files: list[Path], *, out_dir: Path, strategy: str, write: bool = True,
             horizon_h: float = 48.0, step_h: float = 24.0,
             forecast: str = "persistence") -> dict[str, RunResult]:
    """Run every scenario file with every strategy, with progress bars; write outputs.

    ``strategy`` is one strategy or a comma-separated list. Results are named by the file's
    stem, followed by ``(strategy)`` when several strategies run. One run writes to
    ``out_dir``; several write to ``out_dir/<stem>`` or ``out_dir/<stem>-<strategy>``.
    ``horizon_h``, ``step_h`` and ``forecast`` configure the ``mpc`` strategy.
    """
    strategies = parse_strategies(strategy)
    jobs = [(path, s) for path in files for s in strategies]
    results: dict[str, RunResult] = {}
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        overall = progress.add_task("runs", total=len(jobs))
        for path, chosen in jobs:
            name = path.stem if len(strategies) == 1 else f"{path.stem} ({chosen})"
            folder = path.stem if len(strategies) == 1 else f"{path.stem}-{chosen}"
            task = progress.add_task(f"{name}: starting", total=len(STAGES) + int(write))

            def on_stage(stage: str, task: int = task, name: str = name) -> None:
                progress.update(task, description=f"{name}: {stage}", completed=STAGES.index(stage))

            def on_window(done: int, total: int, task: int = task, name: str = name) -> None:
                progress.update(task, description=f"{name}: mpc window {done}/{total}")

            result = run(path, on_stage=on_stage, strategy=chosen, horizon_h=horizon_h,
                         step_h=step_h, forecast=forecast, on_window=on_window)
            if write:
                progress.update(task, description=f"{name}: report", completed=len(STAGES))
                result.report(out_dir / folder if len(jobs) > 1 else out_dir)
            progress.update(task, description=f"{name}: done", completed=len(STAGES) + int(write))
            progress.advance(overall)
            results[name] = result
    return results
