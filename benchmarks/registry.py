"""Registry of benchmark cases: name -> (function of size returning phase timings, default sizes)."""

from __future__ import annotations

import time
from collections.abc import Callable

from sparcs.climate import load_weather
from sparcs.profiles.build import build_inputs
from sparcs.testing import synthetic_district

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


def simulation_case(n_buildings: int) -> dict[str, float]:
    """Rule-based simulation plus all KPIs for a synthetic Leipzig district, one year hourly.

    Profile generation is timed separately (``profiles_s``) so the simulation figure is the
    operation and KPI cost alone.
    """
    from sparcs.kpi import compute_kpis
    from sparcs.operation.rule import simulate

    scenario = synthetic_district(n_buildings, city="leipzig", seed=1)
    t0 = time.perf_counter()
    inputs = build_inputs(scenario, load_weather(scenario))
    t1 = time.perf_counter()
    flows = simulate(scenario, inputs)
    t2 = time.perf_counter()
    report = compute_kpis(flows, scenario)
    t3 = time.perf_counter()
    assert report.verdict.ped_class
    return {"profiles_s": t1 - t0, "simulate_s": t2 - t1, "kpis_s": t3 - t2,
            "sim_kpi_s": t3 - t1}


CASES["simulation"] = (simulation_case, (1, 100, 1000, 10000))
