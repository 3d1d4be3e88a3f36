"""Run every point of a sweep on an executor and collect one table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from sparcs.errors import ScenarioError
from sparcs.runner import Strategy
from sparcs.scale import ExecutorSpec, Outcome, open_session
from sparcs.scale.ahead import compute_ahead
from sparcs.scenario import Scenario
from sparcs.sweep.paths import SweepParam
from sparcs.sweep.points import (
    PointResult,
    SweepPoint,
    make_points,
    run_point,
    shared_weather,
)

__all__ = ["SweepResult", "run_sweep", "sweep_table"]


@dataclass(frozen=True)
class SweepResult:
    """The outcome of a sweep.

    Attributes
    ----------
    table
        One row per completed point, in the order of the points: the parameter columns
        (named by path), then ``ped_class``, ``ghg_net_zero`` and the KPI columns
        (``"key [unit]"``).
    errors
        ``(point label, error)`` for each point that failed; the other points are in ``table``.
    n_points
        Points in the sweep.
    points
        Every point, in order.
    results
        Point index -> its result, for the points that completed.
    """

    table: pd.DataFrame
    errors: list[tuple[str, str]] = field(default_factory=list)
    n_points: int = 0
    points: tuple[SweepPoint, ...] = ()
    results: dict[int, PointResult] = field(default_factory=dict)


def sweep_table(params: Sequence[SweepParam], rows: Sequence[PointResult]) -> pd.DataFrame:
    """Parameter columns then KPI columns, one row per result.

    Parameters
    ----------
    params
        The swept parameters (their paths name the first columns).
    rows
        Results in the order they should appear.

    Returns
    -------
    pandas.DataFrame
        The table (empty with the parameter columns when ``rows`` is empty).
    """
    columns = [p.path for p in params]
    if not rows:
        return pd.DataFrame(columns=columns)
    records = [{**r.values, **r.kpis} for r in rows]
    frame = pd.DataFrame.from_records(records)
    return frame[columns + [c for c in frame.columns if c not in columns]]


def run_sweep(
    scenario: Scenario,
    params: Sequence[SweepParam],
    *,
    executor: ExecutorSpec | None = None,
    strategy: Strategy = "rule",
    on_result: Callable[[Outcome[PointResult]], None] | None = None,
) -> SweepResult:
    """Run the cartesian product of ``params`` on ``scenario``.

    Parameters
    ----------
    scenario
        The validated scenario.
    params
        The swept parameters (:func:`~sparcs.sweep.paths.parse_param`); paths unique.
    executor
        Where the points run; ``None`` = one after the other in this process.
    strategy
        Operation strategy of every point.
    on_result
        Called with each point's outcome as it completes (progress, streaming).

    Returns
    -------
    SweepResult
        The table of completed points and the errors of the failed ones.

    Raises
    ------
    ScenarioError
        When two parameters have the same path.
    """
    paths = [p.path for p in params]
    if len(set(paths)) != len(paths):
        msg = f"--param given twice for the same path: {', '.join(paths)}"
        raise ScenarioError(msg)
    spec = executor or ExecutorSpec()
    # loaded once, not once a point, when no point changes it; shipped with each task. Opening
    # a Dask executor keeps this process busy on one core (import, cluster start), so the
    # weather loads meanwhile in a forked child (sparcs.scale.ahead)
    ahead = compute_ahead(shared_weather, scenario, params, fork=spec.kind == "dask")
    done: dict[int, PointResult] = {}
    errors: list[tuple[int, str, str]] = []
    with ahead as weather, open_session(spec) as session:
        points = make_points(scenario, params, strategy)
        task = partial(run_point, weather=weather.result())
        for outcome in session.map(task, points, [p.label for p in points]):
            if outcome.value is not None:
                done[outcome.index] = outcome.value
            else:
                errors.append((outcome.index, outcome.label, outcome.error))
            if on_result is not None:
                on_result(outcome)
    rows = [done[i] for i in sorted(done)]
    failed = [(label, error) for _, label, error in sorted(errors)]
    return SweepResult(
        sweep_table(params, rows), failed, len(points), tuple(points), dict(sorted(done.items()))
    )
