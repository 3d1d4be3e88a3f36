"""Make the weather files of SPARCS from the project's NSRDB 2019 data (run once, by hand).

    .venv/bin/python tests/data/make_weather_files.py /work/shared/data/weather

Writes the three embedded hourly years (``src/sparcs/data/weather/``) and the small test
fixtures of ``tests/data/`` (see ``tests/data/README.md``). Deterministic: running it again
gives the same files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "climate"))

from weather_formats import (  # noqa: E402
    hourly,
    read_nsrdb,
    write_epw,
    write_pvgis_json,
    write_weather_csv,
)

EMBEDDED = {
    "potsdam": ("nsrdb_2019_15min_potsdam_52.41_13.06.csv", "Leipzig (DE), about 130 km"),
    "athens": ("nsrdb_2019_15min_athens_37.97_23.74.csv", "Kifissia (GR), about 13 km"),
    "prague": ("nsrdb_2019_15min_prague_50.09_14.42.csv", "Kladno (CZ), about 25 km"),
}
CITATION = (
    "NREL NSRDB 2019 (PSM v3 full disc), Sengupta, M. et al. (2018), The National Solar "
    "Radiation Data Base (NSRDB), Renewable and Sustainable Energy Reviews 89, 51-60; "
    "via the HiSim project (FZJ-IEK3-VSA)"
)
DAYS = pd.date_range("2019-03-30", "2019-04-01", freq="1D")  # spans the switch to CEST


def embedded(source_dir: Path) -> None:
    target = ROOT / "src" / "sparcs" / "data" / "weather"
    target.mkdir(exist_ok=True)
    for site, (name, stands_for) in EMBEDDED.items():
        samples, meta = read_nsrdb(source_dir / name)
        means, _ = hourly(samples)
        header = [
            f"# Hourly means of the 15-minute NSRDB 2019 data of {site.title()} "
            f"({meta['Latitude']} N, {meta['Longitude']} E), time in UTC, period-beginning.",
            f"# Stand-in for {stands_for}. Provenance and licence: SOURCES.md in this folder.",
            f"# latitude = {meta['Latitude']}",
            f"# longitude = {meta['Longitude']}",
            f"# elevation_m = {meta['Elevation']}",
            f"# source = {CITATION}; {site.title()} {meta['Latitude']} N {meta['Longitude']} E, "
            "hourly means",
        ]
        write_weather_csv(means, target / f"nsrdb_2019_{site}.csv", header, "UTC")


def fixtures(source_dir: Path) -> None:
    data = ROOT / "tests" / "data"
    prague = source_dir / EMBEDDED["prague"][0]
    samples, meta = read_nsrdb(prague)
    lines = prague.read_text(encoding="utf-8").splitlines()
    keep = [
        line for line in lines[3:] if line.startswith(("2019,3,30,", "2019,3,31,", "2019,4,1,"))
    ]
    (data / "nsrdb_prague_2019_3days.csv").write_text("\n".join(lines[:3] + keep) + "\n")
    write_epw(samples, meta, data / "epw_prague_2019_3days.epw", DAYS)
    window = samples.loc["2019-03-30":"2019-04-01"]
    write_pvgis_json(window, meta, data / "pvgis_tmy_prague_2019_3days.json")
    means, _ = hourly(window)
    header = [
        f"# SPARCS generic weather CSV: hourly means of {CITATION}.",
        "# Times in Prague local time with their UTC offset (CET, then CEST from 31 March).",
        f"# latitude = {meta['Latitude']}",
        f"# longitude = {meta['Longitude']}",
        f"# elevation_m = {meta['Elevation']}",
        "# timezone = Europe/Prague",
    ]
    write_weather_csv(means, data / "weather_prague_2019_3days.csv", header, "Europe/Prague")


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/weather")
    embedded(folder)
    fixtures(folder)
