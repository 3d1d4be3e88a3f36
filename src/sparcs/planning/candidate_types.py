"""What the planner may build: typed candidates (sizes per unit, store parameters, the envelope
scenario and its profiles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sparcs.planning.measures import RetrofitPackage

if TYPE_CHECKING:
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Scenario


__all__ = ["MIN_SIZE", "Sized", "StoreSpec", "Candidates"]


#: Sizes below this are none [kWp, kW, kWh].
MIN_SIZE = 1e-3


@dataclass(frozen=True)
class Sized:
    """One technology's size per unit (buildings, then the district node), (unit,) arrays.

    Attributes
    ----------
    name
        ``"pv"`` [kWp], ``"hp"`` [kW_th], ``"battery_energy"`` [kWh], ``"battery_power"``
        [kW], ``"tank"`` [kWh].
    existing, upper
        Size that exists (no investment) and the largest allowed.
    capex
        Investment per unit of size [EUR/unit].
    annual_cost
        Annualised investment plus fixed O&M per unit of size [EUR/(unit a)].
    lifetime_years
        Lifetime of each unit's technology [a].
    fixed_opex
        Fixed O&M per unit of size [EUR/(unit a)].
    """

    name: str
    existing: np.ndarray
    upper: np.ndarray
    capex: np.ndarray
    annual_cost: np.ndarray
    lifetime_years: np.ndarray
    fixed_opex: np.ndarray

    @property
    def candidate(self) -> np.ndarray:
        """Units where the size may grow."""
        return self.upper > self.existing + MIN_SIZE


@dataclass(frozen=True)
class StoreSpec:
    """Parameters of the batteries or tanks of every unit, (unit,) arrays [-] and [1/h]."""

    soc_min: np.ndarray
    soc_max: np.ndarray
    soc_initial: np.ndarray
    eta_charge: np.ndarray
    eta_discharge: np.ndarray
    loss_per_h: np.ndarray


@dataclass(frozen=True)
class Candidates:
    """Everything the sizing model needs besides the dispatch LP.

    Attributes
    ----------
    envelope
        The scenario with every candidate at its largest size.
    inputs
        The envelope's profiles on the scenario year.
    pv_yield
        PV output per kWp of each unit's array, (time, unit) [kW/kWp].
    sizes
        Technology name -> :class:`Sized`.
    battery, tank
        Store parameters (existing store's, else the model defaults).
    hp_source
        Heat-pump source of each unit (``""`` where none may be built).
    packages
        Retrofit packages offered.
    retrofit_allowed, retrofit_capex, retrofit_annual
        Per package and unit (K, unit): allowed, investment [EUR] and annual cost [EUR/a]
        of retrofitting the whole floor area.
    base_space_heat_kwh
        Annual space heat before retrofit per building, normal-year figure as a scenario's
        ``space_heat_kwh`` is read [kWh/a].
    ev_points
        EV charge points of each unit whose power may be sized, (unit,); 0 elsewhere.
    ev_unit_of_owner, ev_efficiency
        Unit of each session owner (the district last) and charger efficiency per unit
        [-], for the EV sessions of ``inputs``.
    notes
        Assumptions made on the user's behalf.
    """

    envelope: Scenario
    inputs: Inputs
    pv_yield: np.ndarray
    sizes: dict[str, Sized]
    battery: StoreSpec
    tank: StoreSpec
    hp_source: tuple[str, ...]
    packages: tuple[RetrofitPackage, ...]
    retrofit_allowed: np.ndarray
    retrofit_capex: np.ndarray
    retrofit_annual: np.ndarray
    base_space_heat_kwh: np.ndarray
    ev_points: np.ndarray
    ev_unit_of_owner: np.ndarray
    ev_efficiency: np.ndarray
    notes: tuple[str, ...] = ()

    @property
    def n_units(self) -> int:
        """Buildings plus the district node."""
        return int(self.pv_yield.shape[1])
