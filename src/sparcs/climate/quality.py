"""Quality checks and documented repairs of weather data read from files.

:func:`check_weather` runs every reader's data through the same checks, in this order. Each
problem either raises a clear error that names the file, the column and the first bad
timestamp and row, or is repaired and the repair is recorded (never silently):

====================================  ===========================================  ==========
problem                               repair (``repair=True``)                     otherwise
====================================  ===========================================  ==========
naive timestamps (no UTC offset)      none                                         TimeIndexError
non-numeric value                     none                                         WeatherError
unsorted timestamps                   stable sort                                  TimeIndexError
duplicate timestamps, equal rows      drop the copies                              TimeIndexError
duplicate timestamps, other values    none                                         TimeIndexError
timestamp off the step grid           none                                         TimeIndexError
gap or missing values <= 3 h          linear interpolation (edges: nearest value)  error
gap or missing values > 3 h           none                                         error
series that fits a wrong unit          none                                         UnitError
(degF, K, kW/m2; :mod:`sparcs.plausibility`)
irradiance in -10..0 W/m2             clipped to 0                                 WeatherError
value outside :data:`LIMITS`          none                                         WeatherError
GHI > 10 W/m2 while the sun is down   set to 0 if <= 50 W/m2 in <= 1 % of nights    WeatherError
                                      (or in at most 2 intervals)
irradiance above the BSRN physically  none                                         WeatherError
possible limit at the site's sun
====================================  ===========================================  ==========

The BSRN physically possible limits (Long, C. N. and Dutton, E. G. (2002), BSRN Global
Network recommended QC tests, V2.0): GHI < 1.5 S0 mu^1.2 + 100, DHI < 0.95 S0 mu^1.2 + 50,
DNI < S0 [W/m2], with S0 the extraterrestrial normal irradiance of the day and mu the
highest cosine of the zenith angle over the interval.

"Row" in messages is the 1-based data row as read (header lines not counted).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pvlib import irradiance

from sparcs.climate.solar import interval_midpoints, solar_position
from sparcs.errors import TimeIndexError, WeatherError
from sparcs.plausibility import QUANTITIES, check_unit
from sparcs.timeseries import TIME_NAME

__all__ = ["LIMITS", "MAX_GAP", "check_weather", "duration_text"]

#: Plausible range per column: (lowest, highest, unit), from :data:`sparcs.plausibility.QUANTITIES`.
LIMITS: dict[str, tuple[float, float, str]] = {
    name: (QUANTITIES[name].low, QUANTITIES[name].high, QUANTITIES[name].unit)
    for name in ("ghi", "dni", "dhi", "temp_air", "wind_speed")
}
#: Longest gap (or run of missing values) that is filled by interpolation.
MAX_GAP = pd.Timedelta(hours=3)
_IRRADIANCE = ("ghi", "dni", "dhi")
_NEGATIVE_TOLERANCE_W_M2 = 10.0  # small negative irradiance (sensor offset) is clipped to 0
_NIGHT_ELEVATION_DEG = -3.0  # an interval is night when the sun stays below this elevation
_NIGHT_GHI_W_M2 = 10.0  # GHI above this at night is suspicious (twilight stays below)
_NIGHT_REPAIR_W_M2 = 50.0  # night GHI up to this may be zeroed ...
_NIGHT_REPAIR_SHARE = 0.01  # ... when it affects at most this share of night intervals
_NIGHT_REPAIR_COUNT = 2  # ... or at most this many intervals (short files)
_ROW = "_row"


def duration_text(delta: pd.Timedelta) -> str:
    """A duration as ``'3 h'`` or ``'15 min'``."""
    minutes = int(delta / pd.Timedelta(minutes=1))
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


def _where(data: pd.DataFrame, position: int) -> str:
    stamp = data.index[position].isoformat()
    row = data[_ROW].iloc[position]
    return f"{stamp} (row {int(row)})" if np.isfinite(row) else f"{stamp} (inserted)"


def _utc(data: pd.DataFrame, source: str) -> pd.DataFrame:
    index = data.index
    if not isinstance(index, pd.DatetimeIndex):
        msg = f"{source}: the time index must be timestamps, got {type(index).__name__}"
        raise TimeIndexError(msg)
    if index.tz is None:
        msg = (
            f"{source}: timestamps have no UTC offset (first: {index[0]}, row 1); they are never "
            "assumed to be UTC. Write ISO 8601 with an offset, e.g. 2019-01-01T00:00+01:00 for "
            "local time or 2019-01-01T00:00Z for UTC, or localise them with tz_localize(zone)"
        )
        raise TimeIndexError(msg)
    if len(index) < 2:
        msg = f"{source}: at least two timestamps are needed, got {len(index)}"
        raise WeatherError(msg)
    out = data.copy()
    out.index = index.tz_convert("UTC").rename(TIME_NAME)
    out[_ROW] = np.arange(1, len(out) + 1, dtype=float)
    return out


def _numeric(data: pd.DataFrame, source: str) -> pd.DataFrame:
    for column in [c for c in data.columns if c != _ROW]:
        values = pd.to_numeric(data[column], errors="coerce")
        bad = values.isna().to_numpy() & data[column].notna().to_numpy()
        if bad.any():
            position = int(np.argmax(bad))
            msg = (
                f"{source}: column {column!r} has {data[column].iloc[position]!r} at "
                f"{_where(data, position)}, which is not a number"
            )
            raise WeatherError(msg)
        data[column] = values.astype(float)
    return data


def _sorted(data: pd.DataFrame, source: str, repair: bool, repairs: list[str]) -> pd.DataFrame:
    if data.index.is_monotonic_increasing:
        return data
    position = int(np.argmax((data.index[1:] - data.index[:-1]) < pd.Timedelta(0))) + 1
    where = _where(data, position)
    if not repair:
        msg = (
            f"{source}: timestamps are not sorted: {where} comes after "
            f"{data.index[position - 1].isoformat()}; sort the file or read it with repair=True"
        )
        raise TimeIndexError(msg)
    repairs.append(f"sorted the rows by time (first out of order: {where})")
    return data.sort_index(kind="stable")


def _deduplicated(
    data: pd.DataFrame, source: str, repair: bool, repairs: list[str]
) -> pd.DataFrame:
    if not data.index.has_duplicates:
        return data
    values = data.drop(columns=_ROW)
    same_time = data.index.duplicated(keep="first")
    same_row = values.reset_index().duplicated(keep="first").to_numpy()
    conflict = same_time & ~same_row
    if conflict.any() or not repair:
        position = int(np.argmax(conflict if conflict.any() else same_time))
        kind = "with different values" if conflict.any() else "twice"
        msg = (
            f"{source}: timestamp {_where(data, position)} appears {kind}; keep one row per "
            "timestamp" + ("" if conflict.any() else " or read the file with repair=True")
        )
        raise TimeIndexError(msg)
    position = int(np.argmax(same_time))
    repairs.append(
        f"dropped {int(same_time.sum())} exact duplicate row(s) (first: {_where(data, position)})"
    )
    return data[~same_time]


def _regular(
    data: pd.DataFrame, source: str, repair: bool, max_gap: pd.Timedelta, repairs: list[str]
) -> pd.DataFrame:
    steps = pd.Series(data.index[1:] - data.index[:-1])
    step = steps.mode().iloc[0]
    off_grid = (steps % step != pd.Timedelta(0)).to_numpy()
    if off_grid.any():
        position = int(np.argmax(off_grid)) + 1
        msg = (
            f"{source}: timestamp {_where(data, position)} is off the {duration_text(step)} "
            "grid of the other rows; the data must have one fixed step"
        )
        raise TimeIndexError(msg)
    gaps = (steps > step).to_numpy()
    if not gaps.any():
        return data
    missing = steps[gaps] - step
    position = int(np.argmax(gaps))
    if not repair or missing.max() > max_gap:
        longest = int(np.argmax(np.where(gaps, (steps - step).to_numpy(), np.timedelta64(0))))
        size = steps.iloc[longest] - step
        msg = (
            f"{source}: {duration_text(size)} of data missing after {_where(data, longest)} "
            f"(next timestamp {data.index[longest + 1].isoformat()}); fill the gap or cut the file"
            + (
                f" (gaps up to {duration_text(max_gap)} are filled with repair=True)"
                if size <= max_gap
                else ""
            )
        )
        raise TimeIndexError(msg)
    full = pd.date_range(data.index[0], data.index[-1], freq=step, name=TIME_NAME)
    repairs.append(
        f"inserted {int((missing // step).sum())} missing timestamp(s) in {int(gaps.sum())} "
        f"gap(s) of at most {duration_text(missing.max())} (first after {_where(data, position)})"
    )
    return data.reindex(full)


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start positions and lengths of the runs of True in ``mask``."""
    padded = np.concatenate(([False], mask, [False]))
    change = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return change[::2], change[1::2] - change[::2]


def _filled(
    data: pd.DataFrame, source: str, repair: bool, max_gap: pd.Timedelta, repairs: list[str]
) -> pd.DataFrame:
    step = data.index[1] - data.index[0]
    for column in [c for c in data.columns if c != _ROW]:
        mask = data[column].isna().to_numpy()
        if not mask.any():
            continue
        starts, lengths = _runs(mask)
        worst = int(np.argmax(lengths))
        if not repair or lengths[worst] * step > max_gap:
            msg = (
                f"{source}: column {column!r} has {duration_text(lengths[worst] * step)} of "
                f"missing values from "
                f"{_where(data, int(starts[worst]))}; fill them or cut the file"
            )
            raise WeatherError(msg)
        data[column] = data[column].interpolate(method="time", limit_area="inside").ffill().bfill()
        repairs.append(
            f"{column}: filled {int(mask.sum())} missing value(s) by linear interpolation "
            f"(runs of at most {duration_text(lengths[worst] * step)}, "
            f"first at {_where(data, int(starts[0]))})"
        )
    return data


def _units(data: pd.DataFrame, source: str, elevation: np.ndarray | None) -> None:
    """Refuse series that fit a known wrong unit (degF, K, kW/m2)."""
    etr_max = 0.0
    if elevation is not None:
        s0 = irradiance.get_extra_radiation(data.index).to_numpy()
        etr_max = float(np.max(s0 * np.clip(np.sin(np.radians(elevation)), 0.0, 1.0)))
    for column in [c for c in LIMITS if c in data.columns]:
        level = None
        if column in _IRRADIANCE:
            if etr_max < 200.0:
                continue
            level = (0.05 * etr_max, 1.5 * etr_max + 100.0)
        check_unit(
            data[column].to_numpy(),
            column,
            what=f"{source}: column {column!r}",
            level=level,
            low=-_NEGATIVE_TOLERANCE_W_M2 if column in _IRRADIANCE else None,
        )


def _plausible(data: pd.DataFrame, source: str, repair: bool, repairs: list[str]) -> pd.DataFrame:
    for column in [c for c in LIMITS if c in data.columns]:
        low, high, unit = LIMITS[column]
        values = data[column].to_numpy()
        tolerance = _NEGATIVE_TOLERANCE_W_M2 if column in _IRRADIANCE else 0.0
        bad = (values < low - tolerance) | (values > high)
        small = (values < low) & ~bad
        if small.any() and not repair:
            bad = bad | small
        if bad.any():
            position = int(np.argmax(bad))
            msg = (
                f"{source}: column {column!r} has implausible value {values[position]:g} {unit} "
                f"at {_where(data, position)}; the plausible range is {low:g} to {high:g} {unit}"
            )
            raise WeatherError(msg)
        if small.any():
            data[column] = np.where(small, low, values)
            repairs.append(
                f"{column}: clipped {int(small.sum())} small negative value(s) (>= "
                f"-{tolerance:g} {unit}) to 0 (first at {_where(data, int(np.argmax(small)))})"
            )
    return data


def _max_elevation(index: pd.DatetimeIndex, latitude: float, longitude: float) -> np.ndarray:
    """Highest solar elevation over each interval (its edges and midpoint) [deg]."""
    step = index[1] - index[0]
    edges = pd.DatetimeIndex(index.append(index[-1:] + step))
    high_edge = solar_position(edges, latitude, longitude)["elevation"].to_numpy()
    middle = solar_position(interval_midpoints(index), latitude, longitude)["elevation"]
    result: np.ndarray = np.maximum(np.maximum(high_edge[:-1], high_edge[1:]), middle.to_numpy())
    return result


def _night(
    data: pd.DataFrame, source: str, elevation: np.ndarray, repair: bool, repairs: list[str]
) -> pd.DataFrame:
    night = elevation < _NIGHT_ELEVATION_DEG
    ghi = data["ghi"].to_numpy()
    flagged = night & (ghi > _NIGHT_GHI_W_M2)
    if not flagged.any():
        return data
    few = flagged.sum() <= max(_NIGHT_REPAIR_SHARE * night.sum(), _NIGHT_REPAIR_COUNT)
    small = ghi[flagged].max() <= _NIGHT_REPAIR_W_M2 and few
    if not (repair and small):
        position = int(np.argmax(np.where(flagged, ghi, -np.inf)))
        msg = (
            f"{source}: column 'ghi' is {ghi[position]:g} W/m2 at {_where(data, position)} while "
            f"the sun is {-elevation[position]:.0f} deg below the horizon ({int(flagged.sum())} "
            "such interval(s)); are the timestamps local time written as UTC, or labelled at the "
            "end of the interval? Fix the UTC offset or the labels of the time column"
        )
        raise WeatherError(msg)
    for column in [c for c in _IRRADIANCE if c in data.columns]:
        data[column] = np.where(flagged, 0.0, data[column].to_numpy())
    repairs.append(
        f"set irradiance to 0 in {int(flagged.sum())} night interval(s) with GHI <= "
        f"{_NIGHT_REPAIR_W_M2:g} W/m2 (first at {_where(data, int(np.argmax(flagged)))})"
    )
    return data


def _physically_possible(data: pd.DataFrame, source: str, elevation: np.ndarray) -> None:
    """Irradiance above the BSRN physically possible limits (module docstring) is an error."""
    s0 = irradiance.get_extra_radiation(data.index).to_numpy()
    mu = np.clip(np.sin(np.radians(elevation)), 0.0, 1.0)
    limits = {"ghi": 1.5 * s0 * mu**1.2 + 100.0, "dhi": 0.95 * s0 * mu**1.2 + 50.0, "dni": s0}
    for column, limit in limits.items():
        if column not in data.columns:
            continue
        values = data[column].to_numpy()
        bad = values > limit
        if bad.any():
            i = int(np.argmax(values - limit))
            msg = (
                f"{source}: column {column!r} is {values[i]:g} W/m2 at {_where(data, i)}, above "
                f"the physically possible {limit[i]:.0f} W/m2 with the sun at most "
                f"{max(elevation[i], 0):.0f} deg high at the site ({int(bad.sum())} such "
                "interval(s); BSRN limits, Long & Dutton 2002); is the file for another site, "
                "or are its timestamps shifted?"
            )
            raise WeatherError(msg)


def check_weather(
    data: pd.DataFrame,
    *,
    source: str,
    latitude: float | None = None,
    longitude: float | None = None,
    repair: bool = True,
    max_gap: pd.Timedelta = MAX_GAP,
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Check weather data from a file and make the documented small repairs.

    Parameters
    ----------
    data
        Columns named like :data:`~sparcs.climate.weather.WEATHER_COLUMNS` (W/m2, degC, m/s),
        tz-aware index, period-beginning labels, rows in file order.
    source
        File name (or other origin) used in messages.
    latitude, longitude
        Site [deg]; when given, GHI while the sun is down is checked.
    repair
        Make the small repairs of the module table; ``False`` turns each into an error.
    max_gap
        Longest gap or run of missing values that is interpolated.

    Returns
    -------
    data, repairs
        Data on a regular UTC index named ``time``, and one line per repair made.

    Raises
    ------
    TimeIndexError
        Naive, unsorted, duplicate, off-grid or gappy timestamps that are not repaired.
    WeatherError
        Non-numeric, missing or implausible values that are not repaired.
    UnitError
        A series that fits a known wrong unit (degF, K, kW/m2).
    """
    repairs: list[str] = []
    frame = _numeric(_utc(data, source), source)
    frame = _sorted(frame, source, repair, repairs)
    frame = _deduplicated(frame, source, repair, repairs)
    frame = _regular(frame, source, repair, max_gap, repairs)
    frame = _filled(frame, source, repair, max_gap, repairs)
    elevation = None
    if latitude is not None and longitude is not None and np.isfinite([latitude, longitude]).all():
        elevation = _max_elevation(pd.DatetimeIndex(frame.index), latitude, longitude)
    _units(frame, source, elevation)
    frame = _plausible(frame, source, repair, repairs)
    if elevation is not None and "ghi" in frame.columns:
        frame = _night(frame, source, elevation, repair, repairs)
    if elevation is not None:
        _physically_possible(frame, source, elevation)
    return frame.drop(columns=_ROW), tuple(repairs)
