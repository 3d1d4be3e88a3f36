"""Reader for the SPARCS generic weather CSV.

The format::

    # latitude = 50.09
    # longitude = 14.42
    # elevation_m = 202
    # timezone = Europe/Prague
    # source = my weather station, 2024
    time,ghi,dni,dhi,temp_air,wind_speed
    2024-01-01T00:00+01:00,0,0,0,-1.5,3.2
    2024-01-01T01:00+01:00,0,0,0,-1.7,3.0

* optional ``# key = value`` lines at the top: ``latitude``, ``longitude`` [deg],
  ``elevation_m`` [m], ``timezone`` (IANA name, for local calendars), ``source`` (origin and
  attribution); other ``#`` lines are comments;
* ``time``: ISO 8601 **with a UTC offset** (``+01:00``, ``+0100`` or ``Z``); naive timestamps
  are rejected. Each value is the mean over the interval that *begins* at ``time``
  (period-beginning), with one fixed step;
* ``ghi``, ``dni``, ``dhi`` [W/m2]: ``ghi`` required; ``dni`` and ``dhi`` optional (both
  missing: Erbs split; one missing: closure ``ghi = dhi + dni cos(zenith)``);
* ``temp_air`` [degC] required; ``wind_speed`` [m/s at 10 m] optional, default
  :data:`DEFAULT_WIND_SPEED_M_S`; other columns are ignored;
* a column may declare another unit in its name and is then converted (and the conversion
  recorded): ``temp_air_degf``, ``temp_air_k``, ``ghi_kw_m2``, ``dni_kw_m2``, ``dhi_kw_m2``,
  ``wind_speed_km_h`` (:data:`sparcs.plausibility.DECLARED_UNITS`); a series that looks like
  a wrong unit without saying so is refused;
* a UTF-8 byte-order mark, CRLF line ends and blank or all-comma rows are accepted; a row
  with more or fewer fields than the header is refused with its line.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.climate._reader import finish, require
from sparcs.climate.weather import Weather
from sparcs.errors import TimeIndexError, WeatherError
from sparcs.plausibility import apply_declared_units
from sparcs.textfiles import ISO_FORMS, read_table, read_text

__all__ = ["DEFAULT_WIND_SPEED_M_S", "VARIABLE_MAP", "read_weather_csv"]

#: Wind speed used when the file has none [m/s]: pvlib's default in its cell-temperature
#: models (e.g. ``pvlib.temperature.faiman``).
DEFAULT_WIND_SPEED_M_S = 1.0
#: Column of the file -> SPARCS name (identity: the format uses SPARCS/pvlib names).
VARIABLE_MAP = {c: c for c in ("ghi", "dni", "dhi", "temp_air", "wind_speed")}
_META = re.compile(r"^#\s*(latitude|longitude|elevation_m|timezone|source)\s*[=:]\s*(.+?)\s*$")
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}(?::?\d{2})?)$")


def _metadata(text: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in text.split("\n"):
        if not line.startswith("#"):
            break
        match = _META.match(line.strip())
        if match:
            meta[match.group(1)] = match.group(2)
    return meta


def _parse_time(raw: pd.Series, source: str) -> pd.DatetimeIndex:
    text = raw.astype(str).str.strip()
    naive = ~text.str.contains(_OFFSET).to_numpy()
    if naive.any():
        row = int(np.argmax(naive))
        msg = (
            f"{source}: column 'time' has {text.iloc[row]!r} in row {row + 1} without a UTC "
            "offset; timestamps are never assumed to be UTC. Write ISO 8601 with an offset, "
            "e.g. 2024-01-01T00:00+01:00 (local time) or 2024-01-01T00:00Z (UTC)"
        )
        raise TimeIndexError(msg)
    stamps = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
    if stamps.isna().any():
        row = int(np.argmax(stamps.isna().to_numpy()))
        msg = (
            f"{source}: column 'time' has {text.iloc[row]!r} in row {row + 1}, not ISO 8601 "
            f"(day-first or month-first dates are ambiguous); write e.g. {ISO_FORMS}"
        )
        raise TimeIndexError(msg)
    return pd.DatetimeIndex(stamps, name="time")


def _site(meta: dict[str, str], name: str, given: float | None, source: str) -> float:
    if name in meta:
        try:
            return float(meta[name])
        except ValueError as exc:
            msg = f"{source}: '# {name} = {meta[name]}' is not a number"
            raise WeatherError(msg) from exc
    if given is None:
        msg = f"{source}: the site is unknown; add a '# {name} = ...' line or pass {name}="
        raise WeatherError(msg)
    return float(given)


def _read_table(file: Path, source: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The data on a UTC index, and the ``# key = value`` metadata."""
    if not file.is_file():
        msg = f"{source}: weather file not found"
        raise WeatherError(msg)
    text = read_text(file, what="weather file", error=WeatherError)
    meta = _metadata(text)
    table = read_table(file, what="weather file", error=WeatherError, comment="#", text=text)
    raw = table.frame(missing=True)
    raw, notes = apply_declared_units(raw, source=source)
    require(raw, ("time", "ghi", "temp_air"), source)
    data = raw.drop(columns="time").rename(columns=VARIABLE_MAP)
    data.index = _parse_time(raw["time"], source)
    meta["_units"] = "; ".join(notes)
    return data, meta


def read_weather_csv(
    path: str | Path,
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    elevation_m: float = 0.0,
    timezone: str | None = None,
    repair: bool = True,
) -> Weather:
    """Read a weather file in the SPARCS generic CSV format (module docstring).

    Parameters
    ----------
    path
        The file.
    latitude, longitude, elevation_m, timezone
        Site of the data [deg, deg, m, IANA zone], used when the file does not give them in
        ``# key = value`` lines (the file's own metadata wins). Timezone default ``'UTC'``.
    repair
        Make the documented small repairs (:mod:`sparcs.climate.quality`); ``False`` raises.

    Returns
    -------
    Weather
        In UTC, period-beginning labels, at the file's step.

    Raises
    ------
    TimeIndexError
        Naive or unparsable timestamps, or timestamps that fail the checks.
    WeatherError
        Missing file, site or columns; implausible values.
    """
    file = Path(path)
    source = str(path)
    data, meta = _read_table(file, source)
    units = meta.pop("_units")
    notes: tuple[str, ...] = (units,) if units else ()
    if "wind_speed" not in data.columns:
        data["wind_speed"] = DEFAULT_WIND_SPEED_M_S
        notes = (*notes, f"wind_speed missing: set to {DEFAULT_WIND_SPEED_M_S} m/s")
    return finish(
        data,
        source=source,
        label=meta.get("source", f"weather CSV file {file.name}"),
        latitude=_site(meta, "latitude", latitude, source),
        longitude=_site(meta, "longitude", longitude, source),
        elevation_m=_site(meta, "elevation_m", elevation_m, source),
        timezone=meta.get("timezone", timezone or "UTC"),
        repair=repair,
        notes=notes,
    )
