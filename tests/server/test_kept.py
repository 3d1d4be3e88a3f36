"""What a server process keeps between requests: computed once, never served past a write."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sparcs.server import ServerSettings
from sparcs.server.app import create_app
from sparcs.server.cache import DataStamp, Kept
from sparcs.server.state import ServerState
from sparcs.store import open_store
from sparcs.store.local_server import LocalServer
from sparcs.store.network import City, District, put_record
from sparcs.store.tokens import create_token


def test_one_thread_computes_a_missing_value_the_others_wait_for_it() -> None:
    kept, calls = Kept(), []
    start = threading.Barrier(16)

    def load() -> int:
        calls.append(1)
        time.sleep(0.05)
        return 42

    def ask(out: list[int]) -> None:
        start.wait()
        out.append(kept.compute("k", 1, load))

    answers: list[int] = []
    threads = [threading.Thread(target=ask, args=(answers,)) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [42] * 16 and len(calls) == 1
    assert kept.compute("k", 2, lambda: 43) == 43  # another version is computed again
    assert kept.lookup("k", 1) is None and kept.lookup("k", 2) == (43,)


def test_a_failed_load_keeps_nothing_and_old_values_age_out() -> None:
    kept = Kept()

    def broken() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        kept.compute("k", 1, broken)
    assert kept.lookup("k", 1) is None
    kept.compute("k", 1, lambda: 1)
    assert kept.lookup("k", 1, max_age_s=60.0) == (1,)
    assert kept.lookup("k", 1, max_age_s=0.0) is None
    small = Kept(limit=4)
    for key in range(10):
        small.compute(key, 0, lambda: 0)
    assert len(small._values) <= 4 and small.lookup(9, 0) == (0,)


def test_the_stamp_is_read_again_after_its_interval() -> None:
    stamp = DataStamp(every_s=1.0)
    assert stamp.current(now=0.0) is None
    assert stamp.update(3, now=0.0) == (3, 0) == stamp.current(now=0.5)
    stamp.changed()
    assert stamp.current(now=0.5) == (3, 1)
    assert stamp.current(now=1.0) is None


def _readings(client: TestClient, headers: dict[str, str]) -> dict[str, object]:
    found = client.get("/api/v1/readings", params={"meter": "m"}, headers=headers)
    assert found.status_code == 200, found.text
    return {"etag": found.headers["ETag"], "total": found.json()["total"]}


def test_readings_kept_until_a_batch_arrives_with_etag(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    with open_store(db) as store:
        put_record(store, City("maia", "Maia", "Europe/Lisbon"))
        put_record(store, District("centro", "maia", "Centro"))
        token = create_token(store, role="operator", district="centro")[0]
    headers = {"Authorization": f"Bearer {token}"}
    settings = ServerSettings(db=db, data_dir=tmp_path / "data", run_jobs=False)
    with TestClient(create_app(settings)) as client:
        meter = {"id": "m", "node": "district", "quantity": "grid_import_kwh", "unit": "kWh",
                 "resolution": "PT1H", "district": "centro"}  # fmt: skip
        assert client.post("/api/v1/meters", json=meter, headers=headers).status_code == 201
        empty = _readings(client, headers)
        assert empty["total"] == 0
        unchanged = client.get(
            "/api/v1/readings", params={"meter": "m"},
            headers=headers | {"If-None-Match": str(empty["etag"])},
        )  # fmt: skip
        assert unchanged.status_code == 304
        rows = [{"time": f"2025-03-01T0{h}:00:00Z", "meter": "m", "value": 1.5} for h in range(3)]
        posted = client.post("/api/v1/readings", json={"readings": rows}, headers=headers)
        assert posted.json()["accepted"] == 3
        after = _readings(client, headers)  # at once: the write moved the stamp
        assert after["total"] == 3 and after["etag"] != empty["etag"]


def test_a_write_in_one_process_reaches_the_others_on_postgresql(
    pg_server: LocalServer, tmp_path: Path
) -> None:
    url = pg_server.new_database()
    open_store(url).close()
    states = [ServerState(ServerSettings(db=url, data_dir=tmp_path / f"d{i}")) for i in (0, 1)]
    try:
        assert all(s.shares_store for s in states)
        before = states[1].stamp.changes
        states[0].changed()
        deadline = time.monotonic() + 10
        while states[1].stamp.changes == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert states[1].stamp.changes > before
    finally:
        for state in states:
            state.close()
