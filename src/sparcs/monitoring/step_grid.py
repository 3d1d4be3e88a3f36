"""Readings of many meters on the steps of a Flows: sums and last values per (meter, step).

A reading labels the step its time floors to; a step counts only with as many readings as the
meter's own resolution (its shortest positive spacing) puts into it, otherwise it is missing
(NaN), never a smaller sum. Readings come grouped by meter and sorted by time from the store,
so each meter is one contiguous run of rows, worked on as a slice that fits the processor's
cache: no pandas group-by, no per-row Python, no arrays the size of all readings beyond the
columns themselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["on_steps"]


def on_steps(
    readings: pd.DataFrame, ids: list[str], time: pd.DatetimeIndex, step: pd.Timedelta
) -> tuple[np.ndarray, np.ndarray]:
    """Every meter's readings on the steps ``time``.

    Parameters
    ----------
    readings
        Columns meter, time (tz-aware), value [kWh per meter step]: ``Store.readings()``.
    ids
        The meters wanted, one output row each (a meter without readings: NaN).
    time
        The steps (tz-aware, period-beginning labels).
    step
        Their length.

    Returns
    -------
    tuple of numpy.ndarray
        Sums and last values per (meter of ``ids``, step), shape ``(len(ids), len(time))``
        [the readings' unit]; NaN where a step is missing or incomplete.
    """
    sums = np.full((len(ids), len(time)), np.nan)
    lasts = np.full((len(ids), len(time)), np.nan)
    if len(readings) == 0 or len(time) == 0:
        return sums, lasts
    value = readings["value"].to_numpy(dtype=float)
    stamps = _epoch_ns(readings["time"])
    starts, names = _runs(readings["meter"])
    if len(set(names)) < len(names) or not _sorted_within(stamps, starts):
        order = np.lexsort((stamps, pd.factorize(readings["meter"])[0]))
        ordered = readings.iloc[order]
        value, stamps = value[order], stamps[order]
        starts, names = _runs(ordered["meter"])
    row_of = {name: i for i, name in enumerate(ids)}
    grid = _Grid(time.as_unit("ns").asi8, int(step / pd.Timedelta(1, "ns")))
    bounds = np.r_[starts, len(stamps)]
    for run, name in enumerate(names):
        row = row_of.get(name)
        if row is not None:
            low, high = bounds[run], bounds[run + 1]
            grid.place(stamps[low:high], value[low:high], sums[row], lasts[row])
    return sums, lasts


class _Grid:
    """The steps, and how to put one meter's readings on them."""

    def __init__(self, steps: np.ndarray, step_ns: int) -> None:
        self.steps, self.step_ns = steps, step_ns
        self.regular = steps.size < 2 or bool(np.all(np.diff(steps) == step_ns))
        # regular steps off the epoch grid (a +05:30 zone at 1 h) meet no floored label
        self.aligned = bool(steps[0] % step_ns == 0)

    def place(
        self, stamps: np.ndarray, value: np.ndarray, sums: np.ndarray, lasts: np.ndarray
    ) -> None:
        """Fill one meter's ``sums`` and ``lasts`` rows from its time-sorted readings."""
        finite = np.isfinite(value)
        if not finite.all():
            stamps, value = stamps[finite], value[finite]
        if stamps.size == 0:
            return
        gaps = np.diff(stamps)
        gaps = gaps[gaps > 0]
        own = int(gaps.min()) if gaps.size else 0
        per_step = max(1, self.step_ns // own) if own > 0 else 1
        label = stamps - np.mod(stamps, self.step_ns)
        n = self.steps.size
        if self.regular:
            pos = (label - self.steps[0]) // self.step_ns
            on = (pos >= 0) & (pos < n) if self.aligned else np.zeros(pos.size, dtype=bool)
        else:
            pos = np.searchsorted(self.steps, label)
            on = pos < n
            on[on] &= self.steps[pos[on]] == label[on]
        if not on.all():
            pos, value = pos[on], value[on]
        if pos.size == 0:
            return
        count = np.bincount(pos, minlength=n)
        total = np.bincount(pos, weights=value, minlength=n)
        ends = np.r_[pos[1:] != pos[:-1], True]  # sorted: the last reading of each step
        last = np.full(n, np.nan)
        last[pos[ends]] = value[ends]
        short = count < per_step  # a step with a missing part is missing
        total[short] = np.nan
        last[short] = np.nan
        sums[:] = total
        lasts[:] = last


def _epoch_ns(times: pd.Series) -> np.ndarray:
    """Times as ns since the epoch, without a copy when they are tz-aware ns already."""
    if isinstance(times.dtype, pd.DatetimeTZDtype) and times.dtype.unit == "ns":
        stamps: np.ndarray = times.array.asi8
        return stamps
    converted: np.ndarray = pd.DatetimeIndex(times).tz_convert("UTC").as_unit("ns").asi8
    return converted


def _runs(meter: pd.Series) -> tuple[np.ndarray, list[str]]:
    """First row and id of each run of equal meter ids (one per meter when grouped)."""
    if isinstance(meter.dtype, pd.CategoricalDtype):
        codes = np.asarray(meter.cat.codes)
        starts = np.r_[0, np.flatnonzero(codes[1:] != codes[:-1]) + 1]
        names = [str(meter.cat.categories[c]) for c in codes[starts]]
        return starts, names
    ids = pa.array(meter.to_numpy(dtype=object) if meter.dtype == object else meter)
    change = pc.not_equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False)
    starts = np.r_[0, np.flatnonzero(change) + 1]
    return starts, [str(n) for n in ids.take(pa.array(starts)).to_pylist()]


def _sorted_within(stamps: np.ndarray, starts: np.ndarray) -> bool:
    """Whether the times rise (or stay) within each run."""
    later = stamps[1:] >= stamps[:-1]
    later[starts[1:] - 1] = True  # a new run may start earlier
    return bool(later.all())
