"""What a live loop writes and reads every cycle, on both back-ends: a batch of known meters,
only what it lacks, NULL as NaN."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "monitoring"))

from helpers import meter_map, write  # noqa: E402

from sparcs.citizens.account import delete_household  # noqa: E402
from sparcs.errors import StoreError  # noqa: E402
from sparcs.live.meter_feed import send_readings  # noqa: E402
from sparcs.monitoring.ingest import MeterSpec, load_meter_map  # noqa: E402
from sparcs.monitoring.ingest.prepare import prepare  # noqa: E402
from sparcs.monitoring.ingest.raw import RawReadings  # noqa: E402
from sparcs.store import Store, ingest_file, open_store  # noqa: E402
from sparcs.store.append import append_batch  # noqa: E402
from sparcs.store.batch import utc_us  # noqa: E402
from sparcs.store.recent import meter_codes, readings_since  # noqa: E402

FIRST = "time,meter,value\n2025-01-01T00:00Z,m1,1\n2025-01-01T00:15Z,m1,\n"
LATER = "time,meter,value\n2025-01-01T00:30Z,m1,4\n2024-12-31T23:45Z,m1,0.5\n"
T0 = pd.Timestamp("2025-01-01T00:00Z")


def _ns(text: str) -> int:
    return int(pd.Timestamp(text).value)


def test_a_reader_gets_what_it_lacks_with_missing_as_nan(store: Store, tmp_path: Path) -> None:
    meters = load_meter_map(meter_map(tmp_path))
    ingest_file(store, write(tmp_path, "a.csv", FIRST), meters)
    ((m1, code, _, _),) = [m for m in meter_codes(store) if m[0] == "m1"]
    first = readings_since(store, T0, T0 + pd.Timedelta("30min"))
    order = np.argsort(first.time)
    assert first.meter.dtype == np.int64 and set(first.meter) == {code}
    np.testing.assert_array_equal(
        first.time[order], [_ns("2025-01-01T00:00Z"), _ns("2025-01-01T00:15Z")]
    )
    np.testing.assert_array_equal(first.value[order], [1.0, np.nan])
    assert first.batch == 1
    ingest_file(store, write(tmp_path, "b.csv", LATER), meters)
    # held [T0, T0+30 min) up to batch 1; now wants [T0, T0+45 min): the new batch's row in
    # the period (not the one before T0) and nothing of batch 1 again
    later = readings_since(
        store,
        T0,
        T0 + pd.Timedelta("45min"),
        after=first.batch,
        held_end=T0 + pd.Timedelta("30min"),
    )
    np.testing.assert_array_equal(later.time, [_ns("2025-01-01T00:30Z")])
    np.testing.assert_array_equal(later.value, [4.0])
    assert later.batch == 2 and m1 == "m1"


def test_meters_come_ordered_by_id(store: Store, tmp_path: Path) -> None:
    meters = load_meter_map(meter_map(tmp_path))
    store.put_meters(reversed(list(meters.values())))
    ids = [m[0] for m in meter_codes(store)]
    assert ids == sorted(ids) and len(ids) == len(meters)


def test_meter_codes_follow_changes_made_through_another_store_of_the_database(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pv = [MeterSpec(id=i, node="b1", quantity="pv_kwh", unit="kWh") for i in ("a", "b", "c")]
    if "://" not in db_url:  # the same DuckDB file by another name
        monkeypatch.chdir(tmp_path)
        other = Path(db_url).name
    else:
        other = db_url
    with open_store(db_url) as reader, open_store(other) as writer:
        writer.put_meters(pv[:2])
        assert meter_codes(reader) == [("a", 1, "b1", "pv_kwh"), ("b", 2, "b1", "pv_kwh")]
        statements: list[str] = []
        execute = reader.backend.execute
        monkeypatch.setattr(
            reader.backend, "execute", lambda sql, *a: statements.append(sql) or execute(sql, *a)
        )
        meter_codes(reader)
        # a DuckDB file is written by this process alone: its meters are kept until changed
        assert len(statements) == (0 if reader.dialect == "duckdb" else 1)
        writer.backend.execute("INSERT INTO households VALUES ('h', 'd', NULL, 'H')")
        writer.backend.execute("INSERT INTO meter_scopes VALUES ('b', 'd', 'h')")
        delete_household(writer, "h")
        assert meter_codes(reader) == [("a", 1, "b1", "pv_kwh")]
        writer.put_meters(pv[2:])  # b's code given again
        assert meter_codes(reader) == [("a", 1, "b1", "pv_kwh"), ("c", 2, "b1", "pv_kwh")]
        # a live batch through the reader stores c's reading under c's code (the kept codes
        # followed the deletion and the code given again)
        time = np.array([_ns("2025-01-01T00:00Z"), _ns("2025-01-01T00:15Z")])
        send_readings(
            reader, {m.id: m for m in pv}, time, np.array(["c", "a"]), np.array([3.0, 1.0])
        )
        stored = reader.readings()
        assert dict(zip(stored["meter"], stored["value"], strict=True)) == {"c": 3.0, "a": 1.0}


def test_a_batch_naming_an_unregistered_meter_is_refused_by_name(
    store: Store, tmp_path: Path
) -> None:
    meters = load_meter_map(meter_map(tmp_path))
    raw = RawReadings(
        source="gateway",
        meter=np.array(["m1"], dtype=object),
        time=np.array([T0.value]),
        value=np.array([1.0]),
        missing=np.zeros(1, dtype=bool),
        line=lambda position: position + 1,
    )
    ready = prepare(raw, meters, now=T0 + pd.Timedelta("1D"))
    with pytest.raises(StoreError, match="gateway: meter 'm1' is not registered in the store"):
        store.write_batch(ready, file="gateway", checksum="x", fmt="replay")
    assert store.count("readings") == 0 and store.count("ingest_batches") == 0
    store.put_meters([meters["m1"]])
    assert append_batch(store, ready, file="gateway", checksum="x", fmt="replay").accepted == 1


def test_rows_appended_from_an_arrow_table_are_stored_as_given(store: Store) -> None:
    store.put_meters([MeterSpec(id="m1", node="b1", quantity="pv_kwh", unit="kWh")])
    ((code,),) = store.backend.execute("SELECT code FROM meters WHERE id = 'm1'")
    times = np.array([_ns("2025-01-01T00:00Z"), _ns("2025-01-01T00:15Z")])
    store.backend.execute(
        "INSERT INTO ingest_batches VALUES (1, 'f', 'c', 'csv', 2, 0, 0, 0, '{}', ?, ?)",
        (T0.to_pydatetime(), T0.to_pydatetime()),
    )
    with store.backend.transaction():
        store.backend.append_rows(
            "readings",
            pa.table(
                {
                    "meter": pa.array([code, code], pa.int32()),
                    "time": utc_us(times),
                    "value": pa.array([1.5, np.nan], from_pandas=True),
                    "flags": pa.array([0, 4], pa.int32()),
                    "batch": pa.array([1, 1], pa.int32()),
                }
            ),
        )
    new = readings_since(store, T0, T0 + pd.Timedelta(hours=1), after=0, held_end=None)
    assert sorted(new.time.tolist()) == times.tolist()
    stored = dict(zip(new.time.tolist(), new.value.tolist(), strict=True))
    assert stored[times[0]] == 1.5 and np.isnan(stored[times[1]])
    flags = store.backend.execute("SELECT flags FROM readings ORDER BY time")
    assert [f for (f,) in flags] == [0, 4]
