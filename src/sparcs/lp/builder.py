"""Column and row layout of the dispatch LP, and the builder that collects its arrays.

The LP is written as blocks of columns and rows. A block holds one quantity for every
(unit, step) pair, laid out unit-major: the entry of unit ``b`` and step ``t`` sits at
``start + b * steps + t`` (dispatch-benchmark.md §4, "canonical size and order"). Constraint
families add their blocks in a fixed order and write their coefficients as index arrays, so
the model is assembled from array arithmetic, never from a loop over steps or units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sparcs.lp.pattern import MatrixPattern

__all__ = ["Block", "Layout", "LpArrays", "LpBuilder", "per_step", "take_series"]


@dataclass(frozen=True)
class Block:
    """A contiguous range of columns (or rows) shaped (units, steps).

    Attributes
    ----------
    name
        Name of the quantity, e.g. ``"bs"`` (battery energy).
    start
        Index of the first entry.
    units, steps
        Shape of the block; a per-step block has one unit.
    """

    name: str
    start: int
    units: int
    steps: int

    @property
    def size(self) -> int:
        """Number of entries."""
        return self.units * self.steps

    @property
    def stop(self) -> int:
        """One past the last index."""
        return self.start + self.size

    def ids(self) -> np.ndarray:
        """Indices of every entry, shaped (units, steps)."""
        return np.arange(self.start, self.stop, dtype=np.int64).reshape(self.units, self.steps)

    def values(self, flat: np.ndarray) -> np.ndarray:
        """This block's part of a full solution vector, shaped (steps, units)."""
        return np.asarray(flat[self.start : self.stop]).reshape(self.units, self.steps).T


class Layout:
    """Ordered registry of blocks (columns or rows)."""

    def __init__(self) -> None:
        self.blocks: dict[str, Block] = {}
        self.size = 0

    def add(self, name: str, units: int, steps: int) -> Block:
        """Append a block of ``units x steps`` entries and return it."""
        if name in self.blocks:
            msg = f"block {name!r} is defined twice"
            raise ValueError(msg)
        block = Block(name, self.size, units, steps)
        self.blocks[name] = block
        self.size = block.stop
        return block

    def __getitem__(self, name: str) -> Block:
        return self.blocks[name]

    def __contains__(self, name: object) -> bool:
        return name in self.blocks


@dataclass(frozen=True)
class LpArrays:
    """The LP in the arrays HiGHS takes: bounds, costs and a CSC matrix.

    ``varying`` holds the positions (row, column) of coefficients that depend on data
    (e.g. the COP), so a model used again can update them in place.
    """

    col_lower: np.ndarray
    col_upper: np.ndarray
    col_cost: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    matrix: sp.csc_matrix
    varying: tuple[np.ndarray, np.ndarray, np.ndarray]
    offset: float = 0.0


def _grid(values: np.ndarray | float, units: int, steps: int) -> np.ndarray:
    """``values`` given as (steps, units), (units,) or a scalar, as a flat unit-major array."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 2:
        arr = arr.T
    elif arr.ndim == 1 and units > 1 and arr.size == units:
        arr = arr[:, None]
    return np.broadcast_to(arr, (units, steps)).ravel()


class LpBuilder:
    """Collects blocks, bounds, costs and coefficients; :meth:`arrays` assembles the LP."""

    def __init__(self) -> None:
        self.cols = Layout()
        self.rows = Layout()
        self._col: dict[str, list[np.ndarray]] = {"lower": [], "upper": [], "cost": []}
        self._row_lower: dict[str, np.ndarray] = {}
        self._row_upper: dict[str, np.ndarray] = {}
        self._coef: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._varying: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.offset = 0.0
        #: The matrix pattern of the last :meth:`arrays` that assembled through one.
        self.pattern: MatrixPattern | None = None

    def add_cols(
        self,
        name: str,
        units: int,
        steps: int,
        *,
        upper: np.ndarray | float,
        lower: np.ndarray | float = 0.0,
        cost: np.ndarray | float = 0.0,
    ) -> Block:
        """Add a column block; arrays are (steps, units), (units,) or scalars."""
        block = self.cols.add(name, units, steps)
        self._col["lower"].append(_grid(lower, units, steps))
        self._col["upper"].append(_grid(upper, units, steps))
        self._col["cost"].append(_grid(cost, units, steps))
        return block

    def add_rows(
        self,
        name: str,
        units: int,
        steps: int,
        *,
        lower: np.ndarray | float,
        upper: np.ndarray | float,
    ) -> Block:
        """Add a row block with bounds ``lower <= a x <= upper``."""
        block = self.rows.add(name, units, steps)
        self._row_lower[name] = _grid(lower, units, steps).copy()
        self._row_upper[name] = _grid(upper, units, steps).copy()
        return block

    def add_equal_rows(self, name: str, units: int, steps: int, rhs: np.ndarray | float) -> Block:
        """Add a row block of equalities ``a x = rhs``."""
        return self.add_rows(name, units, steps, lower=rhs, upper=rhs)

    def shift_rhs(self, name: str, index: np.ndarray, delta: np.ndarray) -> None:
        """Add ``delta`` to both bounds of the rows at positions ``index`` of block ``name``."""
        np.add.at(self._row_lower[name], index, delta)
        np.add.at(self._row_upper[name], index, delta)

    def add_coef(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        values: np.ndarray | float,
        *,
        varying: bool = False,
    ) -> None:
        """Add coefficients ``A[rows, cols] += values`` (arrays of one shape, or broadcast)."""
        r, c, v = np.broadcast_arrays(
            np.asarray(rows), np.asarray(cols), np.asarray(values, dtype=float)
        )
        triple = (r.ravel().astype(np.int32), c.ravel().astype(np.int32), v.ravel())
        (self._varying if varying else self._coef).append(triple)

    def arrays(self, pattern: MatrixPattern | None = None, *, patterned: bool = False) -> LpArrays:
        """Assemble bounds, costs and the CSC matrix.

        Parameters
        ----------
        pattern
            The matrix pattern of an earlier LP of the same structure: used when it fits
            (only the values are gathered), otherwise a new one is made.
        patterned
            Assemble through a :class:`~sparcs.lp.pattern.MatrixPattern` even without one
            given; the pattern used is left in :attr:`pattern` for the next LP.
        """
        names = list(self.rows.blocks)
        triples = self._coef + self._varying
        r = np.concatenate([t[0] for t in triples]) if triples else np.zeros(0, np.int32)
        c = np.concatenate([t[1] for t in triples]) if triples else np.zeros(0, np.int32)
        v = np.concatenate([t[2] for t in triples]) if triples else np.zeros(0)
        shape = (self.rows.size, self.cols.size)
        if pattern is not None or patterned:
            if pattern is None or not pattern.fits(r, c, shape):
                pattern = MatrixPattern.of(r, c, shape)
            self.pattern = pattern
            matrix = pattern.matrix(v)
        else:
            matrix = sp.csc_matrix((v, (r, c)), shape=shape)
            matrix.sort_indices()
        vary = self._varying
        rows, cols, values = (
            np.concatenate([t[k] for t in vary]) if vary else np.zeros(0) for k in range(3)
        )
        return LpArrays(
            col_lower=_cat(self._col["lower"]),
            col_upper=_cat(self._col["upper"]),
            col_cost=_cat(self._col["cost"]),
            row_lower=_cat([self._row_lower[n] for n in names]),
            row_upper=_cat([self._row_upper[n] for n in names]),
            matrix=matrix,
            varying=(rows, cols, values),
            offset=self.offset,
        )


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0)


def per_step(value: np.ndarray | float, n_steps: int, n_units: int) -> np.ndarray:
    """A coefficient given as scalar, (unit,) or (time, unit), as (time, unit)."""
    return np.broadcast_to(np.asarray(value, dtype=float), (n_steps, n_units))


def take_series(value: np.ndarray | float, idx: np.ndarray, n_steps: int) -> np.ndarray | float:
    """Rows ``idx`` of a (time, ...) coefficient; scalars and (unit,) arrays stay."""
    arr = np.asarray(value, dtype=float)
    return arr[idx] if arr.ndim == 2 and arr.shape[0] == n_steps else value
