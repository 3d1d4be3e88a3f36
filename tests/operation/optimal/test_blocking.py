"""Steps of their own length and a horizon's coarser tail (move blocking)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.climate import load_weather
from sparcs.errors import DataError
from sparcs.lp.builder import LpArrays
from sparcs.operation.optimal import SolverOptions
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.blocking import block_mean, blocked, blocks, expanded, resolution
from sparcs.operation.optimal.ev import EVParams
from sparcs.operation.optimal.ev_blocks import blocked_ev
from sparcs.operation.optimal.model import DispatchModel, assemble
from sparcs.operation.optimal.objective import objective_value
from sparcs.operation.optimal.problem import DispatchProblem, StorageParams
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import slice_inputs
from sparcs.testing import synthetic_district

OPTIONS = SolverOptions(threads=1)


@cache
def _window(start: int = 96 * 100, steps: int = 96) -> DispatchProblem:
    """A 24-h window of quarter hours of the 10-building district (EVs, stores, heat pumps)."""
    s = synthetic_district(10, city="leipzig", seed=1, timestep="15min")
    inputs = build_inputs(s, load_weather(s))
    window = slice_inputs(inputs, start, start + steps)
    return scenario_problem(s, window, OptimalSettings(terminal="initial")).problem


def _same(a: LpArrays, b: LpArrays) -> None:
    for name in ("col_cost", "col_lower", "col_upper", "row_lower", "row_upper"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert (a.matrix != b.matrix).nnz == 0
    assert a.offset == b.offset


def test_steps_of_one_given_length_build_the_same_lp_as_the_scalar_step() -> None:
    p = _window()
    assert p.ev is not None and p.battery.present and p.tank.present and p.capacity is not None
    _, scalar = assemble(p)
    _, per_step = assemble(replace(p, step_h=np.full(p.n_steps, p.dt_h)))
    _same(scalar, per_step)
    # blocks of one step are the problem itself
    ones = np.ones(p.n_steps, dtype=int)
    _, one_step_blocks = assemble(blocked(p, ones))
    _same(scalar, one_step_blocks)


def test_a_blocked_window_keeps_energy_and_the_first_steps() -> None:
    p = _window()
    sizes = blocks(p, fine_h=6.0)
    assert sizes is not None
    assert sizes.tolist() == [1] * 24 + [4] * 18 and sizes.sum() == p.n_steps
    b = blocked(p, sizes)
    assert b.n_steps == 42 and b.step_h is not None
    assert resolution(b, p.dt_h) == "6 h in 15-min steps, then 18 h in blocks of up to 1 h"
    for name in ("demand_el_kw", "demand_heat_kw", "pv_avail_kw"):
        fine, coarse = getattr(p, name), getattr(b, name)
        np.testing.assert_array_equal(coarse[:24], fine[:24])
        np.testing.assert_allclose((coarse * b.step_h[:, None]).sum(), (fine * p.dt_h).sum())
    # a constant import over a block costs what it costs over its steps
    np.testing.assert_allclose(
        (b.import_cost * b.step_h).sum(), (p.import_cost * p.dt_h).sum(), rtol=1e-12
    )


def test_a_blocked_window_costs_about_what_the_fine_one_does() -> None:
    p = _window()
    sizes = blocks(p, fine_h=6.0)
    assert sizes is not None
    fine = DispatchModel(p, OPTIONS).solve()
    coarse = DispatchModel(blocked(p, sizes), OPTIONS).solve()
    assert fine.is_ok and coarse.is_ok
    assert coarse.size["columns"] < 0.5 * fine.size["columns"]
    # the tail's averages hide a little flexibility within the hour, never much
    assert abs(coarse.objective - fine.objective) < 0.03 * abs(fine.objective)
    problem, solution = expanded(blocked(p, sizes), coarse.solution, sizes)
    assert problem.n_steps == p.n_steps and problem.step_h is None
    assert solution["gi"].shape == fine.solution["gi"].shape
    np.testing.assert_array_equal(solution["gi"][24:28], coarse.solution["gi"][24])
    # levels move linearly over a block: a quarter of the way after its first step
    bs = coarse.solution["bs"]
    np.testing.assert_allclose(solution["bs"][24], bs[23] + (bs[24] - bs[23]) / 4)
    np.testing.assert_allclose(solution["bs"][27], bs[24])


def _one_store(steps: int, loss: float, dt: float) -> DispatchProblem:
    z, one = np.zeros((steps, 1)), np.ones(1)
    store = StorageParams(
        capacity_kwh=np.array([100.0]),
        charge_kw=np.array([10.0]),
        discharge_kw=np.array([10.0]),
        eta_charge=one,
        eta_discharge=one,
        loss_per_h=np.array([loss]),
        initial_kwh=np.array([50.0]),
    )
    none = StorageParams(*(np.zeros(1),) * 3, one, one, np.zeros(1))
    return DispatchProblem(
        dt, z, z, z, z + 3, one, store, none, np.array([100.0]), 100.0, 100.0,
        np.linspace(0.1, 0.4, steps), np.zeros(steps), cyclic=False,
    )  # fmt: skip


def test_a_store_loses_over_a_block_what_it_loses_over_its_steps() -> None:
    p = _one_store(8, loss=0.02, dt=0.25)
    b = blocked(p, np.array([1, 1, 2, 4]))
    layout, arrays = assemble(b)
    rows, levels = layout.rows["B"].ids()[0], layout.cols["bs"].ids()[0]
    keep = -arrays.matrix[rows[1:], :][:, levels[:-1]].toarray().diagonal()
    np.testing.assert_allclose(keep, 0.98 ** np.array([0.25, 0.5, 1.0]))
    # the first row carries the initial level kept over the first step
    assert arrays.row_lower[rows[0]] == pytest.approx(50.0 * 0.98**0.25)
    charge = layout.cols["bc"].ids()[0]
    np.testing.assert_allclose(
        -arrays.matrix[rows, :][:, charge].toarray().diagonal(), [0.25, 0.25, 0.5, 1.0]
    )


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=8),
    st.integers(0, 2**31 - 1),
)
def test_block_means_keep_every_series_energy(sizes: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    s = np.array(sizes)
    values = rng.uniform(-5, 5, size=(int(s.sum()), 3))
    means = block_mean(values, s)
    np.testing.assert_allclose((means * s[:, None]).sum(axis=0), values.sum(axis=0))
    np.testing.assert_allclose(means[s == 1], values[np.cumsum(s)[s == 1] - 1])


def _flat(n: int) -> DispatchProblem:
    z, one = np.zeros((n, 1)), np.ones(1)
    none = StorageParams(*(np.zeros(1),) * 3, one, one, np.zeros(1))
    return DispatchProblem(
        0.25, z, z, z, z + 3, one, none, none, one, 9.0, 9.0, np.zeros(n), np.zeros(n)
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 200), st.integers(1, 12), st.integers(0, 3))
def test_blocks_after_the_first_lie_on_the_clocks_hours(n: int, fine: int, phase: int) -> None:
    sizes = blocks(_flat(n), fine_h=fine / 4, phase=phase)
    if sizes is None:
        assert n - min(n, fine) <= 1
        return
    assert sizes.sum() == n and np.all(sizes[: min(n, fine)] == 1)
    starts = phase + np.cumsum(sizes) - sizes  # in quarter hours from the last full hour
    tail = slice(min(n, fine) + 1, None)
    assert np.all(starts[tail] % 4 == 0)  # every block after the first starts on the hour
    assert np.all(sizes[tail][:-1] == 4) and np.all(sizes[tail] <= 7)
    if (n - fine) % 4 == 0 and n - fine >= 8:  # whole hours after the fine steps
        # one LP shape at every quarter hour: the kept LP is never built again for it
        assert all(len(blocks(_flat(n), fine_h=fine / 4, phase=p)) == sizes.size for p in range(4))


def b_sizes() -> np.ndarray:
    """Four steps, a block of four, a block of two."""
    return np.array([1, 1, 1, 1, 4, 2])


def test_a_block_takes_the_car_plugged_for_most_of_it() -> None:
    # lane 0: car 0 on steps 0-4 (leaves in the block of steps 4-7), car 1 on steps 5-7;
    # lane 1: car 3 on steps 2-5, car 2 arrives on step 7 (a quarter of that block) and
    # stays to step 9
    session = np.full((10, 2), -1)
    session[0:5, 0], session[5:8, 0], session[2:6, 1], session[7:10, 1] = 0, 1, 3, 2
    dwell = np.array([5, 3, 3, 4])
    progress = np.zeros((10, 2))
    for lane, car, first in ((0, 0, 0), (0, 1, 5), (1, 3, 2), (1, 2, 7)):
        steps = np.arange(first, first + dwell[car])
        progress[steps, lane] = (steps - first + 1) / dwell[car]
    continues = np.zeros((10, 2), dtype=bool)
    continues[1:] = (session[1:] == session[:-1]) & (session[1:] >= 0)
    ev = EVParams(
        unit=np.array([0, 0]),
        session=session,
        progress=progress,
        continues=continues,
        energy_kwh=np.array([10.0, 6.0, 6.0, 4.0]),
        power_kw=np.full(4, 11.0),
        efficiency=np.ones(4),
        v2g=np.zeros(4, dtype=bool),
    )
    b = blocked_ev(ev, b_sizes())
    assert b.session[:, 0].tolist() == [0, 0, 0, 0, 1, -1]
    assert b.session[:, 1].tolist() == [-1, -1, 3, 3, 3, 2]
    assert b.share is not None
    assert b.share[4, 0] == pytest.approx(0.75) and b.share[4, 1] == pytest.approx(0.5)
    bounds = b.lane_bounds()
    # car 0 lost the block it leaves in: its last block asks for its share of 4 of 5 steps
    assert bounds["e_lower"][3, 0] == pytest.approx(10.0 * 4 / 5)
    assert bounds["ch"][4, 0] == pytest.approx(11.0 * 0.75)
    # car 2 lost the block it arrived in: it starts from zero and is asked for 2 of 3 steps
    assert not b.continues[5, 1]
    assert bounds["e_lower"][5, 1] == pytest.approx(6.0 * 2 / 3)
    # alone in its block, a car takes it for the share of it plugged
    alone = blocked_ev(replace(ev, session=np.where(session == 3, -1, session)), b_sizes())
    assert alone.session[4, 1] == 2 and alone.continues[5, 1]
    assert alone.share is not None and alone.share[4, 1] == pytest.approx(0.25)


def test_what_needs_steps_of_one_length_says_so() -> None:
    p = _one_store(4, loss=0.0, dt=0.25)
    b = blocked(p, np.array([1, 3]))
    with pytest.raises(DataError, match="needs steps of one length"):
        objective_value(b, {"gi": np.zeros(2), "ge": np.zeros(2)})
    with pytest.raises(DataError, match="step_h must be 4 positive durations"):
        replace(p, step_h=np.array([0.25, 0.0, 0.25, 0.25]))
    assert blocks(p, fine_h=None) is None and blocks(p, fine_h=1.0) is None  # nothing to merge
    assert blocks(replace(p, dt_h=1.0), fine_h=0.25) is None  # hourly steps stay
