"""Read time-stamped CSV inputs of the KPIs and align them to the flows' steps (private).

Hourly factor files and price files share one format: a ``time`` column in ISO 8601 *with* a
UTC offset (naive timestamps are rejected, never assumed UTC) and numeric value columns.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.errors import DataError, TimeIndexError

_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"


def read_time_csv(
    path: str | Path, *, required: tuple[str, ...], optional: tuple[str, ...] = (), what: str
) -> pd.DataFrame:
    """Read a CSV with a ``time`` column into a frame indexed by UTC time.

    Parameters
    ----------
    path
        CSV file.
    required, optional
        Value columns that must / may be present; values must be finite and non-negative.
    what
        Name of the input for messages, e.g. ``"price file"``.

    Raises
    ------
    DataError
        Missing file or column, non-numeric or negative value.
    TimeIndexError
        Naive, unparsable, duplicate or unsorted timestamps.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, skipinitialspace=True)
    except FileNotFoundError as exc:
        msg = f"{what} {path} does not exist"
        raise DataError(msg) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        msg = f"{what} {path} is not a readable CSV file ({exc})"
        raise DataError(msg) from exc
    missing = [c for c in ("time", *required) if c not in raw.columns]
    if missing:
        msg = f"{what} {path} lacks column(s) {', '.join(missing)}; found {', '.join(raw.columns)}"
        raise DataError(msg)
    text = raw["time"].fillna("").str.strip()
    naive = ~text.str.contains(_OFFSET, regex=True)
    if naive.any():
        row = int(np.argmax(naive.to_numpy())) + 2
        msg = (f"{what} {path}, row {row}: timestamp {text.iloc[row - 2]!r} has no UTC offset; "
               "write ISO 8601 with an offset, e.g. 2025-01-01T00:00:00+02:00")
        raise TimeIndexError(msg)
    try:
        index = pd.DatetimeIndex(pd.to_datetime(text, utc=True, format="ISO8601"), name="time")
    except (ValueError, TypeError) as exc:
        msg = f"{what} {path}: timestamps are not ISO 8601 ({exc})"
        raise TimeIndexError(msg) from exc
    frame = pd.DataFrame(index=index.as_unit("ns"))
    for column in (*required, *(c for c in optional if c in raw.columns)):
        frame[column] = _numeric(raw[column], column=column, path=path, what=what)
    _check_order(frame.index, path=path, what=what)
    return frame


def _numeric(raw: pd.Series, *, column: str, path: Path, what: str) -> np.ndarray:
    values = pd.to_numeric(raw.str.strip(), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row = int(np.argmax(bad)) + 2
        msg = (f"{what} {path}, row {row}: {column} {raw.iloc[row - 2]!r} is "
               "not a finite, non-negative number")
        raise DataError(msg)
    return values


def _check_order(index: pd.DatetimeIndex, *, path: Path, what: str) -> None:
    if len(index) < 2:
        msg = f"{what} {path} needs at least two rows to know its step"
        raise DataError(msg)
    diffs = np.diff(index.asi8)
    if (diffs <= 0).any():
        where = index[1:][diffs <= 0][0]
        msg = f"{what} {path}: timestamps are duplicate or unsorted at {where.isoformat()}"
        raise TimeIndexError(msg)


def align_to_steps(frame: pd.DataFrame, index: pd.DatetimeIndex, *, what: str) -> np.ndarray:
    """Values of ``frame`` on the steps of ``index``, shape (time, column).

    A step takes the mean of the rows stamped inside it (a file finer than the step) or, when
    none is, the last row before it (forward fill, a file coarser than the step).

    Raises
    ------
    DataError
        When the file does not cover the period of ``index`` or has a gap longer than its step.
    """
    src = frame.index.as_unit("ns").asi8
    tgt = index.as_unit("ns").asi8
    step = int(tgt[1] - tgt[0]) if len(tgt) > 1 else int(pd.Timedelta(hours=1).value)
    diffs = np.diff(src)
    src_step = int(diffs.min())
    end_needed = tgt[-1] + step
    if src[0] > tgt[0] or src[-1] + src_step < end_needed:
        covered = f"{frame.index[0].isoformat()} .. {(frame.index[-1] + pd.Timedelta(src_step)).isoformat()}"
        needed = f"{index[0].isoformat()} .. {(index[-1] + pd.Timedelta(step)).isoformat()}"
        msg = f"{what} covers {covered} but the flows need {needed}; extend the file"
        raise DataError(msg)
    inside = (src[1:] > tgt[0]) & (src[:-1] < end_needed)
    if (diffs[inside] > src_step).any():
        where = frame.index[1:][inside & (diffs > src_step)][0]
        msg = f"{what} has a gap before {where.isoformat()} (rows must be evenly spaced)"
        raise DataError(msg)
    values = frame.to_numpy(dtype=float)
    start = np.searchsorted(src, tgt, side="left")
    stop = np.searchsorted(src, tgt + step, side="left")
    csum = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    count = (stop - start)[:, None]
    last = values[np.searchsorted(src, tgt, side="right") - 1]
    mean = (csum[stop] - csum[start]) / np.maximum(count, 1)
    return np.where(count > 0, mean, last)
