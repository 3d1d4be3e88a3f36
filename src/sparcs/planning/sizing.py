"""The sizing LP: one linear program that sizes the measures and operates the district.

The model is the dispatch LP of the envelope scenario (every constraint family of
:mod:`sparcs.operation.optimal`, run on a fresh
:class:`~sparcs.lp.builder.LpBuilder`) extended from outside with

* size columns between the existing and the largest size, costing annualised investment plus
  fixed O&M (:mod:`._links`), tied to operation by linear rows (PV output per kWp, heat-pump
  heat within the thermal capacity);
* batteries and tanks with variable capacity (:mod:`._storage`), replacing the fixed stores;
* retrofit shares that cut space heat (:mod:`._links`);
* annual KPI columns (:mod:`._kpis`): targets are their bounds, other objectives their costs.

Operation runs on every step of the period or on typical days (:mod:`.typical`); each
operating column's cost is multiplied by the real steps its step stands for, so the
objective is the annualised cost of the plan [EUR/a]:

    min  sum_tech annual_cost * size + sum_k annual_cost_k * x_k + sum_t w(t) c(t) x(t)

The model is built once; targets, sizes and objectives change in place (warm start).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import SolverError
from sparcs.lp import highs
from sparcs.lp.builder import LpBuilder
from sparcs.lp.status import TerminationCondition
from sparcs.operation.optimal.model import FAMILIES, solution_arrays
from sparcs.planning._ev import (
    CyclicSessions,
    add_cyclic_ev,
    add_lane_power_rows,
    add_session_power_rows,
    cyclic_sessions,
)
from sparcs.planning._fixed import FixedColumns, drop_fixed
from sparcs.planning._kpis import (
    CREDIT_COLUMNS,
    CREDIT_REWARD,
    KPI_NAMES,
    KPI_SCALE,
    KpiColumns,
    add_kpis,
)
from sparcs.planning._links import (
    SIZE_TECHS,
    add_heat_pump_links,
    add_pv_links,
    add_retrofit,
    add_sizes,
)
from sparcs.planning._storage import StoreColumns, add_sized_store, previous_steps
from sparcs.planning.operation_days import operation_problem, take_factors
from sparcs.planning.solution import SizingSolution

if TYPE_CHECKING:
    from scipy import sparse

    from sparcs.carriers.factors import StepFactors
    from sparcs.lp.status import SolverOptions
    from sparcs.operation.optimal.adapter import ScenarioProblem
    from sparcs.operation.optimal.problem import DispatchProblem
    from sparcs.planning.candidates import Candidates
    from sparcs.planning.config import Target
    from sparcs.planning.typical import Aggregation

__all__ = ["SizingModel", "SizingSolution", "operation_problem"]

_BATTERY = StoreColumns("bc", "bd", "bs", "B", "E")
_TANK = StoreColumns("tc", "td", "ts", "S", "H")


class SizingModel:
    """The sizing LP held in HiGHS.

    Parameters
    ----------
    sp
        The envelope scenario's dispatch problem (``terminal="initial"``).
    cand
        Candidates and their bounds.
    agg
        Steps operated on and their weights.
    factors
        Primary-energy and CO2 factors on the period's steps.
    options
        Solver settings.
    pe_credit
        Primary energy credited by virtual assets over a year [kWh_PE/a].
    ghg_credit
        Emissions credited by virtual assets over a year [kg CO2-eq/a].
    """

    def __init__(
        self,
        sp: ScenarioProblem,
        cand: Candidates,
        agg: Aggregation,
        factors: StepFactors,
        options: SolverOptions,
        *,
        pe_credit: float = 0.0,
        ghg_credit: float = 0.0,
    ) -> None:
        start = time.perf_counter()
        self.cand, self.agg, self.options = cand, agg, options
        p = operation_problem(sp.problem, agg)
        self.problem = p
        lp = LpBuilder()
        for family in FAMILIES:
            family(lp, p)
        self.size_blocks = add_sizes(lp, cand)
        self._operation_links(lp, sp, p)
        space = sp.series["space"][agg.idx] * agg.factor("heat")[:, None]
        self.retro = add_retrofit(lp, cand, space)
        ev_load = self._ev(lp, p)
        step_factors = take_factors(factors, agg.idx)
        fuels = (*sp.cols.fuel, *sp.dcols.fuel)
        self.kpi: KpiColumns = add_kpis(
            lp,
            p,
            step_factors,
            agg.weight,
            fuels=fuels,
            pe_credit=pe_credit,
            ghg_credit=ghg_credit,
            sizes=self.size_blocks,
            sized=cand.sizes,
            retro=self.retro,
            retro_capex=cand.retrofit_capex.ravel(),
            extra_load=ev_load,
        )
        self.layout = lp
        self.arrays = lp.arrays()
        _drop_tiny(self.arrays.matrix)
        self.arrays.row_upper[self.kpi.pe_row] = self.kpi.pe_rhs  # the PE balance defines pe
        credit = [lp.cols[c].ids().ravel() for c in CREDIT_COLUMNS if c in lp.cols]
        self._credit_ids = np.concatenate([np.zeros(0, np.int64), *credit]).astype(np.int64)
        self._weight_operation_costs(lp)
        # the reward is per kWh_PE credited over a year (the PED row's coefficients carry the
        # step weights): the split with the largest credit wins, so pe is well defined
        credited = self.arrays.matrix[:, self._credit_ids].tocoo()
        on_row = credited.row == self.kpi.pe_row
        pe_coef = np.zeros(self._credit_ids.size)
        pe_coef[credited.col[on_row]] = credited.data[on_row]
        self.arrays.col_cost[self._credit_ids] = -CREDIT_REWARD * pe_coef
        self.base_cost = self.arrays.col_cost.copy()
        self.highs = highs.new_highs(options)
        self.fixed = self._pass_reduced()
        self._bounds = (self.arrays.col_lower.copy(), self.arrays.col_upper.copy())
        self.build_s = time.perf_counter() - start
        #: True once made a MILP (:func:`~sparcs.planning.discrete.make_discrete`)
        self.discrete = False

    def _operation_links(self, lp: LpBuilder, sp: ScenarioProblem, p: DispatchProblem) -> None:
        """PV and heat-pump links, and the sized batteries and tanks."""
        cand, idx = self.cand, self.agg.idx
        pv = self.agg.factor("pv")[:, None]
        other = sp.series["wind"][idx].copy()
        other[:, -1] += sp.series["pv"][idx, -1] * pv[:, 0]
        add_pv_links(lp, cand, self.size_blocks["pv"], cand.pv_yield[idx] * pv, other)
        add_heat_pump_links(lp, cand, self.size_blocks["hp"], np.asarray(p.cop, float))
        prev = previous_steps(p.n_steps, self.agg.day_steps)
        wear = sp.problem.battery.discharge_cost
        cost = None if wear is None else np.tile(np.asarray(wear, float) * p.dt_h, (p.n_steps, 1))
        n = p.n_units
        add_sized_store(
            lp,
            _BATTERY,
            units=np.flatnonzero(cand.sizes["battery_energy"].upper > 0),
            n_units=n,
            dt_h=p.dt_h,
            spec=cand.battery,
            energy=self.size_blocks["battery_energy"],
            power=self.size_blocks["battery_power"],
            prev=prev,
            discharge_cost=cost,
        )
        add_sized_store(
            lp,
            _TANK,
            units=np.flatnonzero(cand.sizes["tank"].upper > 0),
            n_units=n,
            dt_h=p.dt_h,
            spec=cand.tank,
            energy=self.size_blocks["tank"],
            power=None,
            prev=prev,
        )

    def _ev(self, lp: LpBuilder, p: DispatchProblem) -> tuple[np.ndarray, np.ndarray] | None:
        """EV sessions and the rows of the sized charge-point power.

        Returns the charging columns the lanes of the dispatch LP do not already put into
        the load (typical days), with their kWh per kW over a year, or None.
        """
        cand = self.cand
        self.ev_sessions: CyclicSessions | None = None
        sized = cand.sizes["ev"].candidate
        size, points = self.size_blocks["ev"], cand.ev_points
        if not self.agg.typical:
            if p.ev is not None and p.ev.n_lanes:
                add_lane_power_rows(lp, p.ev, size, sized, points)
            return None
        today = np.divide(
            cand.sizes["ev"].existing, points, out=np.full(points.size, np.inf), where=points > 0
        )
        cs = cyclic_sessions(
            cand.inputs.ev_sessions,
            self.agg,
            cand.ev_unit_of_owner,
            cand.ev_efficiency,
            existing_kw=today,
            dt_h=p.dt_h,
        )
        self.ev_sessions = cs
        if not len(cs):
            return None
        cols = add_cyclic_ev(lp, cs, p.dt_h)
        add_session_power_rows(lp, cs, cols["ch"], size, sized, points)
        return cols["ch"].ids().ravel(), (self.agg.weight[cs.step] * p.dt_h).ravel()

    def _weight_operation_costs(self, lp: LpBuilder) -> None:
        """Multiply the cost of every per-step column by the real steps its step stands for."""
        t = self.problem.n_steps
        cost = self.arrays.col_cost
        for block in lp.cols.blocks.values():
            if block.steps == t and t > 1:
                part = cost[block.start : block.stop].reshape(block.units, t)
                part *= self.agg.weight[None, :]

    def _pass_reduced(self) -> FixedColumns:
        """Hand HiGHS the LP without its fixed columns (:mod:`._fixed`)."""
        keep = [np.arange(b.start, b.stop) for b in self.size_blocks.values()]
        if self.retro is not None:
            keep.append(np.arange(self.retro.start, self.retro.stop))
        keep += [np.array(list(self.kpi.col.values())), self._credit_ids]
        rows = np.array([self.kpi.ss_row, self.kpi.pe_row])
        small, fixed = drop_fixed(self.arrays, np.concatenate(keep).astype(np.int64), rows)
        highs.pass_model(self.highs, small)
        return fixed

    @property
    def size(self) -> dict[str, int]:
        """Columns, rows and nonzeros of the LP."""
        a = self.arrays
        return {
            "columns": int(a.col_cost.size),
            "rows": int(a.row_lower.size),
            "nonzeros": int(a.matrix.nnz),
        }

    # -- changes in place ---------------------------------------------------------------

    def _kpi_bounds(self, name: str, lower: float, upper: float) -> None:
        """Bounds of a KPI column, given in the KPI's unit."""
        bounds = np.array([lower, upper]) * KPI_SCALE
        self.highs.changeColsBounds(1, self.fixed.col([self.kpi.col[name]]), *bounds[:, None])

    def set_targets(self, targets: tuple[Target, ...], budget_eur: float | None) -> None:
        """Bound the KPI columns by the targets and the budget (others free)."""
        by_kind = {t.kind: t.value for t in targets}
        self._kpi_bounds("pe", by_kind.get("ped", -np.inf), np.inf)
        self._kpi_bounds("co2", -np.inf, by_kind.get("co2", np.inf))
        self._kpi_bounds("ghg", -np.inf, by_kind.get("ghg", np.inf))
        self._kpi_bounds("capex", -np.inf, np.inf if budget_eur is None else budget_eur)
        self.set_self_sufficiency(by_kind.get("ss"))

    def set_self_sufficiency(self, share: float | None) -> None:
        """Row ``import - (1 - share) load <= 0``; None frees it."""
        row = self.fixed.row([self.kpi.ss_row])
        load = int(self.fixed.col([self.kpi.col["load"]])[0])
        self.highs.changeCoeff(int(row[0]), load, -(1.0 - (share or 0.0)))
        upper = np.inf if share is None else 0.0
        self.highs.changeRowsBounds(1, row, np.array([-np.inf]), np.array([upper]))

    def bound_co2(self, upper_kg: float) -> None:
        """Emissions at most ``upper_kg`` [kg CO2-eq/a] (epsilon constraint)."""
        self._kpi_bounds("co2", -np.inf, upper_kg)

    def fix_sizes(
        self, sizes: dict[str, np.ndarray] | None, retrofit: np.ndarray | None = None
    ) -> None:
        """Pin the sizes (and retrofit shares) at the given values; None frees them again."""
        lower, upper = self._bounds
        cols, lo, hi = [], [], []
        for tech in SIZE_TECHS:
            block = self.size_blocks[tech]
            ids = np.arange(block.start, block.stop)
            value = None if sizes is None else sizes.get(tech)
            cols.append(ids)
            lo.append(lower[ids] if value is None else value)
            hi.append(upper[ids] if value is None else value)
        if self.retro is not None:
            ids = np.arange(self.retro.start, self.retro.stop)
            share = None if (sizes is None or retrofit is None) else retrofit.ravel()
            cols.append(ids)
            lo.append(lower[ids] if share is None else share)
            hi.append(upper[ids] if share is None else share)
        c = self.fixed.col(np.concatenate(cols))
        self.highs.changeColsBounds(
            c.size, c, np.concatenate(lo).astype(float), np.concatenate(hi).astype(float)
        )

    def set_objective(self, *, cost: float = 1.0, **kpi_weights: float) -> None:
        """Minimise ``cost * annual cost + sum weight * KPI`` (e.g. ``co2=1``, ``pe=-1``).

        KPI weights apply to the KPIs in thousands of their unit (:data:`._kpis.KPI_SCALE`).
        """
        unknown = sorted(set(kpi_weights) - set(KPI_NAMES))
        if unknown:
            msg = f"unknown KPI weight(s) {unknown}; known: {', '.join(KPI_NAMES)}"
            raise SolverError(msg)
        values = self.base_cost * cost
        for name, weight in kpi_weights.items():
            values[self.kpi.col[name]] += weight
        values = self.fixed.costs(values)
        idx = np.arange(values.size, dtype=np.int32)
        self.highs.changeColsCost(values.size, idx, values)

    # -- solve --------------------------------------------------------------------------

    def solve(self, *, warm: bool = False, retry_cold: bool = True) -> SizingSolution:
        """Solve with the current targets, sizes and objective.

        Parameters
        ----------
        warm
            Start from the last basis (without HiGHS's presolve; cold is the default).
        retry_cold
            Solve again from scratch after a warm start without a verdict ("unknown").
        """
        if not warm:
            self.highs.clearSolver()
        outcome = highs.run(self.highs, self.options)
        if outcome.termination is TerminationCondition.OTHER and retry_cold:
            self.highs.clearSolver()
            outcome = highs.run(self.highs, self.options)
        usable = outcome.termination is TerminationCondition.OPTIMAL or (
            outcome.termination is TerminationCondition.TIME_LIMIT and self.discrete
        )
        if outcome.col_value is None or not usable:
            said = self.highs.modelStatusToString(self.highs.getModelStatus())
            return SizingSolution(termination=outcome.termination, solver_status=str(said))
        return replace(
            self._read(self.fixed.expand(outcome.col_value)),
            termination=outcome.termination,
            mip_gap=outcome.mip_gap if self.discrete else None,
        )

    def _read(self, x: np.ndarray) -> SizingSolution:
        sizes = {tech: x[b.start : b.stop].copy() for tech, b in self.size_blocks.items()}
        k, n = self.cand.retrofit_allowed.shape
        retro = (
            x[self.retro.start : self.retro.stop].reshape(k, n).copy()
            if self.retro is not None
            else np.zeros((k, n))
        )
        kpis = {name: float(x[col]) / KPI_SCALE for name, col in self.kpi.col.items()}
        load = kpis["load"]
        kpis["ss"] = float(np.clip(1.0 - kpis["import"] / load, 0.0, 1.0)) if load > 0 else np.nan
        size_cost = sum(float(np.dot(self.cand.sizes[t].annual_cost, sizes[t])) for t in sizes)
        retro_cost = float(np.sum(self.cand.retrofit_annual * retro))
        existing = sum(float(np.dot(s.annual_cost, s.existing)) for s in self.cand.sizes.values())
        reward = float(np.dot(self.base_cost[self._credit_ids], x[self._credit_ids]))
        operating = (
            float(np.dot(self.base_cost, x[: self.base_cost.size]))
            - size_cost
            - retro_cost
            - reward
        )
        return SizingSolution(
            termination=TerminationCondition.OPTIMAL,
            sizes=sizes,
            retrofit=retro,
            kpis=kpis,
            operating_cost=operating,
            annual_investment=size_cost + retro_cost - existing,
            solution=solution_arrays(self.layout, x),
        )


#: Matrix entries below this are dropped: zeros written for absent assets and rounding dust
#: (PV output at dawn) only slow the simplex down and blur its tolerances.
TINY = 1e-7


def _drop_tiny(matrix: sparse.csc_matrix) -> None:
    """Remove explicit zeros and entries below :data:`TINY` in magnitude, in place."""
    data = matrix.data
    data[np.abs(data) < TINY] = 0.0
    matrix.eliminate_zeros()
