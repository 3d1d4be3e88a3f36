"""A city-scale district on a 2-worker Dask LocalCluster: time end to end and memory per worker.

Figures, not a timed test. The district is the Kladno example's stock repeated to
``--buildings`` buildings (ids made unique; the district's own assets and grid limits
dropped: a city-scale run resolves the district meter only), 8,760 hourly steps, rule
simulation and every KPI, blocks of 100 buildings, ``--chunk-blocks`` blocks per task. Prints
the time of building the scenario and of the run, the peak resident memory (``ru_maxrss``,
which for a worker forked from the driver includes the driver's pages it shares) and, for a
worker, its private memory at the end, the CPU time of each worker process and of the driver,
and the PED verdict. Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/city_scale.py [--buildings 100000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from sparcs.scale import ExecutorSpec
from sparcs.scale.city_run import run_city
from sparcs.scale.dask_backend import local_cluster
from sparcs.scenario import Scenario, load_scenario, scenario_from_dict

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kladno-stock.toml"


def district(n_buildings: int) -> Scenario:
    """The Kladno stock repeated to ``n_buildings`` buildings, coupled by the meter only."""
    data = load_scenario(EXAMPLE).model_dump(mode="python", exclude={"buildings_file"})
    stock = data["buildings"]
    data["buildings"] = [
        {**stock[i % len(stock)], "id": f"{stock[i % len(stock)]['id']}-{i}"}
        for i in range(n_buildings)
    ]
    data |= {"name": f"Kladno stock x{n_buildings}", "grid": {}, "district": {}}
    return scenario_from_dict(data)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _private_gb() -> float:
    """Memory of this process that no other process shares (Private_* of smaps_rollup) [GB].

    A worker forked from the driver counts the driver's pages it inherited in its resident
    set (``ru_maxrss``) though they are shared; its private memory is what it added.
    """
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        fields = dict(line.split(":", 1) for line in rollup if ":" in line)
    kb = sum(int(fields[k].split()[0]) for k in ("Private_Clean", "Private_Dirty") if k in fields)
    return kb / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-blocks", type=int, default=10)
    args = parser.parse_args()
    print(
        f"{args.buildings:,} buildings x 8,760 h on {args.workers} workers, load {os.getloadavg()}"
    )
    start = time.perf_counter()
    scenario = district(args.buildings)
    print(f"scenario built and validated: {time.perf_counter() - start:.1f} s")

    from distributed import Client

    start = time.perf_counter()
    cpu_before = _cpu(resource.RUSAGE_SELF)
    # the cluster `--executor dask` starts (sparcs.scale.dask_backend.local_cluster)
    with local_cluster(args.workers) as cluster, Client(cluster) as client:
        spec = ExecutorSpec("dask", scheduler=cluster.scheduler_address)
        done = []

        def progress(n: int, total: int) -> None:
            done.append(n)
            if n % max(1, total // 10) == 0 or n == total:
                print(f"  {n}/{total} chunks, {time.perf_counter() - start:.0f} s", flush=True)

        result = run_city(
            scenario, chunk_blocks=args.chunk_blocks, executor=spec, on_chunk=progress
        )
        wall = time.perf_counter() - start
        peaks = client.run(_peak_rss_gb)
        private = client.run(_private_gb)
        worker_cpu = client.run(_cpu, resource.RUSAGE_SELF)
    print(
        f"run (cluster start, {result.n_chunks} chunks of {args.chunk_blocks} blocks, KPIs): "
        f"{wall:.1f} s"
    )
    for worker, gb in sorted(peaks.items()):
        print(
            f"peak RSS worker {worker}: {gb:.2f} GB (private at the end {private[worker]:.2f} GB),"
            f" CPU {worker_cpu[worker]:.1f} s"
        )
    print(f"CPU driver: {_cpu(resource.RUSAGE_SELF) - cpu_before:.1f} s, load {os.getloadavg()}")
    print(f"peak RSS driver: {_peak_rss_gb():.2f} GB")
    kpis = result.kpis
    print(
        f"{kpis.verdict.ped_class}; final energy {kpis['final_energy'].value / 1e6:,.1f} GWh, "
        f"PEB {kpis['peb'].value / 1e6:,.1f} GWh_PE, "
        f"peak import {kpis['peak_import'].value:,.0f} kW"
    )


if __name__ == "__main__":
    main()
