"""Reader for NSRDB PSM CSV files (NREL National Solar Radiation Database, SAM CSV layout).

Layout: line 1 metadata names, line 2 their values (``Latitude``, ``Longitude``,
``Elevation``, ``Time Zone`` of the timestamps, ``Local Time Zone`` of the site), line 3 the
column names (``Year, Month, Day, Hour, Minute, Temperature, DHI, GHI, DNI, ...``), then one row
per step. Parsed by :func:`pvlib.iotools.read_nsrdb_psm4`.

Labels: NSRDB PSM values are satellite estimates *at* the instant stamped on the row
(instantaneous), not means over an interval. By default the reader turns them into interval
means (trapezoid of the two samples around each interval) on SPARCS' period-beginning labels,
so that the sun of an interval, taken at its middle, is the sun of its samples. Checked on the
five NSRDB 2019 files of the project: on clear-sky periods the measured GHI fits Ineichen's
clear sky best with the sun at the stamped instant (within 3 min), not 7.5 min later; read as
period-beginning means, the sun was placed 7.5 min late.
"""

from __future__ import annotations

from pathlib import Path

from pvlib import iotools

from sparcs.climate._reader import (
    TimeLabel,
    finish,
    fixed_offset_zone,
    parse_with,
    relabel_tmy,
)
from sparcs.climate.weather import Weather

__all__ = ["TIME_LABEL", "VARIABLE_MAP", "read_nsrdb_psm"]

#: What an NSRDB PSM timestamp stands for: the satellite sample at that instant.
TIME_LABEL: TimeLabel = "instantaneous"

#: NSRDB column name -> SPARCS name (units W/m2, degC, m/s as in the file).
VARIABLE_MAP = {
    "GHI": "ghi",
    "DNI": "dni",
    "DHI": "dhi",
    "Temperature": "temp_air",
    "Wind Speed": "wind_speed",
}

ATTRIBUTION = (
    "NREL National Solar Radiation Database (Sengupta, M. et al. (2018), The National Solar "
    "Radiation Data Base (NSRDB), Renewable and Sustainable Energy Reviews 89, 51-60)"
)


def read_nsrdb_psm(
    path: str | Path,
    *,
    timezone: str | None = None,
    repair: bool = True,
    labels: TimeLabel = TIME_LABEL,
) -> Weather:
    """Read an NSRDB PSM (v3 or v4) CSV file.

    Parameters
    ----------
    path
        The file.
    timezone
        IANA zone of the site for local calendars; default: the file's ``Local Time Zone``
        as a fixed offset (e.g. ``'Etc/GMT-1'``).
    repair
        Make the documented small repairs (:mod:`sparcs.climate.quality`); ``False`` raises.
    labels
        What the file's timestamps stand for (:data:`~sparcs.climate._reader.TimeLabel`):
        ``"instantaneous"`` for NSRDB PSM files (default); ``"period_beginning"`` or
        ``"period_ending"`` for files averaged by another tool.

    Returns
    -------
    Weather
        In UTC, interval means with period-beginning labels, at the file's step; the
        conversion is noted in :attr:`Weather.repairs`. Typical-year files (months from
        different years) are relabelled onto :data:`~sparcs.climate._reader.TMY_YEAR`.

    Raises
    ------
    WeatherError, TimeIndexError
        Unreadable file or data that fail :func:`~sparcs.climate.quality.check_weather`.
    """
    data, meta = parse_with(
        iotools.read_nsrdb_psm4, path, "NSRDB PSM CSV", structure=(3, None), map_variables=False
    )
    data = data.rename(columns=VARIABLE_MAP)
    data, notes = relabel_tmy(data)
    label = (
        f"{ATTRIBUTION}; file {Path(path).name}, location id {meta.get('Location ID', '?')}, "
        f"{meta['Latitude']} N {meta['Longitude']} E"
    )
    return finish(
        data,
        source=str(path),
        label=label,
        latitude=float(meta["Latitude"]),
        longitude=float(meta["Longitude"]),
        elevation_m=float(meta["Elevation"]),
        timezone=timezone or fixed_offset_zone(float(meta.get("Local Time Zone", 0))),
        repair=repair,
        notes=notes,
        labels=labels,
    )
