"""Writers of small weather files in real formats, from the project's NSRDB 2019 data.

Used by ``tests/data/make_weather_files.py`` (which made the committed fixtures) and by the
climate tests (which build a full-year PVGIS TMY CSV in a temporary folder, because pvlib's
PVGIS CSV parser needs all 8,760 rows). Every value comes from an NSRDB file; fields that the
NSRDB files lack are written with the format's missing-value code or left out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from pvlib import iotools

NSRDB_COLUMNS = {
    "GHI": "ghi",
    "DNI": "dni",
    "DHI": "dhi",
    "Temperature": "temp_air",
    "Wind Speed": "wind_speed",
    "Wind Direction": "wind_direction",
    "Pressure": "pressure",
}


def read_nsrdb(path: Path) -> tuple[pd.DataFrame, dict]:
    """The NSRDB samples in UTC, SPARCS column names, and the metadata."""
    data, meta = iotools.read_nsrdb_psm4(path, map_variables=False)
    data = data.rename(columns=NSRDB_COLUMNS)[list(NSRDB_COLUMNS.values())]
    data.index = data.index.tz_convert("UTC")
    return data, meta


def hourly(samples: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hourly means over [HH:00, HH+1:00) and the samples at HH:00.

    NSRDB values are samples *at* their instant, so the mean over ``[HH:00, HH+1:00)`` is the
    trapezoid of the five samples ``HH:00 ... HH+1:00`` (weights 1/8, 1/4, 1/4, 1/4, 1/8), as in
    ``make_nsrdb_prague_2019_hourly.py``. The plain mean of ``HH:00 ... HH:45`` would be
    centred at ``HH:22:30`` and put the sun 7.5 min late. The last sample is held for the
    missing sample after the end.
    """
    following = samples.shift(-1).fillna(samples.iloc[-1])
    intervals = (samples + following) / 2.0
    return intervals.resample("1h").mean(), samples[samples.index.minute == 0]


def write_weather_csv(means: pd.DataFrame, path: Path, header: list[str], zone: str) -> None:
    """SPARCS generic CSV; times in ``zone`` with their UTC offset."""
    local = means.index.tz_convert(zone)
    times = [t.strftime("%Y-%m-%dT%H:%M%z") for t in local]
    times = [t[:-5] + "Z" if t.endswith("+0000") else t for t in times]
    table = pd.DataFrame(
        {
            "time": times,
            "ghi": means["ghi"].round().astype(int),
            "dni": means["dni"].round().astype(int),
            "dhi": means["dhi"].round().astype(int),
            "temp_air": means["temp_air"].round(1),
            "wind_speed": means["wind_speed"].round(1),
        }
    )
    text = "\n".join(header) + "\n" + table.to_csv(index=False, lineterminator="\n")
    path.write_text(text, encoding="utf-8")


def _epw_row(stamp: pd.Timestamp, hour: int, mean: pd.Series, point: pd.Series) -> str:
    fields = [
        stamp.year,
        stamp.month,
        stamp.day,
        hour,
        0,
        "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9",
        f"{point.temp_air:.1f}",
        "99.9",
        "999",
        f"{point.pressure * 100:.0f}",
        "9999",
        "9999",
        "9999",
        f"{mean.ghi:.0f}",
        f"{mean.dni:.0f}",
        f"{mean.dhi:.0f}",
        "999999",
        "999999",
        "999999",
        "9999",
        f"{point.wind_direction:.0f}",
        f"{point.wind_speed:.1f}",
        "99",
        "99",
        "9999",
        "99999",
        "9",
        "999999999",
        "999",
        "0.999",
        "999",
        "99",
        "999",
        "999",
        "99",
    ]
    return ",".join(str(f) for f in fields)


def write_epw(
    samples: pd.DataFrame, meta: dict, path: Path, days: pd.DatetimeIndex, utc_rows: bool = False
) -> None:
    """EPW rows for ``days`` (local standard time, ``TZ = +1``; or UTC rows as PVGIS writes).

    Row of hour ``h``: irradiance = mean over the hour ending at ``h``; temperature, pressure
    and wind = the sample at ``h``.
    """
    means, points = hourly(samples)
    offset = pd.Timedelta(0 if utc_rows else 1, "h")
    lines = [
        f"LOCATION,Prague (NSRDB {meta['Location ID']}),-,CZE,NSRDB-PSM3,{meta['Location ID']},"
        f"{meta['Latitude']:.2f},{meta['Longitude']:.2f},1.0,{float(meta['Elevation']):.1f}",
        "DESIGN CONDITIONS,0",
        "TYPICAL/EXTREME PERIODS,0",
        "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
        "COMMENTS 1,NREL NSRDB 2019 (Sengupta et al. 2018) via HiSim (FZJ-IEK3-VSA)",
        "COMMENTS 2,SPARCS test fixture derived from NSRDB 15-min data; see tests/data/README.md",
        f"DATA PERIODS,1,1,Data,{days[0].day_name()}, {days[0].month}/{days[0].day},"
        f"{days[-1].month}/{days[-1].day}",
    ]
    for day in days:
        for hour in range(1, 25):
            end = pd.Timestamp(day.date(), tz="UTC") + pd.Timedelta(hours=hour) - offset
            lines.append(
                _epw_row(day, hour, means.loc[end - pd.Timedelta(hours=1)], points.loc[end])
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _pvgis_records(means: pd.DataFrame, points: pd.DataFrame, stamps: list[str]) -> list[dict]:
    return [
        {
            "time(UTC)": stamp,
            "T2m": round(float(p.temp_air), 2),
            "G(h)": round(float(m.ghi), 1),
            "Gb(n)": round(float(m.dni), 2),
            "Gd(h)": round(float(m.dhi), 1),
            "WS10m": round(float(p.wind_speed), 2),
            "WD10m": round(float(p.wind_direction)),
            "SP": round(float(p.pressure) * 100),
        }
        for stamp, (_, m), (_, p) in zip(stamps, means.iterrows(), points.iterrows(), strict=True)
    ]


def write_pvgis_json(samples: pd.DataFrame, meta: dict, path: Path) -> None:
    """PVGIS TMY JSON layout (``inputs``, ``outputs.months_selected``, ``outputs.tmy_hourly``).

    Rows at ``HH:00`` UTC: irradiance = mean of the hour, temperature and wind = sample at HH:00.
    """
    means, points = hourly(samples)
    stamps = [t.strftime("%Y%m%d:%H%M") for t in means.index]
    document = {
        "inputs": {
            "location": {
                "latitude": meta["Latitude"],
                "longitude": meta["Longitude"],
                "elevation": float(meta["Elevation"]),
            },
            "meteo_data": {
                "radiation_db": "NSRDB-PSM3",
                "meteo_db": "NSRDB-PSM3",
                "year_min": 2019,
                "year_max": 2019,
                "use_horizon": False,
                "horizon_db": None,
            },
        },
        "outputs": {
            "months_selected": [{"month": m, "year": 2019} for m in range(1, 13)],
            "tmy_hourly": _pvgis_records(means, points.loc[means.index], stamps),
        },
        "meta": {
            "inputs": {"location": {"description": "Selected location"}},
            "outputs": {"tmy_hourly": {"type": "time series", "timestamp": "hourly"}},
        },
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def write_pvgis_csv(samples: pd.DataFrame, meta: dict, path: Path, years: list[int]) -> None:
    """Full-year PVGIS TMY CSV; month ``m`` is labelled with ``years[m - 1]`` like a TMY."""
    means, points = hourly(samples)
    stamps = [t.replace(year=years[t.month - 1]).strftime("%Y%m%d:%H%M") for t in means.index]
    records = _pvgis_records(means, points.loc[means.index], stamps)
    columns = ["time(UTC)", "T2m", "G(h)", "Gb(n)", "Gd(h)", "WS10m", "WD10m", "SP"]
    lines = [
        f"Latitude (decimal degrees): {meta['Latitude']:.3f}",
        f"Longitude (decimal degrees): {meta['Longitude']:.3f}",
        f"Elevation (m): {float(meta['Elevation']):.1f}",
        "month,year",
        *(f"{m},{y}" for m, y in zip(range(1, 13), years, strict=True)),
        ",".join(columns),
        *(",".join(str(r[c]) for c in columns) for r in records),
        "",
        "T2m: 2-m air temperature (degree Celsius)",
        "G(h): Global irradiance on the horizontal plane (W/m2)",
        "Gb(n): Beam/direct irradiance on a plane always normal to sun rays (W/m2)",
        "Gd(h): Diffuse irradiance on the horizontal plane (W/m2)",
        "WS10m: 10-m total wind speed (m/s)",
        "WD10m: 10-m wind direction (0 = N, 90 = E) (degree)",
        "SP: Surface (air) pressure (Pa)",
        "",
        "Derived from NREL NSRDB 2019 for a SPARCS test; layout of PVGIS TMY CSV output",
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def tmy_years() -> list[int]:
    """Year labels of the months of the test TMY (as a PVGIS TMY mixes years)."""
    return [2018, 2007, 2009, 2013, 2008, 2006, 2011, 2010, 2020, 2006, 2007, 2016]
