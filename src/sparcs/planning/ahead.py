"""Ahead of a plan's first full-period check: the tightening it will probably ask for.

The sizing model reaches a target partly by *operating* for it (a heat pump run instead of a
cheaper boiler, a battery charged for emissions), which the cost-optimal operation the user
runs does not do. The rounded plan operated at least cost on the typical days (the model with
the plan's sizes fixed and no target) shows that part of the miss before the full period does
(100 buildings, CO2 at 70 %: +1.9 % on the typical days, +2.9 % on the full year; the
district as it is: -0.03 %). While the check runs in its worker (:mod:`.checker`),
:func:`solve_ahead` moves the model's bounds by that miss (then by 1.5 and 2 times it, while
the check is not back) and solves again from the plan's basis, keeping each basis; a
tightening after the check then starts from the basis nearest its bound
(:func:`start_nearest`). It changes no
result: the tightened plan is the optimum at the bound :mod:`.holds` sets, whatever the basis
it starts from, and if the plan holds nothing of this is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sparcs.planning.config import Target
from sparcs.planning.solves import operated_at
from sparcs.planning.writeback import clean_sizes, round_sizes

if TYPE_CHECKING:
    from sparcs.planning.config import PlanConfig
    from sparcs.planning.setup import PlanningSetup
    from sparcs.planning.sizing import SizingSolution

__all__ = [
    "STEPS_AHEAD",
    "Waypoint",
    "ahead_bounds",
    "operated_at_least_cost",
    "solve_ahead",
    "start_nearest",
]

#: Sizing-model KPI of each target kind.
_KPI = {"ped": "pe", "co2": "co2", "ghg": "ghg", "ss": "ss"}
#: Target kinds that are upper bounds (the others are lower bounds).
_AT_MOST = ("co2", "ghg")


def operated_at_least_cost(setup: PlanningSetup, plan: SizingSolution) -> SizingSolution:
    """The rounded ``plan`` operated at least cost on the model's steps, with no target.

    The model is solved from scratch (with presolve: a few seconds at 100 buildings, where a
    start from the plan's basis takes over a minute) and left with its sizes free again.

    Parameters
    ----------
    setup
        The planning setup whose model made ``plan``.
    plan
        A solution of the model.

    Returns
    -------
    SizingSolution
        The model's solution at the rounded sizes; its KPIs are those of cost-optimal
        operation on the typical days (not ``ok`` if HiGHS found none).
    """
    sizes, retro = round_sizes(setup.cand, *clean_sizes(setup.cand, plan))
    return operated_at(setup.model, sizes, retro)


def ahead_bounds(
    targets: tuple[Target, ...], operated: SizingSolution, step: float = 1.0
) -> tuple[Target, ...]:
    """Each target moved by ``step`` times what the plan operated at least cost misses it by.

    Parameters
    ----------
    targets
        The targets the plan was made for.
    operated
        The plan operated at least cost (:func:`operated_at_least_cost`).
    step
        Multiple of the miss to move by [-].

    Returns
    -------
    tuple of Target
        The moved bounds; empty when no target is missed.

    Examples
    --------
    >>> from sparcs.lp.status import TerminationCondition
    >>> from sparcs.planning.sizing import SizingSolution
    >>> op = SizingSolution(TerminationCondition.OPTIMAL, kpis={"co2": 103.0, "ss": 0.5})
    >>> ahead_bounds((Target("co2", 100.0), Target("ss", 0.4)), op)
    (Target(kind='co2', value=97.0), Target(kind='ss', value=0.4))
    """
    moved, any_miss = [], False
    for t in targets:
        value = operated.kpis.get(_KPI.get(t.kind, ""), float("nan"))
        miss = value - t.value if t.kind in _AT_MOST else t.value - value
        if not miss > 0:  # held, or not a KPI of the model (NaN)
            moved.append(t)
            continue
        any_miss = True
        bound = t.value - step * miss if t.kind in _AT_MOST else t.value + step * miss
        moved.append(Target(t.kind, min(bound, 1.0) if t.kind == "ss" else bound))
    return tuple(moved) if any_miss else ()


#: Multiples of the least-cost miss solved ahead, one after the other while the check runs:
#: the full period misses by more than the typical days show (100 buildings: 1.5 times).
STEPS_AHEAD = (1.0, 1.5, 2.0)


@dataclass(frozen=True)
class Waypoint:
    """Bounds the sizing model was solved for ahead of a check, and its optimal basis there."""

    targets: tuple[Target, ...]
    basis: Any


def solve_ahead(
    setup: PlanningSetup,
    config: PlanConfig,
    plan: SizingSolution,
    done: Callable[[], bool] = lambda: False,
) -> list[Waypoint]:
    """Solve the sizing model at the bounds the check will probably ask for, until ``done``.

    Parameters
    ----------
    setup
        The planning setup whose model made ``plan`` (its basis is the plan's).
    config
        Targets, budget and solver options of the plan.
    plan
        The plan being checked on the full period.
    done
        Whether the check is back (no further bounds are started then).

    Returns
    -------
    list of Waypoint
        The bounds solved for (:data:`STEPS_AHEAD` times the miss of the plan operated at
        least cost) with their bases; empty when that operation meets every target on the
        typical days. The model is left at the plan's targets.
    """
    model = setup.model
    targets = config.effective_targets
    if model.discrete or not targets:
        return []
    basis = model.highs.getBasis()
    operated = operated_at_least_cost(setup, plan)
    model.highs.setBasis(basis)
    waypoints: list[Waypoint] = []
    for step in STEPS_AHEAD if operated.ok else ():
        moved = ahead_bounds(targets, operated, step)
        if not moved or done():
            break
        model.set_targets(moved, config.budget_eur)
        if model.solve(warm=True, retry_cold=False).ok:
            waypoints.append(Waypoint(moved, model.highs.getBasis()))
    model.set_targets(targets, config.budget_eur)
    return waypoints


def start_nearest(
    setup: PlanningSetup, waypoints: list[Waypoint], targets: tuple[Target, ...]
) -> None:
    """Give the sizing model the basis of the waypoint whose bounds are nearest ``targets``.

    Parameters
    ----------
    setup
        The planning setup.
    waypoints
        Bounds solved ahead (:func:`solve_ahead`).
    targets
        The bounds about to be solved for.
    """
    want = {t.kind: t.value for t in targets}

    def distance(w: Waypoint) -> float:
        return sum(
            abs(t.value - want.get(t.kind, t.value)) / max(abs(t.value), 1e-9) for t in w.targets
        )

    if waypoints:
        setup.model.highs.setBasis(min(waypoints, key=distance).basis)
