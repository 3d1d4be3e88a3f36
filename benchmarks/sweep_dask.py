"""A 20-point sweep of a 100-building district: serial against a 2-worker Dask LocalCluster.

Figures, not a timed test. The district is the Kladno example's stock repeated to 100
buildings; the sweep is ``buildings[*].pv.kwp`` (10 values) x ``seed`` (two diversity draws).
Prints the serial time, the Dask time with the cluster's start (end to end, as ``sparcs sweep
--executor dask`` runs it) and on a warm cluster (workers started and the engine imported),
the ratios, and whether the tables are identical. Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/sweep_dask.py [--points 20] [--buildings 100]
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from pathlib import Path

import pandas as pd

from sparcs.scale import ExecutorSpec
from sparcs.scenario import Scenario, load_scenario, scenario_from_dict
from sparcs.sweep import parse_param, run_sweep

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20, help="even number of points")
    parser.add_argument("--buildings", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scenario = district(args.buildings)
    kwp = ",".join(str(10 + 10 * i) for i in range(args.points // 2))
    params = [parse_param(f"buildings[*].pv.kwp={kwp}"), parse_param("seed=1,2")]
    print(f"{args.points} points x {args.buildings} buildings x 8,760 h, load {os.getloadavg()}")

    start = time.perf_counter()
    serial = run_sweep(scenario, params)
    t_serial = time.perf_counter() - start
    print(f"serial: {t_serial:.1f} s")

    start = time.perf_counter()
    cold = run_sweep(scenario, params, executor=ExecutorSpec("dask", workers=args.workers))
    t_cold = time.perf_counter() - start
    print(f"dask, {args.workers} workers, cluster start included: {t_cold:.1f} s")

    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            dashboard_address="127.0.0.1:0",  # any free port: 8787 may be taken
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: __import__("sparcs.sweep.points"))  # workers import the engine
        spec = ExecutorSpec("dask", scheduler=cluster.scheduler_address)
        start = time.perf_counter()
        warm = run_sweep(scenario, params, executor=spec)
        t_warm = time.perf_counter() - start
    print(f"dask, {args.workers} workers, warm cluster: {t_warm:.1f} s")
    for name, result in (("cold", cold), ("warm", warm)):
        pd.testing.assert_frame_equal(serial.table, result.table, check_exact=True)
        assert not result.errors, result.errors
        print(f"{name}: identical to serial ({len(result.table)} rows)")
    print(f"speed-up: {t_serial / t_cold:.2f}x end to end, {t_serial / t_warm:.2f}x warm")


if __name__ == "__main__":
    main()
