"""Forecasts and schedules with their belief time: what live operation planned, and when.

Rows are only ever added: a later cycle writes a later belief time, so that any past
schedule can be read back ("what did we plan at 06:00?") and every forecast scored later
against what was measured (:mod:`sparcs.live.scores`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from sparcs.errors import StoreError
from sparcs.store.store import Store

__all__ = [
    "CycleRecord",
    "latest_belief",
    "read_cycle",
    "put_cycle",
    "put_override",
    "read_forecasts",
    "read_overrides",
    "read_schedule",
]


def _utc(value: pd.Timestamp) -> pd.Timestamp:
    if value.tzinfo is None:
        msg = f"time {value} has no time zone; give it with an offset"
        raise StoreError(msg)
    return value.tz_convert("UTC")


def _stamps(values: pd.Series) -> pa.Array:
    return pa.array(pd.DatetimeIndex(values).tz_convert("UTC").as_unit("us"))


def put_cycle(
    store: Store,
    district: str,
    belief_time: pd.Timestamp,
    *,
    strategy: str,
    forecaster: str,
    fallbacks: Sequence[str],
    schedule: pd.DataFrame,
    forecasts: pd.DataFrame,
) -> None:
    """Store one cycle in one transaction: all of it or nothing.

    Parameters
    ----------
    store
        The open store.
    district
        The district's id (the scenario's name).
    belief_time
        When the cycle planned (time-zone aware).
    strategy, forecaster, fallbacks
        How it planned (``forecaster``: the forecasters that drove the schedule, as text),
        and every stand-in it used.
    schedule
        Columns ``asset``, ``time`` (UTC), ``kw`` [kW].
    forecasts
        Columns ``time`` (UTC), ``series``, ``quantity``, ``forecaster``, ``value_kwh``
        [kWh per step]: every forecaster's forecast, to be scored later.

    Raises
    ------
    StoreError
        When the district already has a cycle at this belief time (two cycles racing for
        one district: the second is refused, the first kept).
    """
    belief = _utc(belief_time).to_pydatetime()
    db = store._db
    with db.transaction():
        taken = db.execute(
            "SELECT count(*) FROM cycles WHERE district = ? AND belief_time = ?", (district, belief)
        )
        if taken[0][0]:
            msg = (
                f"district {district!r} already has a cycle at {belief.isoformat()}; "
                "two cycles of one district may not run at once"
            )
            raise StoreError(msg)
        db.execute(
            "INSERT INTO cycles VALUES (?, ?, ?, ?, ?, ?)",
            (
                district,
                belief,
                strategy,
                forecaster,
                json.dumps(list(fallbacks)),
                pd.Timestamp.now(tz="UTC").to_pydatetime(),
            ),
        )
        if len(schedule):
            db.load(
                "incoming_schedule",
                pa.table(
                    {
                        "asset": schedule["asset"].astype(str).to_numpy(),
                        "time": _stamps(schedule["time"]),
                        "kw": schedule["kw"].to_numpy(dtype=float),
                    }
                ),
            )
            db.execute(
                "INSERT INTO schedules SELECT ?, ?, asset, time, kw FROM incoming_schedule",
                (district, belief),
            )
        if len(forecasts):
            db.load(
                "incoming_forecasts",
                pa.table(
                    {
                        "time": _stamps(forecasts["time"]),
                        "series": forecasts["series"].astype(str).to_numpy(),
                        "quantity": forecasts["quantity"].astype(str).to_numpy(),
                        "forecaster": forecasts["forecaster"].astype(str).to_numpy(),
                        "value_kwh": forecasts["value_kwh"].to_numpy(dtype=float),
                    }
                ),
            )
            db.execute(
                "INSERT INTO forecasts SELECT ?, ?, time, series, quantity, forecaster, "
                "value_kwh FROM incoming_forecasts",
                (district, belief),
            )


def latest_belief(
    store: Store, district: str, at: pd.Timestamp | None = None
) -> pd.Timestamp | None:
    """The belief time of the district's latest cycle (at or before ``at``), or None.

    Parameters
    ----------
    store
        The open store.
    district
        The district's id.
    at
        Latest belief time to consider; None for the latest of all.

    Returns
    -------
    pandas.Timestamp or None
        UTC.
    """
    sql = "SELECT max(belief_time) FROM cycles WHERE district = ?"
    params: list[object] = [district]
    if at is not None:
        sql += " AND belief_time <= ?"
        params.append(_utc(at).to_pydatetime())
    ((value,),) = store._db.execute(sql, params)
    return None if value is None else pd.Timestamp(value).tz_convert("UTC")


def read_schedule(
    store: Store, district: str, belief_time: pd.Timestamp | None = None
) -> pd.DataFrame:
    """The schedule believed at ``belief_time`` (default: the latest).

    Parameters
    ----------
    store
        The open store.
    district
        The district's id.
    belief_time
        Read the latest cycle at or before this time; None for the latest.

    Returns
    -------
    pandas.DataFrame
        Columns ``belief_time``, ``asset``, ``time`` (UTC), ``kw``; empty when there is none.
    """
    belief = latest_belief(store, district, belief_time)
    if belief is None:
        return pd.DataFrame(columns=["belief_time", "asset", "time", "kw"])
    frame = store._db.frame(
        "SELECT belief_time, asset, time, kw FROM schedules WHERE district = ? AND "
        "belief_time = ? ORDER BY asset, time",
        (district, belief.to_pydatetime()),
    )
    for column in ("belief_time", "time"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def read_forecasts(
    store: Store,
    district: str,
    *,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Every stored forecast of the district for steps in [start, end).

    Parameters
    ----------
    store
        The open store.
    district
        The district's id.
    start, end
        Steps to read (time-zone aware); None for no limit.

    Returns
    -------
    pandas.DataFrame
        Columns ``belief_time``, ``time`` (UTC), ``series``, ``quantity``, ``forecaster``,
        ``value_kwh`` (the columns :func:`sparcs.live.scores.score_forecasts` reads).
    """
    sql = (
        "SELECT belief_time, time, series, quantity, forecaster, value_kwh FROM forecasts "
        "WHERE district = ?"
    )
    params: list[object] = [district]
    if start is not None:
        sql += " AND time >= ?"
        params.append(_utc(start).to_pydatetime())
    if end is not None:
        sql += " AND time < ?"
        params.append(_utc(end).to_pydatetime())
    frame = store._db.frame(sql + " ORDER BY belief_time, series, quantity, time", params)
    for column in ("belief_time", "time"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["value_kwh"] = frame["value_kwh"].astype(float)
    return frame


def put_override(
    store: Store, district: str, asset: str, start: pd.Timestamp, end: pd.Timestamp, kw: float
) -> None:
    """Put an asset in manual mode: it runs at ``kw`` from ``start`` to ``end``.

    Parameters
    ----------
    store
        The open store.
    district
        The district's id.
    asset
        ``"<node>/<asset>"`` as in a schedule (``battery``, ``heat_pump``).
    start, end
        The period (time-zone aware), ``end`` after ``start``.
    kw
        The power [kW]: positive when the asset draws electricity (charging), negative
        when it delivers it.

    Raises
    ------
    StoreError
        A period that ends before it starts.
    """
    first, last = _utc(start), _utc(end)
    if last <= first:
        msg = (
            f"the override of {asset} ends ({last.isoformat()}) "
            f"before it starts ({first.isoformat()})"
        )
        raise StoreError(msg)
    store._db.execute(
        "INSERT INTO overrides VALUES (?, ?, ?, ?, ?, ?)",
        (
            district,
            asset,
            first.to_pydatetime(),
            last.to_pydatetime(),
            float(kw),
            pd.Timestamp.now(tz="UTC").to_pydatetime(),
        ),
    )


def read_overrides(
    store: Store, district: str, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """The overrides of the district that overlap [start, end), latest set last.

    Parameters
    ----------
    store
        The open store.
    district
        The district's id.
    start, end
        The period (time-zone aware).

    Returns
    -------
    pandas.DataFrame
        Columns ``asset``, ``start_time``, ``end_time`` (UTC), ``kw``.
    """
    frame = store._db.frame(
        "SELECT asset, start_time, end_time, kw FROM overrides WHERE district = ? AND "
        "start_time < ? AND end_time > ? ORDER BY created_at",
        (district, _utc(end).to_pydatetime(), _utc(start).to_pydatetime()),
    )
    for column in ("start_time", "end_time"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["kw"] = frame["kw"].astype(float)
    return frame


@dataclass(frozen=True)
class CycleRecord:
    """A kept cycle: how it planned (``strategy``: optimal, rule or failed) and its notes."""

    strategy: str
    forecaster: str
    fallbacks: tuple[str, ...]
    finished_at: pd.Timestamp


def read_cycle(store: Store, district: str, belief_time: pd.Timestamp) -> CycleRecord | None:
    """The kept cycle of the district at ``belief_time``.

    Parameters
    ----------
    store
        The open store.
    district
        The district's id.
    belief_time
        The cycle's belief time (time-zone aware).

    Returns
    -------
    CycleRecord or None
        None when there is none.
    """
    rows = store._db.execute(
        "SELECT strategy, forecaster, fallbacks, finished_at FROM cycles WHERE district = ? "
        "AND belief_time = ?",
        (district, _utc(belief_time).to_pydatetime()),
    )
    if not rows:
        return None
    strategy, forecaster, fallbacks, finished = rows[0]
    return CycleRecord(
        str(strategy),
        str(forecaster),
        tuple(str(f) for f in json.loads(fallbacks)),
        pd.Timestamp(finished).tz_convert("UTC"),
    )
