"""The plan operated over the full period, as ``sparcs run`` operates it, and measured by the KPIs.

The plan's scenario gets its own profiles (:func:`~sparcs.profiles.build.build_inputs`) and
full-period operation with the strategy the user will run: ``"optimal"``
(:func:`~sparcs.operation.optimal.solve_optimal`, its defaults) or ``"rule"``
(:func:`~sparcs.operation.rule.simulate`). :func:`~sparcs.kpi.compute_kpis` then measures
the figures a target is judged on (net energy cost, PED balance and verdict, GHG emissions,
self-sufficiency), with the scenario's own boundary. With typical days the difference to
the sizing model is the aggregation error (plus the model's simplifications: a rule
strategy operates worse than the model's optimum); on every step with optimal operation it
is the solver tolerance and the rounding of the sizes (:func:`~.writeback.round_sizes`).
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sparcs.errors import SolverError
from sparcs.kpi import compute_kpis
from sparcs.lp.fork import run_chains
from sparcs.operation.optimal.solve import solve_optimal
from sparcs.operation.rule import simulate
from sparcs.planning.result import PlanOutcome, Verification
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import slice_inputs
from sparcs.timeseries import year_index

if TYPE_CHECKING:
    from sparcs.lp.warm import WarmStarts
    from sparcs.operation.flows import Flows
    from sparcs.planning.setup import PlanningSetup
    from sparcs.scenario.models import Scenario

__all__ = [
    "VERIFY_STRATEGIES",
    "Background",
    "Measured",
    "VerifyStrategy",
    "measure_plan",
    "measure_plans",
    "verify_plan",
]

VerifyStrategy = Literal["optimal", "rule"]
#: Strategies a plan can be verified with.
VERIFY_STRATEGIES: tuple[str, ...] = ("optimal", "rule")


@dataclass(frozen=True)
class Measured:
    """KPIs of a plan's full-period operation, over a year.

    Attributes
    ----------
    cost
        Net energy cost [EUR/a].
    pe, pei
        PED balance (PEB; with virtual assets under a virtual boundary) and primary energy
        imported [kWh_PE/a], from the KPI report.
    co2
        GHG emissions [kg CO2-eq/a].
    ss
        Self-sufficiency [-].
    load, imports
        Electricity use and the part of it imported [kWh/a].
    ped_class
        The PED verdict of :func:`~sparcs.kpi.compute_kpis`.
    ghg
        Net GHG emissions of the verdict (``ghg_balance_kg``) [kg CO2-eq/a].
    ghg_net_zero
        The verdict's net-zero GHG condition.
    strategy
        The operation strategy.
    """

    cost: float
    pe: float
    pei: float
    co2: float
    ss: float
    load: float
    imports: float
    ped_class: str
    strategy: str
    ghg: float = float("nan")
    ghg_net_zero: bool = False


def _operate(
    scenario: Scenario,
    setup: PlanningSetup,
    strategy: VerifyStrategy,
    warm: WarmStarts | None = None,
) -> Flows:
    inputs = build_inputs(scenario, setup.weather)
    start, stop = setup.period
    if (start, stop) != (0, inputs.n_steps):
        inputs = slice_inputs(inputs, start, stop)
    if strategy == "rule":
        return simulate(scenario, inputs)
    # the defaults of sparcs run --strategy optimal: what the user runs is what is checked
    result = solve_optimal(scenario, inputs, options=setup.model.options, warm=warm)
    result = result.raise_for_status()
    if result.flows is None:  # an optimal result of solve_optimal always carries flows
        msg = "the plan's re-run returned no flows"
        raise SolverError(msg)
    return result.flows


def measure_plan(
    setup: PlanningSetup,
    scenario: Scenario,
    strategy: VerifyStrategy = "optimal",
    warm: WarmStarts | None = None,
) -> Measured:
    """Operate ``scenario`` on the planning period with ``strategy`` and read its KPIs.

    Values are scaled to a year as the sizing model's are (a period shorter than a year
    stands for the year). ``warm`` carries the simplex bases from one check of a plan to the
    next (:class:`~sparcs.lp.warm.WarmStarts`): a tightened plan has the layout of the plan
    before it, and its full-period LP starts from that plan's optimal basis (Kladno: a
    fifth of the time of a cold solve); the optimum is the same.

    Raises
    ------
    InfeasibleError
        When the plan cannot be operated optimally.
    """
    flows = _operate(scenario, setup, strategy, warm)
    report = compute_kpis(flows, scenario)
    year = len(year_index(scenario.year, scenario.timestep, scenario.timezone))
    scale = year / len(flows.time)
    virtual = scenario.boundary.kind == "virtual"
    ss = report["self_sufficiency"].value / 100.0
    load = scale * report["electricity_use"].value
    return Measured(
        cost=scale * report["net_energy_cost"].value,
        pe=scale * report["peb_virtual" if virtual else "peb"].value,
        pei=scale * report["pei"].value,
        co2=scale * report["co2"].value,
        ss=ss,
        load=load,
        imports=(1.0 - ss) * load,
        ped_class=report.verdict.ped_class,
        strategy=strategy,
        ghg=scale * report.verdict.ghg_balance_kg,
        ghg_net_zero=report.verdict.ghg_net_zero,
    )


#: The job of the forked workers of :func:`measure_plans` (set around the fork only).
_JOB: dict[str, Any] = {}


def _chain(items: Sequence[int]) -> list[Measured]:
    setup, scenarios, strategy = _JOB["setup"], _JOB["scenarios"], _JOB["strategy"]
    return [measure_plan(setup, scenarios[i], strategy) for i in items]


def measure_plans(
    setup: PlanningSetup,
    scenarios: Sequence[Scenario],
    strategy: VerifyStrategy = "optimal",
    warm: WarmStarts | None = None,
) -> list[Measured]:
    """:func:`measure_plan` of each scenario; several side by side in forked processes.

    The plan and the district as it is are operated at once on two cores: one full-year
    operation less on the critical path (Kladno, 10 units: ~7 s). ``warm`` serves the
    scenarios operated in this process, one after the other (not forked ones).
    """
    workers = min(len(scenarios), os.cpu_count() or 1)
    if workers <= 1 or strategy == "rule":  # the rule strategy takes well under a second
        return [measure_plan(setup, s, strategy, warm) for s in scenarios]
    _JOB.update(setup=setup, scenarios=list(scenarios), strategy=strategy)
    try:
        return run_chains(_chain, len(scenarios), workers)
    finally:
        _JOB.clear()


class Background:
    """:func:`measure_plan` of one scenario in a forked process, while the caller goes on.

    The district as it is is operated beside the plan's check, tightening and re-check; its
    result is collected at the end (:meth:`result`). Without ``fork`` (or for the rule
    strategy, which takes well under a second) it runs at once, in this process.
    """

    def __init__(
        self, setup: PlanningSetup, scenario: Scenario, strategy: VerifyStrategy = "optimal"
    ) -> None:
        self._value: Measured | None = None
        self._pool: ProcessPoolExecutor | None = None
        if (
            strategy == "rule"
            or "fork" not in mp.get_all_start_methods()
            or (mp.current_process().daemon)
        ):
            self._value = measure_plan(setup, scenario, strategy)
            return
        _JOB.update(setup=setup, scenarios=[scenario], strategy=strategy)
        try:  # the worker forks in submit: it has the job; this process need not keep it
            self._pool = ProcessPoolExecutor(
                1, mp_context=mp.get_context("fork"), initializer=_fresh_scheduler
            )
            self._future = self._pool.submit(_chain, [0])
        finally:
            _JOB.clear()

    def result(self) -> Measured:
        """The measurement, waiting for it if need be."""
        if self._value is None:
            self._value = self._future.result()[0]
            self.close()
        return self._value

    def close(self) -> None:
        """Let the worker go (it finishes what it runs)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _fresh_scheduler() -> None:
    """HiGHS's thread pool does not survive a fork; the worker starts its own."""
    from sparcs.lp import highs

    highs._highspy().Highs.resetGlobalScheduler(True)  # noqa: SLF001


def _rel(a: float, b: float, ref: float) -> float:
    return (a - b) / ref if ref else 0.0


def verify_plan(
    setup: PlanningSetup,
    model: PlanOutcome,
    measured: Measured,
    *,
    annual_investment_eur: float,
    tolerance: float = float("nan"),
) -> Verification:
    """Compare the sizing model's figures of a plan with its measured full-period operation.

    Parameters
    ----------
    setup
        The planning setup the plan comes from.
    model
        The plan as the sizing model sees it.
    measured
        The (rounded) plan's full-period operation (:func:`measure_plan`).
    annual_investment_eur
        Annualised investment of the measured plan [EUR/a].
    tolerance
        Largest relative error accepted [-], recorded in the result; NaN = none.

    Returns
    -------
    Verification
        Measured values and relative errors of the planning model: total annual cost
        (relative to the measured one), PE balance (relative to the PE imported) and CO2.
    """
    total = measured.cost + annual_investment_eur
    what = (
        "typical-day model vs full-period operation"
        if setup.agg.typical
        else "planning model vs full-period operation of the rounded plan"
    )
    if measured.strategy == "rule":
        what += " (rule strategy)"
    return Verification(
        operating_cost_eur=measured.cost,
        pe_balance_kwh=measured.pe,
        co2_kg=measured.co2,
        cost_error=_rel(model.total_annual_cost_eur, total, abs(total)),
        pe_error=_rel(model.pe_balance_kwh, measured.pe, abs(measured.pei)),
        co2_error=_rel(model.co2_kg, measured.co2, abs(measured.co2)),
        description=what,
        tolerance=tolerance,
        typical_days=setup.agg.days.size if setup.agg.typical else None,
        strategy=measured.strategy,
        self_sufficiency=measured.ss,
        ped_class=measured.ped_class,
    )
