"""Readings this process appended, taken from the log instead of the store: the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sparcs.errors import StoreError
from sparcs.live.meter_feed import send_readings, stage_readings
from sparcs.live.recent import RecentReadings
from sparcs.monitoring.ingest import MeterSpec
from sparcs.store import Store, ingest_text, open_store, readings_log
from sparcs.store.staged import StagedBatch

STEP = pd.Timedelta("15min")
T0 = pd.Timestamp("2025-03-01T00:00Z")
METERS = {
    m: MeterSpec(id=m, node="b00000", quantity=q, unit="kWh")
    for m, q in (
        ("el", "electricity_demand_kwh"),
        ("pv", "pv_kwh"),
        ("soc", "battery_soc_kwh"),
    )
}


class _Counted:
    """Counts the store's reads of readings (``columns`` is how ``readings_since`` reads)."""

    def __init__(self, store: Store) -> None:
        self.reads = 0
        backend = store.backend
        original = backend.columns

        def columns(sql: str, params: object = ()) -> dict[str, np.ndarray]:
            if "FROM readings" in sql:
                self.reads += 1
            return original(sql, params)  # type: ignore[arg-type]

        backend.columns = columns  # type: ignore[method-assign]


def _send(store: Store, steps: list[int], meters: list[str], tag: float) -> None:
    """Readings of ``meters`` at T0 + each step, through the live feed (``append_batch``)."""
    time = np.array([(T0 + s * STEP).value for s in steps for _ in meters], dtype=np.int64)
    meter = np.array([m for _ in steps for m in meters])
    value = tag + np.arange(time.size, dtype=float)
    value[::5] = np.nan  # a reading reported missing now and then
    send_readings(store, METERS, time, meter, value)


def _stage(store: Store, steps: list[int], meters: list[str], tag: float) -> StagedBatch:
    """:func:`_send`, the batch staged: in the log now, in the file when something uses it."""
    time = np.array([(T0 + s * STEP).value for s in steps for _ in meters], dtype=np.int64)
    meter = np.array([m for _ in steps for m in meters])
    value = tag + np.arange(time.size, dtype=float)
    value[1::4] = np.nan
    return stage_readings(store, METERS, time, meter, value)


def _ingest(store: Store, steps: list[int], tag: float) -> None:
    """Readings of the ``el`` meter through a file (``write_batch``)."""
    lines = ["time,meter,value"] + [
        f"{(T0 + s * STEP).isoformat()},el,{tag + k}" for k, s in enumerate(steps)
    ]
    ingest_text(store, "\n".join(lines) + "\n", METERS, source=f"file {tag}")


def _same(held: RecentReadings, store: Store, start: pd.Timestamp, end: pd.Timestamp) -> None:
    fresh = RecentReadings()
    fresh.update(store, start, end)
    codes = [code for _, code, _, _ in fresh.meters]
    assert [m[:2] for m in held.meters] == [m[:2] for m in fresh.meters]
    for (t1, v1), (t2, v2) in zip(
        held.many(codes, start, end), fresh.many(codes, start, end), strict=True
    ):
        np.testing.assert_array_equal(t1, t2)
        np.testing.assert_array_equal(v1, v2)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "log.duckdb", durable=False) as opened:
        opened.put_meters(METERS.values())
        yield opened


def test_a_cycle_after_appends_reads_nothing_and_holds_what_a_fresh_read_gets(
    store: Store,
) -> None:
    counted = _Counted(store)
    held = RecentReadings()
    _send(store, list(range(96)), ["el", "pv"], 0.0)
    for k in range(96, 110):
        _send(store, [k - 1], ["el", "pv"], 1000.0 * k)  # the step before now
        _send(store, [k], ["soc"], 1000.0 * k + 500)  # the level at now: two batches
        now = T0 + k * STEP
        before = counted.reads
        held.update(store, now - pd.Timedelta(days=1), now + pd.Timedelta(seconds=1))
        if k > 96:  # the first update reads; the later ones take the appended rows
            assert counted.reads == before
        _same(held, store, now - pd.Timedelta(days=1), now + pd.Timedelta(seconds=1))


def test_a_staged_batch_is_held_before_it_is_written_and_written_before_any_read(
    store: Store,
) -> None:
    counted = _Counted(store)
    held = RecentReadings()
    _send(store, list(range(8)), ["el", "pv", "soc"], 0.0)
    held.update(store, T0, T0 + 8 * STEP)
    staged = _stage(store, [8], ["el", "pv", "soc"], 100.0)
    assert not staged.written
    ((before,),) = store.backend.execute("SELECT count(*) FROM readings")
    assert staged.written  # the statement above wrote it first
    assert before == 8 * 3 + 3
    staged = _stage(store, [9], ["el", "pv", "soc"], 200.0)
    reads = counted.reads
    held.update(store, T0, T0 + 10 * STEP)
    assert counted.reads == reads and not staged.written  # taken from the log, not stored yet
    assert staged.commit().accepted == 3 and staged.written
    _same(held, store, T0, T0 + 10 * STEP)
    first = _stage(store, [10], ["el", "pv", "soc"], 250.0)
    second = _stage(store, [11], ["el", "pv", "soc"], 260.0)
    assert first.written and not second.written  # one staged batch a file: the last first
    assert second.commit().accepted == 3
    held.update(store, T0, T0 + 12 * STEP)
    _same(held, store, T0, T0 + 12 * STEP)
    staged = _stage(store, [12], ["el"], 300.0)
    _ingest(store, [13], 400.0)  # another writer: the staged batch goes first, as numbered
    assert staged.written
    batches = store.backend.execute("SELECT id, file FROM ingest_batches ORDER BY id DESC")[:2]
    assert [file for _, file in batches] == ["file 400.0", "replay meters"]
    held.update(store, T0, T0 + 14 * STEP)
    _same(held, store, T0, T0 + 14 * STEP)


def test_a_staged_batch_whose_number_was_taken_goes_in_after_and_readers_start_afresh(
    store: Store, tmp_path: Path
) -> None:
    held = RecentReadings()
    _send(store, list(range(4)), ["el", "pv"], 0.0)
    with open_store(tmp_path / "log.duckdb") as other:  # the same file, another connection
        held.update(store, T0, T0 + 4 * STEP)
        staged = _stage(store, [4], ["el", "pv"], 10.0)
        held.update(store, T0, T0 + 5 * STEP)  # the staged rows, from the log
        key = store.file_key
        assert key is not None
        readings_log.unstage(key, staged.commit)  # a writer past the log: not written first
        ((top,),) = other.backend.execute("SELECT max(id) FROM ingest_batches")
        other.backend.execute(
            "INSERT INTO ingest_batches SELECT id + 1, 'other', 'x', 'sql', 0, 0, 0, 0, '{}', "
            "started_at, finished_at FROM ingest_batches WHERE id = ?",
            (top,),
        )
    assert not staged.written
    assert staged.commit().accepted == 2  # the number was taken: stored after it
    counted = _Counted(store)
    held.update(store, T0, T0 + 5 * STEP)
    assert counted.reads == 1  # told to start afresh: read again, whole
    _same(held, store, T0, T0 + 5 * STEP)
    stored = store.backend.execute("SELECT count(*) FROM readings WHERE batch = ?", (top + 2,))
    assert stored == [(2,)]


def test_another_store_of_the_file_writes_or_reads_only_after_the_staged_batch(
    store: Store, tmp_path: Path
) -> None:
    _send(store, list(range(4)), ["el", "pv"], 0.0)
    with open_store(tmp_path / "log.duckdb") as other:
        staged = _stage(store, [4], ["el", "pv"], 10.0)
        held = RecentReadings()
        held.update(other, T0, T0 + 5 * STEP)  # a reader of the other store: written first
        assert staged.written
        _send(store, [5], ["el", "pv"], 20.0)
        held.update(other, T0, T0 + 6 * STEP)
        _same(held, other, T0, T0 + 6 * STEP)
        staged = _stage(store, [6], ["el", "pv"], 30.0)
        _ingest(other, [7], 40.0)  # a writer of the other store: after the staged batch
        numbers = dict(store.backend.execute("SELECT file, max(id) FROM ingest_batches GROUP BY 1"))
        assert numbers["file 40.0"] == numbers["replay meters"] + 1
        held.update(other, T0, T0 + 8 * STEP)
        _same(held, other, T0, T0 + 8 * STEP)


def test_a_staged_batch_the_file_refuses_is_an_error_every_time(store: Store) -> None:
    held = RecentReadings()
    _send(store, list(range(4)), ["el"], 0.0)
    held.update(store, T0, T0 + 4 * STEP)
    staged = _stage(store, [4], ["el"], 10.0)
    held.update(store, T0, T0 + 5 * STEP)
    assert not staged.written
    key = store.file_key
    assert key is not None
    readings_log.unstage(key, staged.commit)  # the table goes before the batch is written
    store.backend.execute("ALTER TABLE readings RENAME TO kept_aside")
    with pytest.raises(StoreError, match="replay meters could not be stored"):
        staged.commit()
    with pytest.raises(StoreError, match="could not be stored"):
        staged.commit()
    store.backend.execute("ALTER TABLE kept_aside RENAME TO readings")
    held.update(store, T0, T0 + 5 * STEP)  # afresh: the failed rows are not held any more
    _same(held, store, T0, T0 + 5 * STEP)
    ((code,),) = store.backend.execute("SELECT code FROM meters WHERE id = 'el'")
    times, values = held.many([code], T0, T0 + 5 * STEP)[0]
    assert times.max() < (T0 + 4 * STEP).value and 10.0 not in values


def test_a_file_a_late_or_a_future_reading_is_read_from_the_store(store: Store) -> None:
    counted = _Counted(store)
    held = RecentReadings()
    _send(store, list(range(8)), ["el"], 0.0)

    def cycle(k: int) -> int:
        now = T0 + k * STEP
        before = counted.reads
        held.update(store, now - pd.Timedelta(hours=1), now + pd.Timedelta(seconds=1))
        reads = counted.reads - before
        _same(held, store, now - pd.Timedelta(hours=1), now + pd.Timedelta(seconds=1))
        return reads

    cycle(8)
    _send(store, [8], ["el"], 100.0)
    assert cycle(9) == 0
    _send(store, [6], ["pv"], 300.0)  # late: an append, kept, inside the period
    assert cycle(10) == 0
    _send(store, [14], ["pv"], 400.0)  # after the period: held back until it is in it
    assert cycle(11) == 0
    assert cycle(12) == 1  # a stored reading later than the period held: the store is read
    assert cycle(15) == 1
    assert cycle(16) == 0
    _ingest(store, [16], 200.0)  # a file: written by write_batch, not kept in the log
    assert cycle(17) == 1


def test_appends_through_a_second_store_of_the_file_are_in_the_log(
    store: Store, tmp_path: Path
) -> None:
    counted = _Counted(store)
    held = RecentReadings()
    _send(store, list(range(4)), ["el"], 0.0)
    new = MeterSpec(id="new", node="b00000", quantity="pv_kwh", unit="kWh")
    with open_store(tmp_path / "." / "log.duckdb") as other:  # the same file, named otherwise
        other.put_meters([new])
        held.update(store, T0, T0 + 4 * STEP)  # read: the file was opened again meanwhile
        time = np.array([(T0 + 4 * STEP).value] * 2)
        send_readings(
            other, {**METERS, "new": new}, time, np.array(["el", "new"]), np.array([1.0, 2.0])
        )
        before = counted.reads
        held.update(store, T0, T0 + 5 * STEP)
        assert counted.reads == before  # the new meter is known: its code was read again
        _same(held, store, T0, T0 + 5 * STEP)


def test_opening_the_file_again_makes_its_readers_read(store: Store, tmp_path: Path) -> None:
    counted = _Counted(store)
    held = RecentReadings()
    _send(store, list(range(4)), ["el"], 0.0)
    held.update(store, T0, T0 + 4 * STEP)
    _send(store, [4], ["el"], 10.0)
    with open_store(tmp_path / "log.duckdb"):  # another process could have written before
        pass
    before = counted.reads
    held.update(store, T0, T0 + 5 * STEP)
    assert counted.reads == before + 1
    _same(held, store, T0, T0 + 5 * STEP)


_ACTION = st.one_of(
    st.tuples(st.just("send"), st.lists(st.integers(-12, 3), min_size=1, max_size=4)),
    st.tuples(st.just("stage"), st.lists(st.integers(-12, 3), min_size=1, max_size=4)),
    st.tuples(st.just("file"), st.lists(st.integers(-12, 3), min_size=1, max_size=3)),
    st.tuples(st.just("cycle"), st.integers(0, 3)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(_ACTION, min_size=1, max_size=25))
def test_held_readings_equal_a_fresh_read_whatever_comes(
    tmp_path_factory: pytest.TempPathFactory, actions: list[tuple[str, object]]
) -> None:
    folder = tmp_path_factory.mktemp("log")
    with open_store(folder / "h.duckdb", durable=False) as store:
        store.put_meters(METERS.values())
        held = RecentReadings()
        k, tag = 20, 0.0
        staged: list[StagedBatch] = []
        for kind, arg in actions:
            tag += 100.0
            if kind == "cycle":
                assert isinstance(arg, int)
                k += arg
                start, end = T0 + (k - 8) * STEP, T0 + k * STEP + pd.Timedelta(seconds=1)
                held.update(store, start, end)
                _same(held, store, start, end)
                continue
            assert isinstance(arg, list)
            steps = sorted({k + s for s in arg})
            if kind == "send":  # a step sent twice: duplicates, the batch goes to write_batch
                _send(store, steps, ["el", "soc"], tag)
            elif kind == "stage":  # written by whatever uses the file next
                staged.append(_stage(store, steps, ["el", "soc"], tag))
            else:
                _ingest(store, steps, tag)
        for batch in staged:
            batch.commit()  # none failed
