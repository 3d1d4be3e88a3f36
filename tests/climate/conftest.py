"""Fixtures of the climate tests: the small weather files and a full-year PVGIS TMY."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from climate_helpers import CSV_3DAYS, NSRDB_3DAYS, embedded_prague_samples
from weather_formats import read_nsrdb, tmy_years, write_pvgis_csv


@pytest.fixture(scope="session")
def pvgis_csv_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full-year PVGIS TMY CSV (months labelled with mixed years), from Prague 2019 data."""
    samples, meta = embedded_prague_samples()
    path = tmp_path_factory.mktemp("pvgis") / "tmy_50.090_14.420_2005_2023.csv"
    write_pvgis_csv(samples, meta, path, tmy_years())
    return path


@pytest.fixture(scope="session")
def nsrdb_3days() -> tuple[pd.DataFrame, dict]:
    """The 15-minute samples of the NSRDB fixture (UTC) and its metadata."""
    return read_nsrdb(NSRDB_3DAYS)


@pytest.fixture
def csv_lines() -> list[str]:
    """Lines of the generic CSV fixture: 6 header comments, column names, 72 hourly rows."""
    return CSV_3DAYS.read_text(encoding="utf-8").splitlines()
