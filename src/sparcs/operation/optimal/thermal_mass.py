"""Building thermal mass: a 1R1C model with a comfort band instead of a fixed space-heat demand.

The building is one thermal capacity ``C`` [kWh/K] behind a heat-loss coefficient ``H``
[kW/K] (``R = 1/H``): ``C dT/dt = Q + G - H (T - T_out)``. The space-heat profile of the
demand model, ``Q_ref(t)``, is the heat that holds the indoor temperature at the set point
``T_set`` with the gains and weather of that model, so ``G - H (T_set - T_out) = -Q_ref``
and, with the deviation ``dT = T - T_set``, ``C d(dT)/dt = (Q - Q_ref) - H dT``. Exact
discretisation over a step with ``a = exp(-dt H / C)`` (rows ``TM``, columns ``sh`` = space
heat delivered [kW] and ``tin`` = indoor temperature at the end of the step [degC])::

    tin(t) - a tin(t-1) - (1 - a)/H sh(t) = (1 - a) (T_set - Q_ref(t)/H)

Bounds ``T_min(t) <= tin <= T_max(t)`` (the comfort band). In the heat balance (H) the unit's
space heat ``Q_ref`` is replaced by the column ``sh``. Holding ``tin = T_set`` with
``sh = Q_ref`` is always feasible when ``T_set`` lies inside the band, so the fixed-demand
dispatch is one solution of this model, and every saving comes from using the band.

References
----------
EN ISO 13790:2008, sec. 7.2 and annex C (simple hourly method: one thermal capacity behind
heat-transfer coefficients; time constant ``tau = C / H``, eq. 94). EN ISO 13790:2008,
table 12: effective capacity ``C_m = 165 kJ/(m2 K) x A_floor`` for "medium" construction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.operation.optimal.durations import one_length
from sparcs.operation.optimal.storage import state_rows

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["ThermalMassParams", "add_thermal_mass", "indoor_temperature"]


@dataclass(frozen=True)
class ThermalMassParams:
    """Thermal mass of some units.

    Attributes
    ----------
    unit
        Units with a thermal-mass model, (m,).
    reference_kw
        Space heat of the demand model, part of ``demand_heat_kw``, (time, m) [kW].
    h_kw_per_k
        Heat-loss coefficient ``H``, (m,) [kW/K].
    c_kwh_per_k
        Thermal capacity ``C``, (m,) [kWh/K].
    t_set_c
        Set point the reference profile holds, (m,) [degC].
    t_min_c, t_max_c
        Comfort band, (time, m) [degC]; must contain ``t_set_c``.
    initial_c
        Indoor temperature before the first step when not cyclic, (m,) [degC]; None = set
        point.
    """

    unit: np.ndarray
    reference_kw: np.ndarray
    h_kw_per_k: np.ndarray
    c_kwh_per_k: np.ndarray
    t_set_c: np.ndarray
    t_min_c: np.ndarray
    t_max_c: np.ndarray
    initial_c: np.ndarray | None = None

    def take(self, idx: np.ndarray, n_steps: int) -> ThermalMassParams:
        """These parameters on the steps ``idx``."""
        del n_steps
        return replace(
            self,
            reference_kw=self.reference_kw[idx],
            t_min_c=self.t_min_c[idx],
            t_max_c=self.t_max_c[idx],
        )

    def decay(self, dt_h: float) -> np.ndarray:
        """Share ``a = exp(-dt H / C)`` of the temperature deviation kept per step, (m,) [-]."""
        result: np.ndarray = np.exp(
            -dt_h * np.asarray(self.h_kw_per_k) / np.asarray(self.c_kwh_per_k)
        )
        return result


def add_thermal_mass(lp: LpBuilder, p: DispatchProblem) -> None:
    """Columns ``sh`` and ``tin``, rows ``TM``; space heat moves from the H rhs to ``sh``."""
    tm = p.thermal_mass
    if tm is None or np.size(tm.unit) == 0:
        return
    m, t = np.size(tm.unit), p.n_steps
    one_length(p, "building thermal mass")
    a = tm.decay(p.dt_h)
    h = np.asarray(tm.h_kw_per_k, dtype=float)
    t_set = np.asarray(tm.t_set_c, dtype=float)
    sh = lp.add_cols("sh", m, t, upper=np.inf).ids()
    tin = lp.add_cols("tin", m, t, lower=tm.t_min_c, upper=tm.t_max_c)
    initial = t_set if tm.initial_c is None else np.asarray(tm.initial_c, dtype=float)
    rows = state_rows(lp, "TM", tin, a, cyclic=p.cyclic, initial=initial)
    lp.add_coef(rows.ids(), sh, -((1 - a) / h)[:, None])
    ref = np.asarray(tm.reference_kw, dtype=float).T
    lp.shift_rhs(
        "TM", np.arange(m * t), ((1 - a)[:, None] * (t_set[:, None] - ref / h[:, None])).ravel()
    )
    h_rows = lp.rows["H"].ids()[np.asarray(tm.unit)]
    lp.add_coef(h_rows, sh, -1.0)
    lp.shift_rhs("H", (h_rows - lp.rows["H"].start).ravel(), -ref.ravel())


def indoor_temperature(
    tm: ThermalMassParams,
    space_heat_kw: np.ndarray,
    dt_h: float,
    initial_c: np.ndarray | None = None,
) -> np.ndarray:
    """Indoor temperature that space heat ``space_heat_kw`` (time, m) gives [degC].

    The recursion of the module docstring, run forward from ``initial_c`` (default: the set
    point) with :func:`scipy.signal.lfilter` over all units at once.
    """
    from scipy.signal import lfilter

    a = tm.decay(dt_h)
    t_set = np.asarray(tm.t_set_c, dtype=float)
    h = np.asarray(tm.h_kw_per_k, dtype=float)
    start = t_set if initial_c is None else np.asarray(initial_c, dtype=float)
    drive = (1 - a) * (space_heat_kw - np.asarray(tm.reference_kw)) / h
    out = np.empty_like(drive)
    for j in range(a.size):  # one linear filter per building (no loop over steps)
        out[:, j], _ = lfilter([1.0], [1.0, -a[j]], drive[:, j], zi=[a[j] * (start[j] - t_set[j])])
    result: np.ndarray = out + t_set
    return result
