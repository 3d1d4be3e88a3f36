"""The reference problem as an oemof-solph energy system (spec section 5), solved by HiGHS.

Buses ``district``, ``b{i}_el``, ``b{i}_heat``; sinks with fixed profiles; PV and import as
sources; export as a sink with negative cost; converters for the heat pump (COP series) and
for ``cin``/``cout``; ``GenericStorage`` for battery and tank (balanced, free initial level).
``Model.solve(solver="highs")`` goes through pyomo's appsi interface to highspy in-process.
"""

from __future__ import annotations

from typing import Any

from dispatch.common import HIGHS_OPTIONS, HighsClock, Stopwatch, ToolResult, note_build
from dispatch.generator import DispatchData

__all__ = ["build", "solve"]


def _storage(
    solph: Any,
    label: str,
    bus: Any,
    capacity: float,
    charge: float,
    discharge: float,
    eta_charge: float,
    eta_discharge: float,
    loss: float,
) -> Any:
    return solph.components.GenericStorage(
        label=label,
        nominal_capacity=capacity,
        inputs={bus: solph.Flow(nominal_capacity=charge)},
        outputs={bus: solph.Flow(nominal_capacity=discharge)},
        loss_rate=loss,
        inflow_conversion_factor=eta_charge,
        outflow_conversion_factor=eta_discharge,
        balanced=True,
        initial_storage_level=None,
    )


def build(data: DispatchData) -> Any:
    """The ``oemof.solph.Model`` (a pyomo model) of the instance."""
    import pandas as pd
    from oemof import solph

    t = data.n_hours
    index = pd.date_range("2025-01-01", periods=t, freq="h")
    es = solph.EnergySystem(timeindex=index, infer_last_interval=True)
    district = solph.Bus(label="district")
    nodes: list[Any] = [
        district,
        solph.components.Source(
            label="import",
            outputs={
                district: solph.Flow(nominal_capacity=data.grid, variable_costs=data.cost_import)
            },
        ),
        solph.components.Sink(
            label="export",
            inputs={
                district: solph.Flow(nominal_capacity=data.grid, variable_costs=-data.export_price)
            },
        ),
    ]
    for b in range(data.n_buildings):
        el, heat = solph.Bus(label=f"b{b}_el"), solph.Bus(label=f"b{b}_heat")
        nodes += [
            el,
            heat,
            solph.components.Sink(
                label=f"b{b}_el_load",
                inputs={el: solph.Flow(nominal_capacity=1.0, fix=data.demand_el[b])},
            ),
            solph.components.Sink(
                label=f"b{b}_heat_load",
                inputs={heat: solph.Flow(nominal_capacity=1.0, fix=data.demand_heat[b])},
            ),
            solph.components.Source(
                label=f"b{b}_pv",
                outputs={
                    el: solph.Flow(nominal_capacity=float(data.pv_kwp[b]), maximum=data.pv_pu)
                },
            ),
            solph.components.Converter(
                label=f"b{b}_hp",
                inputs={el: solph.Flow(nominal_capacity=float(data.hp_max[b]))},
                outputs={heat: solph.Flow()},
                conversion_factors={heat: data.cop[b]},
            ),
            solph.components.Converter(
                label=f"b{b}_cin",
                inputs={district: solph.Flow(nominal_capacity=float(data.connection[b]))},
                outputs={el: solph.Flow()},
                conversion_factors={el: 1.0},
            ),
            solph.components.Converter(
                label=f"b{b}_cout",
                inputs={el: solph.Flow(nominal_capacity=float(data.connection[b]))},
                outputs={district: solph.Flow()},
                conversion_factors={district: 1.0},
            ),
            _storage(
                solph,
                f"b{b}_battery",
                el,
                float(data.bat_capacity[b]),
                float(data.bat_charge[b]),
                float(data.bat_discharge[b]),
                data.bat_eta_charge,
                data.bat_eta_discharge,
                data.bat_loss_per_h,
            ),
            _storage(
                solph,
                f"b{b}_tank",
                heat,
                float(data.tank_capacity[b]),
                float(data.tank_charge[b]),
                float(data.tank_discharge[b]),
                1.0,
                1.0,
                data.tank_loss_per_h,
            ),
        ]
    es.add(*nodes)
    return solph.Model(es)


def solve(data: DispatchData) -> ToolResult:
    """Build the oemof-solph model and solve it with ``solver="highs"`` (appsi, in-process)."""
    import pyomo.environ as pyo

    clock = HighsClock()
    watch = Stopwatch()
    model = build(data)
    build_s = watch.lap()
    note_build(build_s)
    with clock.watch():
        model.solve(solver="highs", cmdline_options=dict(HIGHS_OPTIONS))
    solve_s = watch.lap()
    results = model.solver_results
    return ToolResult(
        tool="oemof",
        objective=float(pyo.value(model.objective)),
        build_s=build_s,
        solve_s=solve_s,
        highs_s=clock.seconds(),
        iterations=clock.iterations(),
        status=str(results["termination_condition"]),
        extra={"columns": model.nvariables(), "rows": model.nconstraints()},
    )
