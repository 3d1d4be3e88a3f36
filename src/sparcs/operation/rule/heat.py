"""Heat and cold supply of the rule simulation: pure array functions.

The heat need of a column is met in a fixed merit order (documented in :mod:`.rule`): solar
thermal, thermal storage, then the *supply stack* of this module: a heat-led CHP, a heat pump,
and a last source (district heat, fuel boiler or electric heater). Every function works on
arrays of any shape whose last axis is the column, so the time loop calls them on one step and
the whole-array pass on all steps: one formula, used twice.
"""

from __future__ import annotations

import numpy as np

from sparcs.operation.params import TOP_BOILER, TOP_DISTRICT_HEAT, TOP_ELECTRIC, Columns

__all__ = [
    "HeatStack",
    "heat_electricity",
    "split_heat",
    "split_solar",
]


class HeatStack:
    """Per-step limits of the supply stack of some columns, in energy per step.

    Parameters
    ----------
    cols
        The columns.
    dt_h
        Step length [h].
    """

    def __init__(self, cols: Columns, dt_h: float) -> None:
        self.chp_kwh = cols.chp_heat_kw * dt_h
        self.chp_min_kwh = self.chp_kwh * cols.chp_min_load
        self.hp_kwh = cols.hp_heat_kw * dt_h
        electric = cols.top == TOP_ELECTRIC
        #: electricity per unit of heat of the last source [-] (0 unless an electric heater)
        self.top_el_per_heat = np.where(electric, 1.0 / cols.top_efficiency, 0.0)
        #: 1 where power-to-heat may displace the last source (it burns fuel or buys heat)
        self.displaceable = np.isin(cols.top, (TOP_BOILER, TOP_DISTRICT_HEAT)).astype(float)
        self.chp_el_per_heat = cols.chp_el_per_heat
        self.has_chp = bool((self.chp_kwh > 0).any())
        self.has_hp = bool((self.hp_kwh > 0).any())
        self.has_electric_top = bool(electric.any())


def split_solar(
    need: np.ndarray, solar: np.ndarray, surplus: np.ndarray, where: np.ndarray | bool = True
) -> None:
    """Take solar-thermal heat off the heat need; what is left over is the surplus.

    Works in place, in the columns ``where`` holds (a ufunc ``where=`` argument), so the
    caller chooses the arrays: the simulation builds the surplus in the flow it ends up in.

    Parameters
    ----------
    need
        In: heat demand; out: the demand left after solar heat [kWh per step].
    solar
        Solar-thermal heat [kWh per step].
    surplus
        Out: solar heat beyond demand [kWh per step]; where it is positive the need is
        exactly zero.
    where
        Columns to work on; the others of ``need`` and ``surplus`` are left untouched.
    """
    # ``surplus`` holds the solar heat used until the last line: no third array
    np.minimum(solar, need, out=surplus, where=where)
    np.subtract(need, surplus, out=need, where=where)
    np.subtract(solar, surplus, out=surplus, where=where)


def split_heat(
    need: np.ndarray,
    stack: HeatStack,
    *,
    chp_out: np.ndarray | None = None,
    hp_out: np.ndarray | None = None,
    in_place: bool = False,
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray]:
    """Split a heat need over the CHP, the heat pump and the last source.

    The CHP runs heat-led up to its thermal capacity, and is off when the need is below its
    minimum part load; the heat pump takes what is left up to its capacity; the last source
    takes the rest.

    Parameters
    ----------
    need
        Heat need after solar thermal and storage [kWh per step], last axis the column.
    stack
        Per-step capacities of the columns.
    chp_out, hp_out
        Arrays to write the CHP and heat-pump heat into (saves memory on large runs).
    in_place
        Leave the last source's heat in ``need`` instead of a new array.

    Returns
    -------
    chp, hp, top
        Heat from the CHP, the heat pump and the last source [kWh per step]; ``None`` for a
        tier no column has.
    """
    chp = hp = None
    rest = need
    target = need if in_place else None
    if stack.has_chp:
        chp = np.minimum(rest, stack.chp_kwh, out=chp_out)
        chp *= chp >= stack.chp_min_kwh
        rest = np.subtract(rest, chp, out=target)
    if stack.has_hp:
        hp = np.minimum(rest, stack.hp_kwh, out=hp_out)
        rest = np.subtract(rest, hp, out=target)
    return chp, hp, rest


def heat_electricity(
    chp: np.ndarray | None,
    hp: np.ndarray | None,
    top: np.ndarray,
    stack: HeatStack,
    cop: np.ndarray | None,
) -> np.ndarray | float:
    """Net electricity of the heat supply: heat pump and heater use minus CHP output.

    Parameters
    ----------
    chp, hp, top
        Heat from each tier [kWh per step] (from :func:`split_heat`).
    stack
        Parameters of the columns.
    cop
        COP of the heat pumps [-], positive in every column (any positive value where a
        column has no heat pump).

    Returns
    -------
    numpy.ndarray or float
        Electricity drawn (positive) or generated (negative) [kWh per step].
    """
    el: np.ndarray | float = 0.0
    if hp is not None and cop is not None:
        el = hp / cop
    if stack.has_electric_top:
        el = el + top * stack.top_el_per_heat
    if chp is not None:
        el = el - chp * stack.chp_el_per_heat
    return el
