"""A receding horizon with a coarser tail (move blocking): fine steps first, hours after.

Live operation carries out only the first step of each schedule, yet plans a whole horizon
so that stores and cars look ahead. Past its first hours the plan is only a look-ahead:
:func:`blocked` merges the steps after ``fine_h`` hours into blocks of ``coarse_h`` (the
standard move blocking of model-predictive control). The LP keeps quarter hours where they
are carried out and shrinks with the rest (a 24-h horizon of quarter hours: 96 steps ->
24 + 18 = 42).

A block's data is that of its steps, energy-conserving: demand, PV, solar heat, COP, the
heat-pump limit, prices, fuel costs and the import cap are averaged over the block's steps,
so a constant power over the block moves the same energy at the same cost as over its
steps; each block lasts the sum of its steps (``DispatchProblem.step_h``), and storage
losses compound over it. Capacity charges take the charge period and window of the block's
first step (the peak of a block is its mean power). A car takes the block where it is
plugged for most of it, at its power times the share it is plugged
(:func:`~.ev_blocks.blocked_ev`). :func:`expanded` turns a blocked solution back into
steps: powers stay constant over a block, levels move linearly between its ends.

Building thermal mass and a primary-energy balance need steps of one length: a problem with
either is not blocked (:func:`blocks` returns None).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from sparcs.operation.optimal.ev_blocks import blocked_ev
from sparcs.operation.optimal.problem import DispatchProblem, take_steps

__all__ = [
    "FINE_H",
    "LEVELS",
    "block_mean",
    "blocked",
    "blocks",
    "clock_phase",
    "expanded",
    "resolution",
    "steps_of",
]

#: Hours of the horizon kept at the input step by default [h]: a replayed year of quarter-hour
#: cycles costs as much with 2 h as with 6 h (gap 3.4 % on 2,000 cycles either way) and a
#: cycle a sixth less (docs/live.md). ``sparcs operate --fine-h`` repeats it (tested).
FINE_H = 2.0

#: Solution arrays that are levels at the end of a step (interpolated, not repeated).
LEVELS = ("bs", "ts", "ev_e", "tin")


def clock_phase(start: pd.Timestamp, dt_h: float, coarse_h: float = 1.0) -> int:
    """Steps from the last point of the ``coarse_h`` grid (of UTC) to ``start``: the
    ``phase`` of :func:`blocks`.

    Examples
    --------
    >>> clock_phase(pd.Timestamp("2025-07-01T10:45+02:00"), 0.25)
    3
    """
    step_ns = round(dt_h * 3_600e9)
    return int(start.value // step_ns % max(1, round(coarse_h / dt_h)))


def blocks(
    problem: DispatchProblem, fine_h: float | None, coarse_h: float = 1.0, *, phase: int = 0
) -> np.ndarray | None:
    """Steps of ``problem`` in each LP step: ones over ``fine_h`` hours, then blocks of
    ``coarse_h`` hours on the clock's grid.

    The first block runs to the next point of the grid (a clock hour), so that in three
    cycles of four the later blocks cover the same hours as in the cycle before: their data
    (an hourly price, a forecast of the same hours) do not change, and the kept LP needs
    about a third fewer simplex iterations (docs/live.md). The last block takes what is
    left, up to twice ``coarse_h``: the number of blocks stays the same from cycle to cycle.

    Parameters
    ----------
    problem
        The problem on the input steps (every step ``dt_h`` long).
    fine_h
        Hours kept at the input step [h]; None: no blocking.
    coarse_h
        Length of a block after them [h].
    phase
        Steps from the last point of the grid to the window's first step (for quarter
        hours and hour blocks: 0 at the full hour, 1 at a quarter past). The grid is that
        of UTC, which is the clock's in every time zone a whole number of hours from it.

    Returns
    -------
    numpy.ndarray or None
        Steps per block, (block,) int summing to ``problem.n_steps``; None when nothing
        would be merged (a step of ``coarse_h`` or more, a horizon within ``fine_h``) or the
        problem needs steps of one length (thermal mass, primary-energy balance).

    Examples
    --------
    >>> import numpy as np
    >>> from sparcs.operation.optimal.problem import DispatchProblem, StorageParams
    >>> z, one = np.zeros((10, 1)), np.ones(1)
    >>> none = StorageParams(*(np.zeros(1),) * 3, one, one, np.zeros(1))
    >>> p = DispatchProblem(0.25, z, z, z, z + 3, one, none, none, one, 9.0, 9.0,
    ...                     np.zeros(10), np.zeros(10))
    >>> blocks(p, fine_h=1.0).tolist()
    [1, 1, 1, 1, 4, 2]
    >>> blocks(p, fine_h=0.5, phase=1).tolist()  # from a quarter past: on to the half hour
    [1, 1, 1, 7]
    """
    per_block = round(coarse_h / problem.dt_h)
    if fine_h is None or per_block <= 1 or problem.step_h is not None:
        return None
    if problem.thermal_mass is not None or problem.ped is not None:
        return None
    fine = min(problem.n_steps, max(1, round(fine_h / problem.dt_h)))
    rest = problem.n_steps - fine
    if rest <= 1:
        return None
    first = min(rest, (-(phase + fine)) % per_block or per_block)
    tail, left = [first], rest - first
    if left:
        whole = left // per_block - 1  # the last block takes the rest: [coarse, 2 coarse)
        tail += [left] if whole < 0 else [per_block] * whole + [left - per_block * whole]
    return np.array([1] * fine + tail, dtype=int)


def steps_of(sizes: np.ndarray) -> np.ndarray:
    """Block of each input step, (step,) int."""
    return np.repeat(np.arange(sizes.size), sizes)


def block_mean(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over each block's steps (first axis) [same unit]."""
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    arr = np.asarray(values, dtype=float)
    shape = (-1,) + (1,) * (arr.ndim - 1)
    mean: np.ndarray = np.add.reduceat(arr, starts, axis=0) / sizes.reshape(shape)
    return mean


def _mean_rows(value: Any, sizes: np.ndarray, n_steps: int, ndim: int) -> Any:
    """``value`` averaged over the blocks when it is a per-step array of ``ndim`` dimensions."""
    arr = np.asarray(value)
    if arr.ndim == ndim and arr.shape[0] == n_steps:
        return block_mean(arr, sizes)
    return value


def blocked(problem: DispatchProblem, sizes: np.ndarray) -> DispatchProblem:
    """``problem`` on blocks of ``sizes`` steps (module docstring).

    Parameters
    ----------
    problem
        The problem on its input steps.
    sizes
        Steps per block (:func:`blocks`).

    Returns
    -------
    DispatchProblem
        One step per block, ``step_h`` the blocks' lengths [h].
    """
    t = problem.n_steps
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    changes: dict[str, Any] = {
        name: block_mean(getattr(problem, name), sizes)
        for name in ("demand_el_kw", "demand_heat_kw", "pv_avail_kw", "cop")
    }
    changes |= {
        "import_cost": block_mean(problem.import_cost, sizes),
        "export_price": block_mean(problem.export_price, sizes),
        "hp_max_el_kw": _mean_rows(problem.hp_max_el_kw, sizes, t, 2),
        "solar_heat_kw": _mean_rows(problem.solar_heat_kw, sizes, t, 2),
        "import_cap_kw": _mean_rows(problem.import_cap_kw, sizes, t, 1),
        "step_h": sizes * problem.dt_h,
    }
    if problem.boiler is not None:
        fuel = _mean_rows(problem.boiler.fuel_cost, sizes, t, 2)
        changes["boiler"] = replace(problem.boiler, fuel_cost=fuel)
    if problem.chp is not None:
        changes["chp"] = replace(
            problem.chp, fuel_cost=_mean_rows(problem.chp.fuel_cost, sizes, t, 2)
        )
    if problem.district_heat is not None:
        cost = np.asarray(problem.district_heat.cost, dtype=float)
        cost = block_mean(cost, sizes) if cost.ndim >= 1 and cost.shape[0] == t else cost
        changes["district_heat"] = replace(problem.district_heat, cost=cost)
    if problem.heat_export is not None:
        price = _mean_rows(problem.heat_export.price, sizes, t, 1)
        changes["heat_export"] = replace(problem.heat_export, price=price)
    for name in ("capacity", "dh_capacity"):
        charge = getattr(problem, name)
        if charge is not None:
            changes[name] = replace(
                charge, period=charge.period[starts], window=charge.window[starts]
            )
    if problem.ev is not None:
        changes["ev"] = blocked_ev(problem.ev, sizes)
    if problem.terminal_step is not None:
        changes["terminal_step"] = int(steps_of(sizes)[problem.terminal_step])
    time = problem.labels.time
    changes["labels"] = replace(problem.labels, time=None if time is None else time[starts])
    return replace(problem, **changes)


def expanded(
    problem: DispatchProblem, solution: dict[str, np.ndarray], sizes: np.ndarray
) -> tuple[DispatchProblem, dict[str, np.ndarray]]:
    """A blocked problem and its solution on the input steps again.

    Every block's data and powers hold over its steps; levels (:data:`LEVELS`) move linearly
    from the block's start to its end.

    Parameters
    ----------
    problem
        The blocked problem (:func:`blocked`).
    solution
        Named arrays of a solution of it (time first).
    sizes
        Steps per block.

    Returns
    -------
    problem, solution
        On the input steps (``step_h`` None): series repeated, powers repeated, levels
        interpolated.
    """
    rep = steps_of(sizes)
    fine = replace(take_steps(problem, rep), step_h=None, cyclic=problem.cyclic)
    ends = np.cumsum(sizes)
    # position of each step within its block, as the share of the block done at its end
    share = (np.arange(rep.size) + 1 - (ends - sizes)[rep]) / sizes[rep]
    out: dict[str, np.ndarray] = {}
    for name, value in solution.items():
        arr = np.asarray(value)
        if arr.ndim == 0 or arr.shape[0] != sizes.size:
            out[name] = arr
        elif name in LEVELS:
            before = np.concatenate([arr[:1], arr[:-1]])  # the first block is one step
            w = share.reshape((-1,) + (1,) * (arr.ndim - 1))
            out[name] = before[rep] + (arr[rep] - before[rep]) * w
        else:
            out[name] = arr[rep]
    return fine, out


def resolution(problem: DispatchProblem, dt_h: float) -> str:
    """The LP's steps in words, e.g. ``"6 h in 15-min steps, then 18 h in 1-h blocks"``.

    Parameters
    ----------
    problem
        The LP's problem (blocked or not).
    dt_h
        The input step [h].

    Examples
    --------
    >>> import numpy as np
    >>> from sparcs.operation.optimal.problem import DispatchProblem, StorageParams
    >>> z, one = np.zeros((10, 1)), np.ones(1)
    >>> none = StorageParams(*(np.zeros(1),) * 3, one, one, np.zeros(1))
    >>> p = DispatchProblem(0.25, z, z, z, z + 3, one, none, none, one, 9.0, 9.0,
    ...                     np.zeros(10), np.zeros(10))
    >>> resolution(p, 0.25)
    '10 steps of 15 min'
    >>> resolution(blocked(p, blocks(p, fine_h=1.0)), 0.25)
    '1 h in 15-min steps, then 1.5 h in blocks of up to 1 h'
    >>> resolution(blocked(p, blocks(p, fine_h=1.0, phase=2)), 0.25)
    '1 h in 15-min steps, then 1.5 h in blocks of up to 1 h'
    """
    step = f"{dt_h * 60:g} min"
    if problem.step_h is None:
        return f"{problem.n_steps} steps of {step}"
    lengths = np.asarray(problem.step_h, dtype=float)
    fine = int(np.argmax(lengths > dt_h + 1e-9)) if np.any(lengths > dt_h + 1e-9) else lengths.size
    head, tail = lengths[:fine].sum(), lengths[fine:]
    return (
        f"{head:g} h in {step.replace(' ', '-')} steps, then {tail.sum():g} h in blocks of up "
        f"to {tail.max():g} h"
    )
