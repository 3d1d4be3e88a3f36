"""Certificates of optimality for an LP whose columns are all boxed.

Any row multipliers give a lower bound of the optimum (:func:`lagrangian_bound`), any
feasible point an upper bound (:func:`primal_violation` checks feasibility); their
:func:`relative_gap` is a proven distance to the optimum, however the two were found.

References
----------
.. [1] D. P. Bertsekas, *Nonlinear Programming*, 3rd ed., Athena Scientific (2016), §6.1
   (Lagrangian relaxation of a box-constrained LP).
"""

from __future__ import annotations

import math

import numpy as np

from sparcs.lp.builder import LpArrays

__all__ = ["lagrangian_bound", "primal_violation", "relative_gap"]


def lagrangian_bound(a: LpArrays, row_dual: np.ndarray) -> float:
    """Lower bound of ``min c'x  s.t.  row_lower <= A x <= row_upper, lower <= x <= upper``.

    For any multipliers ``y`` (:math:`r = c - A^T y`),

    .. math::
        L(y) = \\sum_i \\min_{l_i \\le s_i \\le u_i} y_i s_i
             + \\sum_j \\min_{l_j \\le x_j \\le u_j} r_j x_j \\le \\text{optimum},

    the Lagrangian dual of the LP with its box constraints kept. Multipliers whose sign would
    meet an infinite row bound are set to 0 first, so the bound is finite whenever every
    column with a nonzero reduced cost is boxed on the side that matters.

    Parameters
    ----------
    a
        The LP arrays.
    row_dual
        Multipliers ``y``, one per row (HiGHS's row duals, sign convention
        ``c - A^T y`` = reduced costs).

    Returns
    -------
    float
        The bound; ``-inf`` when a reduced cost meets an infinite column bound.
    """
    y = np.asarray(row_dual, dtype=float).copy()
    y[(y > 0) & ~np.isfinite(a.row_lower)] = 0.0
    y[(y < 0) & ~np.isfinite(a.row_upper)] = 0.0
    rows = np.where(y > 0, a.row_lower, a.row_upper)
    value = float(np.dot(np.where(y != 0, rows, 0.0), y)) + a.offset
    r = a.col_cost - a.matrix.T @ y
    pick = np.where(r > 0, a.col_lower, a.col_upper)
    terms = np.where(r != 0, pick, 0.0) * r
    return value + float(terms.sum()) if np.all(np.isfinite(terms)) else -math.inf


def relative_gap(upper: float, lower: float) -> float:
    """``(upper - lower) / max(|upper|, 1)`` [-]; the unit floor keeps zero-cost periods sane."""
    return (upper - lower) / max(abs(upper), 1.0)


def primal_violation(a: LpArrays, x: np.ndarray) -> float:
    """Largest violation of a row or column bound by ``x``, relative to the data's scale."""
    ax = a.matrix @ x
    rows = np.maximum(a.row_lower - ax, ax - a.row_upper)
    cols = np.maximum(a.col_lower - x, x - a.col_upper)
    scale = max(
        1.0,
        float(np.max(np.abs(np.where(np.isfinite(a.row_upper), a.row_upper, 0.0)), initial=0.0)),
    )
    return max(float(rows.max(initial=0.0)), float(cols.max(initial=0.0))) / scale
