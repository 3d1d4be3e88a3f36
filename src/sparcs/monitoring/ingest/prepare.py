"""From what a file says to readings: units, resolution, duplicates within the file, flags.

Nothing is invented and nothing is lost silently:

* units are converted to the internal unit of the quantity (kWh per step): Wh/kWh/MWh by a
  factor, a mean power (W/kW/MW) times the step [h], a cumulative register by the
  difference of consecutive readings one step apart (labelled by the earlier one; a pair
  further apart gives no interval: it is a gap);
* a row repeated in the file with the same value is a duplicate (dropped, counted); with
  another value it is a conflict (kept aside with the first value, counted), never averaged;
* flags (:mod:`sparcs.monitoring.quality`) are added, values untouched.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from sparcs.errors import DataError, UnitError
from sparcs.monitoring.ingest.meters import (
    ENERGY_UNITS,
    POWER_UNITS,
    WEATHER_QUANTITIES,
    MeterSpec,
)
from sparcs.monitoring.ingest.raw import RawReadings
from sparcs.monitoring.quality import FLAGS, count_gaps, flag_counts, quality_flags, segments

__all__ = ["PreparedReadings", "prepare"]

_NS_PER_H = 3_600_000_000_000


@dataclass
class PreparedReadings:
    """Readings of one file, ready for the store: one per (meter, time), sorted.

    ``meter`` is a Categorical of the map's ids (a code per reading, the ids once); ``value``
    is in kWh per step (levels in kWh); ``flags`` are :data:`~sparcs.monitoring.quality.FLAGS`
    bits. ``conflicts`` holds the rows that repeat a (meter, time) of the file with another
    value: (meter, time, value, first value).
    """

    meter: pd.Categorical
    time: np.ndarray
    value: np.ndarray
    flags: np.ndarray
    duplicates: int = 0
    rejected: int = 0
    gaps: int = 0
    conflicts: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] = field(
        default_factory=lambda: (
            np.array([], dtype=object),
            np.array([], dtype=np.int64),
            np.array([]),
            np.array([]),
        )
    )

    @property
    def flagged(self) -> dict[str, int]:
        """Readings per flag, plus ``gap``: missing steps between readings."""
        counts = flag_counts(self.flags)
        if self.gaps:
            counts["gap"] = self.gaps
        return counts


def _factors(
    raw: RawReadings, specs: list[MeterSpec], meter_codes: np.ndarray, step: np.ndarray
) -> np.ndarray:
    """Factor from the row's unit to kWh per step: ``energy + power x step`` per unit."""
    if raw.unit is None:  # the meters' units: one factor per meter, no string per row
        unit_codes, units = meter_codes, np.array([s.unit for s in specs], dtype=object)
    else:
        meter_unit = np.array([s.unit for s in specs], dtype=object)[meter_codes]
        unit_codes, units = pd.factorize(np.where(raw.unit == "", meter_unit, raw.unit))
    present = np.bincount(unit_codes, minlength=len(units)) > 0
    energy, power = np.zeros(len(units)), np.zeros(len(units))
    for code, name in enumerate(units):
        if name in ENERGY_UNITS:
            energy[code] = ENERGY_UNITS[name]
        elif name in POWER_UNITS:
            power[code] = POWER_UNITS[name] / _NS_PER_H
        elif name in WEATHER_QUANTITIES.values():  # a weather mean: stored as it is
            energy[code] = 1.0
        elif present[code]:
            position = int(np.argmax(unit_codes == code))
            msg = (
                f"{raw.source}, line {raw.line(position)}: unit {name!r} is not known; use "
                f"{', '.join(ENERGY_UNITS)} (energy per step) or {', '.join(POWER_UNITS)} "
                "(mean power over the step)"
            )
            raise UnitError(msg)
    factor: np.ndarray = energy[unit_codes]
    if power.any():
        factor += power[unit_codes] * step
    return factor


#: Rows up to which meter ids are looked up in a dict (beyond: pandas' hash table is faster).
_SMALL_BATCH = 1000


def _meter_codes(meter: np.ndarray | pd.Categorical, ids: list[str]) -> np.ndarray:
    """Position in ``ids`` of each row's meter (-1: not in the map)."""
    if isinstance(meter, pd.Categorical):  # the readers' form: a lookup per distinct id
        lookup = pd.Index(ids, dtype=object).get_indexer(meter.categories.astype(object))
        by_row: np.ndarray = lookup[meter.codes].astype(np.int64)
        return by_row
    if len(meter) <= _SMALL_BATCH:  # a live step's few dozen rows: pandas' setup dominates
        position = {m: i for i, m in enumerate(ids)}
        return np.fromiter((position.get(m, -1) for m in meter), np.int64, len(meter))
    codes: np.ndarray = pd.Categorical(meter, categories=ids).codes.astype(np.int64)
    return codes


def _steps(
    raw: RawReadings, specs: list[MeterSpec], codes: np.ndarray, order: np.ndarray | None
) -> np.ndarray:
    """Step of each row [ns]: the file's, else the map's, else the most common spacing."""
    declared = np.array([s.step.value if s.step is not None else 0 for s in specs], dtype=np.int64)
    step: np.ndarray = declared[codes]
    if raw.step is not None:
        clash = (step != 0) & (raw.step != step)
        if clash.any():
            position = int(np.argmax(clash))
            msg = (
                f"{raw.source}, line {raw.line(position)}: the file's resolution "
                f"({pd.Timedelta(int(raw.step[position]))}) differs from the meter map's "
                f"({specs[codes[position]].resolution}) for meter {specs[codes[position]].id!r}; "
                "fix the map's resolution"
            )
            raise DataError(msg)
        return raw.step.astype(np.int64)
    if declared.all() or not codes.size:
        return step
    sorted_codes, sorted_time = (
        (codes, raw.time) if order is None else (codes[order], raw.time[order])
    )
    bounds = segments(sorted_codes)
    found = declared.copy()
    for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        code = sorted_codes[start]
        if declared[code] or (stop - start == 1 and not specs[code].is_power):
            continue  # one energy reading (a live step's): no spacing to find, its step stays 0
        diffs = np.diff(sorted_time[start:stop])
        diffs = diffs[diffs > 0]
        if not diffs.size and specs[code].is_power:
            # a mean power times an unknown step: the energy would be a guess (0), never stored
            msg = (
                f"{raw.source}: power meter {specs[code].id!r} has a single reading time and no "
                "resolution in the meter map, so its energy is unknown; add resolution = 'PT15M' "
                "(or 'PT1H', ...) to its [[meters]] entry"
            )
            raise DataError(msg)
        found[code] = int(pd.Series(diffs).mode().iloc[0]) if diffs.size else 0
    by_meter: np.ndarray = found[codes]
    return by_meter


def _dedupe(
    meter: np.ndarray, time: np.ndarray, value: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks over sorted rows: kept (first of each key), duplicates, conflicts; and first values."""
    repeat = np.r_[False, (meter[1:] == meter[:-1]) & (time[1:] == time[:-1])]
    first_index = np.maximum.accumulate(np.where(~repeat, np.arange(meter.size), 0))
    first = value[first_index]
    same = (value == first) | (np.isnan(value) & np.isnan(first))
    return ~repeat, repeat & same, first


def _cumulative(
    codes: np.ndarray, time: np.ndarray, value: np.ndarray, step: np.ndarray, cumulative: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Registers to intervals: value, keep mask, reset mask (rows of register meters change)."""
    is_register = cumulative[codes]
    if not is_register.any():
        return value, np.ones(value.size, dtype=bool), np.zeros(value.size, dtype=bool)
    nxt = np.r_[value[1:], np.nan]
    next_ok = np.r_[(codes[1:] == codes[:-1]) & (time[1:] - time[:-1] == step[:-1]), False]
    interval = np.where(next_ok, nxt - value, np.nan)
    keep = ~is_register | next_ok
    out = np.where(is_register, interval, value)
    with np.errstate(invalid="ignore"):
        reset = is_register & (interval < 0)
    return out, keep, reset


def _order(codes: np.ndarray, time: np.ndarray) -> np.ndarray | None:
    """Rows sorted by meter, then time, then file order; None when they are in order already.

    A meter file is usually written in that order; checking it is one pass, sorting three keys
    of 3.5 M rows takes seconds.
    """
    if codes.size < 2:
        return None
    later = codes[1:] > codes[:-1]
    in_order = later | ((codes[1:] == codes[:-1]) & (time[1:] >= time[:-1]))
    if in_order.all():
        return None
    order: np.ndarray = np.lexsort((np.arange(codes.size), time, codes))
    return order


@functools.lru_cache(maxsize=16)
def _meter_dtype(ids: tuple[str, ...]) -> pd.CategoricalDtype:
    """The categories of a batch's meters: made once per meter map (a live feed sends a batch
    every step; checking the categories anew cost ~0.2 ms of a ~25 ms cycle)."""
    return pd.CategoricalDtype(pd.Index(ids, dtype=object))


def prepare(
    raw: RawReadings, meters: Mapping[str, MeterSpec], *, now: pd.Timestamp
) -> PreparedReadings:
    """Convert, de-duplicate and flag the readings of one file (module docstring)."""
    ids = list(meters)
    specs = [meters[i] for i in ids]
    codes = _meter_codes(raw.meter, ids)
    order = _order(codes, raw.time)
    step = _steps(raw, specs, codes, order)
    value = raw.value * _factors(raw, specs, codes, step)
    value[raw.missing] = np.nan
    time = raw.time
    if order is not None:
        codes, time, value, step = codes[order], time[order], value[order], step[order]
    kept, duplicate, first = _dedupe(codes, time, value)
    conflict = ~kept & ~duplicate
    conflicts = (
        np.array(ids, dtype=object)[codes[conflict]],
        time[conflict],
        value[conflict],
        first[conflict],
    )
    codes, time, value, step = codes[kept], time[kept], value[kept], step[kept]
    cumulative = np.array([s.cumulative for s in specs], dtype=bool)
    value, keep, reset = _cumulative(codes, time, value, step, cumulative)
    codes, time, value, step, reset = codes[keep], time[keep], value[keep], step[keep], reset[keep]
    flags = quality_flags(codes, time, value, step, now=now)
    flags[reset] |= FLAGS["reset"]
    signed = np.array([s.is_weather for s in specs], dtype=bool)[codes]
    flags[signed] &= ~FLAGS["negative"]  # -5 °C is a temperature, not a reversed flow
    return PreparedReadings(
        meter=cast(
            "pd.Categorical[object]",
            pd.Categorical.from_codes(codes, dtype=_meter_dtype(tuple(ids)), validate=False),
        ),
        time=time,
        value=value,
        flags=flags,
        duplicates=int(duplicate.sum()),
        rejected=raw.rejected,
        gaps=count_gaps(codes, time, step),
        conflicts=conflicts,
    )
