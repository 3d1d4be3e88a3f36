"""Reader for EnergyPlus weather files (EPW).

Layout: eight header lines (``LOCATION`` gives latitude, longitude, the time zone ``TZ`` in hours
from UTC and the elevation), then 8,760 (or 8,784) hourly rows ``year, month, day, hour 1-24,
minute, ...``. Parsed by :func:`pvlib.iotools.read_epw`.

Labels, following the EPW definition (EnergyPlus *Auxiliary Programs*, "Weather data"):

* rows are in **local standard time** (``TZ`` of the ``LOCATION`` line, no daylight saving);
* irradiance on the row of hour ``h`` is the mean over the hour *ending* at ``h``; pvlib labels
  that row ``h - 1``, which is already SPARCS' period-beginning label, so irradiance is not
  shifted;
* temperature and wind speed are values *at* the hour ``h`` (the end of the interval); SPARCS
  averages each with the previous row to get the interval mean, and records that in
  :attr:`Weather.repairs`.

Files that keep another convention (e.g. converted from interval means, or with instantaneous
irradiance) are read with ``labels=``: what the hour stamp ``h`` of the file stands for, for
every column, as in :func:`~sparcs.climate.nsrdb.read_nsrdb_psm`
(:data:`~sparcs.climate._reader.TimeLabel`).

Typical years (months from different years) are relabelled onto
:data:`~sparcs.climate._reader.TMY_YEAR` in local standard time; use
:func:`~sparcs.climate.align.align_to_year` to move them onto a scenario year. PVGIS EPW files
are labelled in UTC whatever their ``TZ`` says: read them with
:func:`~sparcs.climate.pvgis.read_pvgis_tmy`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pvlib import iotools

from sparcs.climate._reader import (
    TimeLabel,
    average_with_neighbour,
    finish,
    fixed_offset_zone,
    parse_with,
    relabel_tmy,
)
from sparcs.climate.weather import Weather

__all__ = ["VARIABLE_MAP", "read_epw"]

#: pvlib EPW column (EPW field) -> SPARCS name: global, direct normal and diffuse horizontal
#: radiation (fields 14-16, Wh/m2 over the hour = mean W/m2), dry-bulb temperature (field 7,
#: degC), wind speed (field 22, m/s).
VARIABLE_MAP = {
    "ghi": "ghi",
    "dni": "dni",
    "dhi": "dhi",
    "temp_air": "temp_air",
    "wind_speed": "wind_speed",
}
#: EPW codes for a missing value; read as missing so short runs are interpolated.
MISSING_CODES = {"ghi": 9999.0, "dni": 9999.0, "dhi": 9999.0, "temp_air": 99.9, "wind_speed": 999.0}
_POINT_VALUES = ("temp_air", "wind_speed")
#: pvlib labels the row of EPW hour ``h`` with ``h - 1``; the file's own stamp is one hour on.
_PVLIB_LAG = pd.Timedelta(hours=1)
#: Fields of an EPW data row (EnergyPlus Auxiliary Programs, "Weather data").
EPW_FIELDS = 35


def _to_interval_means(frame: pd.DataFrame) -> tuple[str, ...]:
    average_with_neighbour(frame, _POINT_VALUES, offset=-1)
    return (
        "temp_air and wind_speed: EPW values at the end of each hour averaged with the "
        "previous hour to give hourly means",
    )


def read_epw(
    path: str | Path,
    *,
    timezone: str | None = None,
    repair: bool = True,
    labels: TimeLabel | None = None,
) -> Weather:
    """Read an EPW file.

    Parameters
    ----------
    path
        The file.
    timezone
        IANA zone of the site for local calendars; default: the ``TZ`` of the ``LOCATION``
        line as a fixed offset (e.g. ``'Etc/GMT-1'``).
    repair
        Make the documented small repairs (:mod:`sparcs.climate.quality`); ``False`` raises.
    labels
        What the hour stamp ``h`` of a row stands for, for every column
        (:data:`~sparcs.climate._reader.TimeLabel`): ``"period_ending"`` (means over the hour
        ending at ``h``), ``"period_beginning"`` (the hour starting at ``h``) or
        ``"instantaneous"`` (values at ``h``). Default ``None``: the EPW definition, irradiance
        as hour-ending means and temperature and wind speed as values at ``h``.

    Returns
    -------
    Weather
        Hourly interval means, UTC, period-beginning labels; conversions are noted in
        :attr:`Weather.repairs`.

    Raises
    ------
    WeatherError, TimeIndexError
        Unreadable file or data that fail :func:`~sparcs.climate.quality.check_weather`.
    """
    data, meta = parse_with(iotools.read_epw, path, "EPW", structure=(8, EPW_FIELDS))
    data = data.rename(columns=VARIABLE_MAP)
    for column, code in MISSING_CODES.items():
        if column in data.columns:
            data[column] = data[column].mask(data[column] == code)
    data, notes = relabel_tmy(data)
    if labels is not None:
        data.index = data.index + _PVLIB_LAG
    place = ", ".join(str(meta.get(k, "")) for k in ("city", "country") if meta.get(k))
    label = (
        f"EPW file {Path(path).name} ({place or 'unknown site'}; "
        f"data {meta.get('data_type', '?')}, "
        f"WMO {meta.get('WMO_code', '?')})"
    )
    return finish(
        data,
        source=str(path),
        label=label,
        latitude=float(meta["latitude"]),
        longitude=float(meta["longitude"]),
        elevation_m=float(meta["altitude"]),
        timezone=timezone or fixed_offset_zone(float(meta["TZ"])),
        repair=repair,
        notes=notes,
        adjust=_to_interval_means if labels is None else None,
        labels=labels or "period_beginning",
    )
