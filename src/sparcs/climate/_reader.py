"""Steps shared by the weather readers: typical-year relabelling, label shifts, the Weather."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from sparcs.climate.quality import check_weather
from sparcs.climate.solar import complete_irradiance
from sparcs.climate.weather import WEATHER_COLUMNS, Weather
from sparcs.errors import ScenarioError, WeatherError
from sparcs.textfiles import read_text
from sparcs.timeseries import to_zoneinfo

#: Year that typical-year files (months from different years) are relabelled onto: a non-leap
#: year, as pvlib's ``coerce_year`` default for PVGIS TMYs. :func:`align_to_year` then moves
#: the year onto the scenario year.
TMY_YEAR = 1990
#: What the timestamp of a row of a weather file stands for: the value *at* that instant
#: (``"instantaneous"``, e.g. NSRDB satellite samples), or the mean over the interval that
#: begins (``"period_beginning"``, the SPARCS convention) or ends (``"period_ending"``) there.
TimeLabel = Literal["instantaneous", "period_beginning", "period_ending"]
TIME_LABELS: tuple[str, ...] = ("instantaneous", "period_beginning", "period_ending")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def checked_rows(path: str | Path, *, kind: str, skip: int, fields: int | None) -> str | None:
    """Check the data rows of a fixed-layout file; the cleaned text when rows were dropped.

    Data rows start after ``skip`` lines and must each have ``fields`` fields (None: as many
    as line ``skip``, the header). Blank rows and rows of empty fields are dropped (returned
    text without them); any other row of the wrong length is an error naming its line, since
    pandas would silently read it with shifted or missing columns.

    Raises
    ------
    WeatherError
        A row with the wrong number of fields, or a file that is not UTF-8.
    """
    text = read_text(path, what=f"{kind} file", error=WeatherError)
    lines = text.split("\n")
    expected = fields
    if expected is None:
        expected = len(next(csv.reader([lines[skip - 1]]))) if len(lines) >= skip else 0
    kept = lines[:skip]
    dropped = False
    for number in range(skip + 1, len(lines) + 1):
        line = lines[number - 1]
        row = next(csv.reader([line]), [])
        if all(not f.strip() for f in row):
            dropped = dropped or bool(line.strip())
            continue
        if len(row) != expected:
            msg = (
                f"{path}, line {number}: {len(row)} field(s) where the {kind} format has "
                f"{expected}; a missing or extra comma shifts every later column (e.g. the dew "
                "point read as air temperature). Repair or re-download the file"
            )
            raise WeatherError(msg)
        kept.append(line)
    return "\n".join(kept) + "\n" if dropped else None


def parse_with(
    reader: Callable[..., Any],
    path: str | Path,
    kind: str,
    *,
    structure: tuple[int, int | None] | None = None,
    **kwargs: Any,
) -> Any:
    """Call a pvlib reader; turn its low-level errors into a :class:`WeatherError`.

    ``structure`` = (header lines, fields per row) runs :func:`checked_rows` first; blank
    and all-comma rows are dropped before pvlib reads the file.
    """
    if not Path(path).is_file():
        msg = f"{path}: weather file not found"
        raise WeatherError(msg)
    cleaned = (
        checked_rows(path, kind=kind, skip=structure[0], fields=structure[1]) if structure else None
    )
    try:
        if cleaned is None:
            return reader(path, **kwargs)
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / Path(path).name
            copy.write_text(cleaned, encoding="utf-8")
            return reader(copy, **kwargs)
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError) as exc:
        msg = f"{path}: not a readable {kind} file ({type(exc).__name__}: {exc})"
        raise WeatherError(msg) from exc


def fixed_offset_zone(hours: float) -> str:
    """IANA name of a whole-hour fixed UTC offset (``+1`` -> ``'Etc/GMT-1'``), else ``'UTC'``."""
    if hours == 0 or not float(hours).is_integer() or not -12 <= hours <= 14:
        return "UTC"
    return f"Etc/GMT{-int(hours):+d}"


def require(data: pd.DataFrame, columns: tuple[str, ...], source: str) -> None:
    """Raise when a required column is missing."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        msg = f"{source}: required column(s) {missing} missing; found {list(data.columns)}"
        raise WeatherError(msg)


def relabel_tmy(data: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Put a typical year whose months come from different years onto :data:`TMY_YEAR`.

    A file is a typical year when it holds more than one year and jumps back or forward by
    more than a month between two rows. Month, day and time of day are kept, in the file's own
    time base (UTC for PVGIS, local standard time for EPW); 29 February rows are dropped.
    """
    index = pd.DatetimeIndex(data.index)
    steps = index[1:] - index[:-1]
    jumps = (steps < pd.Timedelta(0)) | (steps > pd.Timedelta(days=31))
    if index.year.nunique() < 2 or not jumps.any():
        return data, ()
    leap_day = np.asarray((index.month == 2) & (index.day == 29))
    kept = data[~leap_day]
    parts = pd.DatetimeIndex(kept.index)
    stamps = pd.to_datetime(
        pd.DataFrame(
            {
                "year": TMY_YEAR,
                "month": parts.month,
                "day": parts.day,
                "hour": parts.hour,
                "minute": parts.minute,
            }
        )
    )
    relabelled = kept.copy()
    relabelled.index = pd.DatetimeIndex(stamps).tz_localize(parts.tz)
    chosen = pd.Series(parts.year, index=parts.month).groupby(level=0).first()
    months = ", ".join(
        f"{_MONTHS[int(m) - 1]} {y}" for m, y in zip(chosen.index, chosen.to_numpy(), strict=True)
    )
    note = f"typical year ({months}) relabelled onto {TMY_YEAR}, keeping month, day and time"
    if leap_day.any():
        note += f"; dropped {int(leap_day.sum())} row(s) of 29 February"
    return relabelled, (note,)


def average_with_neighbour(data: pd.DataFrame, columns: tuple[str, ...], offset: int) -> None:
    """Turn point values at one end of each interval into interval means, in place.

    ``offset=-1``: values are instantaneous at the *end* of their interval (EPW), so the mean
    is the average with the previous row. ``offset=+1``: values are at the *start* (PVGIS),
    averaged with the next row. A full year is treated as cyclic; otherwise the edge row keeps
    its value. Trapezoidal rule for the interval mean.
    """
    step = data.index[1] - data.index[0]
    cyclic = len(data) * step >= pd.Timedelta(days=365)
    for column in [c for c in columns if c in data.columns]:
        values = data[column].to_numpy(dtype=float)
        neighbour = np.roll(values, -offset)
        if not cyclic:
            edge = 0 if offset < 0 else -1
            neighbour[edge] = values[edge]
        data[column] = (values + neighbour) / 2.0


def to_interval_means(
    data: pd.DataFrame, label: str, *, source: str
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Put a regular frame onto SPARCS' convention: interval means, period-beginning labels.

    ``"period_beginning"``: unchanged. ``"period_ending"``: every label moves back one step.
    ``"instantaneous"``: the mean over ``[t, t + step)`` is the trapezoid of the samples at its
    two ends (:func:`average_with_neighbour` with ``offset=+1``), so the interval's sun, taken
    at its middle ``t + step / 2``, is the sun between the two samples.

    Parameters
    ----------
    data
        Regular, UTC-indexed frame; changed in place for ``"instantaneous"``.
    label
        One of :data:`TIME_LABELS`.
    source
        Prefix of the error message.

    Returns
    -------
    data, notes
        The frame and a note for :attr:`Weather.repairs` (none when unchanged).

    Raises
    ------
    WeatherError
        For an unknown label (the message lists the valid ones).
    """
    if label == "period_beginning":
        return data, ()
    if label == "period_ending":
        step = data.index[1] - data.index[0]
        shifted = data.copy()
        shifted.index = pd.DatetimeIndex(data.index - step, name=data.index.name)
        return shifted, (f"period-ending labels moved back one step ({step}) to period-beginning",)
    if label == "instantaneous":
        average_with_neighbour(data, tuple(data.columns), offset=+1)
        note = (
            "instantaneous samples turned into interval means (trapezoid of the samples at "
            "both ends of each interval)"
        )
        return data, (note,)
    msg = f"{source}: time label {label!r} is not one of {', '.join(TIME_LABELS)}"
    raise WeatherError(msg)


def finish(
    data: pd.DataFrame,
    *,
    source: str,
    label: str,
    latitude: float,
    longitude: float,
    elevation_m: float,
    timezone: str,
    repair: bool,
    notes: tuple[str, ...] = (),
    adjust: Callable[[pd.DataFrame], tuple[str, ...]] | None = None,
    labels: str = "period_beginning",
) -> Weather:
    """Check, repair, complete and wrap reader output as :class:`Weather`.

    ``source`` (the file) prefixes error messages; ``label`` (origin and attribution) becomes
    :attr:`Weather.source`. ``adjust`` runs on the checked, regular frame (e.g. moving point
    values to interval means) and returns notes for :attr:`Weather.repairs`. ``labels`` says
    what the file's timestamps stand for (:func:`to_interval_means`).
    """
    require(data, ("ghi", "temp_air"), source)
    try:
        to_zoneinfo(timezone)
    except ScenarioError as exc:
        msg = f"{source}: {exc}"
        raise WeatherError(msg) from exc
    frame = data[[c for c in WEATHER_COLUMNS if c in data.columns]]
    moved: tuple[str, ...] = ()
    if labels == "period_ending" and len(frame) > 1:
        # moved back before the checks, so that the night check sees each interval's own sun
        frame, moved = to_interval_means(frame.sort_index(), labels, source=source)
        labels = "period_beginning"
    frame, repairs = check_weather(
        frame, source=source, latitude=latitude, longitude=longitude, repair=repair
    )
    frame, converted = to_interval_means(frame, labels, source=source)
    converted = (*moved, *converted)
    extra = (*converted, *(adjust(frame) if adjust is not None else ()))
    frame, derived = complete_irradiance(frame, latitude, longitude, source=source)
    return Weather(
        data=frame[list(WEATHER_COLUMNS)],
        latitude=float(latitude),
        longitude=float(longitude),
        elevation_m=float(elevation_m),
        timezone=timezone,
        source=label,
        synthetic=False,
        repairs=(*notes, *repairs, *extra, *derived),
    )
