"""Diversity of a district's profiles: per-building time shifts and AR(1) noise on shared shapes.

A district is not N copies of one curve. :func:`diversify` gives each building its group's
wall-clock shape shifted by a seeded time shift and multiplied by log-normal AR(1) noise, then
scales it to the building's annual energy. Shared by the electricity and hot-water profiles.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from sparcs.profiles._annual import fill_to_annual
from sparcs.profiles._calendar import WallClockGrid

__all__ = ["NOISE_POOL", "ar1_factor", "diversify", "draw_shifts", "shifted_means"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Independent noise realisations shared out among buildings (see :func:`ar1_factor`).
NOISE_POOL = 128


def draw_shifts(
    rng: np.random.Generator, n: int, max_shift_min: float, fine_s: int
) -> npt.NDArray[np.int64]:
    """Seeded time shifts of ``n`` buildings, uniform in +/- ``max_shift_min`` [fine steps]."""
    reach = int(max_shift_min * 60 // fine_s)
    return rng.integers(-reach, reach + 1, size=n).astype(np.int64)


def _pair_means(
    base: FloatArray, groups: IntArray, shifts: IntArray, grid: WallClockGrid
) -> tuple[FloatArray, IntArray]:
    """:func:`shifted_means` as ``(means, pair)``: each distinct (group, shift) pair's interval
    means, and each building's pair; ``shifted_means`` is ``means[:, pair]``."""
    span = int(np.abs(shifts).max(initial=0))
    code = groups * (2 * span + 1) + (shifts + span)
    pairs, inverse = np.unique(code, return_inverse=True)
    pair_group, pair_shift = pairs // (2 * span + 1), pairs % (2 * span + 1) - span
    position = grid.offset + np.arange(grid.n_out * grid.n_sub)
    rows = np.clip(position[:, None] + pair_shift[None, :], 0, base.shape[0] - 1)
    columns = base[rows, pair_group[None, :]]
    means = columns.reshape(grid.n_out, grid.n_sub, -1).mean(axis=1)
    return means, inverse.ravel()


def shifted_means(
    base: npt.NDArray[np.float64],
    groups: npt.NDArray[np.int64],
    shifts: npt.NDArray[np.int64],
    grid: WallClockGrid,
) -> npt.NDArray[np.float64]:
    """Per building: its group's fine series, shifted, as means over each step of the index.

    Index arithmetic only: each distinct (group, shift) pair is gathered once from the 2-D
    ``base`` and the result is spread to the buildings. Shifts beyond the grid's edges repeat
    the edge value.

    Parameters
    ----------
    base
        Fine series per group, shape ``(n_fine, n_groups)``.
    groups, shifts
        Per building: column of ``base`` and shift [fine steps], shape ``(n_buildings,)``.
    grid
        The fine grid of ``base``.

    Returns
    -------
    numpy.ndarray
        Interval means, shape ``(n_steps, n_buildings)``.
    """
    means, pair = _pair_means(base, groups, shifts, grid)
    return means[:, pair]


def _noise_windows(
    rng: np.random.Generator, shape: tuple[int, int], std: float, memory_steps: float
) -> tuple[FloatArray, IntArray, IntArray]:
    """:func:`ar1_factor` as ``(windows, member, offset)``: column ``b`` of the factor is the
    view ``windows[member[b], offset[b]]``; ``windows`` is a strided view of one
    ``(n_pool, 2 n_steps - 1)`` array, so it costs no memory per building."""
    n_steps, n_columns = shape
    n_pool = min(NOISE_POOL, n_columns)
    pool = rng.standard_normal((n_steps, n_pool))
    phi = math.exp(-1.0 / max(memory_steps, 1e-9))
    pool[1:] *= math.sqrt(1.0 - phi * phi)
    # x_t = e_t + phi x_{t-1} as a first-order recursive filter: the same products and sums,
    # in the same order, as a loop over steps, but in compiled code
    pool = np.exp(std * lfilter([1.0], [1.0, -phi], pool, axis=0) - 0.5 * std * std)
    member = rng.integers(0, n_pool, size=n_columns)
    offset = rng.integers(0, n_steps, size=n_columns)
    circular = np.concatenate([pool.T, pool.T[:, :-1]], axis=1)  # (n_pool, 2 n_steps - 1)
    windows = np.lib.stride_tricks.sliding_window_view(circular, n_steps, axis=1)
    return windows, member, offset


def ar1_factor(
    rng: np.random.Generator, shape: tuple[int, int], std: float, memory_steps: float
) -> npt.NDArray[np.float64]:
    """Seeded multiplicative noise with mean 1 per column: ``exp(std * x - std**2 / 2)``.

    ``x`` is a stationary AR(1) process with unit variance and correlation
    ``exp(-1 / memory_steps)`` between steps (Box, Jenkins and Reinsel, *Time Series
    Analysis*, 4th ed., sec. 3.2.4); the log-normal form keeps the factor positive. To stay
    vectorised, :data:`NOISE_POOL` independent realisations are simulated and each column
    reads one of them from its own random circular offset, so columns are uncorrelated except
    for a chance offset closer than a few memory lengths.
    """
    n_steps, n_columns = shape
    if std <= 0 or n_steps == 0 or n_columns == 0:
        return np.ones(shape)
    windows, member, offset = _noise_windows(rng, shape, std, memory_steps)
    return windows[member, offset].T


def diversify(
    grid: WallClockGrid,
    base: npt.NDArray[np.float64],
    groups: npt.NDArray[np.int64],
    annual: npt.NDArray[np.float64],
    rng: np.random.Generator,
    *,
    shift_min: float,
    noise_std: float,
    noise_hours: float,
    out: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Per-building variants of shared wall-clock shapes, scaled to each annual energy [kW].

    Each building takes column ``groups[b]`` of ``base`` (on the fine ``grid``), shifted by a
    seeded shift uniform in +/- ``shift_min`` [min], as interval means over the index steps,
    times log-normal AR(1) noise of log-standard deviation ``noise_std`` and memory
    ``noise_hours`` [h]; then :func:`~sparcs.profiles._annual.scale_to_annual`. Shared by
    the electricity and DHW profiles. The result is column-major: ``out`` when given
    (see :func:`~sparcs.profiles._annual.fill_to_annual`).
    """
    dt_h = grid.n_sub * grid.fine_s / 3600.0
    shifts = draw_shifts(rng, annual.size, shift_min, grid.fine_s)
    means, pair = _pair_means(base, groups, shifts, grid)
    noisy = noise_std > 0 and grid.n_out > 0 and annual.size > 0  # as ar1_factor: no draws
    if noisy:
        noise = (grid.n_out, annual.size), noise_std, noise_hours / dt_h
        windows, member, offset = _noise_windows(rng, *noise)
    means = np.asfortranarray(means)  # each building reads one contiguous column

    def fill(columns: IntArray, out: FloatArray) -> None:
        if not noisy:
            out[...] = means[:, pair[columns]]
            return
        # shifted_means * ar1_factor column by column: both factors are contiguous views,
        # several times faster than gathering a block of each and multiplying the blocks
        for j, b in enumerate(columns):
            np.multiply(means[:, pair[b]], windows[member[b], offset[b]], out=out[:, j])

    return fill_to_annual(grid.n_out, annual, dt_h, fill, out=out)
