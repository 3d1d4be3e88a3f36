"""Appliance electricity: BDEW standard load profiles on the local calendar, per building.

The shapes are the German standard load profiles (Standardlastprofile) of the BDEW, taken
from demandlib (MIT, github.com/oemof/demandlib) through one wrapper,
:func:`_call_demandlib`. The 1999 types are looked up from demandlib's data file by
:mod:`sparcs.profiles._bdew1999`, equal to ``demandlib.bdew.ElecSlp`` value for value at a
fortieth of its cost; the 2025 types call demandlib inside :func:`warnings.catch_warnings`
because demandlib sets ``warnings.simplefilter("error")`` globally
(``reference/data-sources.md`` sec. 2.3).

Profile types
-------------
BDEW 1999 (VDEW, "Repräsentative VDEW-Lastprofile", M-28/99, 15-min, by season x day type):

======  ==================================================================================
h0      household (Haushalt)
h0_dyn  household with the BDEW dynamisation function (4th-order polynomial of the day of
        the year; smooths the seasonal steps; VDEW 2000, "Anwendung der repräsentativen
        VDEW-Lastprofile step-by-step")
g0      commercial, general (Gewerbe allgemein; weighted mean of g1-g6)
g1      commercial, working days 8-18 h (offices, workshops, administration)
g2      commercial with strong to predominant evening use (sports clubs, fitness, bars)
g3      commercial, continuous operation (cold stores, pumping, sewage plants)
g4      shop or hairdresser (Laden/Friseur)
g5      bakery with bakehouse
g6      weekend operation (cinemas, leisure)
l0      agriculture, general; l1 with dairy or part-time livestock; l2 other agriculture
======  ==================================================================================

BDEW 2025 (BDEW, "Standardlastprofile Strom", 2025 revision; 15-min, by month x day type):
``h25`` household (2018/19 data, dynamised), ``g25`` commercial (2022/23), ``l25``
agriculture, ``p25`` household with PV, ``s25`` household with PV and battery.

``"auto"`` maps a building use to a profile type (:data:`AUTO_PROFILE`): homes -> ``h0_dyn``;
office and school -> ``g1`` (weekday daytime use); retail -> ``g4``; hotel and mixed use ->
``g0`` (no single commercial pattern dominates); sports -> ``g2`` (evening use).

Diversity
---------
A district is not N copies of one curve. Each building gets a seeded time shift, uniform in
+/- :data:`MAX_SHIFT_MIN` minutes, and a multiplicative log-normal AR(1) noise
(:data:`NOISE_STD`, memory :data:`NOISE_HOURS`), both scaled by ``diversity``; the result is
scaled back to the building's annual energy.
"""

from __future__ import annotations

import calendar
import warnings
from collections.abc import Sequence
from datetime import date
from functools import cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from sparcs.data import USES
from sparcs.errors import ScenarioError, SparcsError
from sparcs.profiles._annual import (
    check_annual,
    make_rng,
)
from sparcs.profiles._bdew1999 import SELP_TYPES, bdew_1999_year
from sparcs.profiles._calendar import (
    WallClockGrid,
    keep_day_energy,
    public_holidays,
    wallclock_grid,
)
from sparcs.profiles._diversity import diversify
from sparcs.timeseries import check_index

__all__ = [
    "AUTO_PROFILE",
    "BDEW_1999",
    "BDEW_2025",
    "MAX_SHIFT_MIN",
    "NOISE_HOURS",
    "NOISE_STD",
    "PROFILE_TYPES",
    "electricity_profiles",
    "resolve_profile_types",
]

BDEW_1999 = ("h0", "h0_dyn", "g0", "g1", "g2", "g3", "g4", "g5", "g6", "l0", "l1", "l2")
BDEW_2025 = ("h25", "g25", "l25", "p25", "s25")
PROFILE_TYPES = BDEW_1999 + BDEW_2025

#: Profile type of each building use when the scenario says ``"auto"`` (see module docstring).
AUTO_PROFILE = {
    "single_family": "h0_dyn",
    "apartment_block": "h0_dyn",
    "office": "g1",
    "retail": "g4",
    "school": "g1",
    "mixed_use": "g0",
    "hotel": "g0",
    "sports": "g2",
}

#: Largest time shift between buildings at ``diversity = 1`` [min]. [est]
MAX_SHIFT_MIN = 45.0
#: Standard deviation of the log of the multiplicative noise at ``diversity = 1`` [-]. [est]
NOISE_STD = 0.15
#: Memory (e-folding time) of the noise [h]. [est]
NOISE_HOURS = 2.0


_STREAM = 1  # random stream of this module, so electricity and DHW draw different numbers
_QUARTERS = 96


def resolve_profile_types(
    profile_types: Sequence[str], uses: Sequence[str] | None = None
) -> tuple[str, ...]:
    """Replace ``"auto"`` by the profile type of each building's use.

    Parameters
    ----------
    profile_types
        One entry per building: a type of :data:`PROFILE_TYPES` or ``"auto"``.
    uses
        One building use (:data:`sparcs.data.USES`) per building; needed only for ``"auto"``.

    Raises
    ------
    ScenarioError
        On an unknown type or use, or ``"auto"`` without ``uses``.
    """
    resolved = []
    for i, kind in enumerate(profile_types):
        if kind == "auto":
            if uses is None or len(uses) != len(profile_types):
                msg = f"building {i}: electricity_profile 'auto' needs the building use"
                raise ScenarioError(msg)
            if uses[i] not in AUTO_PROFILE:
                msg = f"building {i}: unknown use {uses[i]!r}; choose one of {', '.join(USES)}"
                raise ScenarioError(msg)
            kind = AUTO_PROFILE[uses[i]]
        elif kind not in PROFILE_TYPES:
            msg = (
                f"building {i}: unknown electricity profile {kind!r}; "
                f"choose 'auto' or one of {', '.join(PROFILE_TYPES)}"
            )
            raise ScenarioError(msg)
        resolved.append(kind)
    return tuple(resolved)


@cache
def _call_demandlib(year: int, holidays: tuple[date, ...], family: str) -> npt.NDArray[np.float64]:
    """BDEW profiles of one local calendar year: 1999 types looked up, 2025 from demandlib.

    Parameters
    ----------
    year
        Local calendar year.
    holidays
        Public holidays of that year (treated as Sundays).
    family
        ``"1999"`` for all :data:`BDEW_1999` types at once, or one of :data:`BDEW_2025`.

    Returns
    -------
    numpy.ndarray
        15-min values on the local wall clock from 1 January 00:00, shape ``(n_quarters, k)``
        [arbitrary power unit per type]; read-only (cached).
    """
    if family == "1999":
        table = bdew_1999_year(year, holidays)
        order = [*SELP_TYPES, "h0_dyn"]
        values = table[:, [order.index(kind) for kind in BDEW_1999]]
        values.flags.writeable = False
        return values
    with warnings.catch_warnings():  # demandlib calls warnings.simplefilter("error")
        try:
            from demandlib import bdew

            days = 366 if calendar.isleap(year) else 365
            index = pd.date_range(f"{year}-01-01", periods=days * _QUARTERS, freq="15min")
            profile = getattr(bdew, family.upper())(index, holidays=list(holidays))
            values = profile.to_numpy(dtype=np.float64)[:, None]
        except Warning as exc:  # a warning turned into an error by demandlib's own filter
            msg = (
                f"demandlib failed on a pandas warning ({exc}); demandlib 0.2.2 needs "
                "pandas<3.1 (reference/data-sources.md sec. 2.3)"
            )
            raise SparcsError(msg) from exc
    values.flags.writeable = False
    result: npt.NDArray[np.float64] = values
    return result


def _bdew_table(
    grid: WallClockGrid, types: Sequence[str], country: str | None, subdivision: str | None
) -> tuple[npt.NDArray[np.float64], int]:
    """BDEW values of ``types`` for the local years of ``grid``, and the first day number."""
    dates = grid.days.number.astype("datetime64[D]")
    years = range(
        int(dates[0].astype("datetime64[Y]").astype(int)) + 1970,
        int(dates[-1].astype("datetime64[Y]").astype(int)) + 1971,
    )
    blocks = []
    for year in years:
        free = tuple(sorted(public_holidays(country, year, subdivision)))
        old = _call_demandlib(year, free, "1999")
        columns = [
            old[:, BDEW_1999.index(kind)]
            if kind in BDEW_1999
            else _call_demandlib(year, free, kind)[:, 0]
            for kind in types
        ]
        blocks.append(np.stack(columns, axis=1))
    first_day = int(np.datetime64(f"{years[0]}-01-01", "D").astype(np.int64))
    return np.concatenate(blocks), first_day


def electricity_profiles(
    time: pd.DatetimeIndex,
    annual_kwh: npt.ArrayLike,
    profile_types: Sequence[str],
    *,
    timezone: str,
    country: str | None,
    seed: int = 0,
    uses: Sequence[str] | None = None,
    subdivision: str | None = None,
    diversity: float = 1.0,
    out: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Appliance electricity of each building from BDEW standard load profiles [kW].

    The profile is applied on the local calendar of the site (local wall clock, local public
    holidays as Sundays), computed for each local calendar year covering ``time`` and mapped
    onto the UTC steps; a local day of 23 or 25 hours keeps the energy of its nominal day
    (see :func:`sparcs.profiles._calendar.keep_day_energy`). Steps longer than 15 min get
    interval means; shorter steps repeat the 15-min value.

    Parameters
    ----------
    time
        UTC index named ``time`` with a fixed step.
    annual_kwh
        Energy over the whole of ``time`` per building [kWh], shape ``(n_buildings,)``.
    profile_types
        Per building: a type of :data:`PROFILE_TYPES` or ``"auto"`` (needs ``uses``).
    timezone
        IANA zone of the site, e.g. ``"Europe/Berlin"``.
    country
        ISO country code for public holidays (``City.country``), or ``None``.
    seed
        Seed of the building-to-building diversity.
    uses
        Building uses, for ``"auto"``.
    subdivision
        Optional region for regional holidays, e.g. ``"SN"``.
    diversity
        Strength of the diversity, 0 (identical shapes) to about 2; 1 is the default set by
        :data:`MAX_SHIFT_MIN`, :data:`NOISE_STD` and :data:`NOISE_HOURS`.
    out
        Zeros to write into, column-major, shape (time, buildings) — e.g. a view of a larger
        buffer the caller owns; a new array when None. Columns not written stay untouched.

    Returns
    -------
    numpy.ndarray
        Interval-mean power [kW], shape ``(len(time), n_buildings)``; ``sum * dt_h`` equals
        ``annual_kwh`` per building.

    References
    ----------
    VDEW (1999): Repräsentative VDEW-Lastprofile, M-28/99. BDEW (2025): Standardlastprofile
    Strom. demandlib 0.2.2, ``demandlib.bdew``.
    """
    check_index(time, what="time")
    types = resolve_profile_types(profile_types, uses)
    annual = check_annual(annual_kwh, len(types))
    rng = make_rng(seed, _STREAM, diversity)
    if annual.size == 0:
        return np.zeros((len(time), 0))
    grid = wallclock_grid(time, timezone, country, subdivision=subdivision)
    unique, groups = np.unique(np.asarray(types, dtype=object).astype(str), return_inverse=True)
    table, first_day = _bdew_table(grid, list(unique), country, subdivision)
    day_offset = grid.days.number - first_day

    def evaluate(
        day_pos: npt.NDArray[np.int64], minute: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        result: npt.NDArray[np.float64] = table[day_offset[day_pos] * _QUARTERS + minute // 15]
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
        out=out,
    )
