"""Size columns of the sizing model and the rows that tie operation to them.

* one column per technology and unit, ``size_<tech>``, between the size that exists and the
  largest allowed, costing the annualised investment plus fixed O&M per unit of size;
* PV: ``pv(t, b) - yield(t, b) * size_pv(b) <= other(t, b)`` (rows ``PVcap``), where
  ``other`` is the unit's wind and district PV, which are not sized;
* heat pumps: ``COP(t, b) * hp(t, b) - size_hp(b) <= 0`` (rows ``HPcap``): heat output below
  the thermal capacity, as the adapter's ``hp <= capacity / COP``;
* EV charge points: the charging power of every session within the sized power per point
  (rows ``EVcap``, :mod:`._ev`);
* retrofit: a share ``x(k, b)`` of package ``k`` cuts the space heat of building ``b`` by
  ``r_k * space(t, b) * x(k, b)`` in its heat balance, with ``sum_k x(k, b) <= 1``
  (rows ``RETRO``): packages exclude each other, and a share below 1 is a part of the floor
  area retrofitted (linear relaxation of the yes/no choice).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.lp.builder import Block, LpBuilder
    from sparcs.planning.candidates import Candidates

__all__ = ["SIZE_TECHS", "add_heat_pump_links", "add_pv_links", "add_retrofit", "add_sizes"]

#: Sized technologies, in column order.
SIZE_TECHS = ("pv", "hp", "battery_energy", "battery_power", "tank", "ev")


def add_sizes(lp: LpBuilder, cand: Candidates) -> dict[str, Block]:
    """One column block per technology, (unit,) entries between what exists and the largest."""
    blocks = {}
    for tech in SIZE_TECHS:
        s = cand.sizes[tech]
        blocks[tech] = lp.add_cols(
            f"size_{tech}", cand.n_units, 1, lower=s.existing, upper=s.upper, cost=s.annual_cost
        )
    return blocks


def linked_units(cand: Candidates, tech: str) -> np.ndarray:
    """Units whose operation is tied to a size of ``tech`` (buildings with the asset)."""
    s = cand.sizes[tech]
    return np.flatnonzero(s.upper[:-1] > 0)


def add_pv_links(
    lp: LpBuilder, cand: Candidates, size: Block, pv_yield: np.ndarray, other_kw: np.ndarray
) -> None:
    """Rows ``PVcap``: renewable output used within what the sized PV and the rest give.

    Parameters
    ----------
    pv_yield
        PV output per kWp, (time, unit) [kW/kWp].
    other_kw
        Renewable output that is not sized (wind, district PV), (time, unit) [kW].
    """
    units = linked_units(cand, "pv")
    if not units.size:
        return
    t = pv_yield.shape[0]
    rows = lp.add_rows("PVcap", units.size, t, lower=-np.inf, upper=other_kw[:, units]).ids()
    lp.add_coef(rows, lp.cols["pv"].ids()[units], 1.0)
    lp.add_coef(rows, np.broadcast_to(size.ids()[units, :1], rows.shape), -pv_yield[:, units].T)


def add_heat_pump_links(lp: LpBuilder, cand: Candidates, size: Block, cop: np.ndarray) -> None:
    """Rows ``HPcap``: heat-pump heat output within the sized thermal capacity.

    Parameters
    ----------
    cop
        COP of each unit and step, (time, unit) [-].
    """
    units = linked_units(cand, "hp")
    if not units.size:
        return
    t = cop.shape[0]
    rows = lp.add_rows("HPcap", units.size, t, lower=-np.inf, upper=0.0).ids()
    lp.add_coef(rows, lp.cols["hp"].ids()[units], cop[:, units].T)
    lp.add_coef(rows, np.broadcast_to(size.ids()[units, :1], rows.shape), -1.0)


def add_retrofit(lp: LpBuilder, cand: Candidates, space_kw: np.ndarray) -> Block | None:
    """Columns ``retro`` (package x unit shares) and rows ``RETRO``.

    Parameters
    ----------
    space_kw
        Space-heat demand before retrofit, (time, unit) [kW].
    """
    k, n = cand.retrofit_allowed.shape
    if k == 0 or not cand.retrofit_allowed.any():
        return None
    col = lp.add_cols(
        "retro",
        k * n,
        1,
        upper=cand.retrofit_allowed.astype(float).ravel(),
        cost=cand.retrofit_annual.ravel(),
    )
    ids = col.ids()[:, 0].reshape(k, n)
    units = np.flatnonzero(cand.retrofit_allowed.any(axis=0))
    heat = lp.rows["H"].ids()[units]
    for j, package in enumerate(cand.packages):  # a handful of packages
        coef = package.space_heat_reduction * space_kw[:, units].T
        lp.add_coef(heat, np.broadcast_to(ids[j, units][:, None], heat.shape), coef)
    one = lp.add_rows("RETRO", units.size, 1, lower=-np.inf, upper=1.0).ids()
    lp.add_coef(np.broadcast_to(one, (units.size, k)), ids[:, units].T, 1.0)
    return col
