"""``sparcs run``: simulate, compute KPIs and the PED verdict, write reports."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from sparcs.cli._console import console
from sparcs.errors import ScenarioError
from sparcs.runner import STAGES, RunResult, run

__all__ = ["bundled_examples", "run_many"]

STRATEGIES = ("rule",)


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


def run_many(files: list[Path], *, out_dir: Path, strategy: str, write: bool = True) -> dict[str, RunResult]:
    """Run every scenario file with a progress bar and write its outputs under ``out_dir``."""
    if strategy not in STRATEGIES:
        msg = f"strategy {strategy!r} is not available yet; choose one of: {', '.join(STRATEGIES)}"
        raise ScenarioError(msg)
    results: dict[str, RunResult] = {}
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        overall = progress.add_task("scenarios", total=len(files))
        for path in files:
            task = progress.add_task(f"{path.stem}: starting", total=len(STAGES) + int(write))

            def on_stage(stage: str, task: int = task, name: str = path.stem) -> None:
                progress.update(task, description=f"{name}: {stage}", completed=STAGES.index(stage))

            result = run(path, on_stage=on_stage)
            if write:
                progress.update(task, description=f"{path.stem}: report", completed=len(STAGES))
                result.report(out_dir / path.stem if len(files) > 1 else out_dir)
            progress.update(task, description=f"{path.stem}: done", completed=len(STAGES) + int(write))
            progress.advance(overall)
            results[path.stem] = result
    return results
