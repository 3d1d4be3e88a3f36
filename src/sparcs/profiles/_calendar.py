"""Local calendar, wall-clock grid and the shared array steps of the demand profiles.

Standard load profiles and usage schedules are defined on local wall-clock time and on the
local calendar of working days, Saturdays and Sundays or public holidays (BDEW 1999, VDI 4655,
DIN V 18599-10). SPARCS keeps every series on a UTC index (``DESIGN.md``, "Time"); this module
is the one bridge between the two:

- :func:`day_types` gives, for each UTC step, the local date and hour, the weekday, public
  holidays (python ``holidays`` package, offline), the BDEW day type and the BDEW season.
- :func:`wallclock_grid` and :func:`keep_day_energy` evaluate a wall-clock profile on a fine
  UTC grid so that a local day of 23 or 25 hours (daylight saving) keeps the energy of its
  nominal 24-hour day: no energy is dropped in spring or doubled in autumn.
- The input checks and the last step shared by all profile kinds (scaling to the annual
  energy) are in :mod:`sparcs.profiles._annual`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from sparcs.data import data_path
from sparcs.errors import ScenarioError, TimeIndexError
from sparcs.timeseries import check_index, to_zoneinfo

__all__ = [
    "SATURDAY",
    "SUMMER",
    "SUNDAY",
    "TRANSITION",
    "WINTER",
    "WORKDAY",
    "LocalCalendar",
    "LocalDays",
    "WallClockGrid",
    "day_types",
    "keep_day_energy",
    "local_days",
    "public_holidays",
    "wallclock_grid",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: BDEW day types: working day, Saturday, Sunday or public holiday (BDEW 1999, "WT/SA/FT").
WORKDAY, SATURDAY, SUNDAY = 0, 1, 2
#: BDEW seasons: winter 1 Nov-20 Mar, summer 15 May-14 Sep, transition otherwise (BDEW 1999).
WINTER, SUMMER, TRANSITION = 0, 1, 2

_DAY_S = 86_400
_BDEW_QUARTER_S = 900


@cache
def _holiday_table() -> dict[tuple[str, int], frozenset[date]]:
    """The embedded national holidays (``data/holidays.csv``) by country and year."""
    table: dict[tuple[str, int], frozenset[date]] = {}
    text = data_path("holidays.csv").read_text(encoding="utf-8")
    for line in text.splitlines()[5:]:
        country, year, days = line.split(",")
        y = int(year)
        table[country, y] = frozenset(date(y, int(d[:2]), int(d[2:])) for d in days.split())
    return table


@cache
def public_holidays(
    country: str | None, year: int, subdivision: str | None = None
) -> frozenset[date]:
    """Public holidays of ``country`` in ``year`` (python ``holidays`` package, offline).

    ``country`` is an ISO 3166-1 code (``None`` or ``""``: no holidays); ``subdivision`` an
    optional ISO 3166-2 region such as ``"SN"`` (Saxony). An unknown code raises
    :class:`~sparcs.errors.ScenarioError`. For Ukraine the package gives no holidays from 2022
    on: under martial law public holidays are working days (Law of Ukraine 2136-IX suspends
    art. 73 of the Labour Code) [unverified]. The seven cities' national calendars for
    1990-2070 come from an embedded copy of the package's (``data/holidays.csv``, checked
    against it by the tests), which spares the import of its registry of 150 countries.

    Parameters
    ----------
    country
        ISO 3166-1 alpha-2 code, or ``None``.
    year
        Calendar year.
    subdivision
        ISO 3166-2 region code, or ``None`` for the national calendar.

    Returns
    -------
    frozenset of datetime.date
        The holidays' dates.
    """
    if not country:
        return frozenset()
    if subdivision is None:
        known = _holiday_table().get((country, year))
        if known is not None:
            return known
    import holidays  # lazily: its registry of 150 countries costs 0.2 s of CPU

    try:
        table = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError as exc:
        msg = (
            f"no public-holiday calendar for country {country!r}, "
            f"subdivision {subdivision!r}: {exc}"
        )
        raise ScenarioError(msg) from exc
    return frozenset(table)


@dataclass(frozen=True)
class LocalDays:
    """Calendar attributes of local days, one entry per day.

    Attributes
    ----------
    number
        Days since 1970-01-01 of the local date [d].
    weekday
        0 = Monday ... 6 = Sunday.
    is_holiday
        True on a public holiday.
    day_type
        :data:`WORKDAY`, :data:`SATURDAY` or :data:`SUNDAY` (Sundays and holidays).
    season
        :data:`WINTER`, :data:`SUMMER` or :data:`TRANSITION` (BDEW 1999).
    day_of_year
        1 on 1 January.
    """

    number: IntArray
    weekday: IntArray
    is_holiday: npt.NDArray[np.bool_]
    day_type: IntArray
    season: IntArray
    day_of_year: IntArray


def local_days(
    number: npt.ArrayLike, country: str | None, subdivision: str | None = None
) -> LocalDays:
    """Calendar attributes of local days given as days since 1970-01-01.

    Holidays count as Sundays, as in the BDEW standard load profiles (BDEW 1999, "Feiertage
    werden wie Sonntage behandelt").
    """
    days = np.asarray(number, dtype=np.int64)
    dates = days.astype("datetime64[D]")
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    free: set[date] = set()
    for year in np.unique(years):
        free |= public_holidays(country, int(year), subdivision)
    free_days = np.array(sorted(free), dtype="datetime64[D]")
    is_holiday = np.isin(dates, free_days)
    month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    month_day = month * 100 + day
    season = np.where(
        (month_day >= 1101) | (month_day <= 320),
        WINTER,
        np.where((month_day >= 515) & (month_day <= 914), SUMMER, TRANSITION),
    )
    day_type = np.where(
        is_holiday | (weekday == 6), SUNDAY, np.where(weekday == 5, SATURDAY, WORKDAY)
    )
    return LocalDays(
        number=days,
        weekday=weekday,
        is_holiday=is_holiday,
        day_type=day_type.astype(np.int64),
        season=season.astype(np.int64),
        day_of_year=(dates - dates.astype("datetime64[Y]")).astype(np.int64) + 1,
    )


@dataclass(frozen=True)
class LocalCalendar:
    """The local calendar of each step of a UTC index.

    Attributes
    ----------
    local_date
        Local date of the start of each step (``datetime64[D]``).
    hour
        Local wall-clock hour of the start of each step, fractional [h] (0 <= hour < 24).
    weekday, is_holiday, day_type, season, day_of_year
        As in :class:`LocalDays`, per step.
    """

    local_date: npt.NDArray[np.datetime64]
    hour: FloatArray
    weekday: IntArray
    is_holiday: npt.NDArray[np.bool_]
    day_type: IntArray
    season: IntArray
    day_of_year: IntArray


def _wallclock_seconds(index: pd.DatetimeIndex, timezone: str) -> IntArray:
    """Local wall-clock time of ``index`` as seconds since 1970-01-01 local [s]."""
    local = index.tz_convert(to_zoneinfo(timezone)).tz_localize(None)
    return local.as_unit("s").asi8.astype(np.int64)


def day_types(
    time: pd.DatetimeIndex, timezone: str, country: str | None, *, subdivision: str | None = None
) -> LocalCalendar:
    """Local calendar of every step of the UTC index ``time``.

    ``timezone`` is the IANA zone of the site (e.g. ``"Europe/Helsinki"``), ``country`` the
    ISO code for public holidays (``City.country``, or ``None``) and ``subdivision`` an
    optional region for regional holidays (e.g. ``"SN"``). Holidays count as Sundays (BDEW).
    """
    check_index(time, what="time")
    seconds = _wallclock_seconds(time, timezone)
    numbers, position = np.unique(seconds // _DAY_S, return_inverse=True)
    days = local_days(numbers, country, subdivision)
    return LocalCalendar(
        local_date=numbers.astype("datetime64[D]")[position],
        hour=(seconds % _DAY_S) / 3600.0,
        weekday=days.weekday[position],
        is_holiday=days.is_holiday[position],
        day_type=days.day_type[position],
        season=days.season[position],
        day_of_year=days.day_of_year[position],
    )


@dataclass(frozen=True)
class WallClockGrid:
    """A fine UTC grid covering whole local days around a UTC index.

    Attributes
    ----------
    fine_s
        Fine step: the greatest common divisor of the index step and 15 min [s].
    n_sub
        Fine steps per step of the index.
    offset
        Position in the fine grid of the first step of the index.
    n_out
        Number of steps of the index.
    day_pos
        Per fine step: position of its local day in ``days``.
    minute
        Per fine step: local wall-clock minute of the day at its start [min].
    days
        The local days covered.
    odd_days
        Positions in ``days`` of days that are not 24 hours long (daylight-saving changes).
    """

    fine_s: int
    n_sub: int
    offset: int
    n_out: int
    day_pos: IntArray
    minute: IntArray
    days: LocalDays
    odd_days: IntArray


def wallclock_grid(
    time: pd.DatetimeIndex, timezone: str, country: str | None, *, subdivision: str | None = None
) -> WallClockGrid:
    """Build the fine UTC grid on which wall-clock profiles are evaluated.

    The grid starts at the local midnight before ``time[0]`` and ends at the local midnight
    after the end of the last step, so every local day touched by ``time`` is whole. Its step
    divides both the index step and the 15-minute step of the BDEW profiles.
    """
    check_index(time, what="time")
    step_s = int((time[1] - time[0]) / pd.Timedelta(seconds=1))
    if pd.Timedelta(seconds=step_s) != time[1] - time[0]:
        msg = f"time: the step {time[1] - time[0]} is not a whole number of seconds"
        raise TimeIndexError(msg)
    fine_s = math.gcd(step_s, _BDEW_QUARTER_S)
    zone = to_zoneinfo(timezone)
    end = time[-1] + pd.Timedelta(seconds=step_s)
    first = time[0].tz_convert(zone).normalize()
    last = (end - pd.Timedelta(seconds=1)).tz_convert(zone).normalize()
    day_start = first.tz_convert("UTC")
    day_end = (last.tz_localize(None) + pd.Timedelta(days=1)).tz_localize(zone).tz_convert("UTC")
    before = math.ceil((time[0] - day_start) / pd.Timedelta(seconds=fine_s))
    after = math.ceil((day_end - end) / pd.Timedelta(seconds=fine_s))
    n_out = len(time)
    n_fine = before + n_out * (step_s // fine_s) + after
    utc = pd.date_range(
        time[0] - before * pd.Timedelta(seconds=fine_s),
        periods=n_fine,
        freq=pd.Timedelta(seconds=fine_s),
        name="time",
    )
    seconds = _wallclock_seconds(utc, timezone)
    numbers, day_pos = np.unique(seconds // _DAY_S, return_inverse=True)
    counts = np.bincount(day_pos, minlength=len(numbers))
    odd = counts != _DAY_S // fine_s
    odd[0] &= utc[0] == day_start  # a partial first or last day is not a DST day
    odd[-1] &= utc[-1] + pd.Timedelta(seconds=fine_s) == day_end
    return WallClockGrid(
        fine_s=fine_s,
        n_sub=step_s // fine_s,
        offset=before,
        n_out=n_out,
        day_pos=day_pos.astype(np.int64),
        minute=(seconds % _DAY_S) // 60,
        days=local_days(numbers, country, subdivision),
        odd_days=np.flatnonzero(odd),
    )


def keep_day_energy(
    grid: WallClockGrid, evaluate: Callable[[IntArray, IntArray], FloatArray]
) -> FloatArray:
    """Evaluate a wall-clock profile on the fine grid, keeping each local day's energy.

    On a day of 23 hours one wall-clock hour does not occur; on a day of 25 hours one occurs
    twice. The values of such a day are scaled so that its energy equals that of the nominal
    day (every wall-clock slot once), so the daylight-saving change neither drops nor doubles
    energy; the daily shape stays on the clock people live by.

    Parameters
    ----------
    grid
        The fine grid.
    evaluate
        ``evaluate(day_pos, minute) -> values`` of shape ``(n, k)``: the profile [any power
        unit] at local day ``grid.days[day_pos]`` and wall-clock minute ``minute``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_fine, k)``.
    """
    values = np.asarray(evaluate(grid.day_pos, grid.minute), dtype=np.float64)
    odd = grid.odd_days
    if odd.size == 0:
        return values
    slots = _DAY_S // grid.fine_s
    nominal_minute = np.tile(np.arange(slots, dtype=np.int64) * grid.fine_s // 60, odd.size)
    nominal = np.asarray(evaluate(np.repeat(odd, slots), nominal_minute), dtype=np.float64)
    nominal_sum = nominal.reshape(odd.size, slots, -1).sum(axis=1)
    rows = np.flatnonzero(np.isin(grid.day_pos, odd))
    which = np.searchsorted(odd, grid.day_pos[rows])
    actual_sum = np.zeros_like(nominal_sum)
    np.add.at(actual_sum, which, values[rows])
    factor = np.divide(nominal_sum, actual_sum, out=np.ones_like(nominal_sum), where=actual_sum > 0)
    values[rows] *= factor[which]
    return values
