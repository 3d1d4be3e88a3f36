"""Readings of a period in bulk: millions of rows for the monitoring KPIs, read as Arrow.

:meth:`Store.readings` joins the meter ids in SQL and lets the database sort and convert every
row to pandas; for a year of quarter-hours of a thousand meters (35 M rows) that costs more
than the KPIs themselves. :func:`period_readings` returns the same rows from the stored
meter codes: the database filters, Arrow carries the columns, the ids come as a categorical
column (a code per row, no string per row), and the order is put on with array operations (a
sort only when the rows are not stored in order already, and then a stable sort of presorted
runs).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sparcs.store.store import Store

__all__ = ["period_readings"]


def period_readings(
    store: Store,
    meters: Sequence[str] | None = None,
    *,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Stored readings, as :meth:`Store.readings` returns them but with categorical ids.

    Parameters
    ----------
    store
        The open store.
    meters
        Meter ids to read; all meters when None.
    start, end
        Period [start, end) of the readings' times (tz-aware); open when None.

    Returns
    -------
    pandas.DataFrame
        Columns meter (id; categorical, every selected meter a category), time (UTC, ns),
        value [kWh or the meter's unit], flags (int32); sorted by meter id, then time.
    """
    table = store.meters()
    if meters is not None:
        table = table[table["id"].isin(list(meters))]
    ids = np.asarray(table["id"].astype(str), dtype=object)
    codes = table["code"].to_numpy(dtype=np.int64)
    where, params = ["TRUE"], []
    if meters is not None:  # integer codes: safe to write into the SQL
        where.append(f"meter IN ({', '.join(str(int(c)) for c in codes) or 'NULL'})")
    if start is not None:
        where.append("time >= ?")
        params.append(start.to_pydatetime())
    if end is not None:
        where.append("time < ?")
        params.append(end.to_pydatetime())
    rows = store.backend.arrow(
        f"SELECT meter, time, value, flags FROM readings WHERE {' AND '.join(where)}", params
    )
    by_id = np.argsort(ids, kind="stable")
    rank_of_code = np.zeros(int(codes.max(initial=0)) + 1, dtype=np.int32)
    rank_of_code[codes[by_id]] = np.arange(codes.size, dtype=np.int32)
    rank = rank_of_code[np.asarray(rows.column("meter").to_numpy(zero_copy_only=False), np.int32)]
    time = _utc_ns(rows.column("time"))
    order = _order(rank, time.to_numpy(zero_copy_only=False).view(np.int64))
    table = pa.table(
        {
            "meter": pa.DictionaryArray.from_arrays(
                pa.array(rank, type=pa.int32()), pa.array(ids[by_id].tolist(), type=pa.string())
            ),
            "time": time,
            "value": pc.cast(rows.column("value"), pa.float64()),
            "flags": pc.cast(rows.column("flags"), pa.int32()),
        }
    )
    if order is not None:
        table = table.take(pa.array(order))
    frame: pd.DataFrame = table.to_pandas(split_blocks=True, self_destruct=True)
    return frame


def _utc_ns(column: pa.ChunkedArray) -> pa.Array:
    """A timestamp column as one array of ns since the epoch, UTC."""
    if len(column) and not pa.types.is_timestamp(column.type):  # PostgreSQL through pandas
        column = pa.chunked_array([pa.array(pd.to_datetime(column.to_pandas(), utc=True))])
    if len(column) == 0:
        return pa.array([], type=pa.timestamp("ns", "UTC"))
    return pc.cast(column, pa.timestamp("ns", "UTC")).combine_chunks()


def _order(rank: np.ndarray, stamp: np.ndarray) -> np.ndarray | None:
    """The permutation sorting by (meter, time), or None when the rows are in order."""
    if rank.size < 2:
        return None
    later = stamp[1:] >= stamp[:-1]
    if np.all((rank[1:] > rank[:-1]) | ((rank[1:] == rank[:-1]) & later)):
        return None
    low, span = int(stamp.min()), int(stamp.max()) - int(stamp.min()) + 1
    if span < np.iinfo(np.int64).max // (int(rank.max()) + 1):
        # one int64 key; stored batches are sorted runs, which a stable sort merges
        key = rank.astype(np.int64) * span + (stamp - low)
        by_key: np.ndarray = np.argsort(key, kind="stable")
        return by_key
    by_both: np.ndarray = np.lexsort((stamp, rank))
    return by_both
