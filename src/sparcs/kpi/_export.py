"""What exported energy is credited with, and the physical import per carrier (private).

**Only renewable surplus counts** (docs/accounting.md). Exported electricity is attributed to
the district's CHP units first, up to their electricity output in the step ("CHP first", the
conservative reading); the rest (PV, wind, storage fed by them) is renewable export.

* Renewable export is credited at the export factors of the set times ``k_exp``
  (EN ISO 52000-1 §9.6.6.2, step B: the avoided grid resources).
* Exported CHP electricity is credited at the non-renewable primary energy (and the CO2) of the
  fuel used to make it, the fuel split between the CHP's electricity and heat by the energy
  method: per kWh of CHP output, ``sum_n fuel(t, n) f(fuel_n) / (el(t) + heat(t))``. This is
  step A of EN ISO 52000-1 §9.6.6 (the resources used): it nets that fuel out of the import
  and never creates a surplus, so a fossil CHP cannot make a district positive.

**Heat fed into the district-heating network** (``dh_export``) follows the same rule, per step:

* CHP heat first, up to the CHP's heat output, credited at the fuel's non-renewable primary
  energy (and CO2) by the same energy-method split as its electricity (step A);
* then renewable heat, up to the renewable heat made in the step: solar heat used
  (``solar_thermal - heat_dumped``) plus the ambient part of heat-pump heat,
  ``hp_heat - hp_el`` (EN ISO 52000-1 §9.6.2; RED II Annex VII, E_RES = Q (1 - 1/SPF)),
  credited at the district-heat export factors (k_exp and the network's losses included);
* the rest (boilers, electric heaters, stored or bought heat) is credited with nothing: its
  resources are in the import already, and it is no surplus.

A **functional boundary** counts named plants outside the area (:class:`FunctionalSupply`):
their output is supply inside the functional boundary, credited like renewable surplus at
the factors of the carrier it replaces (electricity: the export factor, heat: district heat).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sparcs.kpi._base import FUELS, fuel_mask, memo, node_total, step_total

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows

__all__ = ["FunctionalSupply", "chp_export_credit", "export_split", "heat_export_split"]


@dataclass(frozen=True)
class FunctionalSupply:
    """Output of named plants counted inside a functional boundary, per step [kWh].

    Attributes
    ----------
    names
        Plant names, for the reason sentence.
    electricity, heat
        Output per step, shape (time,) [kWh].
    """

    names: tuple[str, ...]
    electricity: np.ndarray
    heat: np.ndarray

    @property
    def total_kwh(self) -> float:
        """Output over the period, both carriers [kWh]."""
        return float(self.electricity.sum() + self.heat.sum())

    def credit(self, electricity_factor: np.ndarray, heat_factor: np.ndarray) -> np.ndarray:
        """Output times the factor of the carrier it replaces, per step."""
        result: np.ndarray = self.electricity * electricity_factor + self.heat * heat_factor
        return result


def export_split(flows: Flows) -> tuple[np.ndarray, np.ndarray]:
    """District export per step split into (from CHP, renewable), each (time,) [kWh]."""

    def compute() -> tuple[np.ndarray, np.ndarray]:
        exported = step_total(flows, "grid_export_kwh")
        from_chp = np.minimum(exported, step_total(flows, "chp_el_kwh"))
        return from_chp, exported - from_chp

    return memo(flows, ("export_split",), compute)


def renewable_heat(flows: Flows) -> np.ndarray:
    """Renewable heat made in each step, (time,) [kWh]: solar heat not dumped plus the
    ambient part of heat-pump heat (``hp_heat - hp_el``, EN ISO 52000-1 §9.6.2)."""

    def compute() -> np.ndarray:
        solar = step_total(flows, "solar_thermal_kwh") - step_total(flows, "heat_dumped_kwh")
        ambient = step_total(flows, "hp_heat_kwh") - step_total(flows, "hp_el_kwh")
        renewable: np.ndarray = np.maximum(solar, 0.0) + np.maximum(ambient, 0.0)
        return renewable

    return memo(flows, ("renewable_heat",), compute)


def heat_export_split(flows: Flows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Heat fed into the network per step split into (from CHP, renewable, other) [kWh].

    CHP heat first (up to its output in the step), then renewable heat (up to
    :func:`renewable_heat`), the rest is other heat.
    """

    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        exported = step_total(flows, "dh_export_kwh")
        if not exported.any():
            zeros = np.zeros(len(flows.time))
            return zeros, zeros, zeros
        from_chp = np.minimum(exported, step_total(flows, "chp_heat_kwh"))
        renewable = np.minimum(exported - from_chp, renewable_heat(flows))
        return from_chp, renewable, exported - from_chp - renewable

    return memo(flows, ("heat_export_split",), compute)


def chp_export_credit(flows: Flows, fuel_factor: dict[str, np.ndarray]) -> np.ndarray:
    """Exported CHP output (electricity and heat) at the weighted fuel used to make it, per
    step (time,).

    Parameters
    ----------
    fuel_factor
        Carrier -> factor per step, e.g. ``factors.pef`` (f_P,nren) or ``factors.co2_kg_per_kwh``.

    Notes
    -----
    :math:`C(t) = (E_{exp,CHP}(t) + Q_{exp,CHP}(t))\\, \\sum_n F_n(t) f_{fuel(n)}(t) /
    (E_{CHP,el}(t) + Q_{CHP}(t))` (energy-method allocation of the fuel; EN ISO 52000-1
    §9.6.6, step A).
    """
    from_chp = export_split(flows)[0] + heat_export_split(flows)[0]
    if not from_chp.any():
        return np.zeros(len(flows.time))
    mask = fuel_mask(flows)
    used = np.flatnonzero(node_total(flows, "chp_fuel_kwh") > 0)
    by_fuel = np.asarray(flows["chp_fuel_kwh"], dtype=float)[:, used] @ mask[used]
    weighted = sum(by_fuel[:, i] * fuel_factor[f] for i, f in enumerate(FUELS))
    output = step_total(flows, "chp_el_kwh") + step_total(flows, "chp_heat_kwh")
    per_output = np.divide(weighted, output, out=np.zeros(len(output)), where=output > 0)
    result: np.ndarray = from_chp * per_output
    return result


def physical_imports(
    flows: Flows, functional: FunctionalSupply | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(import, export) per carrier and step across the geographical (or functional) boundary.

    Electricity: grid import against grid export (plus functional electricity); district heat
    against heat fed into the network and functional heat; each fuel against nothing. Physical
    energy only: virtual assets never appear here.
    """
    from sparcs.kpi._base import delivered_steps

    d = delivered_steps(flows)
    zeros = np.zeros(len(flows.time))
    el_in = functional.electricity if functional is not None else zeros
    heat_in = functional.heat if functional is not None else zeros
    pairs = [
        (d["electricity"], step_total(flows, "grid_export_kwh") + el_in),
        (d["district_heat"], step_total(flows, "dh_export_kwh") + heat_in),
    ]
    pairs += [(d[f], zeros) for f in FUELS]
    return pairs
