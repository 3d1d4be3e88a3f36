"""Reader for PVGIS typical meteorological years (TMY) in CSV, JSON or EPW format.

PVGIS (EU JRC, re.jrc.ec.europa.eu) TMY output is "completely free to use". It is parsed by
:func:`pvlib.iotools.read_pvgis_tmy`.

Labels, as PVGIS produces them (PVGIS user manual, TMY tool):

* all three formats are in **UTC**, hourly; the PVGIS EPW says so only implicitly: its rows
  are UTC whatever the ``TZ`` field of its ``LOCATION`` line says (pvlib's
  ``tmy_45.000_8.000_2005_2023`` files show the same values on ``20180101:0000`` of the CSV and
  on hour 1 of the EPW);
* a row stamped ``HH:00`` holds irradiance sampled at ``HH:00`` + the *irradiance time offset*
  (about 0.18 h for PVGIS-SARAH3) and ERA5 temperature and wind at ``HH:00``;
* SPARCS keeps irradiance on the interval ``[HH:00, HH+1:00)`` (not shifted; the offset is
  quoted in :attr:`Weather.source`) and turns temperature and wind speed, values at the start
  of the interval, into interval means by averaging with the next row (recorded in
  :attr:`Weather.repairs`).

Files that keep another convention are read with ``labels=``: what a row's ``HH:00`` stamp
stands for, for every column, as in :func:`~sparcs.climate.nsrdb.read_nsrdb_psm`
(:data:`~sparcs.climate._reader.TimeLabel`).

The months of a TMY come from different years; they are relabelled onto
:data:`~sparcs.climate._reader.TMY_YEAR` (UTC); use :func:`~sparcs.climate.align.align_to_year`
to move them onto a scenario year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from pvlib import iotools

from sparcs.climate._reader import (
    TimeLabel,
    average_with_neighbour,
    finish,
    parse_with,
    relabel_tmy,
)
from sparcs.climate.weather import Weather
from sparcs.errors import WeatherError

__all__ = ["VARIABLE_MAP", "read_pvgis_tmy"]

#: PVGIS variable (CSV and JSON) -> SPARCS name: global, beam normal and diffuse horizontal
#: irradiance [W/m2], 2-m air temperature [degC], 10-m wind speed [m/s].
VARIABLE_MAP = {
    "G(h)": "ghi",
    "Gb(n)": "dni",
    "Gd(h)": "dhi",
    "T2m": "temp_air",
    "WS10m": "wind_speed",
}
_FORMATS = ("csv", "json", "epw")
_POINT_VALUES = ("temp_air", "wind_speed")


def _site(meta: dict[str, Any], fmt: str) -> tuple[float, float, float, str]:
    """Latitude, longitude, elevation and a description of the data sets."""
    if fmt == "epw":
        return float(meta["latitude"]), float(meta["longitude"]), float(meta["altitude"]), ""
    inputs = meta["inputs"]
    location = inputs.get("location", inputs)
    offset = location.get("irradiance_time_offset", location.get("irradiance time offset"))
    text = f", irradiance time offset {float(offset):.2f} h" if offset is not None else ""
    data_sets = inputs.get("meteo_data", {})
    if data_sets:
        text = (
            f", {data_sets.get('radiation_db', '?')}/{data_sets.get('meteo_db', '?')} "
            f"{data_sets.get('year_min', '?')}-{data_sets.get('year_max', '?')}" + text
        )
    lat, lon, elevation = (float(location[k]) for k in ("latitude", "longitude", "elevation"))
    return lat, lon, elevation, text


def _to_interval_means(frame: pd.DataFrame) -> tuple[str, ...]:
    average_with_neighbour(frame, _POINT_VALUES, offset=+1)
    return (
        "temp_air and wind_speed: PVGIS values at the start of each hour averaged with the "
        "next hour to give hourly means",
    )


def _parse(path: str | Path, fmt: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """pvlib's parse with SPARCS names; EPW rows put back on UTC."""
    if fmt not in _FORMATS:
        msg = f"{path}: PVGIS format {fmt!r} is not one of {', '.join(_FORMATS)}"
        raise WeatherError(msg)
    kind = f"PVGIS TMY {fmt.upper()}"
    data, meta = parse_with(
        iotools.read_pvgis_tmy, path, kind, pvgis_format=fmt, map_variables=False
    )
    data = data.rename(columns=VARIABLE_MAP)
    if fmt == "epw":
        data.index = data.index.tz_localize(None).tz_localize("UTC")
    return data, meta


def read_pvgis_tmy(
    path: str | Path,
    *,
    pvgis_format: str | None = None,
    timezone: str = "UTC",
    repair: bool = True,
    labels: TimeLabel | None = None,
) -> Weather:
    """Read a PVGIS TMY file.

    Parameters
    ----------
    path
        The file.
    pvgis_format
        ``'csv'``, ``'json'`` or ``'epw'``; default: the file suffix.
    timezone
        IANA zone of the site for local calendars (PVGIS files do not name one).
    repair
        Make the documented small repairs (:mod:`sparcs.climate.quality`); ``False`` raises.
    labels
        What the ``HH:00`` stamp of a row stands for, for every column
        (:data:`~sparcs.climate._reader.TimeLabel`): ``"period_beginning"`` (means over the
        hour starting there), ``"period_ending"`` or ``"instantaneous"``. Default ``None``:
        the PVGIS definition, irradiance kept on the hour starting at ``HH:00`` and
        temperature and wind speed as values at ``HH:00``.

    Returns
    -------
    Weather
        Hourly interval means, UTC, period-beginning labels, on
        :data:`~sparcs.climate._reader.TMY_YEAR`; conversions are noted in
        :attr:`Weather.repairs`.

    Raises
    ------
    WeatherError, TimeIndexError
        Unknown format, unreadable file or data that fail
        :func:`~sparcs.climate.quality.check_weather`.
    """
    fmt = (pvgis_format or Path(path).suffix.lstrip(".")).lower()
    data, meta = _parse(path, fmt)
    data, notes = relabel_tmy(data)
    try:
        latitude, longitude, elevation, text = _site(meta, fmt)
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"{path}: PVGIS metadata lacks the site ({exc})"
        raise WeatherError(msg) from exc
    label = f"PVGIS TMY (c) European Union, file {Path(path).name}{text}"
    return finish(
        data,
        source=str(path),
        label=label,
        latitude=latitude,
        longitude=longitude,
        elevation_m=elevation,
        timezone=timezone,
        repair=repair,
        notes=notes,
        adjust=_to_interval_means if labels is None else None,
        labels=labels or "period_beginning",
    )
