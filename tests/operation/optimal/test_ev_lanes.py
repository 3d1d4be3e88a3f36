"""Empty EV lanes: the same optimum, and an LP a receding horizon keeps across windows."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.climate import load_weather
from sparcs.live.dispatch import Operator
from sparcs.operation.optimal import SolverOptions
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.ev import EVParams
from sparcs.operation.optimal.model import DispatchModel
from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.optimal.receding import RecedingModel
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import slice_inputs
from sparcs.testing import synthetic_district

OPTIONS = SolverOptions(threads=1)
DAY = 96 * 100  # a day in April of the 15-min district


@cache
def _window(offset: int, steps: int = 48) -> DispatchProblem:
    """A window of quarter hours of the 10-building district (EVs, stores, heat pumps)."""
    s = synthetic_district(10, city="leipzig", seed=1, timestep="15min")
    inputs = build_inputs(s, load_weather(s))
    window = slice_inputs(inputs, DAY + offset, DAY + offset + steps)
    return scenario_problem(s, window, OptimalSettings(terminal="initial")).problem


def _ev(p: DispatchProblem) -> EVParams:
    assert p.ev is not None
    return p.ev


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=11, max_size=11))
def test_empty_lanes_keep_each_units_cars_in_order(extra: list[int]) -> None:
    ev = replace(_ev(_window(0)), initial_kwh=np.arange(_ev(_window(0)).n_lanes, dtype=float))
    have = np.bincount(ev.unit, minlength=len(extra))
    padded = ev.padded(have + np.array(extra))
    assert np.array_equal(np.bincount(padded.unit, minlength=len(extra)), have + extra)
    assert np.all(np.diff(padded.unit) >= 0)  # lanes sorted by unit, as ev_params lays them
    for unit in range(len(extra)):
        own, wide = ev.unit == unit, padded.unit == unit
        kept = padded.session[:, wide][:, : have[unit]]
        assert np.array_equal(kept, ev.session[:, own])
        assert np.array_equal(padded.initial_kwh[wide][: have[unit]], ev.initial_kwh[own])
        added = padded.session[:, wide][:, have[unit] :]
        assert np.all(added == -1)
        assert not padded.continues[:, wide][:, have[unit] :].any()
        assert np.all(padded.initial_kwh[wide][have[unit] :] == 0.0)


def test_fewer_lanes_than_a_unit_has_change_nothing() -> None:
    ev = _ev(_window(0))
    assert ev.padded(np.zeros(11, dtype=int)) is ev


def test_empty_lanes_leave_the_optimum_and_every_units_charging_alone() -> None:
    p = _window(0)
    ev = _ev(p)
    wide = replace(p, ev=ev.padded(np.bincount(ev.unit, minlength=p.n_units) + 2))
    base = DispatchModel(p, OPTIONS).solve()
    padded = DispatchModel(wide, OPTIONS).solve()
    assert base.is_ok and padded.is_ok
    assert padded.objective == pytest.approx(base.objective, rel=1e-9, abs=1e-6)
    charged = np.zeros((p.n_steps, p.n_units))
    assert wide.ev is not None
    np.add.at(charged.T, wide.ev.unit, padded.solution["ev_ch"].T)
    expected = np.zeros_like(charged)
    np.add.at(expected.T, ev.unit, base.solution["ev_ch"].T)
    # equal cost; the charging may be laid out otherwise where that is equally cheap
    assert charged.sum() == pytest.approx(expected.sum(), rel=1e-6)
    empty = wide.ev.session < 0
    assert np.all(padded.solution["ev_ch"][empty] == 0.0)


def test_an_operator_keeps_one_lp_while_fewer_cars_overlap() -> None:
    """After the evening's peak the windows hold 33, 29, 23, then 22 lanes: without the
    empty lanes each change would build the LP again from a cold start."""
    offsets = list(range(28, 64, 4))
    lanes = [_ev(_window(k)).n_lanes for k in offsets]
    assert len(set(lanes)) >= 3
    operator, bare = Operator(OPTIONS), RecedingModel(OPTIONS)
    for k in offsets:
        p = _window(k)
        steady = replace(p, ev=operator.steady_lanes(_ev(p), p.n_units))
        kept = operator.model.solve(steady, shift=4)
        bare.solve(p, shift=4)
        cold = DispatchModel(p, OPTIONS).solve()
        assert kept.is_ok and cold.is_ok
        assert kept.objective == pytest.approx(cold.objective, rel=1e-9, abs=1e-6)
    assert operator.model.builds == 1
    assert bare.builds >= 3
