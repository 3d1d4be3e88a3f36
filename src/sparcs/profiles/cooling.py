"""Space cooling from weather: a degree-hour model weighted by occupancy.

For building ``b`` and step ``t`` the shape of the useful cooling demand is

.. math::

    q_b(t) \\propto w_b(t)\\,\\operatorname{softplus}_s\\bigl(\\theta_{eff,b}(t)
        + c_{sol}\\,G_{eff,b}(t) - \\theta_{cool,b}\\bigr),
    \\qquad w_b(t) = w_0 + (1 - w_0)\\,o_b(t)

and is scaled to the building's annual energy, where

- :math:`\\theta_{cool}` is the cooling balance temperature [degC]: the outdoor temperature
  above which internal and solar gains must be removed; degree-day practice uses 18 degC for
  mean daily temperature (EN ISO 15927-6:2007; ASHRAE Handbook Fundamentals 2021, ch. 14);
  per use in :data:`~sparcs.profiles.heat.THERMAL_USE` [est] (offices lower: higher internal
  gains), plus a seeded jitter per building;
- :math:`\\theta_{eff}` and :math:`G_{eff}` are outdoor temperature and global horizontal
  irradiance through the building mass as in :mod:`sparcs.profiles.heat`, with the shorter
  time constant ``inertia_h * INERTIA_SHARE`` (a cooling load follows the afternoon peak)
  [est]; :math:`c_{sol}` = :data:`SOLAR_K_PER_W_M2` [K/(W/m2)] [est];
- :math:`o_b(t)` is the occupancy of the use on the local calendar and :math:`w_0` =
  :data:`UNOCCUPIED_WEIGHT`: cooling runs mainly in occupied hours (DIN V 18599-10:2018
  usage hours) [est];
- the smooth hinge keeps a small demand in the warmest, sunniest occupied hours even in a
  cold climate, where a building's (small) annual cooling comes from internal gains.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from sparcs.profiles._annual import fill_to_annual
from sparcs.profiles.heat import (
    SMOOTHING_K,
    VENTILATION_SHARE,
    per_building,
    smooth,
    softplus,
    thermal_setup,
)
from sparcs.timeseries import dt_hours

__all__ = [
    "INERTIA_SHARE",
    "SOLAR_K_PER_W_M2",
    "UNOCCUPIED_WEIGHT",
    "cooling_profiles",
]

#: Temperature equivalent of global horizontal irradiance for cooling [K/(W/m2)]. [est]
SOLAR_K_PER_W_M2 = 0.02
#: Weight of unoccupied hours relative to occupied hours [-]. [est]
UNOCCUPIED_WEIGHT = 0.3
#: Cooling time constant as a share of the heating one [-]. [est]
INERTIA_SHARE = 0.25

_STREAM = 4


def cooling_profiles(
    time: pd.DatetimeIndex,
    annual_kwh: npt.ArrayLike,
    uses: Sequence[str],
    *,
    temp_air_c: npt.ArrayLike,
    ghi_w_m2: npt.ArrayLike,
    timezone: str,
    country: str | None,
    seed: int = 0,
    subdivision: str | None = None,
    cooling_base_c: float | npt.ArrayLike | None = None,
    diversity: float = 1.0,
    out: np.ndarray | None = None,
) -> npt.NDArray[np.float64]:
    """Useful space-cooling demand of each building from the weather [kW].

    The occupancy-weighted degree-hour model of the module docstring, scaled so that
    ``sum * dt_h`` equals ``annual_kwh`` per building (zeros where it is 0).

    Parameters
    ----------
    time
        UTC index named ``time`` with a fixed step.
    annual_kwh
        Cooling energy over the whole of ``time`` per building [kWh].
    uses
        Building use per building (:data:`sparcs.data.USES`).
    temp_air_c
        Outdoor air temperature per step [degC], interval means on ``time``.
    ghi_w_m2
        Global horizontal irradiance per step [W/m2], interval means on ``time``; night-time
        sensor offsets down to -10 W/m2 are read as 0.
    timezone, country, subdivision
        IANA zone, ISO country code (holidays) and optional region of the site.
    seed
        Seed of the per-building jitter of the cooling balance temperature.
    cooling_base_c
        Cooling balance temperature [degC]: ``None`` for the per-use values, or one value,
        or one per building.
    diversity
        Scale of the jitter (0 = none; 1 = :data:`~sparcs.profiles.heat.JITTER_K`).
    out
        Zeros to write into, column-major, shape (time, buildings) — e.g. a view of a larger
        buffer the caller owns; a new array when None. Columns not written stay untouched.

    Returns
    -------
    numpy.ndarray
        Interval-mean power [kW], shape ``(len(time), n_buildings)``, column-major.
    """
    dt_h = dt_hours(time)
    setup = thermal_setup(
        time,
        annual_kwh,
        uses,
        temp_air_c,
        ghi_w_m2,
        stream=_STREAM,
        seed=seed,
        diversity=diversity,
        timezone=timezone,
        country=country,
        subdivision=subdivision,
    )
    if setup is None:
        return np.zeros((len(time), 0))
    annual, temp, ghi, jitter = setup.annual, setup.temp, setup.ghi, setup.jitter
    unique, groups, params, occupied = setup.unique, setup.groups, setup.params, setup.occupied
    weight = UNOCCUPIED_WEIGHT + (1.0 - UNOCCUPIED_WEIGHT) * occupied
    drive = np.empty((len(time), len(unique)))
    for j, p in enumerate(params):  # a handful of uses, not buildings
        tau_h = p.inertia_h * INERTIA_SHARE
        t_eff = VENTILATION_SHARE * temp + (1.0 - VENTILATION_SHARE) * smooth(temp, tau_h, dt_h)
        drive[:, j] = t_eff + SOLAR_K_PER_W_M2 * smooth(ghi, tau_h, dt_h)
    default = np.array([p.cooling_base_c for p in params])[groups]
    base = per_building(cooling_base_c, default, "cooling_base_c") + diversity * jitter

    def fill(columns: npt.NDArray[np.int64], out: npt.NDArray[np.float64]) -> None:
        np.subtract(drive[:, groups[columns]], base[None, columns], out=out)
        softplus(out, SMOOTHING_K)
        out *= weight[:, groups[columns]]

    return fill_to_annual(len(time), annual, dt_h, fill, out=out)
