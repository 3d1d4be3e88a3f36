"""The store on both back-ends: migrations, meters, idempotent and atomic ingest, info."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "monitoring"))

from helpers import meter_map, write  # noqa: E402

from sparcs.errors import DataError, StoreError  # noqa: E402
from sparcs.monitoring.ingest import MeterSpec, load_meter_map  # noqa: E402
from sparcs.store import Store, ingest_file, ingest_files, latest_version, open_store  # noqa: E402

CSV = (
    "time,meter,value\n2025-01-01T00:00Z,m1,1\n2025-01-01T00:15Z,m1,2\n"
    "2025-01-01T00:15Z,m1,2\n2025-01-01T00:15Z,m1,7\n2025-01-01T01:00Z,m1,\n"
    "2025-01-01T01:15Z,m1,-3\n"
)


def test_migrations_run_once_and_are_reported(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    seen = []
    with (
        caplog.at_level(logging.INFO, logger="sparcs.store"),
        open_store(db_url, on_migration=seen.append) as store,
    ):
        assert store.version() == latest_version()
    assert [m.version for m in seen] == list(range(1, latest_version() + 1))
    assert (
        "applied migration 1" in caplog.text
        and f"applied migration {latest_version()}" in caplog.text
    )
    again: list[object] = []
    with open_store(db_url, on_migration=again.append) as store:
        assert store.version() == latest_version() and again == []


def test_a_newer_database_is_refused(store: Store, db_url: str) -> None:
    store._db.execute(
        "INSERT INTO schema_version VALUES (?, ?, ?)",
        (latest_version() + 1, "from the future", pd.Timestamp.now(tz="UTC").to_pydatetime()),
    )
    store.close()
    with pytest.raises(
        StoreError,
        match=rf"schema version {latest_version() + 1}, newer than this sparcs knows "
        rf"\({latest_version()}\); upgrade",
    ):
        open_store(db_url)


def _forces_commits_to_disk(store: Store) -> bool:
    """Whether the store keeps the database's own durability (the test cluster's is off)."""
    if store.dialect == "duckdb":
        ((mode,),) = store._db.execute("SELECT current_setting('fsync_mode')")
        return str(mode).upper() != "NONE"
    ((mode, source),) = store._db.execute(
        "SELECT setting, source FROM pg_settings WHERE name = 'synchronous_commit'"
    )
    return not (str(mode) == "off" and str(source) == "session")


def test_a_store_nothing_outlives_does_not_force_commits_to_disk(
    db_url: str, tmp_path: Path
) -> None:
    meters = load_meter_map(meter_map(tmp_path))
    with open_store(db_url, durable=False) as scratch:
        assert not _forces_commits_to_disk(scratch)
        assert ingest_file(scratch, write(tmp_path, "a.csv", CSV), meters).accepted == 4
    with open_store(db_url) as store:  # what was committed outlives the process as always
        assert _forces_commits_to_disk(store)
        assert store.count("readings") == 4


def test_ingest_counts_and_is_idempotent(store: Store, tmp_path: Path) -> None:
    meters = load_meter_map(meter_map(tmp_path))
    path = write(tmp_path, "a.csv", CSV)
    first = ingest_file(store, path, meters)
    assert first.as_dict() == {
        "accepted": 4,
        "duplicates": 1,
        "conflicts": 1,
        "rejected": 0,
        "flagged": {"missing": 1, "negative": 1, "gap": 2},
    }
    second = ingest_file(store, path, meters)
    assert second.accepted == 0 and second.duplicates == 5 and second.conflicts == 1
    assert store.count("readings") == 4 and store.count("conflicts") == 1
    assert store.count("ingest_batches") == 2
    readings = store.readings(["m1"])
    np.testing.assert_array_equal(readings["value"], [1.0, 2.0, np.nan, -3.0])


def test_a_later_file_that_disagrees_is_a_conflict(store: Store, tmp_path: Path) -> None:
    meters = load_meter_map(meter_map(tmp_path))
    ingest_file(
        store, write(tmp_path, "a.csv", "time,meter,value\n2025-01-01T00:00Z,m1,1\n"), meters
    )
    result = ingest_file(
        store,
        write(
            tmp_path, "b.csv", "time,meter,value\n2025-01-01T00:00Z,m1,9\n2025-01-01T00:15Z,m1,2\n"
        ),
        meters,
    )
    assert (result.accepted, result.duplicates, result.conflicts) == (1, 0, 1)
    conflicts = store.conflicts()
    assert list(conflicts["value"]) == [9.0] and list(conflicts["stored"]) == [1.0]
    assert list(store.readings()["value"]) == [1.0, 2.0]


def test_info_lists_meters(store: Store, tmp_path: Path) -> None:
    meters = load_meter_map(meter_map(tmp_path))
    ingest_file(store, write(tmp_path, "a.csv", CSV), meters)
    info = store.info()
    assert info["m1"] == {
        "readings": 4,
        "first": "2025-01-01T00:00:00Z",
        "last": "2025-01-01T01:15:00Z",
        "flags": {"missing": 1, "negative": 1},
    }
    assert info["pv"] == {"readings": 0, "first": None, "last": None, "flags": {}}


def test_a_meter_keeps_its_meaning(store: Store) -> None:
    store.put_meters([MeterSpec(id="x", node="b1", quantity="pv_kwh", unit="kWh")])
    with pytest.raises(StoreError, match="meter 'x' is stored as .* give the new one another id"):
        store.put_meters([MeterSpec(id="x", node="b1", quantity="pv_kwh", unit="Wh")])


def test_a_bad_file_keeps_the_others(store: Store, tmp_path: Path) -> None:
    meters = load_meter_map(meter_map(tmp_path))
    good = write(tmp_path, "good.csv", "time,meter,value\n2025-01-01T00:00Z,m1,1\n")
    bad = write(tmp_path, "bad.csv", "time,meter,value\n2025-01-01T00:00Z,ghost,1\n")
    results = ingest_files(store, [good, bad], meters)
    assert results[0].result is not None and results[0].result.accepted == 1
    assert isinstance(results[1].error, DataError) and "bad.csv, line 2" in str(results[1].error)
    assert store.count("readings") == 1


KILLER = textwrap.dedent("""
    import os, signal, sys
    from sparcs.monitoring.ingest import load_meter_map
    from sparcs.store import ingest_file, open_store
    store = open_store(sys.argv[1])
    meters = load_meter_map(sys.argv[2])
    def die():
        # the conflicts are written, the readings not yet: the batch is half done
        os.kill(os.getpid(), signal.SIGKILL)
    ingest_file(store, sys.argv[3], meters, during=die)
""")


def test_kill_9_mid_batch_leaves_nothing_and_a_rerun_completes(db_url: str, tmp_path: Path) -> None:
    meters_path = meter_map(tmp_path)
    meters = load_meter_map(meters_path)
    rows = "".join(
        f"{t.isoformat()},m1,{i}\n"
        for i, t in enumerate(pd.date_range("2025-01-01", periods=5000, freq="15min", tz="UTC"))
    )
    path = write(tmp_path, "big.csv", "time,meter,value\n" + rows + "2025-01-01T00:00Z,m1,99\n")
    with open_store(db_url):
        pass  # migrated before the kill: the test is about the batch
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    done = subprocess.run(
        [sys.executable, "-c", KILLER, db_url, str(meters_path), str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    with open_store(db_url) as store:
        assert store.count("readings") == 0 and store.count("conflicts") == 0
        assert store.count("ingest_batches") == 0
        result = ingest_file(store, path, meters)
        assert (result.accepted, result.conflicts) == (5000, 1)
        assert store.count("readings") == 5000 and store.count("conflicts") == 1


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(
        st.one_of(st.floats(-1e9, 1e9, allow_nan=False), st.just(float("nan"))),
        min_size=1,
        max_size=60,
    ),
    repeats=st.lists(st.integers(0, 59), max_size=20),
)
def test_ingesting_twice_adds_nothing(
    db_url: str, tmp_path_factory: pytest.TempPathFactory, values: list[float], repeats: list[int]
) -> None:
    folder = tmp_path_factory.mktemp("hyp")
    meters = load_meter_map(meter_map(folder))
    times = pd.date_range("2025-01-01", periods=len(values), freq="15min", tz="UTC")
    lines = [
        f"{t.isoformat()},m1,{'' if np.isnan(v) else repr(v)}"
        for t, v in zip(times, values, strict=True)
    ]
    lines += [lines[i % len(lines)] for i in repeats]  # exact repeats: duplicates
    path = write(folder, "h.csv", "time,meter,value\n" + "\n".join(lines) + "\n")
    url = db_url if "postgresql" in db_url else str(folder / "h.duckdb")
    if "postgresql" in db_url:
        with open_store(url) as store:
            store._db.execute("DELETE FROM readings")
            store._db.execute("DELETE FROM conflicts")
    with open_store(url) as store:
        first = ingest_file(store, path, meters)
        stored = store.readings()
        second = ingest_file(store, path, meters)
        assert first.accepted == len(values) and second.accepted == 0
        assert second.duplicates == len(lines) and second.conflicts == 0
        pd.testing.assert_frame_equal(store.readings(), stored)
        np.testing.assert_array_equal(stored["value"], values)
