"""The memory model of the large (time, node) arrays: one place for its rules.

1. **Column-sparse, column-major.** Arrays that hold a series only in some columns (a flow in
   the buildings that own an asset, a profile in the buildings with PV or chargers) are
   column-major zeros that the operating system maps lazily: a column never written costs no
   memory (with small pages: ``sparcs`` sets ``NUMPY_MADVISE_HUGEPAGE=0``). Writes name their
   columns (:func:`put`, :func:`add`).
2. **Support.** Producers list those columns as a *support* (``Flows.with_support``,
   ``Inputs.support``), checked by :func:`check_support`; readers skip the rest.
3. **Read-only.** Flows and profile arrays are read-only once built, so reductions of them
   can be cached for the life of the object.
4. **Cache-sized blocks.** Readers go through :func:`blocks`, which cuts an array along its
   memory order (whole columns of a column-major array, whole rows of a row-major one) into
   pieces that fit the CPU cache, so no reader tests memory flags itself.

``docs/memory.md`` explains the why with the figures.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping, Sequence

import numpy as np

from sparcs.errors import DataError

__all__ = ["BLOCK", "add", "blocks", "check_support", "only", "put", "row_blocks"]


def check_support(
    support: Mapping[str, np.ndarray], names: Container[str], n: int, *, what: str, columns: str
) -> None:
    """Raise :class:`~sparcs.errors.DataError` unless every mask of ``support`` is a boolean
    array of shape ``(n,)`` for one of ``names``.

    ``what`` and ``columns`` name the holder and its columns in the message, e.g. ``"flows"``
    and ``"nodes of a known flow"``.
    """
    for name, mask in support.items():
        if name not in names or np.shape(mask) != (n,) or np.asarray(mask).dtype != bool:
            msg = f"{what} support of {name!r} must be a boolean mask over the {n} {columns}"
            raise DataError(msg)


# Column subsets: a column-major array is written only in the columns that hold a series, as a
# boolean mask over the columns through a ufunc with ``where=``: no gathered copy, and the
# other columns are neither read nor written (nor mapped).


def only(mask: np.ndarray) -> np.ndarray | bool:
    """``mask`` as a ufunc ``where=`` argument over (time, column) arrays (True: every column)."""
    mask = np.asarray(mask, dtype=bool)
    return True if mask.all() else mask


def put(dest: np.ndarray, mask: np.ndarray, values: np.ndarray, scale: float = 1.0) -> None:
    """``dest = values * scale`` in the columns where ``mask`` holds; the others untouched."""
    np.multiply(values, scale, out=dest, where=only(mask))


def add(dest: np.ndarray, mask: np.ndarray, values: np.ndarray, sign: float = 1.0) -> None:
    """``dest += sign * values`` in the columns where ``mask`` holds; the others untouched."""
    (np.add if sign > 0 else np.subtract)(dest, values, out=dest, where=only(mask))


#: Elements per block (2 MB of float64): a block stays in the CPU cache.
BLOCK = 262_144


def row_blocks(n_rows: int, n_columns: int) -> Iterator[slice]:
    """Slices of at least 4 rows, each about :data:`BLOCK` elements of ``n_columns`` columns."""
    rows = max(4, BLOCK // max(n_columns, 1))
    for start in range(0, n_rows, rows):
        yield slice(start, min(start + rows, n_rows))


def blocks(
    arrays: Sequence[np.ndarray], columns: np.ndarray | None = None
) -> Iterator[tuple[slice, np.ndarray, list[np.ndarray]]]:
    """Cache-sized blocks of (time, column) arrays of one shape, in their memory order.

    Parameters
    ----------
    arrays
        Arrays of one shape (time, column), read together (e.g. to sum them per block).
    columns
        Positions of the columns that may be non-zero (a support); None = all. Only they are
        read from column-major arrays; row-major blocks hold every column.

    Yields
    ------
    rows, cols, parts
        The block's rows and columns and each array's block ``array[rows, cols]``.
    """
    n_rows, n_columns = arrays[0].shape
    if all(a.flags.f_contiguous and not a.flags.c_contiguous for a in arrays):
        cols = np.arange(n_columns) if columns is None else np.asarray(columns)
        width = max(1, BLOCK // max(n_rows, 1))
        everything = slice(0, n_rows)
        for start in range(0, cols.size, width):
            chunk = cols[start : start + width]
            # a run of neighbours is a view; scattered columns are gathered
            take: np.ndarray | slice = (
                slice(int(chunk[0]), int(chunk[-1]) + 1)
                if chunk[-1] - chunk[0] == chunk.size - 1
                else chunk
            )
            yield everything, chunk, [a[:, take] for a in arrays]
        return
    every = np.arange(n_columns)
    for rows in row_blocks(n_rows, n_columns):
        yield rows, every, [a[rows] for a in arrays]
