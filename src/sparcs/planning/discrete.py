"""Yes/no decisions: retrofit packages all or nothing, equipment in catalogue sizes (a MILP).

The sizing LP (:mod:`.sizing`) is made a mixed-integer program in place, in HiGHS:

* each retrofit share becomes a 0/1 choice (the packages of a building already exclude each
  other, so a building gets one whole package or none);
* the addition to a size is a whole number of modules (``step``: PV modules, battery
  modules) or one size of a list (``sizes``: heat pumps, tanks), from the ``[catalogue]`` of
  ``data/measures.toml``:

      size - step * n = existing,              n integer in [0, (upper - existing) / step]
      size - sum_j s_j y_j = existing,  sum_j y_j <= 1,  y_j in {0, 1}, s_j <= upper - existing

EV charge points and battery power stay continuous. The continuous plan is the MILP's
linear relaxation: its cost is a lower bound of the discrete plan's, and HiGHS stops at
``options.mip_rel_gap`` or ``options.time_limit_s`` with the gap it reached.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from sparcs.data import data_path

if TYPE_CHECKING:
    from sparcs.planning.sizing import SizingModel

__all__ = ["CatalogueItem", "catalogue", "make_discrete"]


@dataclass(frozen=True)
class CatalogueItem:
    """Sizes one technology is bought in.

    Attributes
    ----------
    tech
        Size technology of the sizing model (``pv``, ``battery_energy``, ``hp``, ``tank``).
    step
        Module size: additions are whole multiples [unit]; None when ``sizes`` is given.
    sizes
        Sizes to choose one of [unit]; empty when ``step`` is given.
    unit, source
        Unit and provenance.
    """

    tech: str
    step: float | None
    sizes: tuple[float, ...]
    unit: str
    source: str


@cache
def catalogue() -> dict[str, CatalogueItem]:
    """The catalogue of ``data/measures.toml``, by technology."""
    data = tomllib.loads(data_path("measures.toml").read_text(encoding="utf-8"))["catalogue"]
    return {
        tech: CatalogueItem(tech, e.get("step"), tuple(e.get("sizes", ())), e["unit"], e["source"])
        for tech, e in data.items()
    }


def _add_columns(h: Any, upper: np.ndarray) -> np.ndarray:
    """Columns from 0 to ``upper`` in the ``highspy.Highs`` ``h`` (untyped, as
    :func:`sparcs.lp.highs.new_highs` returns it), without entries and without cost; their
    indices."""
    start = h.getNumCol()
    n = upper.size
    h.addCols(
        n,
        np.zeros(n),
        np.zeros(n),
        upper.astype(float),
        0,
        np.zeros(0, np.int32),
        np.zeros(0, np.int32),
        np.zeros(0),
    )
    return np.arange(start, start + n, dtype=np.int32)


def _add_row(h: Any, lower: float, upper: float, cols: np.ndarray, vals: np.ndarray) -> None:
    h.addRows(
        1,
        np.array([lower]),
        np.array([upper]),
        cols.size,
        np.array([0], np.int32),
        cols.astype(np.int32),
        vals.astype(float),
    )


def make_discrete(model: SizingModel) -> tuple[str, ...]:
    """Turn ``model`` into the MILP of yes/no retrofits and catalogue sizes, in place.

    Returns
    -------
    tuple of str
        Notes for the plan: what is discrete, with the catalogue's sources.
    """
    import highspy

    h = model.highs
    integer = highspy.HighsVarType.kInteger
    new: list[np.ndarray] = []
    notes = []
    for tech, item in catalogue().items():
        block = model.size_blocks.get(tech)
        if block is None:
            continue
        sized = model.cand.sizes[tech]
        for unit in np.flatnonzero(sized.upper - sized.existing > 1e-6):
            col = int(model.fixed.col([block.start + int(unit)])[0])
            room = float(sized.upper[unit] - sized.existing[unit])
            existing = float(sized.existing[unit])
            if item.step is not None:
                n = _add_columns(h, np.array([np.floor(room / item.step + 1e-9)]))
                _add_row(h, existing, existing, np.r_[col, n], np.array([1.0, -item.step]))
            else:
                fits = np.array([s for s in item.sizes if s <= room + 1e-9])
                if not fits.size:
                    _add_row(h, existing, existing, np.array([col]), np.array([1.0]))
                    continue
                n = _add_columns(h, np.ones(fits.size))
                _add_row(h, existing, existing, np.r_[col, n], np.r_[1.0, -fits])
                _add_row(h, -np.inf, 1.0, n, np.ones(fits.size))
            new.append(n)
        what = f"steps of {item.step:g}" if item.step is not None else "sizes of a list"
        notes.append(f"{tech} in catalogue {what} {item.unit} ({item.source})")
    if model.retro is not None:
        new.append(model.fixed.col(np.arange(model.retro.start, model.retro.stop)))
        notes.append("retrofit packages all or nothing per building")
    cols = np.concatenate(new) if new else np.zeros(0, np.int32)
    if cols.size:
        h.changeColsIntegrality(cols.size, cols, np.array([integer] * cols.size))
    added = h.getNumCol() + model.fixed.dropped - model.base_cost.size
    model.discrete = True
    if added > 0:  # the new columns cost nothing: set_objective writes every column's cost
        model.base_cost = np.r_[model.base_cost, np.zeros(added)]
    return (
        f"yes/no decisions (MILP in HiGHS): {'; '.join(notes)}; EV charge points and "
        "battery power stay continuous",
    )
