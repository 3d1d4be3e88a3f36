"""Monthly measured KPIs from the store: ``n_meters`` meters x one year x 15 min.

The district is ``examples/maia-solar-schools.toml`` (three buildings and the district node);
the meters are spread over its metered flows (each building's electricity, heat and PV, the
district's grid import and export), several meters to a flow, as a district with many
sub-meters has them. The store is filled by ``sparcs ingest`` of long CSVs, timed apart.
Timed: reading the period back
(:func:`sparcs.store.period_readings.period_readings`, as ``sparcs monitor`` does), the hourly Flows
(:func:`sparcs.monitoring.measured.measured_flows`) and the KPIs of the year and of each of
its twelve months (:func:`sparcs.kpi.compute_kpis` on
:func:`sparcs.monitoring.flow_views.month_slices`), as ``sparcs monitor`` computes the
measured side. Target (issue 13): under 5 s for 1,000 meters.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from sparcs.kpi import compute_kpis
from sparcs.monitoring.flow_views import month_slices
from sparcs.monitoring.ingest import MeterSpec
from sparcs.monitoring.measured import measured_flows
from sparcs.scenario import load_scenario
from sparcs.store import ingest_file, open_store
from sparcs.store.period_readings import period_readings

__all__ = ["monthly_kpis_case"]

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "maia-solar-schools.toml"
YEAR = 2025


def _pairs(buildings: list[str]) -> list[tuple[str, str]]:
    """(node, quantity) of the metered flows."""
    per_building = ("electricity_demand_kwh", "heat_demand_kwh", "pv_kwh")
    return [(b, q) for b in buildings for q in per_building] + [
        ("district", "grid_import_kwh"),
        ("district", "grid_export_kwh"),
    ]


def _write_files(
    folder: Path, pairs: list[tuple[str, str]], n_meters: int, per_file: int = 100
) -> tuple[dict[str, MeterSpec], list[Path]]:
    stamps_index = pd.date_range(f"{YEAR}-01-01", periods=35040, freq="15min", tz="UTC")
    stamps = pa.array(stamps_index.strftime("%Y-%m-%dT%H:%MZ"))
    rng = np.random.default_rng(5)
    meters: dict[str, MeterSpec] = {}
    paths = []
    for start in range(0, n_meters, per_file):
        ids = [f"m{i:05d}" for i in range(start, min(start + per_file, n_meters))]
        for i, meter_id in enumerate(ids, start):
            node, quantity = pairs[i % len(pairs)]
            meters[meter_id] = MeterSpec(
                id=meter_id, node=node, quantity=quantity, unit="kWh", resolution="PT15M"
            )
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


def monthly_kpis_case(n_meters: int) -> dict[str, float]:
    """Read a year of 15-min readings of ``n_meters`` meters and compute monthly KPIs."""
    scenario = load_scenario(EXAMPLE)
    scenario = scenario.model_copy(update={"year": YEAR})
    start = pd.Timestamp(f"{YEAR}-01-01", tz=scenario.timezone).tz_convert("UTC")
    end = pd.Timestamp(f"{YEAR + 1}-01-01", tz=scenario.timezone).tz_convert("UTC")
    steps = pd.date_range(start, end, freq="1h", inclusive="left")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        meters, paths = _write_files(folder, _pairs([b.id for b in scenario.buildings]), n_meters)
        with open_store(str(folder / "bench.duckdb")) as store:
            for path in paths:
                ingest_file(store, path, meters)
            t1, c1 = time.perf_counter(), time.process_time()
            table = store.meters()
            readings = period_readings(store, start=start, end=end)
            t2 = time.perf_counter()
        measured = measured_flows(readings, table, scenario, time=steps)
        t3 = time.perf_counter()
        reports = {"total": compute_kpis(measured.flows, scenario)}
        reports |= {
            m: compute_kpis(part, scenario) for m, part in month_slices(measured.flows).items()
        }
        t4, c4 = time.perf_counter(), time.process_time()
    assert len(readings) == n_meters * 35040 and measured.complete and len(reports) == 13
    return {
        "setup_s": t1 - t0,
        "read_s": t2 - t1,
        "flows_s": t3 - t2,
        "kpis_s": t4 - t3,
        "total_s": t4 - t1,
        "total_cpu_s": c4 - c1,
    }
