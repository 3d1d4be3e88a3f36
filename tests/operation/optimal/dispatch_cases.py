"""Builders of DispatchProblem instances for the tests: the reference LP and tiny hand cases."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from reference_data import ReferenceData

from sparcs.operation.optimal import DispatchProblem, StorageParams


def reference_problem(d: ReferenceData) -> DispatchProblem:
    """The reference LP of dispatch-benchmark.md §4 on the data ``d``."""
    n = d.e_bat.size
    q = np.round(0.5 * d.e_th, 4)
    battery = StorageParams(
        capacity_kwh=d.e_bat,
        charge_kw=np.round(0.4 * d.e_bat, 4),
        discharge_kw=np.round(0.5 * d.e_bat, 4),
        eta_charge=np.full(n, 0.95),
        eta_discharge=np.full(n, 0.95),
        loss_per_h=np.full(n, 1e-4),
    )
    tank = StorageParams(
        capacity_kwh=d.e_th,
        charge_kw=q,
        discharge_kw=q,
        eta_charge=np.ones(n),
        eta_discharge=np.ones(n),
        loss_per_h=np.full(n, 0.005),
    )
    return DispatchProblem(
        dt_h=1.0,
        demand_el_kw=d.demand_el,
        demand_heat_kw=d.demand_heat,
        pv_avail_kw=d.pv_avail,
        cop=d.cop,
        hp_max_el_kw=d.hp_max,
        battery=battery,
        tank=tank,
        connection_kw=d.connection,
        grid_import_kw=d.grid_kw,
        grid_export_kw=d.grid_kw,
        import_cost=d.cost_import,
        export_price=d.export_price,
        cyclic=True,
    )


def no_store(n: int) -> StorageParams:
    """No store in any of ``n`` units."""
    z = np.zeros(n)
    return StorageParams(z, z, z, np.ones(n), np.ones(n), z)


def store(
    n: int, capacity: float, power: float, eta_c: float = 1.0, eta_d: float = 1.0, **extra: Any
) -> StorageParams:
    """The same store in each of ``n`` units."""
    full = np.full
    return StorageParams(
        full(n, capacity),
        full(n, power),
        full(n, power),
        full(n, eta_c),
        full(n, eta_d),
        np.zeros(n),
        **extra,
    )


def tiny(
    demand_el: list[list[float]] | np.ndarray, price: list[float], **changes: Any
) -> DispatchProblem:
    """A small electricity-only problem: no PV, no heat, no stores, unlimited connections."""
    d = np.asarray(demand_el, dtype=float)
    t, n = d.shape
    base = DispatchProblem(
        dt_h=1.0,
        demand_el_kw=d,
        demand_heat_kw=np.zeros((t, n)),
        pv_avail_kw=np.zeros((t, n)),
        cop=np.ones((t, n)),
        hp_max_el_kw=np.zeros(n),
        battery=no_store(n),
        tank=no_store(n),
        connection_kw=np.full(n, np.inf),
        grid_import_kw=np.inf,
        grid_export_kw=np.inf,
        import_cost=np.asarray(price, dtype=float),
        export_price=np.zeros(t),
        cyclic=False,
    )
    return replace(base, **changes)
