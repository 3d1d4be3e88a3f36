"""Rule-based operation: the baseline simulation of a district, step by step.

:func:`simulate` turns a scenario and its profiles into :class:`~sparcs.operation.flows.Flows`
with fixed priority rules, no optimisation and no foresight. Every carrier balances in every
step and node.

Rules
-----
Heat (per building; the district node runs the same rules for its heat network)
    1. Solar thermal meets the heat demand (space heat + hot water) first; its surplus fills
       the thermal store, and what the store cannot take is dumped (``heat_dumped``).
    2. The thermal store loses its standing loss (``loss_pct_per_h``, compounded over the step)
       and then discharges to cover the remaining need; its content stays in [0, capacity].
    3. The supply stack covers the rest, in this order: a heat-led CHP (up to its thermal
       capacity; off when the need is below ``min_load`` x capacity), a heat pump (up to its
       thermal capacity; ``hp_el = hp_heat / cop``), then the last source of the heating
       system: district heat (``dh_import``), a fuel boiler (``boiler_fuel = heat /
       efficiency``), or an electric heater (``eboiler_el = heat / efficiency``) for ``electric``
       heating and as the back-up of a heat pump too small for the need. A heat pump heating
       without a ``heat_pump`` table is sized to the building's peak heat demand; ``chp``
       heating takes the rest from a peak boiler burning the CHP's fuel. ``none`` heating with a
       heat demand raises :class:`~sparcs.errors.InfeasibleError`.
Cold
    A chiller meets the cooling demand with EER 3.5. A heat pump with ``cooling = true`` is used
    reversibly instead, with EER = carnot_efficiency x T_c / (T_out - T_c) at 7 degC chilled
    water, bounded to [2, 7]; its heating and cooling capacities are not shared (simplification).
Electricity (per building, behind its meter)
    Generation (PV, wind, CHP) meets the building's own load (appliances, heat pump, electric
    heater, chiller, uncontrolled EV charging) -> the battery charges from the surplus ->
    power-to-heat (an ``electric_boiler`` asset) takes the surplus left -> the rest is offered.
    A deficit is met by battery discharge, then from outside. The battery respects its power,
    ``soc_min``/``soc_max`` and efficiencies, and never charges and discharges in one step.
    Power-to-heat heat first displaces bought heat or burnt fuel (district heat, boilers, the
    CHP's peak boiler; never the CHP itself, whose electricity fixed the surplus), then fills
    the thermal store. EV charging is uncontrolled (``ev_v2g`` is zero).
Sharing
    ``building``: every node's residual crosses its own meter (``grid_import``/``grid_export``).
    ``community``: buildings hand their residual to the district node (``shared_out`` /
    ``shared_in``); the district node adds its own assets (PV, wind, EV chargers, battery,
    power-to-heat, heat plants) and only the remainder crosses the district connection.
District heat
    The district's heat plants (solar thermal, thermal store, heat pump with the district COP,
    CHP, electric boiler) serve a local heat network whose load is the district heat the
    buildings on ``district_heating`` draw. Their heat reaches the buildings as
    ``heat_shared_out``/``heat_shared_in``, pro rata to each building's draw; the rest stays
    ``dh_import`` from the external network. Without such buildings, district solar heat is
    dumped (a note says so).
Heat export
    With ``[district.heat_export]`` enabled, heat that would be dumped is fed into the
    district-heating network instead (``dh_export``), from the district node and the
    buildings on district heating, up to ``max_kw`` for the district in all (pro rata).
Grid connection
    Export above ``export_limit_kw`` is curtailed from PV and wind (``curtailed``), only in the
    steps where the limit binds. Import above ``import_limit_kw`` is still imported, so the
    balance closes, and the violation is recorded in ``Flows.notes``.
Mobility
    EV charging is always simulated (uncontrolled, from the profiles); whether it counts in
    the PED balance (``boundary.include_mobility``) is a KPI setting.
Virtual assets
    ``virtual_kwh`` on the district node; KPIs count it, the electricity balance does not.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

import numpy as np

from sparcs._memory import only
from sparcs.errors import DataError
from sparcs.operation.flows import DISTRICT_NODE, FLOW_NAMES, STATE_NAMES, Flows
from sparcs.operation.params import (
    TOP_DISTRICT_HEAT,
    Columns,
    building_columns,
    capacities,
    check_cop,
    district_columns,
    ordered_buildings,
    outdoor_temperature,
)
from sparcs.operation.rule.electric import curtail_exports, import_limit_note, route_residual
from sparcs.operation.rule.heat_checks import check_no_heating, heat_notes, size_heat_pumps
from sparcs.operation.rule.heat_export import export_surplus_heat
from sparcs.operation.rule.passes import NodeData, run_nodes, written_columns
from sparcs.operation.rule.series import district_series, shared_flows, write_building_series
from sparcs.timeseries import dt_hours

if TYPE_CHECKING:
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Building, Scenario

__all__ = ["simulate"]


def _buildings_pass(
    scenario: Scenario,
    buildings: list[Building],
    inputs: Inputs,
    out: dict[str, np.ndarray],
    notes: list[str],
    shared: Collection[str],
) -> tuple[Columns, dict[str, np.ndarray]]:
    """Simulate the buildings behind their meters and route their residuals.

    The flows in ``shared`` are profile buffers already (see ``shared_flows``).
    """
    dt_h = inputs.dt_h
    cols = building_columns(buildings)
    given = write_building_series(inputs, out, shared)
    check_no_heating(cols, out["heat_demand_kwh"], inputs)
    cols = size_heat_pumps(cols, out["heat_demand_kwh"], dt_h, notes)
    cop = inputs.building["cop_heating"]
    check_cop(cop, cols.hp_heat_kw > 0, cols.ids)
    temp = outdoor_temperature(inputs) if cols.hp_cooling.any() else None
    community = scenario.boundary.sharing == "community"
    into, out_of = (
        ("shared_in_kwh", "shared_out_kwh") if community else ("grid_import_kwh", "grid_export_kwh")
    )
    # the residual is built in the flow that receives its positive part, and the heat need
    # in the one that receives its negative part, written last: no extra arrays
    result = run_nodes(cols, NodeData(out, given, cop, None, temp, out[into], out[out_of]), dt_h)
    route_residual(result.residual, out[into], out[out_of])
    heat_notes(cols, result, dt_h, notes)
    written = written_columns(cols, given, result.top_written)
    # the buildings' residual goes through one pair of flows; the other pair stays unwritten,
    # and district heat from the local network reaches only the buildings that draw it
    none = np.zeros(len(cols), dtype=bool)
    unused = (
        ("grid_import_kwh", "grid_export_kwh", "curtailed_kwh")
        if community
        else ("shared_in_kwh", "shared_out_kwh")
    )
    return cols, written | dict.fromkeys(unused, none) | {
        "heat_shared_in_kwh": written["dh_import_kwh"]
    }


def _district_pass(
    scenario: Scenario,
    inputs: Inputs,
    data: dict[str, np.ndarray],
    n_buildings: int,
    on_network: np.ndarray,
    notes: list[str],
) -> Columns:
    """Simulate the district node: shared assets, community exchange and heat network.

    ``on_network`` is the mask of the buildings that draw district heat.
    """
    district = scenario.district
    network = bool(
        district.solar_thermal
        or district.thermal_storage
        or district.heat_pump
        or district.chp
        or district.electric_boiler
    )
    cols = district_columns(district, DISTRICT_NODE, heat_network=network)
    out = {name: array[:, n_buildings:] for name, array in data.items()}
    given = district_series(inputs, out)
    b = slice(0, n_buildings)
    if network:
        load = data["dh_import_kwh"][:, b].sum(axis=1)
        out["heat_demand_kwh"][:, 0] = load
        given = given | {"heat_demand_kwh": np.ones(1, dtype=bool)}
        if not load.any():
            notes.append(
                "the district's heat plants serve a local heat network, but no building "
                "uses district heating: their heat is stored or dumped"
            )
    extra = None
    if scenario.boundary.sharing == "community":
        # what the buildings draw from and hand to the district node, per step [kWh]
        drawn = data["shared_in_kwh"][:, b].sum(axis=1)
        handed = data["shared_out_kwh"][:, b].sum(axis=1)
        extra = (drawn - handed)[:, None]
    cop = inputs.district["cop_heating"][:, None] if district.heat_pump is not None else None
    if cop is not None:
        check_cop(cop, cols.hp_heat_kw > 0, cols.ids)
    result = run_nodes(cols, NodeData(out, given, cop, extra, None), inputs.dt_h)
    route_residual(result.residual, out["grid_import_kwh"], out["grid_export_kwh"])
    if extra is not None:
        out["shared_in_kwh"][:, 0] = handed
        out["shared_out_kwh"][:, 0] = drawn
    if network:
        _attribute_network_heat(data, n_buildings, on_network)
    return cols


def _attribute_network_heat(
    data: dict[str, np.ndarray], n_buildings: int, on_network: np.ndarray
) -> None:
    """Hand the district plants' heat to the buildings on district heating, pro rata.

    Before: the district node's "demand" is the buildings' whole district-heat draw and its
    ``dh_import`` the external top-up. After: the node's output is ``heat_shared_out``, each
    building receives its share as ``heat_shared_in`` and keeps the rest as ``dh_import``.
    """
    b, d = slice(0, n_buildings), n_buildings
    load = data["heat_demand_kwh"][:, d].copy()
    local = np.maximum(load - data["dh_import_kwh"][:, d], 0.0)
    share = np.divide(local, load, out=np.zeros_like(load), where=load > 0)
    draw, received = data["dh_import_kwh"][:, b], data["heat_shared_in_kwh"][:, b]
    # only in the buildings that draw: the other columns stay zero and unwritten
    at = only(on_network)
    np.multiply(draw, share[:, None], out=received, where=at)
    np.subtract(draw, received, out=draw, where=at)
    data["heat_shared_out_kwh"][:, d] = received.sum(axis=1)
    data["heat_demand_kwh"][:, d] = 0.0
    data["dh_import_kwh"][:, d] = 0.0


def _export_heat(
    scenario: Scenario,
    cols: Columns,
    written: dict[str, np.ndarray],
    data: dict[str, np.ndarray],
    dt_h: float,
    notes: list[str],
) -> np.ndarray:
    """Feed the heat the connected nodes would dump into the network; return the buildings'
    mask of the flow (the district node may always export)."""
    connected: np.ndarray = (cols.top == TOP_DISTRICT_HEAT) & written["heat_dumped_kwh"]
    export = scenario.district.heat_export
    if export is None or not export.enabled:
        return np.zeros(len(cols), dtype=bool)
    columns = np.append(np.flatnonzero(connected), len(cols))
    limit = np.inf if export.max_kw is None else export.max_kw * dt_h
    left = export_surplus_heat(data["heat_dumped_kwh"], data["dh_export_kwh"], columns, limit)
    if left > 1e-6:
        notes.append(
            f"heat export limited to {export.max_kw:g} kW: {left:.4g} kWh of surplus heat "
            "was dumped"
        )
    return connected


def simulate(scenario: Scenario, inputs: Inputs) -> Flows:
    """Simulate a district with rule-based operation (the baseline).

    Parameters
    ----------
    scenario
        The validated scenario: buildings, shared assets, boundary and grid connection.
    inputs
        Profiles on the simulation's time steps [kW, interval means], one column per building
        of the scenario (any order).

    Returns
    -------
    Flows
        Energy per step, node (buildings, then ``"district"``) and carrier [kWh]; every
        carrier balances in every step and node. ``notes`` records limit violations and
        choices made on the user's behalf.

    Raises
    ------
    InfeasibleError
        When a building with ``heating = 'none'`` has a heat demand.
    DataError
        When the profiles do not match the scenario (building ids, shapes, step length) or
        hold negative or missing values, or a heat pump has no positive COP.
    ScenarioError
        When a building's boiler and CHP burn different fuels, or its boiler table
        contradicts its heating system.

    Notes
    -----
    The rules and their order are listed in the module docstring of
    :mod:`sparcs.operation.rule`.
    """
    step_h = dt_hours(inputs.time)
    if abs(step_h - inputs.dt_h) > 1e-9:
        msg = f"inputs.dt_h = {inputs.dt_h:g} h but the time index steps by {step_h:g} h"
        raise DataError(msg)
    return _simulate(scenario, inputs)


def _simulate(scenario: Scenario, inputs: Inputs) -> Flows:
    """:func:`simulate` without its checks of the time index."""
    buildings = ordered_buildings(scenario, inputs)
    n_t, n_b = inputs.n_steps, len(buildings)
    shared = shared_flows(inputs)
    # Column-major zeros, mapped lazily by the OS: a flow costs memory only in the columns
    # written, so a heat pump's flows take none in buildings without one (see _owners)
    data = {
        name: shared[name] if name in shared else np.zeros((n_t, n_b + 1), order="F")
        for name in (*FLOW_NAMES, *STATE_NAMES)
    }
    notes: list[str] = []
    views = {name: array[:, :n_b] for name, array in data.items()}
    cols, written = _buildings_pass(scenario, buildings, inputs, views, notes, shared)
    dcols = _district_pass(scenario, inputs, data, n_b, written["dh_import_kwh"], notes)
    virtual = inputs.district["virtual_kw"]
    if virtual.any():
        data["virtual_kwh"][:, n_b] = virtual * inputs.dt_h
    virtual_heat = inputs.district.get("virtual_heat_kw")
    if virtual_heat is not None and virtual_heat.any():
        data["virtual_heat_kwh"][:, n_b] = virtual_heat * inputs.dt_h
    written["dh_export_kwh"] = _export_heat(scenario, cols, written, data, inputs.dt_h, notes)
    community = scenario.boundary.sharing == "community"
    notes += curtail_exports(
        data,
        limit_kw=scenario.grid.export_limit_kw,
        dt_h=inputs.dt_h,
        columns=slice(n_b, n_b + 1) if community else slice(None),
        time=inputs.time,
    )
    notes += import_limit_note(
        data["grid_import_kwh"],
        limit_kw=scenario.grid.import_limit_kw,
        dt_h=inputs.dt_h,
        time=inputs.time,
    )
    # the district node's column may hold anything; buildings only where they were written
    support = {name: np.append(mask, True) for name, mask in written.items()}
    return _flows(scenario, inputs, buildings, data, (cols, dcols), notes, support)


def _flows(
    scenario: Scenario,
    inputs: Inputs,
    buildings: list[Building],
    data: dict[str, np.ndarray],
    columns: tuple[Columns, Columns],
    notes: list[str],
    support: dict[str, np.ndarray],
) -> Flows:
    """Wrap the arrays into :class:`Flows` with the nodes' sizes and descriptors."""
    cols, dcols = columns
    return Flows.with_support(
        support,
        time=inputs.time,
        dt_h=inputs.dt_h,
        nodes=(*cols.ids, DISTRICT_NODE),
        data=data,
        fuel=(*cols.fuel, *dcols.fuel),
        floor_area_m2=np.array([b.floor_area_m2 for b in buildings] + [0.0]),
        # residents the scenario does not give count as 0 (unknown), as for the district node
        residents=np.array([b.residents or 0 for b in buildings] + [0], dtype=float),
        sharing=scenario.boundary.sharing,
        capacities=capacities(buildings, scenario.district, cols, dcols),
        notes=tuple(notes),
        timezone=scenario.timezone,
    )
