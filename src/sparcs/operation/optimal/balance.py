"""Balance rows of every unit, and the local generation that enters them.

Rows (dispatch-benchmark.md §4):

(E) electricity balance, for every unit ``b`` and step ``t``
    ``pv + bd - bc - hp + cin - cout [+ chp_el - eboiler_el + ev_dis - ev_ch] = D_e`` [kW]
(H) heat balance
    ``COP * hp + td - tc [+ eboiler_heat + boiler + chp + dh + solar - space heat] = D_h``

Each family writes its own coefficients into these rows; this module creates the rows with
their right-hand sides, the renewable column ``pv`` (PV and wind, curtailable:
``0 <= pv <= PV_avail``) and the solar-thermal column (``0 <= solar <= Q_solar``; the unused
part is dumped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["add_balance_rows", "add_renewables", "add_solar_heat"]


def add_balance_rows(lp: LpBuilder, p: DispatchProblem) -> None:
    """Create the electricity (E) and heat (H) balance rows of every unit and step."""
    n, t = p.n_units, p.n_steps
    lp.add_equal_rows("E", n, t, p.demand_el_kw)
    lp.add_equal_rows("H", n, t, p.demand_heat_kw)


def add_renewables(lp: LpBuilder, p: DispatchProblem) -> None:
    """Column ``pv``: renewable electricity used, up to what is available [kW]."""
    n, t = p.n_units, p.n_steps
    pv = lp.add_cols("pv", n, t, upper=p.pv_avail_kw)
    lp.add_coef(lp.rows["E"].ids(), pv.ids(), 1.0)


def add_solar_heat(lp: LpBuilder, p: DispatchProblem) -> None:
    """Column ``solar``: solar-thermal heat used, up to what the collectors give [kW]."""
    if p.solar_heat_kw is None:
        return
    n, t = p.n_units, p.n_steps
    solar = lp.add_cols("solar", n, t, upper=p.solar_heat_kw)
    lp.add_coef(lp.rows["H"].ids(), solar.ids(), 1.0)
