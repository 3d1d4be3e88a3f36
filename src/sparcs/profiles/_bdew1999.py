"""The BDEW 1999 standard load profiles of one year, as one array lookup.

demandlib's ``bdew.ElecSlp`` builds the year with a pandas merge per season and a
``DataFrame.update``: 0.45 s of CPU for each year and holiday calendar, paid again by every
worker process of a sweep before its first point. The table is a lookup: each 15-min step of
the year takes the value of its season, day type and quarter of the day from demandlib's own
data file (``bdew_data/selp_series.csv``, read with the same parser), each type is normalised
to a sum of 1, and ``h0_dyn`` is ``h0`` times the BDEW dynamisation polynomial. The result is
equal to demandlib's, value for value (``tests/profiles/test_bdew1999.py`` holds it to
demandlib over leap and common years and holiday calendars).
"""

from __future__ import annotations

import calendar
from datetime import date
from importlib import resources

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["SELP_TYPES", "bdew_1999_year"]

#: The types of demandlib's data file, in its column order.
SELP_TYPES = ("h0", "g0", "g1", "g2", "g3", "g4", "g5", "g6", "l0", "l1", "l2")
_PERIODS = ("summer", "transition", "winter")
_QUARTERS = 96
#: demandlib's seasons: (first month, first day) of each, in the order of the calendar year.
_SEASON_STARTS = (
    ((1, 1), "winter"),
    ((3, 21), "transition"),
    ((5, 15), "summer"),
    ((9, 15), "transition"),
    ((11, 1), "winter"),
)


def _selp_table() -> npt.NDArray[np.float64]:
    """demandlib's 15-min values by (period, weekday 1-7, quarter, type), shape (3, 7, 96, 11)."""
    path = resources.files("demandlib.bdew") / "bdew_data" / "selp_series.csv"
    with resources.as_file(path) as csv:
        frame = pd.read_csv(csv)  # demandlib's own parser and settings: the same floats
    table = np.zeros((len(_PERIODS), 7, _QUARTERS, len(SELP_TYPES)))
    period = frame["period"].map(_PERIODS.index).to_numpy()
    weekday = frame["weekday"].to_numpy() - 1
    # demandlib keys the quarter of the day by the row's position (a 15-min index it sets)
    quarter = np.arange(len(frame)) % _QUARTERS
    table[period, weekday, quarter] = frame[list(SELP_TYPES)].to_numpy(dtype=np.float64)
    return table


def _day_periods(year: int) -> npt.NDArray[np.int64]:
    """Index into :data:`_PERIODS` of each day of ``year``."""
    days = 366 if calendar.isleap(year) else 365
    first = np.datetime64(f"{year}-01-01", "D")
    periods = np.empty(days, dtype=np.int64)
    for (month, day), name in _SEASON_STARTS:
        start = int((np.datetime64(f"{year}-{month:02d}-{day:02d}", "D") - first).astype(int))
        periods[start:] = _PERIODS.index(name)
    return periods


def _dynamisation(n_quarters: int) -> npt.NDArray[np.float64]:
    """The BDEW H0 dynamisation factor of each quarter, as demandlib writes it [-]."""
    day_of_year = np.arange(1, n_quarters + 1, dtype=np.float64) / (24 * 4)
    # demandlib's coefficients and order of operations (its normalised -3.916649251e-10)
    result: npt.NDArray[np.float64] = (
        -3.916649251 * 10**-10 * day_of_year**4
        + 3.2 * 10**-7 * day_of_year**3
        - 7.02 * 10**-5 * day_of_year**2
        + 0.0021 * day_of_year
        + 1.24
    )
    return result


def bdew_1999_year(year: int, holidays: tuple[date, ...]) -> npt.NDArray[np.float64]:
    """BDEW 1999 profiles of one calendar year, as ``demandlib.bdew.ElecSlp`` gives them.

    Parameters
    ----------
    year
        Calendar year.
    holidays
        Public holidays of that year (taken as Sundays).

    Returns
    -------
    numpy.ndarray
        15-min values from 1 January 00:00, shape ``(n_quarters, 12)``: the types of
        :data:`SELP_TYPES` then ``h0_dyn``, each of the first eleven summing to 1 over the
        year [-].

    Examples
    --------
    >>> table = bdew_1999_year(2025, ())
    >>> table.shape, round(float(table[:, 0].sum()), 12)
    ((35040, 12), 1.0)
    """
    days = np.arange(np.datetime64(f"{year}-01-01", "D"), np.datetime64(f"{year + 1}-01-01", "D"))
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    weekday[np.isin(days, np.array(holidays, dtype="datetime64[D]"))] = 6
    day_values = _selp_table()[_day_periods(year), weekday]  # (days, 96, 11)
    values = day_values.reshape(len(days) * _QUARTERS, len(SELP_TYPES))
    # column by column: each sum over one contiguous column, as pandas sums a frame's column
    columns = [np.ascontiguousarray(values[:, k]) for k in range(len(SELP_TYPES))]
    normalised = [column / column.sum() for column in columns]
    h0_dyn = normalised[0] * _dynamisation(len(values))
    return np.stack([*normalised, h0_dyn], axis=1)
