"""Column subsets of the rule simulation: write a flow only in the columns that have it.

The simulation's flow arrays are column-major (Fortran order) and start as zeros that the
operating system maps lazily, so a column that is never written costs no memory. A heat pump's
flows then take memory only in the buildings with a heat pump, a battery's only where there
is a battery: on a large mixed district that is a fraction of the dense (time x node) size.
Every write therefore names its columns, as a boolean mask over the columns, and goes through
a ufunc with ``where=``: no gathered copy, and the other columns are neither read nor written.
"""

from __future__ import annotations

import numpy as np

__all__ = ["add", "only", "put"]


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
