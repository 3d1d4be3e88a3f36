"""Embedded hourly grid carbon intensity, 2019, for CZ, DE, FI, GR and PT.

One CSV per country (``{CC}_2019.csv``, 8,760 UTC hours): the production-based life-cycle
intensity of the national generation mix [kg CO2-eq/kWh] and its renewable share [-], derived
from ENTSO-E actual generation per production type and the per-fuel factors of Tranberg et
al. (2019). Provenance, licence and the derivation are in ``SOURCES.md`` in this folder and in
``tests/data/make_grid_co2.py``. Iceland and Ukraine have no hourly source (domain.md §5.11).

The year 2019 is mapped onto any other year by **weekday and hour of the year** (see
:func:`map_hours`), so a Monday stays a Monday and the seasons stay in place.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from sparcs.errors import ScenarioError
from sparcs.timeseries import check_index

__all__ = [
    "GRID_CO2_COUNTRIES",
    "GRID_CO2_YEAR",
    "grid_co2_table",
    "hourly_grid_co2",
    "hourly_grid_renewable_share",
    "map_hours",
]

#: Countries with an embedded hourly series (ISO 3166-1 alpha-2).
GRID_CO2_COUNTRIES = ("CZ", "DE", "FI", "GR", "PT")
#: The year the embedded series describe.
GRID_CO2_YEAR = 2019
_HOURS = 8760
_DAYS = 365
#: 1 January 2019 was a Tuesday (Monday = 0).
_WEEKDAY_JAN1 = 1


def _check_country(country: str) -> str:
    code = country.strip().upper()
    if code not in GRID_CO2_COUNTRIES:
        msg = (
            f"no embedded hourly grid CO2 for country {country!r}; it exists for "
            f"{', '.join(GRID_CO2_COUNTRIES)} ({GRID_CO2_YEAR}, ENTSO-E). Iceland and Ukraine "
            "have no hourly source: use the annual factor set (factors.hourly_grid_co2 = false) "
            "or give your own series (factors.hourly_file)"
        )
        raise ScenarioError(msg)
    return code


@cache
def _table(code: str) -> pd.DataFrame:
    path = resources.files(__name__).joinpath(f"{code}_{GRID_CO2_YEAR}.csv")
    with path.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, comment="#")
    frame.index = pd.DatetimeIndex(pd.to_datetime(frame.pop("time"), utc=True), name="time")
    return frame


def grid_co2_table(country: str) -> pd.DataFrame:
    """The embedded hourly table of ``country`` as stored (UTC hours of 2019).

    Parameters
    ----------
    country
        ISO 3166-1 alpha-2 code, one of :data:`GRID_CO2_COUNTRIES` (case-insensitive).

    Returns
    -------
    pandas.DataFrame
        Index ``time`` (UTC, 8,760 hours), columns ``co2_kg_per_kwh`` [kg CO2-eq/kWh] and
        ``renewable_share`` [-].

    Raises
    ------
    ScenarioError
        When the country has no embedded series; the message lists those that have one.
    """
    return _table(_check_country(country)).copy()


def map_hours(time: pd.DatetimeIndex) -> np.ndarray:
    """Position in the embedded year (0 … 8,759) of the hour holding each step of ``time``.

    Parameters
    ----------
    time
        UTC index of any year and step.

    Returns
    -------
    numpy.ndarray
        Integer positions, shape (time,).

    Notes
    -----
    Each step is first floored to its UTC hour (a 15-minute step holds its hour's value). An
    hour on day :math:`D` (0-based, of its UTC calendar year :math:`Y`) at hour of day
    :math:`h` reads day :math:`D + s` of 2019 at the same hour, where the shift
    :math:`s = ((w_Y - w_{2019} + 3) \\bmod 7) - 3 \\in [-3, 3]` days and :math:`w` is the
    weekday of 1 January: the same weekday, at most three days from the same date. Days that
    fall outside 2019 move by 52 weeks (364 days) to the other end of the year, keeping the
    weekday; so up to three days at a year's ends repeat and a leap year's 366th day is
    covered. Daylight saving is not shifted: the series stays in UTC, where 2019's and the
    target year's clock changes differ by a few days at most.
    """
    check_index(time, what="grid CO2 steps")
    hours = time.floor("h")
    year_start = pd.to_datetime(pd.DataFrame({"year": hours.year, "month": 1, "day": 1}), utc=True)
    start = pd.DatetimeIndex(year_start)
    day = np.asarray((hours - start) // pd.Timedelta(days=1), dtype=int)
    shift = (np.asarray(start.weekday) - _WEEKDAY_JAN1 + 3) % 7 - 3
    source_day = day + shift
    source_day = np.where(source_day < 0, source_day + 364, source_day)
    source_day = np.where(source_day >= _DAYS, source_day - 364, source_day)
    result: np.ndarray = source_day * 24 + np.asarray(hours.hour, dtype=int)
    return result


def _mapped(country: str, column: str, time: pd.DatetimeIndex) -> np.ndarray:
    values = _table(_check_country(country))[column].to_numpy(dtype=float)
    step = time[1] - time[0]
    if step <= pd.Timedelta(hours=1):
        result: np.ndarray = values[map_hours(time)]
        return result
    per_step = int(step / pd.Timedelta(hours=1))
    hourly = pd.date_range(time[0], periods=len(time) * per_step, freq="1h", name="time")
    result = values[map_hours(hourly)].reshape(len(time), per_step).mean(axis=1)
    return result


def hourly_grid_co2(country: str, time: pd.DatetimeIndex) -> np.ndarray:
    """Production-based grid carbon intensity of ``country`` on the steps ``time``.

    Parameters
    ----------
    country
        ISO 3166-1 alpha-2 code, one of :data:`GRID_CO2_COUNTRIES`.
    time
        UTC index of the steps, any year; steps up to one hour hold their hour's value,
        longer whole-hour steps get the mean of their hours.

    Returns
    -------
    numpy.ndarray
        Intensity per step, shape (time,) [kg CO2-eq/kWh], as embedded (not scaled to a
        factor set; :func:`sparcs.carriers.factors.step_factors` does that).

    Raises
    ------
    ScenarioError
        For a country without an embedded series (e.g. IS, UA).

    Notes
    -----
    :math:`EF(t) = \\sum_f G_f(t)\\,EF_f / \\sum_f G_f(t)` over the production types
    :math:`f`, with :math:`G_f` the ENTSO-E hourly generation of 2019 [MW] and :math:`EF_f`
    the Tranberg et al. factor [kg CO2-eq/kWh]; mapped to ``time`` by :func:`map_hours`.

    References
    ----------
    ENTSO-E Transparency Platform, actual generation per production type (16.1.B&C), 2019.
    B. Tranberg et al., "Real-time carbon accounting method for the European electricity
    markets", *Energy Strategy Reviews* 26, 100367 (2019), doi:10.1016/j.esr.2019.100367.
    """
    return _mapped(country, "co2_kg_per_kwh", time)


def hourly_grid_renewable_share(country: str, time: pd.DatetimeIndex) -> np.ndarray:
    """Renewable share of national generation of ``country`` on the steps ``time`` [-].

    Wind, solar, hydro (without pumped storage), biomass, geothermal and other renewables over
    all generation, from the same ENTSO-E data and mapping as :func:`hourly_grid_co2`.

    Parameters
    ----------
    country
        ISO 3166-1 alpha-2 code, one of :data:`GRID_CO2_COUNTRIES`.
    time
        UTC index of the steps, any year; steps up to one hour hold their hour's value,
        longer whole-hour steps get the mean of their hours.

    Returns
    -------
    numpy.ndarray
        Renewable share per step, shape (time,) [-], between 0 and 1.

    Raises
    ------
    ScenarioError
        For a country without an embedded series (e.g. IS, UA).
    """
    return _mapped(country, "renewable_share", time)
