"""Rebuild ``nsrdb_2019_60min_prague_50.09_14.42.csv`` from the shared 15-minute NSRDB file.

The 15-minute values are samples at the timestamps. The hourly value labelled ``t`` is the
trapezoidal mean of the five samples at ``t, t+15, t+30, t+45, t+60 min`` (weights 1/8, 1/4,
1/4, 1/4, 1/8), so it is the mean over ``[t, t + 1 h)``: a period-beginning interval mean.
The year's last sample is held for the missing 2020-01-01 00:00 sample. The two NSRDB header
lines are kept unchanged, so ``pvlib.iotools.read_nsrdb_psm4`` reads the result.

Run from the repository root::

    .venv/bin/python tests/data/make_nsrdb_prague_2019_hourly.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SOURCE = Path("/work/shared/data/weather/nsrdb_2019_15min_prague_50.09_14.42.csv")
TARGET = Path(__file__).with_name("nsrdb_2019_60min_prague_50.09_14.42.csv")
COLUMNS = ["Temperature", "DHI", "GHI", "DNI", "Pressure", "Wind Speed"]
WEIGHTS = np.array([0.125, 0.25, 0.25, 0.25, 0.125])


def main() -> None:
    """Write the hourly file next to this script."""
    header = SOURCE.read_text().splitlines()[:2]
    table = pd.read_csv(SOURCE, skiprows=2)
    samples = table[COLUMNS].to_numpy(dtype=float)
    padded = np.vstack([samples, samples[-1:]])
    hours = samples.shape[0] // 4
    windows = np.stack([padded[4 * np.arange(hours) + j] for j in range(5)], axis=0)
    means = np.tensordot(WEIGHTS, windows, axes=1)
    out = table.iloc[::4][["Year", "Month", "Day", "Hour", "Minute"]].reset_index(drop=True)
    for j, name in enumerate(COLUMNS):
        out[name] = np.round(means[:, j], 1)
    with TARGET.open("w", newline="") as handle:
        handle.write("\n".join(header) + "\n")
        out.to_csv(handle, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
