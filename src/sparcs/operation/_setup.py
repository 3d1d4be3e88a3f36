"""Checks and conversions between the scenario, the profiles and the flow arrays."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import DataError
from sparcs.operation._owners import put

if TYPE_CHECKING:
    from sparcs.operation._columns import Columns
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Building, District, Scenario

__all__ = [
    "capacities",
    "check_cop",
    "district_series",
    "ordered_buildings",
    "outdoor_temperature",
    "shared_flows",
    "write_building_series",
]

#: Input power series [kW] -> the flow they become [kWh per step].
_BUILDING_FLOWS = {
    "electricity_kw": "electricity_demand_kwh",
    "cooling_kw": "cooling_demand_kwh",
    "pv_kw": "pv_kwh",
    "wind_kw": "wind_kwh",
    "solar_thermal_kw": "solar_thermal_kwh",
    "ev_kw": "ev_charge_kwh",
}
_DISTRICT_FLOWS = {
    "pv_kw": "pv_kwh",
    "wind_kw": "wind_kwh",
    "solar_thermal_kw": "solar_thermal_kwh",
    "ev_kw": "ev_charge_kwh",
}


def ordered_buildings(scenario: Scenario, inputs: Inputs) -> list[Building]:
    """The scenario's buildings in the column order of ``inputs``.

    Raises
    ------
    DataError
        When the profiles and the scenario do not list the same building ids.
    """
    by_id = {b.id: b for b in scenario.buildings}
    missing = [i for i in inputs.building_ids if i not in by_id]
    extra = sorted(set(by_id) - set(inputs.building_ids))
    if missing or extra or len(inputs.building_ids) != len(by_id):
        msg = (
            f"profiles and scenario {scenario.name!r} disagree on the buildings: "
            f"profiles only {missing[:5]}, scenario only {extra[:5]}; build the profiles from "
            "this scenario"
        )
        raise DataError(msg)
    return [by_id[i] for i in inputs.building_ids]


def _checked(values: np.ndarray, shape: tuple[int, ...], what: str,
             columns: np.ndarray | None = None) -> np.ndarray:
    """``values`` as a float array of ``shape``, free of negative and missing values.

    Only the ``columns`` (a mask) are read when given: the others are known to be zero.
    """
    values = np.asarray(values, dtype=float)
    if values.shape != shape:
        msg = f"inputs {what} has shape {values.shape}, expected {shape} (time, building)"
        raise DataError(msg)
    where = True if columns is None else columns
    if values.size and not values.min(where=where, initial=np.inf) >= 0:
        lowest = values.min(where=where, initial=np.inf)
        msg = f"inputs {what} has negative or missing values (min {lowest:.4g})"
        raise DataError(msg)
    return values


def shared_flows(inputs: Inputs) -> dict[str, np.ndarray]:
    """The profile buffers that can be flows as they are: flow name -> (time, node) array.

    At hourly steps a series [kW] equals its flow [kWh per step]. A read-only series that is
    the first columns of a column-major (time, building + 1) buffer whose last column is zero
    (as :func:`~sparcs.profiles.build.build_inputs` makes them) is then the flow itself,
    district node included, unless the district has such a series of its own to write
    there. Sharing saves writing the flow, fresh memory the size of the series; both stay
    read-only, so neither can change under the other.
    """
    if inputs.dt_h != 1.0:
        return {}
    shape = (inputs.n_steps, inputs.n_buildings + 1)
    shared = {}
    for name, flow in _BUILDING_FLOWS.items():
        own = inputs.district.get(name)
        if own is not None and np.max(own, initial=0.0) > 0:
            continue
        buffer = _whole_buffer(inputs.building[name], shape)
        if buffer is not None:
            shared[flow] = buffer
    return shared


def _whole_buffer(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray | None:
    """The read-only buffer of ``shape`` whose first columns ``values`` are, with its last
    column zero; None when ``values`` is anything else."""
    base = values.base
    if (not isinstance(base, np.ndarray) or base.shape != shape or base.dtype != np.float64
            or values.dtype != np.float64 or values.flags.writeable or base.flags.writeable
            or not base.flags.f_contiguous or values.strides != base.strides
            or values.ctypes.data != base.ctypes.data):
        return None
    return None if base[:, -1].any() else base


def write_building_series(inputs: Inputs, out: dict[str, np.ndarray],
                          shared: Collection[str] = ()) -> dict[str, np.ndarray]:
    """Write the buildings' demand and generation into ``out`` [kWh per step].

    Only the columns where a series is non-zero are written (see :mod:`._owners`); the
    flows in ``shared`` already are their series (:func:`shared_flows`) and are only checked.

    Returns
    -------
    dict
        Flow name -> mask of the columns that hold data; all-zero series are left out.

    Raises
    ------
    DataError
        When a series has the wrong shape or negative or missing values.
    """
    shape = (inputs.n_steps, inputs.n_buildings)
    given: dict[str, np.ndarray] = {}
    for name, flow in _BUILDING_FLOWS.items():
        # columns outside the series' support are zeros never written: reading them would
        # map memory for nothing
        support = inputs.support.get(name)
        values = _checked(inputs.building[name], shape, f"building[{name!r}]", support)
        if not values.size:
            continue
        # one reduction down the rows reads the array once, whatever its memory order
        cols = values.max(axis=0, where=True if support is None else support, initial=0.0) > 0
        if cols.any():
            if flow not in shared:
                put(out[flow], cols, values, inputs.dt_h)
            given[flow] = cols
    space = _checked(inputs.building["space_heat_kw"], shape, "building['space_heat_kw']")
    dhw = _checked(inputs.building["dhw_kw"], shape, "building['dhw_kw']")
    heat = out["heat_demand_kwh"]
    np.add(space, dhw, out=heat)
    heat *= inputs.dt_h
    given["heat_demand_kwh"] = np.ones(shape[1], dtype=bool)
    return given


def district_series(inputs: Inputs, out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Write the district node's generation and EV charging into ``out`` [kWh per step].

    Returns the flow names that hold data, each with the mask of its one column.
    """
    given: dict[str, np.ndarray] = {}
    for name, flow in _DISTRICT_FLOWS.items():
        values = _checked(inputs.district[name], (inputs.n_steps,), f"district[{name!r}]")
        if values.max() > 0:
            out[flow][:, 0] = values * inputs.dt_h
            given[flow] = np.ones(1, dtype=bool)
    _checked(inputs.district["virtual_kw"], (inputs.n_steps,), "district['virtual_kw']")
    return given


def check_cop(cop: np.ndarray, has_hp: np.ndarray, ids: Sequence[str]) -> None:
    """Every column with a heat pump needs a positive COP in every step.

    Raises
    ------
    DataError
        Naming the first column whose COP is zero, negative or missing.
    """
    if not has_hp.any() or not cop.shape[0]:
        return
    # one reduction over the heat pumps' columns reads them once; a loop over columns would
    # stride, and the other columns need not be read at all
    lowest = cop.min(axis=0, where=has_hp, initial=np.inf)
    bad = np.flatnonzero(has_hp & ~(lowest > 0))
    if bad.size:
        i = bad[0]
        msg = (
            f"{ids[i]!r} has a heat pump but cop_heating is not positive everywhere "
            f"(min {lowest[i]:.4g}); the profiles must give a COP for every heat pump"
        )
        raise DataError(msg)


def outdoor_temperature(inputs: Inputs) -> np.ndarray:
    """Outdoor air temperature on the simulation's steps [degC] (held over finer steps).

    Raises
    ------
    DataError
        When the weather does not cover the simulated period.
    """
    temp = inputs.weather.data["temp_air"]
    if not temp.index.equals(inputs.time):
        temp = temp.reindex(inputs.time, method="ffill")
    values = temp.to_numpy(dtype=float)
    if np.isnan(values).any():
        msg = "the weather does not cover every simulated step (needed for reversible heat pumps)"
        raise DataError(msg)
    return values


def capacities(buildings: Sequence[Building], district: District, cols: Columns,
               dcols: Columns) -> dict[str, np.ndarray]:
    """Installed sizes per node, the district node last."""
    def per_building(get: Callable[[Building], float]) -> list[float]:
        return [float(get(b)) for b in buildings]

    pv = per_building(lambda b: b.pv.kwp if b.pv else 0.0)
    wind = per_building(lambda b: b.wind.capacity_kw if b.wind else 0.0)
    st = per_building(lambda b: b.solar_thermal.area_m2 if b.solar_thermal else 0.0)
    ev = per_building(lambda b: b.ev.count if b.ev else 0)
    chp = per_building(lambda b: b.chp.electric_kw if b.chp else 0.0)
    return {
        "battery_kwh": np.append(cols.battery_kwh, dcols.battery_kwh),
        "tes_kwh": np.append(cols.tes_kwh, dcols.tes_kwh),
        "pv_kwp": np.array([*pv, sum(p.kwp for p in district.pv)]),
        "ev_points": np.array([*ev, sum(e.count for e in district.ev)], dtype=float),
        "wind_kw": np.array([*wind, sum(w.capacity_kw for w in district.wind)]),
        "solar_thermal_m2": np.array([*st, sum(s.area_m2 for s in district.solar_thermal)]),
        "hp_kw": np.append(cols.hp_heat_kw, dcols.hp_heat_kw),
        "chp_el_kw": np.array([*chp, district.chp.electric_kw if district.chp else 0.0]),
        "eboiler_kw": np.append(cols.p2h_kw, dcols.p2h_kw),
    }
