"""Write a plan: the plan as a scenario (TOML), its numbers (JSON), Pareto points (TOML)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from sparcs.scenario.load import dump_scenario

if TYPE_CHECKING:
    from sparcs.planning.result import PlanResult

__all__ = ["write_plan"]


def write_plan(
    result: PlanResult, out_dir: str | Path, *, pareto_scenarios: bool = True
) -> dict[str, Path]:
    """Write ``plan.toml``, ``plan.json`` and ``pareto/point-<i>.toml`` into ``out_dir``.

    ``plan.toml`` loads with :func:`sparcs.scenario.load_scenario` and runs with
    ``sparcs run plan.toml --strategy optimal``.

    Parameters
    ----------
    result
        The plan (:func:`~sparcs.planning.plan_district`).
    out_dir
        Folder to write into; made if missing.
    pareto_scenarios
        Also write each Pareto point as a scenario.

    Returns
    -------
    dict
        ``"plan"``, ``"json"`` and ``"pareto-<i>"`` -> the path written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"plan": dump_scenario(result.plan.scenario, out / "plan.toml")}
    json_path = out / "plan.json"
    json_path.write_text(
        json.dumps(result.as_dict(), indent=2, allow_nan=False) + "\n", encoding="utf-8"
    )
    paths["json"] = json_path
    if pareto_scenarios and result.pareto:
        folder = out / "pareto"
        folder.mkdir(exist_ok=True)
        for i, point in enumerate(result.pareto, start=1):
            paths[f"pareto-{i}"] = dump_scenario(point.outcome.scenario, folder / f"point-{i}.toml")
    return paths
