"""Domestic hot water: daily draw patterns per building use on the local calendar.

The useful DHW energy of a building follows a daily draw pattern on the local wall clock
(:data:`DRAW_PATTERN`; residential morning and evening peaks, non-residential opening
hours), a mild seasonal variation (more in winter, when cold water is colder and people
shower longer) and a seeded building-to-building diversity (time shift and multiplicative
noise), and is scaled to the building's annual DHW energy.

Sources
-------
- Residential hourly shape and the sinusoidal seasonal variation of +/-10 %: after
  DHWcalc (U. Jordan, K. Vajen, "DHWcalc: program to generate domestic hot water profiles
  with statistical means for user defined conditions", ISES Solar World Congress 2005; IEA
  SHC Task 26), whose default draw-off probability has a morning peak around 7-8 h and an
  evening peak around 18-21 h and whose seasonal function is a sine of 10 % amplitude.
  The hourly values here are smoothed estimates of that shape [est].
- Non-residential patterns follow the usage hours of DIN V 18599-10:2018, table 5 (office
  7-18 h on working days, retail 8-20 h Mon-Sat, school 8-15 h, hotel room 21-8 h, sports
  hall evenings) [est: weights within the hours are estimates].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from sparcs.profiles._annual import (
    check_annual,
    check_uses,
    make_rng,
)
from sparcs.profiles._calendar import (
    keep_day_energy,
    wallclock_grid,
)
from sparcs.profiles._diversity import diversify
from sparcs.timeseries import check_index

__all__ = [
    "DRAW_PATTERN",
    "MAX_SHIFT_MIN",
    "NOISE_HOURS",
    "NOISE_STD",
    "SEASONAL_AMPLITUDE",
    "dhw_profiles",
]

_HOME = (
    (3, 2, 1, 1, 2, 8, 30, 50, 40, 28, 24, 24, 28, 24, 18, 16, 18, 26, 38, 44, 40, 32, 22, 10),
    (4, 2, 1, 1, 1, 3, 10, 26, 42, 44, 36, 30, 30, 24, 20, 18, 20, 28, 38, 42, 40, 32, 24, 12),
    (5, 3, 2, 1, 1, 2, 6, 18, 36, 44, 42, 34, 32, 24, 20, 18, 20, 26, 36, 40, 36, 28, 20, 10),
)
_SHOP = (
    (1, 1, 1, 1, 1, 1, 2, 8, 16, 16, 14, 14, 18, 16, 14, 14, 14, 14, 12, 10, 4, 1, 1, 1),
    (1, 1, 1, 1, 1, 1, 2, 8, 16, 16, 14, 14, 18, 16, 14, 14, 14, 14, 12, 10, 4, 1, 1, 1),
    (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
)
_CLOSED = (1,) * 24

#: Relative hourly DHW draw per use and BDEW day type (working day, Saturday, Sunday or
#: holiday), local wall-clock hours 0-23 [-]. Day types of one use share one scale, so a
#: closed office on Sunday draws far less than on a working day. [est]
DRAW_PATTERN: dict[str, tuple[tuple[int, ...], ...]] = {
    "single_family": _HOME,
    "apartment_block": _HOME,
    "office": (
        (1, 1, 1, 1, 1, 1, 2, 10, 18, 16, 14, 14, 22, 18, 14, 12, 12, 8, 3, 1, 1, 1, 1, 1),
        _CLOSED,
        _CLOSED,
    ),
    "retail": _SHOP,
    "school": (
        (1, 1, 1, 1, 1, 1, 2, 10, 20, 18, 16, 18, 30, 22, 14, 8, 3, 1, 1, 1, 1, 1, 1, 1),
        _CLOSED,
        _CLOSED,
    ),
    "mixed_use": tuple(
        tuple((h + s) // 2 for h, s in zip(home, shop, strict=True))
        for home, shop in zip(_HOME, _SHOP, strict=True)
    ),
    "hotel": (
        (8, 4, 2, 2, 3, 10, 34, 54, 56, 42, 24, 14, 12, 10, 10, 12, 16, 22, 30, 34, 36, 32, 24, 14),
    )
    * 3,
    "sports": (
        (1, 1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 8, 8, 8, 10, 14, 22, 34, 44, 46, 40, 30, 12, 2),
        (1, 1, 1, 1, 1, 1, 1, 2, 8, 20, 30, 34, 34, 30, 30, 30, 30, 24, 16, 8, 4, 2, 1, 1),
        (1, 1, 1, 1, 1, 1, 1, 2, 6, 18, 28, 30, 28, 24, 24, 22, 18, 12, 6, 3, 2, 1, 1, 1),
    ),
}

#: Amplitude of the seasonal variation, maximum in mid-January (DHWcalc default) [-].
SEASONAL_AMPLITUDE = 0.10
#: Day of the year of the seasonal maximum [d].
_SEASONAL_PEAK_DAY = 15
#: Largest time shift between buildings at ``diversity = 1`` [min]. [est]
MAX_SHIFT_MIN = 60.0
#: Standard deviation of the log of the multiplicative noise at ``diversity = 1`` [-]. [est]
NOISE_STD = 0.3
#: Memory (e-folding time) of the noise [h]. [est]
NOISE_HOURS = 1.0

_STREAM = 2


def dhw_profiles(
    time: pd.DatetimeIndex,
    annual_kwh: npt.ArrayLike,
    uses: Sequence[str],
    *,
    timezone: str,
    country: str | None,
    seed: int = 0,
    subdivision: str | None = None,
    diversity: float = 1.0,
) -> npt.NDArray[np.float64]:
    """Useful domestic hot-water demand of each building [kW].

    ``q(t) ∝ pattern[use, day_type(t), local_hour(t)] * (1 + A cos(2 pi (doy - 15) / 365.25))``
    with the draw pattern of :data:`DRAW_PATTERN` and ``A`` = :data:`SEASONAL_AMPLITUDE`
    (DHWcalc, Jordan and Vajen 2005), on the local calendar (public holidays as Sundays).
    Each building is then shifted by a seeded time shift and multiplied by log-normal AR(1)
    noise, and scaled to its annual energy. A local day of 23 or 25 hours keeps the energy of
    its nominal day.

    Parameters
    ----------
    time
        UTC index named ``time`` with a fixed step.
    annual_kwh
        DHW energy over the whole of ``time`` per building [kWh], shape ``(n_buildings,)``.
    uses
        Building use per building (:data:`sparcs.data.USES`).
    timezone
        IANA zone of the site.
    country
        ISO country code for public holidays, or ``None``.
    seed
        Seed of the diversity.
    subdivision
        Optional region for regional holidays.
    diversity
        Strength of the diversity (0 = identical shapes per use; 1 = default).

    Returns
    -------
    numpy.ndarray
        Interval-mean power [kW], shape ``(len(time), n_buildings)``; ``sum * dt_h`` equals
        ``annual_kwh`` per building.
    """
    check_index(time, what="time")
    annual = check_annual(annual_kwh)
    names = check_uses(uses, annual.size)
    rng = make_rng(seed, _STREAM, diversity)
    if annual.size == 0:
        return np.zeros((len(time), 0))
    grid = wallclock_grid(time, timezone, country, subdivision=subdivision)
    unique, groups = np.unique(np.asarray(names), return_inverse=True)
    pattern = np.array([DRAW_PATTERN[str(u)] for u in unique], dtype=np.float64)  # (k, 3, 24)
    days = grid.days
    season = 1.0 + SEASONAL_AMPLITUDE * np.cos(
        2.0 * np.pi * (days.day_of_year - _SEASONAL_PEAK_DAY) / 365.25
    )

    def evaluate(
        day_pos: npt.NDArray[np.int64], minute: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        values = pattern[:, days.day_type[day_pos], minute // 60]  # (k, n)
        result: npt.NDArray[np.float64] = (values * season[day_pos]).T
        return result

    base = keep_day_energy(grid, evaluate)
    return diversify(
        grid,
        base,
        groups.astype(np.int64),
        annual,
        rng,
        shift_min=diversity * MAX_SHIFT_MIN,
        noise_std=diversity * NOISE_STD,
        noise_hours=NOISE_HOURS,
    )
