"""A sweep kept in the store: each point a scenario and a run, as ``sparcs serve`` keeps them.

Every point becomes a stored scenario (its own values applied, as JSON, so that the server can
run it again) and a run of it: ``done`` with the point's ``kpis.json`` text, or ``failed``.
The scenarios are named ``sweep <id> | <point label> | <scenario name>``, so that a sweep's
points are found together (``GET /api/v1/runs`` lists them like any run).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from sparcs.store import Store
from sparcs.store.plans import add_run, add_scenario, set_run
from sparcs.sweep.run import SweepResult

__all__ = ["StoredPoint", "StoredSweep", "store_sweep"]


@dataclass(frozen=True)
class StoredPoint:
    """One point in the store.

    Attributes
    ----------
    label
        The point's ``path=value`` pairs.
    scenario_id, run_id
        Its stored scenario and run.
    status
        ``done`` or ``failed``.
    """

    label: str
    scenario_id: str
    run_id: int
    status: str


@dataclass(frozen=True)
class StoredSweep:
    """A sweep in the store.

    Attributes
    ----------
    sweep_id
        The id in the names of its scenarios.
    points
        Every point, in the order of the sweep.
    """

    sweep_id: str
    points: tuple[StoredPoint, ...]


def store_sweep(store: Store, result: SweepResult, *, name: str, strategy: str) -> StoredSweep:
    """Keep every point of ``result`` as a scenario and a run.

    Parameters
    ----------
    store
        The open store.
    result
        A finished sweep (its points and their results).
    name
        The swept scenario's name.
    strategy
        The operation strategy of the points.

    Returns
    -------
    StoredSweep
        The sweep id and each point's scenario and run ids.
    """
    sweep_id = secrets.token_hex(4)
    stored = []
    for index, point in enumerate(result.points):
        body = json.dumps(point.data(), default=str, sort_keys=True)
        scenario_id = add_scenario(
            store,
            name=f"sweep {sweep_id} | {point.label} | {name}",
            body=body,
            fmt="json",
            district=None,
        )
        run_id = add_run(store, scenario=scenario_id, strategy=strategy)
        done = result.results.get(index)
        if done is None:
            set_run(store, run_id, status="failed")
        else:
            set_run(store, run_id, status="done", kpis=json.dumps(done.report, indent=2))
        stored.append(StoredPoint(point.label, scenario_id, run_id, "done" if done else "failed"))
    return StoredSweep(sweep_id, tuple(stored))
