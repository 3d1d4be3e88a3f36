"""What the store says about a district at ``now``: recent history and the state of its stores.

Meters are matched to the scenario by their ``node`` (a building id or ``district``) and
``quantity`` (a Flows name). Three quantities drive the forecasts of live operation
(:data:`FORECAST_QUANTITIES`); two are states (:data:`STATE_QUANTITIES`), read as the last
reading at or before ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sparcs.live.recent import MeterInfo, RecentReadings
from sparcs.operation.flows import DISTRICT_NODE
from sparcs.scenario import Scenario
from sparcs.store import Store

__all__ = [
    "FORECAST_QUANTITIES",
    "STATE_QUANTITIES",
    "MeasuredState",
    "capacity_floors",
    "measured_state",
]

#: Flows measured and forecast per node: electricity demand, heat demand and PV.
FORECAST_QUANTITIES = ("electricity_demand_kwh", "heat_demand_kwh", "pv_kwh")
#: Levels read as the last value at or before ``now`` [kWh].
STATE_QUANTITIES = ("battery_soc_kwh", "tes_soc_kwh")
#: A history with more filled steps than this share is not used for a forecast.
MAX_FILLED_SHARE = 0.2


@dataclass(frozen=True)
class MeasuredState:
    """The measured past of a district up to ``now``.

    Attributes
    ----------
    time
        UTC start of each history step (the run's steps before ``now``).
    history
        (quantity, node) → energy per history step [kWh]; only series with enough data.
    levels
        (quantity, node) → the level at ``now`` [kWh] and its time stamp (UTC).
    last_reading
        Time stamp of the latest reading of any meter at or before ``now`` (UTC), or None.
    notes
        What was missing or filled, in words.
    grid_import_kw
        Measured grid import of the district per history step [kW] (NaN where not read);
        None without a grid meter. Its peaks are the capacity charges' floors.
    """

    time: pd.DatetimeIndex
    history: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    levels: dict[tuple[str, str], tuple[float, pd.Timestamp]] = field(default_factory=dict)
    last_reading: pd.Timestamp | None = None
    notes: tuple[str, ...] = ()
    grid_import_kw: np.ndarray | None = None


def _levels(
    recent: RecentReadings, meters: list[MeterInfo], now: pd.Timestamp
) -> dict[tuple[str, str], tuple[float, pd.Timestamp]]:
    """The last finite reading of every state meter in the two days up to ``now``."""
    start = now - pd.Timedelta(days=2)  # an older level is not a state any more
    levels: dict[tuple[str, str], tuple[float, pd.Timestamp]] = {}
    for _, code, node, quantity in meters:  # in id order: a later meter of a key wins
        if quantity not in STATE_QUANTITIES:
            continue
        times, values = recent.series(code, start, now + pd.Timedelta(seconds=1))
        if times.size:
            levels[(quantity, node)] = (float(values[-1]), pd.Timestamp(int(times[-1]), tz="UTC"))
    return levels


def _per_step(
    times: np.ndarray,
    values: np.ndarray,
    first: int,
    step: int,
    n: int,
    which: np.ndarray | None = None,
    groups: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Sum and count of the readings on each of ``n`` steps from ``first`` [ns], floored, per
    group (``which``: each reading's group in ``range(groups)``; None: one group), shape
    ``(groups, n)``; one ``bincount`` over (group, step) adds each cell's readings in order."""
    if first % step == 0:  # the steps on the epoch's grid (the usual case): one floor
        index = (times - first) // step
        inside = (index >= 0) & (index < n)
    else:
        floored = times - np.mod(times, step)  # floored from the epoch, as pandas floors
        index = (floored - first) // step
        inside = (index >= 0) & (index < n) & (floored == first + index * step)
    if inside.all():  # the usual case: no copy of every reading
        cell = index if which is None else which * n + index
        kept = values
    else:
        cell = index[inside] if which is None else which[inside] * n + index[inside]
        kept = values[inside]
    total = np.bincount(cell, kept, minlength=groups * n).reshape(groups, n)
    return total, np.bincount(cell, minlength=groups * n).reshape(groups, n)


def _parts(times: np.ndarray, sizes: np.ndarray, width: int) -> np.ndarray:
    """Readings each meter needs for a complete step: the step ``width`` [ns] over the
    meter's own step, its shortest positive gap (1 without one); ``times`` holds each
    meter's sorted times one after the other, ``sizes`` how many (all above zero).

    Examples
    --------
    Quarter-hour readings, hourly ones and a single one, on hour steps (times in s here):

    >>> _parts(np.array([0, 900, 1800, 0, 3600, 5]), np.array([3, 2, 1]), 3600)
    array([4, 1, 1])
    """
    none = np.iinfo(np.int64).max  # no positive gap
    stops = np.cumsum(sizes)
    gaps = np.diff(times)
    gaps[stops[:-1] - 1] = 0  # from one meter's last time to the next one's first
    gaps = np.where(gaps > 0, gaps, none)
    shortest = np.full(sizes.size, none)
    has_gap = sizes > 1
    if gaps.size:
        shortest[has_gap] = np.minimum.reduceat(gaps, (stops - sizes)[has_gap])
    parts = np.ones(sizes.size, dtype=np.int64)
    found = shortest < none
    parts[found] = np.maximum(1, width // shortest[found])
    return parts


def _history(
    recent: RecentReadings,
    meters: list[MeterInfo],
    time: pd.DatetimeIndex,
    step: pd.Timedelta,
) -> dict[str, np.ndarray]:
    """Measured energy per history step and series ``"<node>/<quantity>"`` [kWh], NaN where no
    complete step: a step counts when it has as many readings as the meter's own step
    (its shortest gap in the period) divides it into; the meters of a series are summed.

    Every meter's steps are summed by one ``bincount`` over (meter, step) (each sum adds its
    readings in the same order as one meter at a time would: the same floats)."""
    first, width, n = int(time[0].value), int(step.value), len(time)
    chosen = [m for m in meters if m[3] in FORECAST_QUANTITIES]
    pieces = recent.many([code for _, code, _, _ in chosen], time[0], time[-1] + step)
    kept = [(m, piece) for m, piece in zip(chosen, pieces, strict=True) if piece[0].size]
    if not kept:
        return {}
    sizes = np.array([piece[0].size for _, piece in kept])
    times = np.concatenate([piece[0] for _, piece in kept])
    values = np.concatenate([piece[1] for _, piece in kept])
    which = np.repeat(np.arange(len(kept)), sizes)
    total, count = _per_step(times, values, first, width, n, which, len(kept))
    parts = _parts(times, sizes, width)
    complete = np.where((count >= parts[:, None]) & (count > 0), total, np.nan)
    measured = np.asarray(np.isfinite(complete).any(axis=1), dtype=bool)
    sums: dict[str, np.ndarray] = {}
    for k, ((_, _, node, quantity), _) in enumerate(kept):
        if not measured[k]:
            continue
        name = f"{node}/{quantity}"
        if name in sums:  # meters of one series: summed where either measured the step
            both = sums[name]
            sums[name] = np.where(
                np.isnan(both),
                complete[k],
                np.where(np.isnan(complete[k]), both, both + complete[k]),
            )
        else:
            sums[name] = complete[k]
    return sums


def measured_state(
    store: Store,
    scenario: Scenario,
    time: pd.DatetimeIndex,
    now: pd.Timestamp,
    recent: RecentReadings | None = None,
) -> MeasuredState:
    """Read the history on the steps ``time`` (all before ``now``) and the levels at ``now``.

    Parameters
    ----------
    store
        The open store with the district's meters and readings.
    scenario
        The district (its buildings are the nodes).
    time
        UTC start of each history step, evenly spaced, ending before ``now``.
    now
        The issue time (time-zone aware).
    recent
        The readings the district's earlier cycles held (:class:`~sparcs.live.recent.
        RecentReadings`), brought up to date here; None reads them afresh (same result).

    Returns
    -------
    MeasuredState
        History per (quantity, node) for series with at most :data:`MAX_FILLED_SHARE` of
        their steps missing (gaps interpolated), levels, and notes on the rest.
    """
    recent = recent if recent is not None else RecentReadings()
    now = now.tz_convert("UTC")
    first = min(now - pd.Timedelta(days=2), time[0]) if len(time) else now - pd.Timedelta(days=2)
    recent.update(store, first, now + pd.Timedelta(seconds=1))
    nodes = {*(b.id for b in scenario.buildings), DISTRICT_NODE}
    meters = [m for m in recent.meters if m[2] in nodes]
    notes: list[str] = []
    history: dict[tuple[str, str], np.ndarray] = {}
    last: pd.Timestamp | None = None
    grid: np.ndarray | None = None
    if len(time):
        step = pd.Timedelta(time[1] - time[0]) if len(time) > 1 else pd.Timedelta(hours=1)
        sums = _history(recent, meters, time, step)
        names = sorted(sums)
        latest = -1  # the last measured step of any series
        if names:  # every series at once: each has a measured step (_history)
            table = np.stack([sums[name] for name in names])
            measured = np.isfinite(table)
            latest = len(time) - 1 - int(np.argmax(measured[:, ::-1], axis=1).min())
            missing = 1.0 - measured.sum(axis=1) / len(time)
            complete = measured.all(axis=1)
        steps = np.arange(len(time))
        for k, series in enumerate(names):
            node, quantity = series.rsplit("/", 1)
            if missing[k] > MAX_FILLED_SHARE:
                notes.append(
                    f"{node} {quantity}: {missing[k]:.0%} of the last {len(time)} steps "
                    "missing; the scenario's profile stands in for its forecast"
                )
                continue
            # linear between measured steps, the nearest one before the first and after the last
            history[(quantity, node)] = (
                table[k]
                if complete[k]
                else np.interp(steps, steps[measured[k]], table[k, measured[k]])
            )
        last = time[latest] if latest >= 0 else None
        grid = _grid_import(recent, meters, time, step)
    levels = _levels(recent, meters, now)
    return MeasuredState(time, history, levels, last, tuple(notes), grid)


def _grid_import(
    recent: RecentReadings, meters: list[MeterInfo], time: pd.DatetimeIndex, step: pd.Timedelta
) -> np.ndarray | None:
    """Measured district grid import per step of ``time`` [kW]; None without a grid meter."""
    grid = [m for m in meters if m[2] == DISTRICT_NODE and m[3] == "grid_import_kwh"]
    if not grid or len(time) < 2:
        return None
    first, width, n = int(time[0].value), int(step.value), len(time)
    total, count = np.zeros(n), np.zeros(n, dtype=np.int64)
    for _, code, _, _ in grid:
        times, values = recent.series(code, time[0], time[-1] + step)
        part, seen = _per_step(times, values, first, width, n)
        total, count = total + part[0], count + seen[0]
    result: np.ndarray = np.where(count > 0, total, np.nan) / (step / pd.Timedelta(hours=1))
    return result


def capacity_floors(
    state: MeasuredState, scenario: Scenario, window: pd.DatetimeIndex, n_periods: int
) -> np.ndarray:
    """Peak grid import already reached in each charge period of the horizon [kW].

    A capacity charge bills the highest import of its period (a local month or year): what
    the history measured in the period under way is paid for already, so it is the floor of
    that period's peak in the horizon's LP (as in rolling horizon). Only the history read
    (:data:`~sparcs.live.cycle.HISTORY_DAYS`) counts: a longer period's earlier peak is not
    seen, and the floor is then lower than the bill's (the schedule errs toward shaving).

    Parameters
    ----------
    state
        The measured history, with the grid import.
    scenario
        The district (its tariff's capacity charge).
    window
        UTC start of each horizon step.
    n_periods
        Charge periods of the horizon's LP.

    Returns
    -------
    numpy.ndarray
        Floor per charge period of the horizon, (n_periods,) [kW]; zeros without a measured
        import.
    """
    from sparcs.carriers.tariffs import tariff_prices

    floors = np.zeros(n_periods)
    measured = state.grid_import_kw
    if measured is None or not len(state.time) or not np.isfinite(measured).any():
        return floors
    charge = tariff_prices(scenario, pd.DatetimeIndex(state.time.append(window))).capacity
    if charge is None or not charge.present:
        return floors
    past = len(state.time)
    period = np.asarray(charge.period) - int(charge.period[past])  # the horizon's numbering
    counted = np.asarray(charge.window[:past], dtype=bool) & np.isfinite(measured)
    for k in range(n_periods):
        mine = counted & (period[:past] == k)
        if mine.any():
            floors[k] = float(measured[mine].max())
    return floors


def measured_table(
    store: Store, scenario: Scenario, start: pd.Timestamp, end: pd.Timestamp, step: pd.Timedelta
) -> pd.DataFrame:
    """Measured energy per step of the forecast quantities, for scoring forecasts.

    Parameters
    ----------
    store
        The open store.
    scenario
        The district (its nodes).
    start, end
        Steps to read, [start, end) (time-zone aware).
    step
        The step of the forecasts.

    Returns
    -------
    pandas.DataFrame
        Columns ``time`` (UTC), ``series`` (``"<node>/<quantity>"``), ``value_kwh`` [kWh];
        only complete steps (a step with a missing part is left out, never a smaller sum).
    """
    meters = store.meters()
    nodes = {*(b.id for b in scenario.buildings), DISTRICT_NODE}
    meters = meters[meters["node"].isin(nodes) & meters["quantity"].isin(FORECAST_QUANTITIES)]
    columns = ["time", "series", "value_kwh"]
    if meters.empty:
        return pd.DataFrame(columns=columns)
    rows = store.readings(list(meters["id"]), start=start, end=end)
    rows = rows[np.isfinite(rows["value"].to_numpy(dtype=float))]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    series = pd.Series(
        (meters["node"] + "/" + meters["quantity"]).to_numpy(), index=meters["id"].to_numpy()
    )
    rows = rows.sort_values(["meter", "time"], ignore_index=True)
    gap = rows["time"].diff()
    steady = rows["meter"].eq(rows["meter"].shift()) & (gap > pd.Timedelta(0))
    own_step = gap[steady].groupby(rows.loc[steady, "meter"]).min()
    parts = (step / own_step).astype(float).clip(lower=1.0).astype(int)
    rows = rows.assign(series=rows["meter"].map(series), time=rows["time"].dt.floor(step))
    grouped = rows.groupby(["meter", "series", "time"])["value"].agg(["sum", "count"]).reset_index()
    per_step = grouped["meter"].map(parts).fillna(1)
    complete = grouped[grouped["count"] >= per_step]
    table = complete.groupby(["time", "series"])["sum"].sum().reset_index()
    result: pd.DataFrame = table.rename(columns={"sum": "value_kwh"})[columns]
    return result
