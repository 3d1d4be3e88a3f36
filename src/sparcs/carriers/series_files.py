"""Read time-stamped CSV inputs (prices, hourly factors, plant outputs) and align them to steps.

Hourly factor files and price files share one format: a ``time`` column in ISO 8601 *with* a
UTC offset (naive timestamps are rejected, never assumed UTC) and numeric value columns.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.errors import DataError, TimeIndexError
from sparcs.plausibility import DECLARED_UNITS, QUANTITIES, check_series
from sparcs.textfiles import parse_iso_times, read_table


def _declared_alternatives(column: str) -> list[str]:
    return [name for name, (target, _, _) in DECLARED_UNITS.items() if target == column]


def read_time_csv(
    path: str | Path, *, required: tuple[str, ...], optional: tuple[str, ...] = (), what: str
) -> pd.DataFrame:
    """Read a CSV with a ``time`` column into a frame indexed by UTC time.

    Structure, timestamps and values are checked once here (:mod:`sparcs.textfiles`,
    :mod:`sparcs.plausibility`): one value per column in every row, ISO 8601 with a UTC
    offset, finite numbers in the plausible range of each column's quantity (negative
    prices are real market data and accepted). A column whose name declares another unit
    (``price_eur_per_mwh``, ``co2_g_per_kwh``) is converted; a series that looks like a wrong
    unit without saying so is refused.

    Parameters
    ----------
    path
        CSV file.
    required, optional
        Value columns that must / may be present.
    what
        Name of the input for messages, e.g. ``"price file"``.

    Raises
    ------
    DataError
        Missing file or column, bad row, non-numeric or implausible value.
    UnitError
        A series that looks like a wrong unit (e.g. EUR/MWh in ``price_eur_per_kwh``).
    TimeIndexError
        Naive, unparsable, duplicate or unsorted timestamps.
    """
    path = Path(path)
    table = read_table(path, what=what)
    raw = table.frame()
    source = f"{what} {path}"
    columns: dict[str, str] = {}
    missing = [] if "time" in raw.columns else ["time"]
    for column in (*required, *optional):
        found = [c for c in (column, *_declared_alternatives(column)) if c in raw.columns]
        if len(found) > 1:
            msg = f"{source}: columns {found} give the same quantity; keep one"
            raise DataError(msg)
        if found:
            columns[column] = found[0]
        elif column in required:
            missing.append(column)
    if missing:
        msg = f"{what} {path} lacks column(s) {', '.join(missing)}; found {', '.join(raw.columns)}"
        raise DataError(msg)
    if raw.empty:
        msg = f"{source} has a header but no data rows"
        raise DataError(msg)
    index = parse_iso_times(raw["time"], source=source, lines=table.lines)
    frame = pd.DataFrame(index=index)
    for column, given in columns.items():
        values = _numeric(raw[given], column=given, source=source, lines=table.lines)
        if given != column:
            values = DECLARED_UNITS[given][2](values)
        if column in QUANTITIES:
            check_series(
                values,
                column,
                what=f"{source}, column {given}",
                where=lambda i: f"line {table.lines[i]}",
            )
        frame[column] = values
    _check_order(index, path=path, what=what)
    return frame


def _numeric(raw: pd.Series, *, column: str, source: str, lines: list[int]) -> np.ndarray:
    values = pd.to_numeric(raw.str.strip(), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        position = int(np.argmax(bad))
        msg = (
            f"{source}, line {lines[position]}: {column} {raw.iloc[position]!r} is "
            "not a finite number"
        )
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
    src = pd.DatetimeIndex(frame.index).as_unit("ns").asi8
    tgt = index.as_unit("ns").asi8
    step = int(tgt[1] - tgt[0]) if len(tgt) > 1 else int(pd.Timedelta(hours=1).value)
    diffs = np.diff(src)
    src_step = int(diffs.min())
    end_needed = tgt[-1] + step
    if src[0] > tgt[0] or src[-1] + src_step < end_needed:
        last = frame.index[-1] + pd.Timedelta(src_step)
        covered = f"{frame.index[0].isoformat()} .. {last.isoformat()}"
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
