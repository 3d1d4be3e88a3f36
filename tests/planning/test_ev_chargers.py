"""EV charge points as a sized measure: power per point against a time-of-use spread, the
sessions served on every step and on typical days, and the plan's power written back."""

from __future__ import annotations

import numpy as np
import pytest
from planning_helpers import JUNE, config, one_building

from sparcs.planning import load_costs, plan_district
from sparcs.planning.finance import annuity_factor
from sparcs.planning.setup import prepare

ONLY_EV = {
    "pv": False,
    "battery": "none",
    "heat_pump": False,
    "thermal_storage": False,
    "retrofit": (),
}
#: Dear all day but 01-03 local time; home sessions (plugged about 18-07 h) span that window.
NIGHT = {
    "kind": "tou",
    "import_eur_per_kwh": 0.40,
    "export_eur_per_kwh": 0.0,
    "tou": [{"start_hour": 1, "end_hour": 3, "price_eur_per_kwh": 0.10}],
}
EV = {"count": 1, "power_kw": 2.0, "pattern": "home", "energy_per_session_kwh": 12.0}


def _annual_cost_per_kw(capex: float) -> float:
    tech = load_costs("DE")["ev_charge_power"]
    return capex * (annuity_factor(0.04, tech.lifetime_years) + tech.opex_fixed_pct / 100)


def _best_power_by_hand(setup: object, capex: float) -> float:
    """argmin over P of ``a P - spread w sum_s min(E_s, P c_s dt)`` (convex, piecewise linear).

    ``c_s`` is the number of cheap steps session ``s`` is plugged; every kWh of a session
    beyond what the cheap steps take is bought at the dear price.
    """
    sp, cand = setup.sp, setup.cand  # type: ignore[attr-defined]
    p = sp.problem
    s = cand.inputs.ev_sessions
    cheap = np.asarray(p.import_cost) < 0.2
    steps = np.cumsum(np.r_[0, cheap])
    c = steps[s.departure] - steps[s.arrival]
    w = setup.agg.weight[0]  # type: ignore[attr-defined]
    low, high = cand.sizes["ev"].existing[0], cand.sizes["ev"].upper[0]
    grid = np.r_[low, high, s.energy_kwh[c > 0] / (c[c > 0] * p.dt_h)]
    grid = grid[(grid >= low) & (grid <= high)]
    cost = [
        _annual_cost_per_kw(capex) * P - 0.30 * w * np.minimum(s.energy_kwh, P * c * p.dt_h).sum()
        for P in grid
    ]
    return float(grid[int(np.argmin(cost))])


@pytest.mark.parametrize("capex", [20.0, 150.0, 5000.0])
def test_charge_point_power_is_the_hand_optimum_against_a_night_tariff(capex: float) -> None:
    s = one_building(50_000.0, tariff=NIGHT, ev=EV)
    cfg = config(period=JUNE, costs={"ev_charge_power": {"capex": capex}}, **ONLY_EV)
    setup = prepare(s, cfg)
    assert setup.cand.sizes["ev"].existing[0] == pytest.approx(2.0)
    assert setup.cand.sizes["ev"].upper[0] == pytest.approx(22.0)
    expected = _best_power_by_hand(setup, capex)
    result = plan_district(s, cfg)
    assert result.plan.sizes["ev"] == pytest.approx(expected, rel=1e-5)
    assert result.baseline.sizes["ev"] == pytest.approx(2.0)
    (ev,) = [b.ev for b in result.plan.scenario.buildings]
    assert ev is not None and ev.power_kw == pytest.approx(expected, rel=1e-5)
    if capex == 5000.0:  # dearer than any spread it can catch: stays as it is
        assert expected == pytest.approx(2.0)
        assert result.plan.capex_eur == pytest.approx(0.0, abs=1e-6)


def test_upgraded_charge_points_are_reproduced_by_the_rerun() -> None:
    s = one_building(50_000.0, tariff=NIGHT, ev=EV)
    cfg = config(
        period=JUNE,
        costs={"ev_charge_power": {"capex": 20.0}},
        verify=True,
        measure_economics=True,
        **ONLY_EV,
    )
    result = plan_district(s, cfg)
    assert result.plan.sizes["ev"] > 2.0
    check = result.verification
    assert check is not None
    assert abs(check.cost_error) < 1e-4 and abs(check.co2_error) < 1e-4  # sizes rounded
    items = {m.measure: m for m in result.economics}
    assert items["ev_chargers"].saving_eur > 0
    assert items["ev_chargers"].unit == "kW"


def test_typical_days_serve_the_year_of_sessions_with_smart_charging() -> None:
    s = one_building(
        50_000.0, tariff=NIGHT, ev={**EV, "power_kw": 11.0, "energy_per_session_kwh": 4.0}
    )
    cfg = config(period=JUNE, typical_days=4, **ONLY_EV)
    setup = prepare(s, cfg)
    agg, sessions = setup.agg, setup.cand.inputs.ev_sessions
    arrival_day = sessions.arrival // agg.day_steps
    weight = dict(zip(agg.days // agg.day_steps, agg.weight[:: agg.day_steps], strict=True))
    # each typical day's sessions scaled to its cluster's energy: the period's EV energy,
    # scaled to a year, is served in full
    served = sessions.energy_kwh.sum() * 8760 / (JUNE[1] - JUNE[0])
    sol = setup.model.solve()
    assert sol.ok
    cs = setup.model.ev_sessions
    assert cs is not None and len(cs) == sum(d in weight for d in arrival_day)
    ch = sol.solution["evs_ch"].T  # (session, position) [kW]
    charged = float(np.sum(ch * agg.weight[cs.step]) * setup.sp.problem.dt_h)
    assert charged == pytest.approx(served, rel=1e-6)
    # smart: with 11 kW and a 2 h window, every kWh is bought in the cheap hours (a session
    # cut by the period's end may miss them)
    cheap = (np.asarray(setup.model.problem.import_cost) < 0.2)[cs.step] & cs.plugged
    sees_night = cheap.any(axis=1)
    assert sees_night.sum() >= len(cs) - 1
    assert np.sum(ch[sees_night] * ~cheap[sees_night]) == pytest.approx(0.0, abs=1e-6)


def test_session_energies_fill_a_day_up_to_what_each_charge_point_delivers() -> None:
    from sparcs.planning._ev import _fill

    own = np.array([1.0, 1.0, 1.0, 2.0])
    cap = np.array([1.0, 5.0, 5.0, 2.0])
    day = np.array([0, 0, 0, 1])
    out = _fill(own, cap, day, np.array([6.0, 3.0]))
    assert out.tolist() == pytest.approx([1.0, 2.5, 2.5, 2.0])  # day 1 cannot reach 3
    assert _fill(own, cap, day, np.array([1.5, 1.0])).tolist() == pytest.approx(
        [0.5, 0.5, 0.5, 1.0]
    )
