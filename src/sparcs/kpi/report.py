"""Typed KPI results: :class:`Kpi`, :class:`PedVerdict` and :class:`KpiReport`."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

__all__ = ["PED_CLASSES", "Kpi", "KpiReport", "PedVerdict", "TargetCheck"]

PED_CLASSES = ("PEDautonomous", "PEDdynamic", "PEDvirtual", "pre-PED", "not PED")
PedClass = Literal["PEDautonomous", "PEDdynamic", "PEDvirtual", "pre-PED", "not PED"]


@dataclass(frozen=True)
class Kpi:
    """One KPI value with its unit.

    Attributes
    ----------
    key
        Machine name, e.g. ``"self_sufficiency"``.
    label
        Human label, e.g. ``"Self-sufficiency"``.
    value
        The value, in ``unit`` (fractions are given in %, not 0..1).
    unit
        Unit text, e.g. ``"kWh/a"``, ``"%"``, ``"kg CO2-eq/a"``.
    group
        ``energy``, ``ped``, ``emissions``, ``grid``, ``storage``, ``mobility`` or ``economics``.
    description
        One sentence: the definition and its source.
    note
        Context of this value, e.g. the local time of a peak; empty when there is none.
    """

    key: str
    label: str
    value: float
    unit: str
    group: str
    description: str = ""
    note: str = ""


@dataclass(frozen=True)
class TargetCheck:
    """A target checked against a baseline, e.g. the SPARCS -53 % final energy.

    Attributes
    ----------
    key
        KPI key the target applies to, e.g. ``"final_energy_reduction"``.
    label
        Human label, e.g. ``"SPARCS: -53 % final energy"``.
    target
        The least value that meets the target [%].
    value
        The achieved value [%]; NaN when undefined.
    met
        Whether the target is met.
    """

    key: str
    label: str
    target: float
    value: float
    met: bool


def _json_number(value: float) -> float | None:
    """NaN and infinities become None so that the dict is strict JSON."""
    return None if value is None or not math.isfinite(value) else float(value)


@dataclass(frozen=True)
class PedVerdict:
    """The PED class with its reason.

    Attributes
    ----------
    ped_class
        One of :data:`PED_CLASSES`.
    reason
        Which condition held or failed, and by how much, in a sentence.
    balance_kwh_pe
        Annual primary-energy balance inside the geographical boundary, PEE - PEI [kWh_PE/a].
    virtual_balance_kwh_pe
        The same including virtual assets [kWh_PE/a].
    ghg_net_zero
        Whether net GHG emissions of the same boundary are at most zero (the second half of
        the JPI UE PED definition); the class itself is the energy level.
    ghg_balance_kg
        Net GHG emissions of the boundary: gross minus the export credit (and the virtual or
        functional credit where the boundary counts it) [kg CO2-eq/a].
    pre_ped_convention
        Name of the pre-PED convention in force (a project convention, not a standard).
    """

    ped_class: PedClass
    reason: str
    balance_kwh_pe: float
    virtual_balance_kwh_pe: float
    ghg_net_zero: bool = False
    ghg_balance_kg: float = float("nan")
    pre_ped_convention: str = ""


@dataclass(frozen=True)
class KpiReport:
    """All KPIs of a run.

    Attributes
    ----------
    kpis
        District KPIs, in display order.
    verdict
        The PED class and its reason.
    per_building
        One row per building id, one column per KPI key; units in ``attrs["units"]``.
    monthly
        One row per month (local calendar): energy per carrier and the PE balance [kWh].
    factor_set
        Name of the factor set used.
    meta
        Settings and assumptions behind the values (period, factors, tariff, boundary).
    targets
        Targets checked against a baseline; empty without a baseline.
    """

    kpis: tuple[Kpi, ...]
    verdict: PedVerdict
    per_building: pd.DataFrame
    monthly: pd.DataFrame
    factor_set: str
    meta: dict[str, Any] = field(default_factory=dict)
    targets: tuple[TargetCheck, ...] = ()

    def __getitem__(self, key: str) -> Kpi:
        for kpi in self.kpis:
            if kpi.key == key:
                return kpi
        msg = f"no KPI {key!r}; available: {', '.join(k.key for k in self.kpis)}"
        raise KeyError(msg)

    def keys(self) -> list[str]:
        """KPI keys in display order."""
        return [k.key for k in self.kpis]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: every KPI with value and unit, the PED class and its reason.

        Undefined values (NaN, e.g. self-consumption without generation) become None.
        """
        kpis: dict[str, Any] = {}
        for k in self.kpis:
            entry = {
                "label": k.label,
                "value": _json_number(k.value),
                "unit": k.unit,
                "group": k.group,
                "description": k.description,
            }
            if k.note:
                entry["note"] = k.note
            kpis[k.key] = entry
        verdict = asdict(self.verdict)
        for name in ("balance_kwh_pe", "virtual_balance_kwh_pe", "ghg_balance_kg"):
            verdict[name] = _json_number(verdict[name])
        return {
            "ped": verdict,
            "factor_set": self.factor_set,
            "kpis": kpis,
            "targets": [{**asdict(t), "value": _json_number(t.value)} for t in self.targets],
            "meta": self.meta,
        }

    def to_json(self, path: str | Path) -> Path:
        """Write :meth:`to_dict` as JSON and return the path."""
        path = Path(path)
        path.write_text(json.dumps(self.to_dict(), indent=2, default=float), encoding="utf-8")
        return path
