"""LP parameters of every unit's plants, from the node columns of :mod:`sparcs.operation.params`.

Units are the buildings and, last, the district node (:func:`merge_columns`). Batteries and
heat stores become :class:`~.problem.StorageParams`; the heat sources other than heat pumps
(electric heaters, boilers, CHP units, district heat) a priced :class:`HeatSupply`.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Literal, NamedTuple

import numpy as np

from sparcs.operation.optimal.boiler import BoilerParams
from sparcs.operation.optimal.chp import CHPParams
from sparcs.operation.optimal.district_heat import DistrictHeatParams
from sparcs.operation.optimal.electric_boiler import ElectricBoilerParams
from sparcs.operation.optimal.objective import Costs
from sparcs.operation.optimal.problem import StorageParams
from sparcs.operation.params import TOP_BOILER, TOP_DISTRICT_HEAT, TOP_ELECTRIC, Columns

__all__ = ["HeatSupply", "Terminal", "heat_supply", "merge_columns", "storage_params"]

#: Storage at the end of the period: at least the initial level, equal to the level before
#: the first step, or free.
Terminal = Literal["initial", "cyclic", "free"]


def storage_params(cols: Columns, terminal: Terminal) -> tuple[StorageParams, StorageParams]:
    """Batteries and tanks of every node."""
    cap = cols.battery_kwh
    initial = cols.soc_initial * cap
    final = initial if terminal == "initial" else None
    battery = StorageParams(
        capacity_kwh=cols.soc_max * cap,
        charge_kw=cols.battery_kw,
        discharge_kw=cols.battery_kw,
        eta_charge=cols.charge_eff,
        eta_discharge=cols.discharge_eff,
        loss_per_h=np.zeros(len(cols)),
        min_kwh=cols.soc_min * cap,
        initial_kwh=initial,
        final_min_kwh=final,
    )
    tes_initial = cols.tes_initial * cols.tes_kwh
    inf = np.where(cols.tes_kwh > 0, np.inf, 0.0)
    tank = StorageParams(
        capacity_kwh=cols.tes_kwh,
        charge_kw=inf,
        discharge_kw=inf,
        eta_charge=np.ones(len(cols)),
        eta_discharge=np.ones(len(cols)),
        loss_per_h=cols.tes_loss_per_h,
        initial_kwh=tes_initial,
        final_min_kwh=tes_initial if terminal == "initial" else None,
    )
    return battery, tank


class HeatSupply(NamedTuple):
    """The heat sources of every node besides heat pumps and stores."""

    electric_boiler: ElectricBoilerParams
    boiler: BoilerParams
    chp: CHPParams
    district_heat: DistrictHeatParams


def heat_supply(cols: Columns, network: bool, costs: Costs) -> HeatSupply:
    """Electric boilers, boilers, CHP units and district heat of every node, priced."""
    electric = cols.top == TOP_ELECTRIC
    boiler = cols.top == TOP_BOILER
    dh = cols.top == TOP_DISTRICT_HEAT
    served = dh.copy()
    served[-1] = False
    return HeatSupply(
        electric_boiler=ElectricBoilerParams(
            max_el_kw=np.where(electric, np.inf, cols.p2h_kw),
            efficiency=np.where(electric, cols.top_efficiency, cols.p2h_efficiency),
        ),
        boiler=BoilerParams(
            max_heat_kw=np.where(boiler, cols.top_capacity_kw, 0.0),
            efficiency=np.where(boiler, cols.top_efficiency, 1.0),
            fuel_cost=costs.fuel_cost,
        ),
        chp=CHPParams(
            max_heat_kw=cols.chp_heat_kw,
            el_per_heat=cols.chp_el_per_heat,
            fuel_per_heat=cols.chp_fuel_per_heat,
            fuel_cost=costs.fuel_cost,
        ),
        district_heat=DistrictHeatParams(
            max_kw=np.where(dh, np.inf, 0.0),
            cost=costs.dh_cost,
            network_unit=len(cols) - 1 if network else -1,
            served=served if network else None,
        ),
    )


def merge_columns(cols: Columns, dcols: Columns) -> Columns:
    """Buildings' and district node's columns as one set of units."""
    values: dict[str, Any] = {}  # the fields' types differ: arrays and tuples of names
    for f in fields(Columns):
        a, b = getattr(cols, f.name), getattr(dcols, f.name)
        values[f.name] = np.concatenate([a, b]) if isinstance(a, np.ndarray) else (*a, *b)
    return Columns(**values)
