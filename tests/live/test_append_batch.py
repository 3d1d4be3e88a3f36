"""A step's readings in two statements: the same rows, batches and counts as write_batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.live.meter_feed import (
    checked_readings,
    exogenous_readings,
    replay_meters,
    write_readings,
)
from sparcs.monitoring.ingest.prepare import PreparedReadings
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario
from sparcs.store import Store, open_store
from sparcs.store.append import append_batch
from sparcs.store.store import BatchResult
from sparcs.testing import synthetic_district


def _batch(
    meters: dict[str, Any], ids: np.ndarray, time: np.ndarray, values: np.ndarray
) -> PreparedReadings:
    return checked_readings(meters, time, ids, values, now=pd.Timestamp("2026-01-01T00:00Z"))


class District(NamedTuple):
    """Two buildings, their replayed year, meters, and the readings of every step."""

    scenario: Scenario
    actual: Inputs
    meters: dict[str, Any]
    ids: np.ndarray
    kwh: np.ndarray
    stamps: np.ndarray


@pytest.fixture(scope="module")
def district() -> District:
    scenario = synthetic_district(2, seed=1, timestep="1h")
    actual = build_inputs(scenario, load_weather(scenario))
    ids, kwh = exogenous_readings(actual)
    stamps = actual.time.as_unit("ns").asi8  # readings take ns since the epoch
    return District(scenario, actual, replay_meters(scenario), ids, kwh, stamps)


def _rows(store: Store) -> tuple[list[tuple], list[tuple]]:
    readings = store.backend.execute(
        "SELECT meter, time, value, flags, batch FROM readings ORDER BY batch, meter, time"
    )
    batches = store.backend.execute(
        "SELECT id, file, checksum, format, accepted, duplicates, conflicts, rejected, flagged "
        "FROM ingest_batches ORDER BY id"
    )
    conflicts = store.backend.execute("SELECT * FROM conflicts ORDER BY 1, 2")
    return readings, batches + conflicts


def test_append_batch_stores_what_write_batch_stores(district: District, tmp_path: Path) -> None:
    scenario, actual, meters, ids, kwh, stamps = district
    outcomes: dict[str, list[BatchResult]] = {}
    stores = {}
    for how in ("append", "write"):
        store = open_store(tmp_path / f"{how}.duckdb")
        stores[how] = store
        write_readings(store, scenario, actual, 0, 48, tmp_path)
        results = []
        gaps = kwh[50].copy()
        gaps[0], gaps[1] = np.nan, -1.0  # a reading missing (NULL) and one flagged negative
        for t, values in (
            (48, kwh[48]),  # new readings
            (50, gaps),
            (49, kwh[49]),
            (49, kwh[49]),  # the same again: duplicates
            (49, kwh[49] + 1.0),  # disagreeing: conflicts
        ):
            ready = _batch(meters, ids, np.full(len(ids), stamps[t]), values)
            kw = {"file": "f", "checksum": f"c{t}", "fmt": "replay"}
            write = append_batch if how == "append" else Store.write_batch
            results.append(write(store, ready, **kw))
        outcomes[how] = results
    try:
        assert outcomes["append"] == outcomes["write"]
        assert outcomes["append"][1].flagged
        first, again, clash = outcomes["append"][2:]
        assert first.accepted == len(ids) and again.duplicates == len(ids)
        assert clash.conflicts == len(ids) and clash.accepted == 0
        assert _rows(stores["append"]) == _rows(stores["write"])
    finally:
        for store in stores.values():
            store.close()


def test_a_batch_with_a_stored_row_leaves_nothing_of_its_own_insert(
    district: District, tmp_path: Path
) -> None:
    scenario, actual, meters, ids, kwh, stamps = district
    with open_store(tmp_path / "s.duckdb") as store:
        write_readings(store, scenario, actual, 0, 48, tmp_path)
        step = _batch(meters, ids, np.full(len(ids), stamps[48]), kwh[48])
        append_batch(store, step, file="f", checksum="c", fmt="replay")
        # half the batch is stored already (step 48), half is new (step 49)
        time = np.r_[np.full(len(ids), stamps[48]), np.full(len(ids), stamps[49])]
        ready = _batch(meters, np.r_[ids, ids], time, np.r_[kwh[48], kwh[49]])
        before = store.backend.execute("SELECT count(*) FROM readings")[0][0]
        result = append_batch(store, ready, file="f", checksum="c", fmt="replay")
        after = store.backend.execute("SELECT count(*) FROM readings")[0][0]
        assert result.accepted == len(ids) and result.duplicates == len(ids)
        assert after - before == len(ids)
        batches = store.backend.execute("SELECT count(*), max(id) FROM ingest_batches")[0]
        top = store.backend.execute("SELECT max(batch) FROM readings")[0][0]
        assert top == batches[1]  # the new rows carry the one batch written


def test_batches_are_numbered_in_store_order_whichever_path_or_store_wrote_them(
    district: District, tmp_path: Path
) -> None:
    """append_batch guesses its next number; a batch another path or another store of the
    same database wrote in between takes it first, and the key makes the guess give way."""
    scenario, actual, meters, ids, kwh, stamps = district
    path = tmp_path / "s.duckdb"
    with open_store(path) as store, open_store(path) as other:
        write_readings(store, scenario, actual, 0, 48, tmp_path)
        kw = {"file": "f", "fmt": "replay"}

        def step(t: int) -> PreparedReadings:
            return _batch(meters, ids, np.full(len(ids), stamps[t]), kwh[t])

        writers = [
            lambda r, c: append_batch(store, r, checksum=c, **kw),
            lambda r, c: append_batch(store, r, checksum=c, **kw),  # the guess holds
            lambda r, c: Store.write_batch(store, r, checksum=c, **kw),  # takes the guess
            lambda r, c: append_batch(store, r, checksum=c, **kw),  # stale: gives way
            lambda r, c: append_batch(other, r, checksum=c, **kw),
            lambda r, c: append_batch(store, r, checksum=c, **kw),  # stale again
        ]
        for t, write in enumerate(writers, start=48):
            assert write(step(t), f"c{t}").accepted == len(ids)
        rows = store.backend.execute(
            "SELECT b.id, b.checksum, count(r.batch), min(r.time) FROM ingest_batches b "
            "JOIN readings r ON r.batch = b.id WHERE b.checksum LIKE 'c%' GROUP BY ALL "
            "ORDER BY b.id"
        )
        first = rows[0][0]
        assert [r[0] for r in rows] == list(range(first, first + len(writers)))
        assert [r[1] for r in rows] == [f"c{t}" for t in range(48, 48 + len(writers))]
        assert all(r[2] == len(ids) for r in rows)
        assert [pd.Timestamp(r[3]).value for r in rows] == list(stamps[48 : 48 + len(writers)])
        assert store.batch_hint == first + len(writers)


def test_readings_another_store_wrote_are_found_though_this_one_saw_none_later(
    district: District, tmp_path: Path
) -> None:
    """A store appends without the anti join while no other batch came in between; a batch
    another store of the database wrote takes the guessed number, and the same readings
    sent again through the first store are duplicates, not stored twice."""
    scenario, actual, meters, ids, kwh, stamps = district
    path = tmp_path / "s.duckdb"
    with open_store(path) as store, open_store(path) as other:
        write_readings(store, scenario, actual, 0, 48, tmp_path)

        def step(t: int, shift: float = 0.0) -> PreparedReadings:
            return _batch(meters, ids, np.full(len(ids), stamps[t]), kwh[t] + shift)

        kw = {"file": "f", "fmt": "replay"}
        assert append_batch(store, step(48), checksum="a", **kw).accepted == len(ids)
        assert set(store.stored_until.values()) == {stamps[48]}
        assert append_batch(store, step(49), checksum="b", **kw).accepted == len(ids)
        assert set(store.stored_until.values()) == {stamps[49]}
        assert append_batch(other, step(50), checksum="c", **kw).accepted == len(ids)
        again = append_batch(store, step(50), checksum="d", **kw)
        assert again.accepted == 0 and again.duplicates == len(ids)
        clash = append_batch(store, step(50, 1.0), checksum="e", **kw)
        assert clash.accepted == 0 and clash.conflicts == len(ids)
        late = append_batch(store, step(51), checksum="f", **kw)
        assert late.accepted == len(ids)
        ((stored,),) = store.backend.execute(
            "SELECT count(*) FROM readings WHERE time = ?",
            (pd.Timestamp(stamps[50], tz="UTC").to_pydatetime(),),
        )
        assert stored == len(ids)
        assert set(store.stored_until.values()) == {stamps[51]}
