"""The plan re-run as ``sparcs run --strategy optimal`` does, against the planning model.

The plan's scenario gets its own profiles (:func:`~sparcs.profiles.build.build_inputs`) and
full-period optimal operation (:func:`~sparcs.operation.optimal.solve_optimal`, its
defaults); the KPI functions then measure energy cost, PE balance and CO2 on the flows.
With typical days the difference is the aggregation error; on every step it is the solver
tolerance (plus sizes below :data:`~sparcs.planning.writeback.MIN_SIZE` left out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sparcs.carriers.factors import scenario_factors
from sparcs.carriers.tariffs import tariff_prices
from sparcs.errors import SolverError
from sparcs.kpi import district_value
from sparcs.kpi.economics import net_energy_cost
from sparcs.kpi.emissions import co2_emissions
from sparcs.kpi.ped import primary_energy_balance, primary_energy_import
from sparcs.operation.optimal.solve import solve_optimal
from sparcs.planning.result import PlanOutcome, Verification
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import slice_inputs
from sparcs.timeseries import year_index

if TYPE_CHECKING:
    from sparcs.planning.setup import PlanningSetup
    from sparcs.scenario.models import Scenario

__all__ = ["rerun_values", "verify_plan"]


def rerun_values(setup: PlanningSetup, scenario: Scenario) -> dict[str, float]:
    """Energy cost, PE balance, PE imported and CO2 of ``scenario``'s optimal operation on
    the planning period, scaled to a year [EUR/a, kWh_PE/a, kg/a].

    Raises
    ------
    InfeasibleError
        When the plan cannot be operated.
    """
    inputs = build_inputs(scenario, setup.weather)
    start, stop = setup.period
    if (start, stop) != (0, inputs.n_steps):
        inputs = slice_inputs(inputs, start, stop)
    result = solve_optimal(scenario, inputs, options=setup.model.options).raise_for_status()
    flows = result.flows
    if flows is None:  # an optimal result of solve_optimal always carries flows
        msg = "the plan's re-run returned no flows"
        raise SolverError(msg)
    factors = scenario_factors(scenario, flows.time)
    year = len(year_index(scenario.year, scenario.timestep, scenario.timezone))
    scale = year / len(flows.time)
    virtual = scenario.boundary.kind == "virtual"
    return {
        "cost": scale * district_value(net_energy_cost(flows, prices=tariff_prices(scenario, flows.time))),
        "pe": scale * district_value(primary_energy_balance(flows, factors=factors, include_virtual=virtual)),
        "pei": scale * district_value(primary_energy_import(flows, factors=factors)),
        "co2": scale * district_value(co2_emissions(flows, factors=factors)),
    }


def _rel(a: float, b: float, ref: float) -> float:
    return (a - b) / ref if ref else 0.0


def verify_plan(setup: PlanningSetup, plan: PlanOutcome,
                tolerance: float = float("nan")) -> Verification:
    """Re-run ``plan`` with full-period optimal operation and compare.

    Parameters
    ----------
    setup
        The planning setup the plan comes from.
    plan
        The plan, with its scenario.
    tolerance
        Largest relative error accepted [-], recorded in the result; NaN = none.

    Returns
    -------
    Verification
        Re-run values and relative errors of the planning model: total annual cost
        (relative to the re-run's), PE balance (relative to the PE imported) and CO2.
    """
    values = rerun_values(setup, plan.scenario)
    total = values["cost"] + plan.annual_investment_eur
    what = ("typical-day model vs full-period operation" if setup.agg.typical else
            "planning model vs re-run on the same steps")
    return Verification(
        operating_cost_eur=values["cost"], pe_balance_kwh=values["pe"], co2_kg=values["co2"],
        cost_error=_rel(plan.total_annual_cost_eur, total, abs(total)),
        pe_error=_rel(plan.pe_balance_kwh, values["pe"], abs(values["pei"])),
        co2_error=_rel(plan.co2_kg, values["co2"], abs(values["co2"])),
        description=what, tolerance=tolerance,
        typical_days=setup.agg.days.size if setup.agg.typical else None)
