"""Heat export and the renewable-surplus rule in the optimal strategy (docs/accounting.md):
hand-computed cases, and the LP's PED constraint against the KPI verdict."""

from __future__ import annotations

import numpy as np
import pytest
from operation_helpers import make_inputs, make_scenario

from sparcs.carriers import scenario_factors
from sparcs.kpi import ped_verdict
from sparcs.kpi.ped import pe_steps
from sparcs.lp.status import TerminationCondition
from sparcs.operation.flows import check_balance
from sparcs.operation.optimal import solve_dispatch, solve_optimal
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem

STORE = {"capacity_kwh": 5.0, "loss_pct_per_h": 10.0, "soc_initial": 0.0}


def test_optimal_exports_solar_surplus_and_stores_what_pays_more():
    # solar 4, 5, 0 kW against a demand of 1, 0, 3 kW; heat fed in earns 0.03 EUR/kWh, heat
    # bought costs 0.14: t2's demand comes from the tank, filled at t1 (one step of 10 % loss:
    # 3 / 0.9 kWh); everything else is fed in: 3 at t0, 5 - 3 / 0.9 at t1
    scenario = make_scenario(
        [
            {
                "id": "a",
                "heating": "district_heating",
                "solar_thermal": {"area_m2": 10},
                "thermal_storage": STORE,
            }
        ],
        district={"heat_export": {"price_eur_per_kwh": 0.03}},
    )
    inputs = make_inputs(
        ["a"],
        3,
        building={
            "space_heat_kw": [[1.0], [0.0], [3.0]],
            "solar_thermal_kw": [[4.0], [5.0], [0.0]],
        },
    )
    result = solve_optimal(scenario, inputs)
    assert result.is_ok
    flows = result.flows
    check_balance(flows)
    np.testing.assert_allclose(flows["dh_export_kwh"][:, 0], [3.0, 5.0 - 3.0 / 0.9, 0.0], atol=1e-6)
    np.testing.assert_allclose(flows.total("heat_dumped_kwh"), 0.0, atol=1e-6)
    np.testing.assert_allclose(flows.total("dh_import_kwh"), 0.0, atol=1e-6)


def test_optimal_without_export_dumps():
    scenario = make_scenario(
        [{"id": "a", "heating": "district_heating", "solar_thermal": {"area_m2": 10}}]
    )
    inputs = make_inputs(
        ["a"], 2, building={"space_heat_kw": [[1.0], [0.0]], "solar_thermal_kw": [[4.0], [5.0]]}
    )
    flows = solve_optimal(scenario, inputs).flows
    check_balance(flows)
    np.testing.assert_allclose(flows["dh_export_kwh"], 0.0)
    np.testing.assert_allclose(flows.total("heat_dumped_kwh"), [3.0, 5.0], atol=1e-6)


def test_optimal_export_limit_holds_for_the_district():
    scenario = make_scenario(
        [{"id": "a", "heating": "district_heating", "solar_thermal": {"area_m2": 10}}],
        district={"heat_export": {"price_eur_per_kwh": 0.03, "max_kw": 2.0}},
    )
    inputs = make_inputs(
        ["a"], 2, building={"space_heat_kw": [[1.0], [0.0]], "solar_thermal_kw": [[4.0], [5.0]]}
    )
    flows = solve_optimal(scenario, inputs).flows
    check_balance(flows)
    np.testing.assert_allclose(flows.total("dh_export_kwh"), [2.0, 2.0], atol=1e-6)


CHP = {
    "electric_kw": 10.0,
    "electrical_efficiency": 0.4,
    "thermal_efficiency": 0.5,
    "min_load": 0.0,
}


def _chp_case(pv_kw: float):
    """Leipzig (de-geg-2020: electricity f_P,nren 1.8, gas 1.1). Step 0: 10 kW heat, 2 kW
    electricity, no sun; step 1: no demand, ``pv_kw`` of PV, all exported."""
    scenario = make_scenario([{"id": "a", "heating": "chp", "chp": CHP}])
    inputs = make_inputs(
        ["a"],
        2,
        building={
            "space_heat_kw": [[10.0], [0.0]],
            "electricity_kw": [[2.0], [0.0]],
            "pv_kw": [[0.0], [pv_kw]],
        },
    )
    return scenario, inputs


def test_lp_ped_constraint_and_kpi_verdict_agree_with_a_chp_exporting():
    # Best PE in step 0: the CHP gives the 10 kWh of heat from 20 kWh gas (22 kWh_PE) and
    # 8 kWh electricity, 6 exported. Credited at the gas it used, energy method:
    # c = 1.1 x 20 / (8 + 10) = 1.2222 kWh_PE/kWh, 6 x c = 7.333; net import 14.667 kWh_PE.
    # (The boiler instead: 10 / 0.9 x 1.1 + 2 x 1.8 = 15.82.) PV export earns 1.8 per kWh, so
    # the district can be positive only with PV >= 14.667 / 1.8 = 8.15 kWh.
    # The old LP credited the CHP's 6 kWh at 1.8 (10.8): PV >= (22 - 10.8) / 1.8 = 6.22.
    for pv, positive in ((7.0, False), (10.0, True)):
        scenario, inputs = _chp_case(pv)
        constrained = solve_optimal(scenario, inputs, ped="annual")
        free = solve_optimal(scenario, inputs).flows
        f = scenario_factors(scenario, inputs.time)
        if not positive:
            assert constrained.termination in (
                TerminationCondition.INFEASIBLE,
                TerminationCondition.INFEASIBLE_OR_UNBOUNDED,
            )
            assert constrained.flows is None
            verdict = ped_verdict(free, factors=f)
            assert verdict.balance_kwh_pe < 0 and verdict.ped_class in ("not PED", "pre-PED")
            continue
        assert constrained.is_ok
        flows = constrained.flows
        check_balance(flows)
        verdict = ped_verdict(flows, factors=f)
        assert verdict.ped_class in ("PEDdynamic", "PEDautonomous")
        # the LP's credited export equals the KPIs' PEE here: no step has CHP and PV export
        sp = scenario_problem(scenario, inputs, OptimalSettings(ped="annual"))
        sol = solve_dispatch(sp.problem).solution
        lp_credit = 1.8 * float(np.sum(sol["ger"])) + 1.1 * 20 / 18 * float(np.sum(sol["gec"]))
        assert lp_credit == pytest.approx(float(pe_steps(flows, f)[1].sum()), rel=1e-6)
        assert verdict.balance_kwh_pe >= -1e-6


def test_lp_credits_chp_heat_fed_in_at_its_fuel_only():
    # A biomass CHP (f_P,nren 0.2) next to 1 kW of load, free to feed heat into the network.
    # Per kWh of heat it burns 2 kWh (0.4 kWh_PE) and makes 0.8 kWh electricity: credited at
    # the grid (1.44) and district-heat (0.7 x 0.88) factors it would look hugely positive;
    # credited at its fuel (CHP first, 0.4 per kWh of heat and its electricity together) it
    # never pays for the 2 kWh imported (3.6 kWh_PE): the PED constraint cannot be met.
    chp = {**CHP, "fuel": "biomass"}
    scenario = make_scenario(
        [{"id": "a", "heating": "district_heating", "chp": chp}],
        district={"heat_export": {"price_eur_per_kwh": 0.2}},
    )
    inputs = make_inputs(["a"], 2, building={"electricity_kw": [[1.0], [1.0]]})
    assert not solve_optimal(scenario, inputs, ped="annual").is_ok
    free = solve_optimal(scenario, inputs)  # at 0.2 EUR/kWh the CHP runs flat out to export
    flows = free.flows
    check_balance(flows)
    # 12.5 kW of heat (10 kW x 0.5 / 0.4) fed in, 10 - 1 kW of electricity exported per step
    assert flows.total("dh_export_kwh").sum() == pytest.approx(2 * 12.5, rel=1e-6)
    f = scenario_factors(scenario, inputs.time)
    verdict = ped_verdict(flows, factors=f)
    assert verdict.balance_kwh_pe < 0 and verdict.ped_class == "not PED"
    # the KPI credit is the fuel's PE of what left, no more: per step 25 kWh biomass x 0.2 =
    # 5 kWh_PE for 22.5 kWh output, of which 9 + 12.5 exported
    assert float(pe_steps(flows, f)[1].sum()) == pytest.approx(2 * 5.0 * 21.5 / 22.5, rel=1e-6)
