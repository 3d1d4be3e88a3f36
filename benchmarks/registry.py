"""Registry of benchmark cases: name -> (function of size returning phase timings, default
sizes)."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sparcs.climate import load_weather
from sparcs.profiles.build import build_inputs
from sparcs.testing import synthetic_district

if TYPE_CHECKING:
    from sparcs.planning import PlanConfig
    from sparcs.scenario import Scenario

__all__ = ["CASES"]


def profiles_case(n_buildings: int) -> dict[str, float]:
    """Weather plus every profile for a synthetic district in Leipzig, one year hourly."""
    scenario = synthetic_district(n_buildings, city="leipzig", seed=1)
    t0 = time.perf_counter()
    weather = load_weather(scenario)
    t1 = time.perf_counter()
    inputs = build_inputs(scenario, weather)
    t2 = time.perf_counter()
    assert inputs.building["electricity_kw"].shape == (8760, n_buildings)
    return {"weather_s": t1 - t0, "profiles_s": t2 - t1, "total_s": t2 - t0}


CASES: dict[str, tuple[Callable[[int], dict[str, float]], tuple[int, ...]]] = {
    "profiles": (profiles_case, (1, 100, 1000)),
}


def _cpu() -> tuple[float, float, int]:
    """User and system CPU seconds and minor page faults of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime, usage.ru_minflt


def simulation_case(n_buildings: int) -> dict[str, float]:
    """Rule-based simulation plus all KPIs for a synthetic Leipzig district, one year hourly.

    Profile generation is timed separately (``profiles_s``) so the simulation figure is the
    operation and KPI cost alone. ``user_s`` and ``sys_s`` split the simulation and KPI time
    into the package's own computing and the kernel's work, which is mostly committing fresh
    memory (``faults_k``: thousands of minor page faults, one per 4 KiB page written first).
    """
    from sparcs.kpi import compute_kpis
    from sparcs.operation.rule import simulate

    scenario = synthetic_district(n_buildings, city="leipzig", seed=1)
    t0 = time.perf_counter()
    inputs = build_inputs(scenario, load_weather(scenario))
    t1 = time.perf_counter()
    before = _cpu()
    flows = simulate(scenario, inputs)
    t2 = time.perf_counter()
    report = compute_kpis(flows, scenario)
    t3 = time.perf_counter()
    after = _cpu()
    assert report.verdict.ped_class
    return {
        "profiles_s": t1 - t0,
        "simulate_s": t2 - t1,
        "kpis_s": t3 - t2,
        "sim_kpi_s": t3 - t1,
        "user_s": after[0] - before[0],
        "sys_s": after[1] - before[1],
        "faults_k": (after[2] - before[2]) / 1e3,
    }


def memory_floor_case(n_buildings: int) -> dict[str, float]:
    """The machine's price of fresh memory, in the state the simulation case measures in.

    Builds the same inputs as ``simulation``, then copies every building profile once
    (column-major, like the flows): nothing but first writes into new memory, as many bytes
    per building at every size. On bare metal this costs a fraction of a second per GB at
    any size; where a virtual machine hands freed memory back to its host, the first write
    of each page beyond the pages the guest still holds faults through to the host, so the
    cost per GB grows with the size. Read ``simulation`` against it.
    """
    scenario = synthetic_district(n_buildings, city="leipzig", seed=1)
    inputs = build_inputs(scenario, load_weather(scenario))
    arrays = [a for a in inputs.building.values() if a.ndim == 2]
    before = _cpu()
    t0 = time.perf_counter()
    copies = [np.array(a, order="F") for a in arrays]
    elapsed = time.perf_counter() - t0
    after = _cpu()
    written_gb = sum(c.nbytes for c in copies) / 1e9
    return {
        "written_gb": written_gb,
        "write_s": elapsed,
        "s_per_gb": elapsed / written_gb,
        "sys_s": after[1] - before[1],
        "faults_k": (after[2] - before[2]) / 1e3,
    }


CASES["simulation"] = (simulation_case, (1, 100, 1000, 10000))
CASES["memory_floor"] = (memory_floor_case, (1, 100, 1000, 10000))


def dispatch_case(n_hours: int) -> dict[str, float]:
    """Reference dispatch LP (``benchmarks/dispatch``), one building: direct build and sparcs.

    Both objectives must match the spec's reference within a relative 1e-6. The full peer
    comparison (linopy, PyPSA, oemof-solph; up to 100 buildings) is
    ``benchmarks/dispatch/run_dispatch.py``.
    """
    from dispatch import direct, sparcs_model
    from dispatch.generator import generate
    from dispatch.reference import OBJECTIVE_RTOL, REFERENCE, relative_difference

    data = generate(1, n_hours)
    base = direct.solve(data)
    mine = sparcs_model.solve(data)
    reference = REFERENCE[(1, n_hours)].objective
    for result in (base, mine):
        assert relative_difference(result.objective, reference) < OBJECTIVE_RTOL, result
    return {
        "direct_build_s": base.build_s,
        "direct_solve_s": base.solve_s,
        "sparcs_build_s": mine.build_s,
        "sparcs_solve_s": mine.solve_s,
        "sparcs_over_direct": mine.total_s / base.total_s,
    }


CASES["dispatch"] = (dispatch_case, (168, 8760))


def _planning(n_buildings: int, *, verify: bool) -> dict[str, float]:
    from sparcs.planning import PlanConfig, plan_district

    scenario = synthetic_district(n_buildings, city="leipzig", seed=1)
    config = PlanConfig(
        typical_days=12, verify=verify, measure_economics=False, max_typical_days=12
    )
    t0 = time.perf_counter()
    result = plan_district(scenario, config)
    total = time.perf_counter() - t0
    assert result.plan.total_annual_cost_eur <= result.baseline.total_annual_cost_eur + 1e-6
    t = result.timings
    out = {
        "profiles_s": t["profiles_s"],
        "aggregation_s": t["aggregation_s"],
        "build_s": t["build_s"],
        "solve_s": t["solve_s"],
        "total_s": total,
        "lp_columns_k": result.size["columns"] / 1e3,
    }
    check = result.verification
    if check is not None:
        out |= {
            "verify_s": t["verify_s"],
            "cost_err_pct": 100 * check.cost_error,
            "pe_err_pct": 100 * check.pe_error,
            "co2_err_pct": 100 * check.co2_error,
        }
    return out


def planning_case(n_buildings: int) -> dict[str, float]:
    """``sparcs plan`` sizing on 12 typical days for a synthetic Leipzig district.

    Candidates: PV, batteries, heat pumps, tanks, EV charge-point power and retrofits;
    baseline and cost-optimal plan (two solves of the sizing LP); no full-year re-run.
    """
    return _planning(n_buildings, verify=False)


def planning_check_case(n_buildings: int) -> dict[str, float]:
    """As ``planning`` plus the full-year re-run of the plan: the typical-day error [%]."""
    return _planning(n_buildings, verify=True)


CASES["planning"] = (planning_case, (10, 100))
CASES["planning_check"] = (planning_check_case, (2, 10))


from mv_baselines import mv_daily_case, mv_hourly_case  # noqa: E402  (benchmarks/ is on sys.path)

CASES["mv_daily"] = (mv_daily_case, (10, 1000))
CASES["mv_hourly"] = (mv_hourly_case, (1, 100))

from settlement import settlement_case, settlement_csv_case, settlement_tight_case  # noqa: E402

CASES["settlement"] = (settlement_case, (10, 1000))
CASES["settlement_csv"] = (settlement_csv_case, (10, 1000))
CASES["settlement_tight"] = (settlement_tight_case, (10, 1000))


def _meter_files(folder, n_meters: int, per_file: int = 100):  # type: ignore[no-untyped-def]
    """Long CSVs of ``n_meters`` meters x one year x 15 min, ``per_file`` meters a file."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from sparcs.monitoring.ingest import MeterSpec

    time = pd_index = __import__("pandas").date_range(
        "2025-01-01", periods=35040, freq="15min", tz="UTC"
    )
    stamps = pa.array(pd_index.strftime("%Y-%m-%dT%H:%MZ"))
    del time
    rng = np.random.default_rng(1)
    meters, paths = {}, []
    for start in range(0, n_meters, per_file):
        ids = [f"m{i:05d}" for i in range(start, min(start + per_file, n_meters))]
        meters |= {
            i: MeterSpec(
                id=i, node="district", quantity="grid_import_kwh", unit="kWh", resolution="PT15M"
            )
            for i in ids
        }
        n = len(ids) * len(stamps)
        table = pa.table(
            {
                "time": pa.concat_arrays([stamps] * len(ids)),
                "meter": pa.array(np.repeat(np.array(ids, dtype=object), len(stamps))),
                "value": pa.array(np.round(rng.gamma(2.0, 0.5, n), 3)),
            }
        )
        path = folder / f"meters_{start:05d}.csv"
        pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))
        paths.append(path)
    return meters, paths


def _ingest(n_meters: int, url_of) -> dict[str, float]:  # type: ignore[no-untyped-def]
    import tempfile
    from pathlib import Path

    from sparcs.store import ingest_file, open_store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        meters, paths = _meter_files(folder, n_meters)
        t1 = time.perf_counter()
        with open_store(url_of(folder)) as store:
            c1 = time.process_time()
            accepted = sum(ingest_file(store, p, meters).accepted for p in paths)
            t2, c2 = time.perf_counter(), time.process_time()
            again = sum(ingest_file(store, p, meters).accepted for p in paths)
            t3, c3 = time.perf_counter(), time.process_time()
            rows = store.count("readings")
    assert accepted == rows == n_meters * 35040 and again == 0
    return {
        "readings_m": rows / 1e6,
        "write_csv_s": t1 - t0,
        "ingest_s": t2 - t1,
        "reingest_s": t3 - t2,
        # CPU seconds of this process (all threads): less at the mercy of a loaded machine
        "ingest_cpu_s": c2 - c1,
        "reingest_cpu_s": c3 - c2,
        "readings_per_s_k": rows / (t2 - t1) / 1e3,
    }


def ingest_duckdb_case(n_meters: int) -> dict[str, float]:
    """``sparcs ingest`` of long CSVs (100 meters a file, one year at 15 min) into DuckDB.

    Target (issue 13): 1,000 meters (35 M readings) under 60 s and 4 GB; the re-ingest adds 0.
    """
    return _ingest(n_meters, lambda folder: str(folder / "bench.duckdb"))


def ingest_postgres_case(n_meters: int) -> dict[str, float]:
    """As ``ingest_duckdb`` into a throw-away PostgreSQL cluster (COPY into a temp table, then
    one INSERT ... WHERE NOT EXISTS against the primary key; fsync off, as for a bulk load)."""
    from sparcs.store.local_server import LocalServer

    with LocalServer() as server:
        return _ingest(n_meters, lambda folder: server.new_database())


CASES["ingest_duckdb"] = (ingest_duckdb_case, (10, 100, 1000))
CASES["ingest_postgres"] = (ingest_postgres_case, (10, 100, 1000))


def plan_targets_case(n_buildings: int) -> dict[str, float]:
    """``sparcs plan`` with a CO2 target and full-period verification (issue 19).

    A synthetic Leipzig district, :func:`~sparcs.planning.typical_days_for` its size (8
    typical days for 100 buildings, 12 for 2); the target is 70 % of the district's
    emissions under the rule strategy as it is. The plan is rounded, operated optimally
    over the full year, measured by the KPIs and tightened until the target holds within
    0.5 %; the figures give the time, the tightenings and the verified CO2 over the target.
    """
    import sparcs
    from sparcs.lp.status import SolverOptions
    from sparcs.planning import PlanConfig, Target, typical_days_for

    scenario = synthetic_district(n_buildings, city="leipzig", seed=1)
    co2 = sparcs.run(scenario, strategy="rule").kpis["co2"].value
    # HiGHS's time limit is wall-clock: on a shared machine the cold sizing solve can pass the
    # default 600 s, so the benchmark gives it an hour (a quiet machine needs ~100 s)
    config = PlanConfig(
        typical_days=typical_days_for(n_buildings),
        measure_economics=False,
        targets=(Target("co2", 0.7 * co2),),
        options=SolverOptions(time_limit_s=3600.0),
    )
    return timed_plan(scenario, config, 0.7 * co2)


def timed_plan(scenario: Scenario, config: PlanConfig, co2_target: float) -> dict[str, float]:
    """Wall time of ``plan_district`` by stage, and the CPU time of this process and of its
    children (the forked full-year operations and their windows) [s]."""
    from sparcs.planning import plan_district

    before = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    t0 = time.perf_counter()
    result = plan_district(scenario, config)
    total = time.perf_counter() - t0
    after = (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    check = result.verification
    assert check is not None
    t = result.timings
    return {
        "total_s": total,
        "user_cpu_s": sum(a.ru_utime - b.ru_utime for a, b in zip(after, before, strict=True)),
        "sys_cpu_s": sum(a.ru_stime - b.ru_stime for a, b in zip(after, before, strict=True)),
        "solve_s": t["solve_s"],
        "verify_s": t["verify_s"],
        "targets_s": t.get("targets_s", 0.0),
        "tightenings": len(check.corrections) - 1,
        "co2_over_target_pct": 100 * (result.plan.co2_kg / co2_target - 1),
        "holds": float(check.targets_hold),
    }


CASES["plan_targets"] = (plan_targets_case, (2, 100))


def _live_setup(n_buildings: int, timestep: str):  # type: ignore[no-untyped-def]
    from sparcs.climate import load_weather
    from sparcs.profiles.build import build_inputs

    scenario = synthetic_district(n_buildings, city="leipzig", seed=1, timestep=timestep)
    t0 = time.perf_counter()
    inputs = build_inputs(scenario, load_weather(scenario))
    return scenario, inputs, time.perf_counter() - t0


def _rss_mb() -> float:
    """Resident memory of this process now [MB] (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def operate_cycle_case(n_buildings: int) -> dict[str, float]:
    """Live cycles, 48 h at 15 min, from 28 days of stored readings (issue: < 5 s, < 1 GB).

    ``cycle_*``: the first cycle of a district (the LP built and solved from a cold start,
    as a one-off ``sparcs operate``); ``next_*``: the cycle one step later with the same
    :class:`~sparcs.live.cycle.Operator` (the LP updated in HiGHS and warm-started), as the
    loop and the server run them. ``rss_mb``: resident memory after the cycles; ``peak_mb``
    (from the runner) includes building a year of profiles.
    """
    import tempfile
    from pathlib import Path

    import pandas as pd

    from sparcs.live.cycle import Operator, operate_cycle
    from sparcs.live.replay import write_readings
    from sparcs.store import open_store

    scenario, inputs, inputs_s = _live_setup(n_buildings, "15min")
    now = int(inputs.time.searchsorted(pd.Timestamp("2025-04-15T12:00Z")))
    figures: dict[str, float] = {"inputs_s": inputs_s}
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "b.duckdb") as store:
        write_readings(store, scenario, inputs, now - 28 * 96, now + 1, Path(tmp))
        operator = Operator()
        for name, step in (("cycle", now), ("next", now + 1)):
            cpu0 = _cpu()
            t0 = time.perf_counter()
            cycle = operate_cycle(
                scenario, store, inputs, now=inputs.time[step], horizon_h=48, operator=operator
            )
            figures[f"{name}_s"] = time.perf_counter() - t0
            cpu1 = _cpu()
            figures[f"{name}_cpu_s"] = cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]
            assert cycle.strategy == "optimal", cycle.fallbacks
        figures["rss_mb"] = _rss_mb()
    figures["assets"] = float(len(cycle.schedule))
    figures["lp_builds"] = float(operator.model.builds)
    return figures


def operate_loop_case(n_cycles: int) -> dict[str, float]:
    """``n_cycles`` consecutive 15-min cycles of a 10-building district through the loop.

    The loop (:func:`~sparcs.live.loop.run_loop`, persistence forecasts, 48 h horizon) runs
    from stored readings and keeps every cycle in the store, one LP kept across cycles.
    ``year_min`` extrapolates the CPU time per cycle to the 35,040 cycles of a year [min]
    (issue: a year in under 15 min); the first cycle (cold) is left out of the per-cycle
    figures and counted once.
    """
    import tempfile
    from pathlib import Path

    import pandas as pd

    from sparcs.live.cycle import Operator
    from sparcs.live.loop import run_loop
    from sparcs.live.replay import write_readings
    from sparcs.store import open_store

    scenario, inputs, _ = _live_setup(10, "15min")
    start = int(inputs.time.searchsorted(pd.Timestamp("2025-04-15T00:00Z")))
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "l.duckdb") as store:
        write_readings(store, scenario, inputs, start - 28 * 96, start + n_cycles, Path(tmp))
        operator = Operator()
        first = run_loop(
            scenario, store, inputs, district="d", cycles=1, start=inputs.time[start],
            horizon_h=48, forecaster="persistence", operator=operator,
        )  # fmt: skip
        cpu0 = _cpu()
        t0 = time.perf_counter()
        rest = run_loop(
            scenario, store, inputs, district="d", cycles=n_cycles - 1,
            start=inputs.time[start + 1], horizon_h=48, forecaster="persistence",
            operator=operator,
        )  # fmt: skip
        wall = time.perf_counter() - t0
        cpu1 = _cpu()
    cpu = cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]
    per_cycle = cpu / (n_cycles - 1)
    return {
        "cycles": float(len(first.kept) + len(rest.kept)),
        "failed": float(len(first.failed) + len(rest.failed)),
        "wall_per_cycle_s": wall / (n_cycles - 1),
        "cpu_per_cycle_s": per_cycle,
        "year_min": per_cycle * 35_040 / 60,
        "lp_builds": float(operator.model.builds),
    }


def replay_case(days: int) -> dict[str, float]:
    """Hourly cycles of a 10-building district replayed over ``days`` days."""
    import tempfile
    from pathlib import Path

    import pandas as pd

    from sparcs.live.replay import replay
    from sparcs.store import open_store

    scenario, inputs, _ = _live_setup(10, "1h")
    start = int(inputs.time.searchsorted(pd.Timestamp("2025-04-01T00:00Z")))
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "r.duckdb") as store:
        cpu0 = _cpu()
        t0 = time.perf_counter()
        result = replay(scenario, inputs, store, start=start, steps=24 * days)
        wall = time.perf_counter() - t0
        cpu1 = _cpu()
    return {
        "replay_s": wall,
        "per_cycle_s": wall / (24 * days),
        "cpu_per_cycle_s": (cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]) / (24 * days),
        "cost_eur": result.cost_eur,
        "perfect_eur": result.perfect_cost_eur,
        "gap": result.gap,
        "bill_eur": result.bill_eur,
        "perfect_bill_eur": result.perfect_bill_eur,
        "rule_bill_eur": result.rule_bill_eur,
        "ev_short_kwh": result.ev_short_kwh,
        "fallbacks": float(result.fallbacks),
    }


CASES["operate_cycle"] = (operate_cycle_case, (10, 100))
CASES["operate_loop"] = (operate_loop_case, (8, 96))
CASES["replay"] = (replay_case, (2, 7))

from monthly_kpis import monthly_kpis_case  # noqa: E402

CASES["monthly_kpis"] = (monthly_kpis_case, (10, 1000))
