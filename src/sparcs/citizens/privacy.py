"""k-anonymity of district figures: no aggregate over fewer than :data:`K_MIN` households.

A median of three households tells a neighbour too much; the pages show "not shown: fewer
than 5 households" instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["K_MIN", "Aggregate", "aggregate"]

#: Fewest households an aggregate may be computed over.
K_MIN = 5


@dataclass(frozen=True)
class Aggregate:
    """A figure over a group of households, or nothing when the group is too small.

    Attributes
    ----------
    households
        Households in the group.
    median
        Median over the group (same unit as the inputs), None when suppressed.
    total
        Sum over the group, None when suppressed.
    """

    households: int
    median: float | None
    total: float | None

    @property
    def suppressed(self) -> bool:
        """True when the group has fewer than :data:`K_MIN` households."""
        return self.median is None


def aggregate(values: np.ndarray | list[float], k_min: int = K_MIN) -> Aggregate:
    """Median and sum of one value per household, suppressed under ``k_min`` households.

    Parameters
    ----------
    values
        One value per household (e.g. [kWh]); NaN counts as no household.
    k_min
        Fewest households shown.

    Returns
    -------
    Aggregate
        The figures, or only the count when the group is smaller than ``k_min``.

    Examples
    --------
    >>> aggregate([1.0, 2.0, 3.0, 4.0, 10.0])
    Aggregate(households=5, median=3.0, total=20.0)
    >>> aggregate([1.0, 2.0, 3.0, 4.0]).suppressed
    True
    """
    found = np.asarray(values, dtype=float)
    found = found[np.isfinite(found)]
    if found.size < k_min:
        return Aggregate(int(found.size), None, None)
    return Aggregate(int(found.size), float(np.median(found)), float(found.sum()))
