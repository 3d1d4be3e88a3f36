"""The readings of a district's recent past, held between cycles and brought up to date.

A cycle needs the last :data:`~sparcs.live.cycle.HISTORY_DAYS` days of every meter. Read from
the store each time, that is 28 days × every meter every quarter hour (about 1.5 s of CPU
and 300 MB at 100 buildings); :class:`RecentReadings` keeps them as sorted arrays per meter
and each cycle reads only what was stored since the last one
(:func:`sparcs.store.recent.readings_since`): new batches, whatever their time, and the part
of the period that is new. When all that is new are batches this process appended to the
DuckDB file, their rows come from :mod:`sparcs.store.readings_log` without a read. What it
holds is exactly what a fresh read would return, so a cycle is the same with or without it
(``tests/live/test_recent.py``, ``tests/live/test_readings_log.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from sparcs.store import Store, readings_log
from sparcs.store.recent import NewReadings, latest_reading, meter_codes, readings_since

__all__ = ["MeterInfo", "RecentReadings"]

#: Meter id, code, node and quantity.
MeterInfo = tuple[str, int, str, str]


class RecentReadings:
    """Finite readings of every meter in a moving period [start, end), sorted by time.

    Attributes
    ----------
    meters
        Every meter of the store at the last :meth:`update`, ordered by id.
    """

    def __init__(self) -> None:
        self.meters: list[MeterInfo] = []
        self._store: Store | None = None
        self._start = 0  # ns since the epoch, UTC
        self._end = 0
        self._batch = 0
        self._held: dict[int, _Series] = {}  # code → its readings
        self._owner: dict[int, str] = {}  # code → meter id (a code of a deleted meter is reused)
        self._count: int | None = None  # the file's count of changes when last brought up to date
        self._latest: int | None = None  # no stored reading was later than this then [ns]
        self._epoch = 0  # the file's readers were told to start afresh this many times

    def update(self, store: Store, start: pd.Timestamp, end: pd.Timestamp) -> None:
        """Hold the readings of [start, end) as the store has them now.

        Parameters
        ----------
        store
            The open store.
        start, end
            The period (time-zone aware).
        """
        low, high = _ns(start), _ns(end)
        key = store.file_key
        logged = readings_log.reading(key) if key is not None else _unlogged()
        with logged as (count, latest, epoch):
            # a failed staged batch (readings_log.forget): what is held may not be stored
            fresh = (
                self._store is not store
                or low < self._start
                or self._end <= low
                or epoch != self._epoch
            )
            if fresh:
                self._held, self._owner, self._batch = {}, {}, 0
                self._start = self._end = low
            self._store, self._epoch = store, epoch
            self.meters = meter_codes(store)
            for meter_id, code, _, _ in self.meters:
                if self._owner.get(code, meter_id) != meter_id:  # deleted, its code given again
                    self._held.pop(code, None)
                self._owner[code] = meter_id
            until = max(high, self._end)
            if key is None:  # PostgreSQL: other processes write it, read what is new
                new = self._read(store, start, until, fresh)
            else:
                appended = None if fresh else self._appended(key, low, until)
                if appended is not None:
                    new = appended
                else:
                    new = self._read(store, start, until, fresh)
                    if latest is None:  # once per file and process: writers keep it after
                        latest = latest_reading(store)
                        readings_log.set_latest(key, latest)
                    self._latest = latest
                self._count = count
        self._batch = new.batch
        self._end = until
        self._add(new.meter, new.time, new.value)
        if low > self._start:
            self._drop_before(low)

    def _read(self, store: Store, start: pd.Timestamp, end: int, fresh: bool) -> NewReadings:
        return readings_since(
            store,
            start,
            pd.Timestamp(end, tz="UTC"),
            after=self._batch,
            held_end=None if fresh else pd.Timestamp(self._end, tz="UTC"),
        )

    def _appended(self, key: str, low: int, end: int) -> NewReadings | None:
        """What is new since the last update, from the rows this process appended
        (:mod:`sparcs.store.readings_log`); None when the store must be read.

        The last read held every row of the file in [start, held end) at its count; when no
        stored reading was later than the held end then, and every change since is an
        append kept in the log, the new rows of [low, end) are those appends' rows there."""
        if self._count is None or self._latest is None or self._latest >= self._end:
            return None
        appends = readings_log.appended_since(key, self._count)
        if appends is None:
            return None
        meter, time, value = (
            [np.zeros(0, dtype=np.int64)],
            [np.zeros(0, dtype=np.int64)],
            [np.zeros(0)],
        )
        batch, latest = self._batch, self._latest
        for a in appends:
            inside = (a.time >= low) & (a.time < end)
            meter.append(a.meter[inside].astype(np.int64))
            time.append(a.time[inside])
            value.append(a.value[inside])
            batch = max(batch, a.batch)
            latest = max(latest, int(a.time.max()))  # an append stores at least one row
        self._latest = latest
        return NewReadings(
            np.concatenate(meter), np.concatenate(time), np.concatenate(value), batch
        )

    def _add(self, meter: np.ndarray, time: np.ndarray, value: np.ndarray) -> None:
        finite = np.isfinite(value)
        meter, time, value = meter[finite], time[finite], value[finite]
        if not meter.size:
            return
        order = np.lexsort((time, meter))
        meter, time, value = meter[order], time[order], value[order]
        starts = np.r_[0, np.flatnonzero(np.diff(meter)) + 1]
        stops = np.r_[starts[1:], meter.size]
        for lo, hi in zip(starts.tolist(), stops.tolist(), strict=True):
            code = int(meter[lo])
            held = self._held.get(code)
            if held is None:
                self._held[code] = _Series(time[lo:hi], value[lo:hi])
            else:
                held.add(time[lo:hi], value[lo:hi])

    def _drop_before(self, low: int) -> None:
        for held in self._held.values():
            held.drop_before(low)
        self._start = low

    def series(
        self, code: int, start: pd.Timestamp, end: pd.Timestamp
    ) -> tuple[np.ndarray, np.ndarray]:
        """Times [ns, UTC] and values of meter ``code`` in [start, end), sorted by time.

        Parameters
        ----------
        code
            The meter's code.
        start, end
            The period (time-zone aware), inside the one of the last :meth:`update`.

        Returns
        -------
        times, values
            Finite readings only.
        """
        return self.many([code], start, end)[0]

    def many(
        self, codes: list[int], start: pd.Timestamp, end: pd.Timestamp
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`series` of every meter in ``codes``, in their order (the period converted once).

        Parameters
        ----------
        codes
            The meters' codes.
        start, end
            The period (time-zone aware), inside the one of the last :meth:`update`.

        Returns
        -------
        list of (times, values)
            Per code, as :meth:`series` gives them.
        """
        bounds = np.array([_ns(start), _ns(end)], dtype=np.int64)
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0))
        out: list[tuple[np.ndarray, np.ndarray]] = []
        for code in codes:
            held = self._held.get(code)
            if held is None:
                out.append(empty)
                continue
            lo, hi = np.searchsorted(held.times, bounds, side="left")
            out.append((held.times[lo:hi], held.values[lo:hi]))
        return out


class _Series:
    """One meter's readings, sorted by time: ``times`` and ``values`` are views of the part
    [lo, hi) of two buffers with room after it. A cycle adds a step's readings at the end and
    drops the oldest by moving the bounds, so neither copies the 28 days held (a buffer is
    made anew, twice the readings long, when it is full or a late reading comes)."""

    __slots__ = ("_hi", "_lo", "_t", "_v", "times", "values")

    def __init__(self, time: np.ndarray, value: np.ndarray) -> None:
        self._fill(time, value)

    def _fill(self, time: np.ndarray, value: np.ndarray) -> None:
        room = max(64, 2 * time.size)
        self._t = np.empty(room, dtype=np.int64)
        self._v = np.empty(room, dtype=float)
        self._t[: time.size], self._v[: time.size] = time, value
        self._lo, self._hi = 0, time.size
        self._view()

    def _view(self) -> None:
        # read-only: what ``many`` hands out shares these buffers
        self.times = self._t[self._lo : self._hi]
        self.values = self._v[self._lo : self._hi]
        self.times.flags.writeable = False
        self.values.flags.writeable = False

    def add(self, time: np.ndarray, value: np.ndarray) -> None:
        """Add readings sorted by time (any time: a late one goes to its place)."""
        held = self.times
        late = bool(held.size) and bool(time[0] < held[-1])
        if not late and self._hi + time.size <= self._t.size:
            # beyond ``hi``: no view handed out sees these places
            self._t[self._hi : self._hi + time.size] = time
            self._v[self._hi : self._hi + time.size] = value
            self._hi += time.size
            self._view()
            return
        times = np.concatenate((held, time))
        values = np.concatenate((self.values, value))
        if late:  # put it in its place; equal times keep the order they came in
            order = np.argsort(times, kind="stable")
            times, values = times[order], values[order]
        self._fill(times, values)

    def drop_before(self, low: int) -> None:
        """Forget the readings before ``low`` [ns since the epoch, UTC]."""
        cut = int(np.searchsorted(self.times, low, side="left"))
        if cut:
            self._lo += cut
            self._view()


@contextmanager
def _unlogged() -> Iterator[tuple[int, None, int]]:
    """A PostgreSQL store's stand-in for :func:`readings_log.reading`: nothing is logged."""
    yield 0, None, 0


def _ns(stamp: pd.Timestamp) -> int:
    return int(pd.Timestamp(stamp).tz_convert("UTC").value)
