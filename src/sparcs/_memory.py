"""Memory pages of large arrays written column by column.

Arrays that hold a series only in some columns (a flow in the buildings that own an asset, a
profile in the buildings with PV or chargers) are column-major zeros that the operating
system maps lazily: a column never written costs no memory, but only if the pages are small.
Their producers list those columns as a *support* (``Flows.support``, ``Inputs.support``) so
that readers skip the rest.
"""

from __future__ import annotations

from collections.abc import Container, Mapping

import numpy as np

from sparcs.errors import DataError

__all__ = ["add", "check_support", "only", "put"]


def check_support(support: Mapping[str, np.ndarray], names: Container[str], n: int, *,
                  what: str, columns: str) -> None:
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
