"""Checks and the last step shared by every demand profile kind: scaling to the annual energy.

:func:`check_annual`, :func:`check_uses` and :func:`make_rng` check a profile function's
inputs; :func:`scale_to_annual` scales shapes to each building's annual energy, and
:func:`fill_to_annual` does the same block by block of columns, so a district of many
buildings needs no (time, building) temporary besides its result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from sparcs._memory import BLOCK
from sparcs.data import USES
from sparcs.errors import DataError, ScenarioError

__all__ = [
    "annual_factor",
    "check_annual",
    "check_uses",
    "column_blocks",
    "zeros_like_columns",
    "fill_to_annual",
    "make_rng",
    "scale_to_annual",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def make_rng(seed: int, stream: int, diversity: float) -> np.random.Generator:
    """Check ``seed`` and ``diversity`` and return the random generator of one profile kind.

    Each kind (electricity, DHW, heat, cooling) draws from its own stream of the seed, so the
    kinds of one building are not shifted alike by accident.

    Raises :class:`~sparcs.errors.ScenarioError` when ``seed`` is negative or ``diversity``
    is outside 0-10.
    """
    if not isinstance(seed, int | np.integer) or seed < 0:
        msg = f"seed = {seed!r} must be a non-negative integer"
        raise ScenarioError(msg)
    if not 0 <= diversity <= 10:
        msg = f"diversity = {diversity} must be between 0 (identical shapes) and 10"
        raise ScenarioError(msg)
    return np.random.default_rng([stream, int(seed)])


def check_annual(annual_kwh: npt.ArrayLike, n: int | None = None) -> FloatArray:
    """Check annual energies [kWh]: one finite, non-negative value per building."""
    annual = np.asarray(annual_kwh, dtype=np.float64)
    if annual.ndim != 1:
        msg = f"annual_kwh must be one value per building (1-D), got shape {annual.shape}"
        raise DataError(msg)
    if n is not None and annual.size != n:
        msg = f"annual_kwh has {annual.size} values but there are {n} buildings"
        raise DataError(msg)
    if not np.isfinite(annual).all() or (annual < 0).any():
        where = int(np.flatnonzero(~np.isfinite(annual) | (annual < 0))[0])
        msg = f"annual_kwh[{where}] = {annual[where]}: must be finite and >= 0"
        raise DataError(msg)
    return annual


def check_uses(uses: Sequence[str], n: int) -> list[str]:
    """Check building uses: one of :data:`sparcs.data.USES` per building."""
    names = [str(use) for use in uses]
    if len(names) != n:
        msg = f"uses has {len(names)} entries but annual_kwh has {n}"
        raise ScenarioError(msg)
    for i, use in enumerate(names):
        if use not in USES:
            msg = f"building {i}: unknown use {use!r}; choose one of {', '.join(USES)}"
            raise ScenarioError(msg)
    return names


def annual_factor(
    shape: FloatArray, annual_kwh: FloatArray, dt_h: float, *, numbers: npt.ArrayLike | None = None
) -> FloatArray:
    """Per column of ``shape``: the factor [kW per shape unit] that makes ``sum * dt_h`` equal
    ``annual_kwh`` [kWh] (0 for 0); ``numbers`` are the columns' building numbers for the
    error message (default: their positions).

    Raises :class:`~sparcs.errors.DataError` when a building needs energy but its shape is zero
    at every step.
    """
    total = shape.sum(axis=0) * dt_h
    empty = (annual_kwh > 0) & ~(total > 0)
    if empty.any():
        where = int(np.flatnonzero(empty)[0])
        number = where if numbers is None else int(np.asarray(numbers)[where])
        msg = (
            f"building {number}: the profile shape is zero at every step, so its "
            f"{annual_kwh[where]:g} kWh cannot be placed in time; check the weather input"
        )
        raise DataError(msg)
    result: FloatArray = np.divide(
        annual_kwh, total, out=np.zeros_like(annual_kwh), where=total > 0
    )
    return result


def scale_to_annual(shape: FloatArray, annual_kwh: FloatArray, dt_h: float) -> FloatArray:
    """Scale each column of ``shape`` so that ``sum * dt_h`` equals its annual energy.

    ``shape`` is non-negative, ``(n_steps, n_buildings)``; ``annual_kwh`` is the energy over
    the whole index per building [kWh] (0 gives zeros); ``dt_h`` the step [h]. Returns the
    interval-mean power [kW] as a new array. Raises :class:`~sparcs.errors.DataError` when a
    building needs energy but its shape is zero at every step.
    """
    return shape * annual_factor(shape, annual_kwh, dt_h)[None, :]


def column_blocks(n_steps: int, n_columns: int) -> list[slice]:
    """Consecutive slices covering ``range(n_columns)``, each of about 2 MiB of float64 (the
    first is the widest)."""
    width = max(1, BLOCK // max(n_steps, 1))
    return [slice(start, min(start + width, n_columns)) for start in range(0, n_columns, width)]


def fill_to_annual(
    n_steps: int,
    annual_kwh: FloatArray,
    dt_h: float,
    fill: Callable[[IntArray, FloatArray], None],
    *,
    out: FloatArray | None = None,
) -> FloatArray:
    """:func:`scale_to_annual` of the shapes ``fill`` writes, block by block of columns [kW].

    ``fill(columns, out)`` writes the shapes of the buildings ``columns`` (increasing building
    numbers) into ``out``, a column-major ``(n_steps, len(columns))`` block of about 2 MiB
    that is reused from block to block: each block is written, summed and scaled while it is
    in the CPU cache and then copied to its columns, so no (time, building) temporary is
    made; the values equal those of :func:`scale_to_annual`, as numpy sums a contiguous
    column the same way whatever block it is in. Buildings without annual energy are not
    filled: their columns are zeros never written, which take no memory.

    Returns a column-major ``(n_steps, n_buildings)`` array: ``out`` when given (zeros,
    column-major, e.g. a view of a larger buffer its caller owns), else a new one. Raises as
    :func:`annual_factor`.
    """
    n = annual_kwh.size
    wanted = np.flatnonzero(annual_kwh > 0)
    # columns left out are never written, so they commit no memory (docs/memory.md)
    out = zeros_like_columns(n_steps, n, out)
    blocks = column_blocks(n_steps, wanted.size)
    buffer = np.empty((n_steps, blocks[0].stop if blocks else 0), order="F")
    for positions in blocks:
        columns = wanted[positions]
        block = buffer[:, : columns.size]
        fill(columns, block)
        block *= annual_factor(block, annual_kwh[columns], dt_h, numbers=columns)
        out[:, columns] = block
    return out


def zeros_like_columns(n_steps: int, n_columns: int, out: FloatArray | None) -> FloatArray:
    """``out`` checked as a column-major (n_steps, n_columns) array, or new column-major zeros.

    Raises
    ------
    DataError
        When ``out`` has another shape or is not column-major.
    """
    if out is None:
        return np.zeros((n_steps, n_columns), order="F")
    if out.shape != (n_steps, n_columns) or not out.flags.f_contiguous:
        msg = (
            f"out must be column-major zeros of shape {(n_steps, n_columns)}, got shape {out.shape}"
        )
        raise DataError(msg)
    return out
