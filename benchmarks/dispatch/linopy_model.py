"""The reference LP written in linopy, solved through HiGHS's direct API (``io_api="direct"``).

Same variables and equations as the canonical build (spec section 4): array variables over
``(building, time)``, one expression per constraint family, cyclic storage via ``roll``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dispatch.common import HIGHS_OPTIONS, HighsClock, Stopwatch, ToolResult, note_build
from dispatch.generator import DispatchData

__all__ = ["build", "solve"]


def build(data: DispatchData) -> Any:
    """The ``linopy.Model`` of the instance (variables ``(building, time)``)."""
    import linopy
    import pandas as pd
    import xarray as xr

    n, t = data.n_buildings, data.n_hours
    building = pd.RangeIndex(n, name="building")
    time = pd.RangeIndex(t, name="time")

    def bt(values: np.ndarray) -> xr.DataArray:
        """Per building-hour array (N, T), or per building (N,) broadcast over time."""
        full = values if values.ndim == 2 else np.broadcast_to(values[:, None], (n, t))
        return xr.DataArray(full, coords=[building, time])

    def hourly(values: np.ndarray) -> xr.DataArray:
        return xr.DataArray(values, coords=[time])

    m = linopy.Model()

    def var(name: str, upper: xr.DataArray) -> linopy.Variable:
        return m.add_variables(lower=0.0, upper=upper, name=name)

    pv = var("pv", bt(data.pv_avail))
    hp = var("hp", bt(data.hp_max))
    bc = var("bc", bt(data.bat_charge))
    bd = var("bd", bt(data.bat_discharge))
    bs = var("bs", bt(data.bat_capacity))
    tc = var("tc", bt(data.tank_charge))
    td = var("td", bt(data.tank_discharge))
    ts = var("ts", bt(data.tank_capacity))
    cin = var("cin", bt(data.connection))
    cout = var("cout", bt(data.connection))
    grid = hourly(np.full(t, data.grid))
    gi = var("gi", grid)
    ge = var("ge", grid)

    m.add_constraints(pv + bd - bc - hp + cin - cout == bt(data.demand_el), name="E")
    m.add_constraints(bt(data.cop) * hp + td - tc == bt(data.demand_heat), name="H")
    m.add_constraints(
        bs
        - (1 - data.bat_loss_per_h) * bs.roll(time=1)
        - data.bat_eta_charge * bc
        + (1 / data.bat_eta_discharge) * bd
        == 0,
        name="B",
    )
    m.add_constraints(ts - (1 - data.tank_loss_per_h) * ts.roll(time=1) - tc + td == 0, name="S")
    m.add_constraints(gi - ge + (cout - cin).sum("building") == 0, name="D")
    m.add_objective((hourly(data.cost_import) * gi).sum() - (hourly(data.export_price) * ge).sum())
    return m


def solve(data: DispatchData) -> ToolResult:
    """Build with linopy and solve with HiGHS through the direct API."""
    clock = HighsClock()
    watch = Stopwatch()
    m = build(data)
    build_s = watch.lap()
    note_build(build_s)
    with clock.watch():
        status, condition = m.solve(solver_name="highs", io_api="direct", **HIGHS_OPTIONS)
    solve_s = watch.lap()
    return ToolResult(
        tool="linopy",
        objective=float(m.objective.value),
        build_s=build_s,
        solve_s=solve_s,
        highs_s=clock.seconds(),
        iterations=clock.iterations(),
        status=f"{status}/{condition}",
        extra={"columns": int(m.nvars), "rows": int(m.ncons)},
    )
