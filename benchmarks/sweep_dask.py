"""A 20-point sweep of a 100-building district: serial against a 2-worker Dask LocalCluster.

Figures, not a timed test. The district is the Kladno example's stock repeated to 100
buildings; the sweep is ``buildings[*].pv.kwp`` (10 values) x ``seed`` (two diversity draws).

Prints, for each of the three runs, wall time and CPU time (user + system) with the load
average at its start, and whether the tables are identical:

- **serial**: ``run_sweep`` in this process (CPU: this process);
- **dask, cold**: ``run_sweep`` with ``--executor dask`` as ``sparcs sweep`` runs it, the
  cluster's start included (CPU: every child process, from ``RUSAGE_CHILDREN`` once they
  have exited: the cluster's workers and the child that loads the shared weather while the
  cluster starts, ``sparcs.scale.ahead``). Run first, while no point has run in this
  process: the local cluster's workers are forked from it
  (``sparcs.scale.dask_backend.START_METHOD``), so after the serial run they would inherit its
  warm caches;
- **dask, warm**: on a cluster already started with the engine imported (CPU: per worker);
- **steady**: each way's second sweep in turn, serial in this process and on the same
  cluster, as a standing cluster (a city data centre's) and a long session run sweep after
  sweep: a process's first point runs ~0.25 s longer than the next (its memory mapped and
  touched afresh, ``docs/network.md``), which the first sweeps pay once per process.

Then ``--rounds`` (default 5) rounds of the serial and the cold sweep, each in a new Python
process of its own (as two runs of ``sparcs sweep`` would be), the two in turn and the order
swapped each round, tables checked identical; the **median** of the rounds' ratios is the
figure least moved by what else the shared machine runs in a given minute.

The speed-ups printed are wall ratios, and, because the machine this runs on is shared (wall
times depend on what else runs), the **CPU-bound ratio**: the serial run's CPU over the
busiest worker's CPU in the warm run, which is the wall ratio on two otherwise idle cores
(for the cold run: over the cluster's CPU shared evenly by its workers, an upper bound).
``--malloc-trim`` runs spawned Dask workers with Dask's own ``MALLOC_TRIM_THRESHOLD_=65536``
(what the workers had before ``sparcs.scale.dask_backend.WORKER_ENVIRON``); a forked worker
(Linux) keeps the driver's ``malloc`` settings, which glibc read when the driver started, so
there start the whole benchmark with the variable set instead. Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/sweep_dask.py [--points 20] [--buildings 100]
        [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from sparcs.scale import ExecutorSpec
from sparcs.scale.dask_backend import local_cluster
from sparcs.scenario import Scenario, load_scenario, scenario_from_dict
from sparcs.sweep import SweepResult, parse_param, run_sweep

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kladno-stock.toml"


def district(n_buildings: int) -> Scenario:
    """The Kladno stock repeated to ``n_buildings`` buildings (ids made unique)."""
    base = load_scenario(EXAMPLE)
    data = base.model_dump(mode="python", exclude={"buildings_file"})
    stock = data["buildings"]
    data["buildings"] = [
        {**stock[i % len(stock)], "id": f"{stock[i % len(stock)]['id']}-{i}"}
        for i in range(n_buildings)
    ]
    data["name"] = f"Kladno stock x{n_buildings}"
    return scenario_from_dict(data)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _worker_cpu() -> float:
    return _cpu(resource.RUSAGE_SELF)


def _timed(job: Callable[[], SweepResult]) -> tuple[SweepResult, float, float, float]:
    """The result, wall [s], this process's CPU [s] and its exited children's CPU [s]."""
    wall, cpu, children = (
        time.perf_counter(),
        _cpu(resource.RUSAGE_SELF),
        _cpu(resource.RUSAGE_CHILDREN),
    )
    result = job()
    return (
        result,
        time.perf_counter() - wall,
        _cpu(resource.RUSAGE_SELF) - cpu,
        _cpu(resource.RUSAGE_CHILDREN) - children,
    )


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _one(args: argparse.Namespace, scenario: Scenario, params: list[Any]) -> None:
    """Child of a round: one sweep (``--one serial|cold``) in this fresh process."""
    spec = ExecutorSpec("dask", workers=args.workers) if args.one == "cold" else None
    start = time.perf_counter()
    result = run_sweep(scenario, params, executor=spec)
    wall = time.perf_counter() - start
    result.table.to_pickle(args.table)
    print(f"{wall:.4f}")


def _in_fresh_process(args: argparse.Namespace, way: str, table: Path) -> float:
    """Wall time [s] of one sweep run ``way`` in a new Python process; its table to ``table``."""
    command = [sys.executable, __file__, "--points", str(args.points)]
    command += ["--buildings", str(args.buildings), "--workers", str(args.workers)]
    command += ["--one", way, "--table", str(table)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {way} sweep of a round failed:\n{done.stderr}")
    return float(done.stdout.split()[-1])


def _rounds(args: argparse.Namespace, serial: SweepResult) -> None:
    """Serial and cold sweeps, each in its own fresh process, in turn; the median ratio."""
    print(
        f"{args.rounds} rounds, serial and cold each in a fresh process, in turn (load {_load()})"
    )
    ratios = []
    with tempfile.TemporaryDirectory() as folder:
        for k in range(args.rounds):
            order = ("serial", "cold") if k % 2 == 0 else ("cold", "serial")
            walls = {}
            for way in order:
                table = Path(folder) / f"{way}-{k}.pkl"
                walls[way] = _in_fresh_process(args, way, table)
                pd.testing.assert_frame_equal(
                    serial.table,
                    pd.read_pickle(table),
                    check_exact=True,
                )
            ratios.append(walls["serial"] / walls["cold"])
            print(
                f"  round {k + 1} ({order[0]} first): serial {walls['serial']:.2f} s, "
                f"cold {walls['cold']:.2f} s, {ratios[-1]:.2f}x; tables identical"
            )
    shown = " / ".join(f"{r:.2f}" for r in ratios)
    print(
        f"speed-up, cold, fresh processes: median {statistics.median(ratios):.2f}x "
        f"(rounds {shown}; load {_load()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20, help="even number of points")
    parser.add_argument("--buildings", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--malloc-trim", action="store_true", help="Dask's default malloc trim")
    parser.add_argument(
        "--rounds", type=int, default=5, help="fresh-process rounds of serial and cold (0: none)"
    )
    parser.add_argument("--one", choices=["serial", "cold"], help=argparse.SUPPRESS)
    parser.add_argument("--table", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.malloc_trim:
        os.environ["MALLOC_TRIM_THRESHOLD_"] = "65536"  # inherited by the workers
    scenario = district(args.buildings)
    kwp = ",".join(str(10 + 10 * i) for i in range(args.points // 2))
    params = [parse_param(f"buildings[*].pv.kwp={kwp}"), parse_param("seed=1,2")]
    if args.one is not None:
        _one(args, scenario, params)
        return
    print(f"{args.points} points x {args.buildings} buildings x 8,760 h, {args.workers} workers")

    print(f"dask, cold: the cluster's start included (load {_load()})")
    spec = ExecutorSpec("dask", workers=args.workers)
    cold, t_cold, cpu_driver, cpu_cluster = _timed(
        lambda: run_sweep(scenario, params, executor=spec)
    )
    print(
        f"  wall {t_cold:.1f} s, CPU driver {cpu_driver:.1f} s + cluster {cpu_cluster:.1f} s "
        "(workers and weather child)"
    )

    print(f"serial (load {_load()})")
    serial, t_serial, cpu_serial, _ = _timed(lambda: run_sweep(scenario, params))
    print(f"  wall {t_serial:.1f} s, CPU {cpu_serial:.1f} s")
    print(f"serial, steady: the same again in this process (load {_load()})")
    serial_again, t_serial_again, _, _ = _timed(lambda: run_sweep(scenario, params))
    print(f"  wall {t_serial_again:.1f} s")

    from distributed import Client

    with local_cluster(args.workers) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("sparcs.sweep.points"))  # workers import the engine
        before: dict[str, Any] = client.run(_worker_cpu)
        print(f"dask, warm: workers started, engine imported (load {_load()})")
        warm_spec = ExecutorSpec("dask", scheduler=cluster.scheduler_address)
        warm, t_warm, cpu_warm_driver, _ = _timed(
            lambda: run_sweep(scenario, params, executor=warm_spec)
        )
        after: dict[str, Any] = client.run(_worker_cpu)
        print(f"dask, steady: the same again on that cluster (load {_load()})")
        steady, t_steady, _, _ = _timed(lambda: run_sweep(scenario, params, executor=warm_spec))
        print(f"  wall {t_steady:.1f} s")
    workers = sorted(after[w] - before[w] for w in after)
    shown = " + ".join(f"{c:.1f}" for c in workers)
    print(f"  warm: wall {t_warm:.1f} s, CPU driver {cpu_warm_driver:.1f} s, workers {shown} s")

    for name, result in (
        ("cold", cold),
        ("warm", warm),
        ("serial, steady", serial_again),
        ("steady", steady),
    ):
        pd.testing.assert_frame_equal(serial.table, result.table, check_exact=True)
        assert not result.errors, result.errors
        print(f"{name}: identical to serial ({len(result.table)} rows)")
    print(
        f"speed-up, wall: {t_serial / t_cold:.2f}x end to end, {t_serial / t_warm:.2f}x warm, "
        f"{t_serial_again / t_steady:.2f}x steady; "
        f"CPU-bound (serial CPU / busiest warm worker's CPU): {cpu_serial / workers[-1]:.2f}x, "
        f"cold {cpu_serial * args.workers / cpu_cluster:.2f}x; "
        f"CPU per point: serial {cpu_serial / args.points:.2f} s, "
        f"warm workers {sum(workers) / args.points:.2f} s"
    )
    if args.rounds > 0:
        _rounds(args, serial)


if __name__ == "__main__":
    main()
