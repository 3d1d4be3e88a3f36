"""On a real ``distributed.LocalCluster`` (2 worker processes, the scheduler in this process):
results equal serial runs bit for bit, a worker killed mid-task costs nothing, and a failing
point is reported while the others complete."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sparcs.scale import ExecutorSpec, map_points, open_session
from sparcs.scale.city_run import run_city
from sparcs.scale.dask_backend import START_METHOD, local_cluster
from sparcs.scale.worker_setup import HEARTBEAT_FAILED, ClosingHeartbeatFilter
from sparcs.scenario import Scenario
from sparcs.sweep import make_points, parse_param, run_point, run_sweep, sweep_table

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    # the cluster `--executor dask` starts, so the tests see its workers' settings
    with local_cluster(2) as local:
        yield local


def _spec(cluster: Any) -> ExecutorSpec:
    return ExecutorSpec("dask", scheduler=cluster.scheduler_address, retries=1)


def test_sweep_on_the_cluster_equals_the_serial_sweep(small: Scenario, cluster: Any) -> None:
    params = [parse_param("buildings[flats].pv.kwp=10,-1"), parse_param("seed=1,2")]
    serial = run_sweep(small, params)
    spread = run_sweep(small, params, executor=_spec(cluster))
    assert len(spread.table) == 2
    pd.testing.assert_frame_equal(serial.table, spread.table, check_exact=True)
    # the failing points are named; the other two completed
    assert [label for label, _ in spread.errors] == [
        "buildings[flats].pv.kwp=-1, seed=1",
        "buildings[flats].pv.kwp=-1, seed=2",
    ]
    assert all("pv.kwp: -1 must be greater than 0" in error for _, error in spread.errors)
    assert spread.errors == serial.errors


def test_one_session_runs_two_fan_outs_on_one_client(small: Scenario, cluster: Any) -> None:
    params = [parse_param("seed=1,2")]
    points = make_points(small, params)
    labels = [p.label for p in points]

    def table(outcomes: Iterator[Any]) -> pd.DataFrame:
        done = {o.index: o.value for o in outcomes}
        return sweep_table(params, [done[i] for i in sorted(done)])

    with open_session(_spec(cluster)) as session:
        first = table(session.map(run_point, points, labels))
        again = table(session.map(run_point, points, labels))
        assert session.client.status == "running"
    assert session.client.status == "closed"  # closed with the session
    serial = sweep_table(params, [run_point(p) for p in points])
    pd.testing.assert_frame_equal(first, serial, check_exact=True)
    pd.testing.assert_frame_equal(again, serial, check_exact=True)


def _worker_settings(dask_worker: Any) -> dict[str, Any]:
    import gc
    import logging

    import dask

    filters = logging.getLogger("distributed.worker").filters
    return {
        "profile": dask.config.get("distributed.worker.profile.enabled"),
        **{k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")},
        # forked from the driver while its objects were frozen (a spawned worker has none)
        "forked": gc.get_freeze_count() > 0,
        "quiet close": any(isinstance(f, ClosingHeartbeatFilter) for f in filters),
        # milliseconds between wake-ups that take the GIL from the computing thread
        "housekeeping ms": {
            name: dask_worker.periodic_callbacks[name].callback_time
            for name in ("tick", "monitor", "memory_monitor")
        },
    }


def test_the_workers_run_points_as_fast_as_the_driver(cluster: Any) -> None:
    # Dask's MALLOC_TRIM_THRESHOLD_ turns glibc's dynamic mmap threshold off, and its
    # profiler samples every thread every 10 ms: a sweep point cost 0.91 s of CPU on a worker
    # against 0.65 s in the driver (docs/network.md, "Sweep speed")
    with distributed.Client(cluster, set_as_default=False) as client:
        environ = client.run(_worker_settings)
    assert len(environ) == 2
    expected = {
        "profile": False,
        "MALLOC_TRIM_THRESHOLD_": None,
        "OMP_NUM_THREADS": "1",
        "forked": START_METHOD == "fork",
        "quiet close": True,
        "housekeeping ms": {"tick": 1000, "monitor": 2000, "memory_monitor": 500},
    }
    assert all(env == expected for env in environ.values())


def test_distributed_is_imported_with_nothing_left_frozen() -> None:
    # imported with the collector's objects frozen (no full collections walking the engine's
    # objects); a freeze left behind would keep every object of the process from collection
    code = (
        "import gc, sys\n"
        "from sparcs.scale.dask_backend import _distributed\n"
        "assert 'distributed' not in sys.modules\n"
        "module = _distributed()\n"
        "print(gc.get_freeze_count(), gc.isenabled(), module is sys.modules['distributed'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "True", "True"]


def _kill_first_busy_worker(address: str, prefix: str, killed: list[tuple[str, int]]) -> None:
    """Kill (SIGKILL) the first worker seen processing one of our tasks."""
    with distributed.Client(address, set_as_default=False) as client:
        pids = client.run(os.getpid)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            for worker, keys in client.processing().items():
                ours = [k for k in keys if str(k).startswith(prefix)]
                if ours and worker in pids:
                    time.sleep(0.3)  # inside the task by now: the import is cached per worker
                    os.kill(pids[worker], signal.SIGKILL)
                    killed.append((str(ours[0]), pids[worker]))
                    return
            time.sleep(0.05)


def _dead(pid: int, wait_s: float = 10.0) -> bool:
    """Whether process ``pid`` has ended: gone, or a zombie its parent has not reaped yet.

    A forked worker is a child of this test process (the nanny runs here), and until the nanny
    reaps it a killed worker stays in the process table as a zombie that ``kill(pid, 0)`` finds.
    """
    deadline = time.monotonic() + wait_s
    while True:
        try:
            os.kill(pid, 0)
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (ProcessLookupError, FileNotFoundError):
            return True
        if state == "Z" or time.monotonic() > deadline:
            return state == "Z"
        time.sleep(0.05)


def test_a_worker_killed_mid_task_is_replaced_and_the_result_is_the_same(
    small: Scenario, cluster: Any
) -> None:
    points = make_points(small, [parse_param("buildings[flats].pv.kwp=15,25,35")])
    labels = [p.label for p in points]
    serial = [run_point(p) for p in points]
    killed: list[tuple[str, int]] = []
    killer = threading.Thread(
        target=_kill_first_busy_worker, args=(cluster.scheduler_address, "sparcs-", killed)
    )
    killer.start()
    outcomes = list(map_points(run_point, points, labels, _spec(cluster)))
    killer.join()
    assert len(killed) == 1, "no worker was seen running a task"
    assert _dead(killed[0][1])  # that process is gone
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    params = points[0].params
    spread = [o.value for o in sorted(outcomes, key=lambda o: o.index) if o.value is not None]
    pd.testing.assert_frame_equal(
        sweep_table(params, spread), sweep_table(params, serial), check_exact=True
    )


def test_a_city_scale_run_on_the_cluster_equals_the_local_run(cluster: Any) -> None:
    from test_city_scale import kladno

    scenario = kladno()
    local = run_city(scenario, block_size=3, chunk_blocks=3)
    spread = run_city(scenario, block_size=3, chunk_blocks=1, executor=_spec(cluster))
    assert spread.n_chunks == 3
    assert spread.kpis.to_dict() == local.kpis.to_dict()


def test_sparcs_run_on_the_cluster_writes_what_a_local_run_computes(
    cluster: Any, tmp_path: Path
) -> None:
    from network_districts import write_small
    from typer.testing import CliRunner

    from sparcs.cli import app
    from sparcs.runner import run

    files = [write_small(tmp_path, "a", "kladno"), write_small(tmp_path, "b", "lviv")]
    out = tmp_path / "out"
    args = ["run", *map(str, files), "--out", str(out), "--executor", "dask"]
    result = CliRunner().invoke(app, [*args, "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    for path in files:
        written = json.loads((out / path.stem / "kpis.json").read_text(encoding="utf-8"))
        local = json.loads(json.dumps(run(path).kpis.to_dict(), default=float))
        assert written["kpis"] == local["kpis"]
        assert written["ped"] == local["ped"]


def test_a_closing_worker_drops_only_its_failed_heartbeat_record() -> None:
    # dask/distributed#7105: a heartbeat in flight while a worker closes fails with a
    # traceback at ERROR level; a worker that is running still reports it
    from distributed.core import Status

    class Worker:  # what the filter reads of a distributed.Worker: its status
        status = Status.running

    worker = Worker()
    quiet = ClosingHeartbeatFilter(worker)

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("distributed.worker", logging.ERROR, "", 0, message, (), None)

    assert quiet.filter(record(f"{HEARTBEAT_FAILED}."))
    for status in (Status.closing, Status.closing_gracefully, Status.closed):
        worker.status = status
        assert not quiet.filter(record(f"{HEARTBEAT_FAILED}."))
        assert quiet.filter(record("Worker stream died during communication"))
