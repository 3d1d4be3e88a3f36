"""The reference problem as a PyPSA network (spec section 5), optimised through linopy + HiGHS.

Buses ``district``, ``b{i}_el``, ``b{i}_heat``; loads; PV and grid import/export as generators
(export: ``p_min_pu=-1, p_max_pu=0, marginal_cost=p_exp``); heat pump as a link with
time-varying efficiency (COP); ``cin``/``cout`` as two unidirectional links; battery and tank
as cyclic storage units. PyPSA writes dispatch limits as rows, so HiGHS sees more rows than in
the canonical build; the optimum is the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dispatch.common import HIGHS_OPTIONS, HighsClock, Stopwatch, ToolResult, note_build
from dispatch.generator import DispatchData

__all__ = ["build", "solve"]


def build(data: DispatchData) -> Any:
    """The ``pypsa.Network`` of the instance, with its linopy model created (``n.model``)."""
    import pandas as pd
    import pypsa

    n, t = data.n_buildings, data.n_hours
    net = pypsa.Network()
    snapshots = pd.RangeIndex(t, name="snapshot")
    net.set_snapshots(snapshots)
    ids = [f"b{i}" for i in range(n)]
    el = [f"{b}_el" for b in ids]
    heat = [f"{b}_heat" for b in ids]

    def per_hour(values: np.ndarray, names: list[str]) -> pd.DataFrame:
        """(N, T) array as a snapshot x component frame."""
        return pd.DataFrame(values.T, index=snapshots, columns=names)

    net.add("Bus", ["district", *el, *heat])
    net.add(
        "Load",
        [f"{b}_el_load" for b in ids],
        bus=el,
        p_set=per_hour(data.demand_el, [f"{b}_el_load" for b in ids]),
    )
    net.add(
        "Load",
        [f"{b}_heat_load" for b in ids],
        bus=heat,
        p_set=per_hour(data.demand_heat, [f"{b}_heat_load" for b in ids]),
    )
    net.add(
        "Generator",
        [f"{b}_pv" for b in ids],
        bus=el,
        p_nom=data.pv_kwp,
        p_max_pu=pd.DataFrame(
            np.tile(data.pv_pu[:, None], (1, n)), index=snapshots, columns=[f"{b}_pv" for b in ids]
        ),
    )
    net.add(
        "Generator",
        "import",
        bus="district",
        p_nom=data.grid,
        marginal_cost=pd.Series(data.cost_import, index=snapshots),
    )
    net.add(
        "Generator",
        "export",
        bus="district",
        p_nom=data.grid,
        p_min_pu=-1.0,
        p_max_pu=0.0,
        marginal_cost=float(data.export_price[0]),
    )
    net.add(
        "Link",
        [f"{b}_hp" for b in ids],
        bus0=el,
        bus1=heat,
        p_nom=data.hp_max,
        efficiency=per_hour(data.cop, [f"{b}_hp" for b in ids]),
    )
    net.add("Link", [f"{b}_cin" for b in ids], bus0="district", bus1=el, p_nom=data.connection)
    net.add("Link", [f"{b}_cout" for b in ids], bus0=el, bus1="district", p_nom=data.connection)
    net.add(
        "StorageUnit",
        [f"{b}_battery" for b in ids],
        bus=el,
        p_nom=data.bat_discharge,
        p_min_pu=-data.bat_charge / data.bat_discharge,
        max_hours=data.bat_capacity / data.bat_discharge,
        efficiency_store=data.bat_eta_charge,
        efficiency_dispatch=data.bat_eta_discharge,
        standing_loss=data.bat_loss_per_h,
        cyclic_state_of_charge=True,
    )
    net.add(
        "StorageUnit",
        [f"{b}_tank" for b in ids],
        bus=heat,
        p_nom=data.tank_discharge,
        p_min_pu=-data.tank_charge / data.tank_discharge,
        max_hours=data.tank_capacity / data.tank_discharge,
        efficiency_store=1.0,
        efficiency_dispatch=1.0,
        standing_loss=data.tank_loss_per_h,
        cyclic_state_of_charge=True,
    )
    net.optimize.create_model()
    return net


def solve(data: DispatchData) -> ToolResult:
    """Build the PyPSA network and model, then ``solve_model`` with HiGHS (direct API)."""
    clock = HighsClock()
    watch = Stopwatch()
    net = build(data)
    build_s = watch.lap()
    note_build(build_s)
    with clock.watch():
        status, condition = net.optimize.solve_model(
            solver_name="highs", solver_options=dict(HIGHS_OPTIONS), io_api="direct"
        )
    solve_s = watch.lap()
    m = net.model
    return ToolResult(
        tool="pypsa",
        objective=float(m.objective.value),
        build_s=build_s,
        solve_s=solve_s,
        highs_s=clock.seconds(),
        iterations=clock.iterations(),
        status=f"{status}/{condition}",
        extra={"columns": int(m.nvars), "rows": int(m.ncons)},
    )
