"""The dispatch problem the sizing model operates: the envelope's, without fixed stores, on every
step or on typical days (demand and PV scaled to the cluster means, capacity charges priced per
year).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.operation.optimal.capacity import CapacityParams
from sparcs.operation.optimal.problem import StorageParams, take_steps

if TYPE_CHECKING:
    from sparcs.carriers.factors import StepFactors
    from sparcs.operation.optimal.problem import DispatchProblem
    from sparcs.planning.typical import Aggregation


__all__ = ["operation_problem", "take_factors"]


def operation_problem(problem: DispatchProblem, agg: Aggregation) -> DispatchProblem:
    """The envelope's dispatch problem without fixed stores, on the aggregation's steps.

    On typical days the EV lanes go too (:mod:`._ev` lays the sessions out on the days),
    and each day's demand and PV are scaled to its cluster's mean (:mod:`.typical`).
    """
    n = problem.n_units
    none = StorageParams(
        capacity_kwh=np.zeros(n),
        charge_kw=np.zeros(n),
        discharge_kw=np.zeros(n),
        eta_charge=np.ones(n),
        eta_discharge=np.ones(n),
        loss_per_h=np.zeros(n),
    )
    bare = replace(problem, battery=none, tank=none, ped=None)
    if not agg.typical:
        return replace(
            bare,
            capacity=_annual_charge(problem.capacity, agg, None),
            dh_capacity=_annual_charge(problem.dh_capacity, agg, None),
        )
    days = take_steps(replace(bare, ev=None), agg.idx)
    days = replace(
        days,
        capacity=_annual_charge(problem.capacity, agg, problem.n_steps),
        dh_capacity=_annual_charge(problem.dh_capacity, agg, problem.n_steps),
    )
    el, heat, pv = (agg.factor(name)[:, None] for name in ("electricity", "heat", "pv"))
    return replace(
        days,
        demand_el_kw=np.asarray(days.demand_el_kw) * el,
        demand_heat_kw=np.asarray(days.demand_heat_kw) * heat,
        # a looser bound: rows PVcap hold the scaled PV and the unscaled wind
        pv_avail_kw=np.asarray(days.pv_avail_kw) * np.maximum(pv, 1.0),
    )


def _annual_charge(
    charge: CapacityParams | None, agg: Aggregation, n_steps: int | None
) -> CapacityParams | None:
    """A capacity charge priced per year, like the weighted operating costs.

    On every step of the period the prices are scaled as the steps are (a period shorter
    than a year stands for the year). On typical days (``n_steps``: the period's steps) the
    months are not all there: one peak over the typical days carries every period's charge
    of the year, an approximation that assumes each period peaks as high as the typical
    days do.
    """
    if charge is None:
        return None
    if n_steps is None:
        return replace(charge, eur_per_kw=np.asarray(charge.eur_per_kw) * agg.weight[0])
    scale = float(np.sum(agg.weight)) / n_steps
    return CapacityParams(
        period=np.zeros(agg.idx.size, dtype=np.int64),
        window=np.asarray(charge.window)[agg.idx],
        eur_per_kw=np.array([scale * float(np.sum(charge.eur_per_kw))]),
    )


def take_factors(factors: StepFactors, idx: np.ndarray) -> StepFactors:
    """The factors on the steps ``idx``."""

    def take(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {k: np.asarray(v)[idx] for k, v in table.items()}

    return replace(
        factors,
        time=factors.time[idx],
        pef=take(factors.pef),
        pef_export=take(factors.pef_export),
        co2_kg_per_kwh=take(factors.co2_kg_per_kwh),
        co2_export_kg_per_kwh=take(factors.co2_export_kg_per_kwh),
    )
