"""Quality checks of meter readings: they flag, they never change a value.

Each reading carries an integer of flag bits (:data:`FLAGS`); a value is stored exactly as
read (converted to the internal unit), whatever its flags. The checks, per meter, on the
readings of one batch sorted by time:

``missing``
    the file says the value is missing (Datahub ``MISSING``, an empty field); value NULL.
``negative``
    a negative energy or level: every Flows name is non-negative and directional.
``spike``
    above median + k x IQR of the meter's values in the batch (k = 3, CalTRACK 2.0's
    outlier rule); skipped for a meter whose IQR is 0.
``stuck``
    part of a run of identical non-zero values lasting at least :data:`STUCK_HOURS` (and at
    least 4 readings): a frozen meter or a copied-down spreadsheet cell.
``out_of_range``
    a timestamp before :data:`EARLIEST` or after the ingest time (a future reading).
``off_grid``
    a timestamp off the meter's step grid (e.g. 10:07 on a 15-minute meter).
``reset``
    a cumulative register that went down (a counter reset or meter exchange).

Gaps are not readings and so have no flag: :func:`count_gaps` counts the missing steps
between a meter's first and last reading, and ingest reports them as ``gap``.
Duplicates and conflicts are decided by the store (``sparcs.store``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "EARLIEST",
    "FLAGS",
    "SPIKE_K",
    "STUCK_HOURS",
    "count_gaps",
    "flag_counts",
    "quality_flags",
    "segments",
]

FLAGS: dict[str, int] = {
    "missing": 1,
    "negative": 2,
    "spike": 4,
    "stuck": 8,
    "out_of_range": 16,
    "off_grid": 32,
    "reset": 64,
}
#: CalTRACK 2.0 (§ data quality): values above median + 3 x IQR are outliers.
SPIKE_K = 3.0
#: A run of identical non-zero values at least this long is flagged ``stuck`` [h].
STUCK_HOURS = 6.0
#: Readings before this are flagged ``out_of_range`` (no smart meter data is older).
EARLIEST = pd.Timestamp("1990-01-01", tz="UTC")
_NS_PER_H = 3_600_000_000_000


def segments(codes: np.ndarray) -> np.ndarray:
    """Start positions of the runs of equal ``codes`` (sorted by meter), plus the end."""
    if codes.size == 0:
        return np.array([0], dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    bounds: np.ndarray = np.r_[starts, codes.size]
    return bounds


def _spikes(values: np.ndarray, bounds: np.ndarray, k: float) -> np.ndarray:
    out = np.zeros(values.size, dtype=bool)
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        part = values[start:stop]
        finite = part[np.isfinite(part)]
        if finite.size < 4:
            continue
        q25, q50, q75 = np.percentile(finite, [25, 50, 75])
        if q75 > q25:
            with np.errstate(invalid="ignore"):
                out[start:stop] = part > q50 + k * (q75 - q25)
    return out


def _stuck(
    codes: np.ndarray, time: np.ndarray, values: np.ndarray, step_ns: np.ndarray, hours: float
) -> np.ndarray:
    """Rows in runs of identical non-zero values over consecutive steps lasting >= ``hours``."""
    n = values.size
    if n < 2:
        return np.zeros(n, dtype=bool)
    same = (
        (values[1:] == values[:-1])
        & (codes[1:] == codes[:-1])
        & (values[1:] != 0)
        & (time[1:] - time[:-1] == step_ns[1:])
    )
    run = np.cumsum(np.r_[True, ~same])  # run id of each row
    length = np.bincount(run)[run]
    needed = np.maximum(4, np.ceil(hours * _NS_PER_H / np.maximum(step_ns, 1)))
    stuck: np.ndarray = length >= needed
    return stuck


def quality_flags(
    codes: np.ndarray,
    time: np.ndarray,
    values: np.ndarray,
    step_ns: np.ndarray,
    *,
    now: pd.Timestamp,
    missing: np.ndarray | None = None,
    k: float = SPIKE_K,
    stuck_hours: float = STUCK_HOURS,
) -> np.ndarray:
    """Flag bits of each reading (module docstring).

    Parameters
    ----------
    codes
        Meter of each reading, sorted so that each meter's readings are together.
    time
        UTC period start [ns since the epoch], sorted within each meter, no duplicates.
    values
        Values in the internal unit [kWh per step]; NaN where missing.
    step_ns
        The meter's step of each reading [ns].
    now
        Ingest time: later readings are ``out_of_range``.
    missing
        Readings the source marked missing (NaN values are missing too).

    Returns
    -------
    numpy.ndarray
        int32 flag bits per reading; the values are not touched.
    """
    flags = np.zeros(values.size, dtype=np.int32)
    lost = ~np.isfinite(values) if missing is None else (missing | ~np.isfinite(values))
    flags[lost] |= FLAGS["missing"]
    with np.errstate(invalid="ignore"):
        flags[values < 0] |= FLAGS["negative"]
    bounds = segments(codes)
    flags[_spikes(values, bounds, k)] |= FLAGS["spike"]
    flags[_stuck(codes, time, values, step_ns, stuck_hours)] |= FLAGS["stuck"]
    early, late = EARLIEST.value, now.value
    flags[(time < early) | (time > late)] |= FLAGS["out_of_range"]
    hourly_or_less = step_ns <= _NS_PER_H
    flags[hourly_or_less & (time % np.maximum(step_ns, 1) != 0)] |= FLAGS["off_grid"]
    return flags


def count_gaps(codes: np.ndarray, time: np.ndarray, step_ns: np.ndarray) -> int:
    """Missing steps between each meter's consecutive readings (sorted as for the flags)."""
    if time.size < 2:
        return 0
    same = codes[1:] == codes[:-1]
    steps = (time[1:] - time[:-1]) // np.maximum(step_ns[1:], 1)
    return int(np.clip(steps[same] - 1, 0, None).sum())


def flag_counts(flags: np.ndarray) -> dict[str, int]:
    """Readings per flag, for the flags that occur."""
    counts = {name: int(np.count_nonzero(flags & bit)) for name, bit in FLAGS.items()}
    return {name: n for name, n in counts.items() if n}
