"""The simulated effect of a proposal: the district's scenario run without and with a measure.

A measure is a patch of the scenario mapping: ``{"buildings": {"b1": {"battery": {...}}}}``
changes building ``b1`` (dicts merge, other values replace), any other key patches the
scenario's top level the same way. Both scenarios are simulated by the rules
(:func:`sparcs.run`) and the KPIs of :data:`EFFECT_KPIS` compared.
"""

from __future__ import annotations

import copy
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sparcs.errors import DataError

__all__ = ["EFFECT_KPIS", "Effect", "apply_measure", "simulate_effect"]

#: KPIs a proposal shows, with and without its measure.
EFFECT_KPIS = (
    "final_energy_electricity",
    "self_sufficiency",
    "peb",
    "co2_net",
    "peak_import",
    "net_energy_cost",
)


@dataclass(frozen=True)
class Effect:
    """A measure's simulated effect on the district.

    Attributes
    ----------
    kpis
        Per KPI of :data:`EFFECT_KPIS`: ``label``, ``unit``, ``without``, ``with``, ``change``.
    ped_without, ped_with
        PED class without and with the measure.
    """

    kpis: dict[str, dict[str, Any]]
    ped_without: str
    ped_with: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what the store keeps)."""
        return {"kpis": self.kpis, "ped_without": self.ped_without, "ped_with": self.ped_with}


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def apply_measure(scenario: dict[str, Any], measure: dict[str, Any]) -> dict[str, Any]:
    """The scenario mapping with the measure applied.

    Parameters
    ----------
    scenario
        A scenario as a mapping (parsed TOML or JSON).
    measure
        The patch (see the module notes).

    Returns
    -------
    dict
        A new mapping; ``scenario`` is left as it was.

    Raises
    ------
    DataError
        The measure names a building the scenario does not have.

    Examples
    --------
    >>> base = {"buildings": [{"id": "b1", "pv": {"kwp": 10}}]}
    >>> apply_measure(base, {"buildings": {"b1": {"pv": {"kwp": 30}}}})["buildings"][0]["pv"]
    {'kwp': 30}
    """
    patch = dict(measure)
    per_building = patch.pop("buildings", {})
    changed = _merge(scenario, patch)
    buildings = [dict(b) for b in changed.get("buildings", [])]
    ids = [b.get("id") for b in buildings]
    if not isinstance(per_building, dict):
        msg = 'measure.buildings: give a table by building id, e.g. {"b1": {"pv": {"kwp": 30}}}'
        raise DataError(msg)
    for building, change in per_building.items():
        if not isinstance(change, dict):
            msg = (
                f"measure.buildings.{building}: give a table of fields, "
                'e.g. {"pv": {"kwp": 30}}'
            )
            raise DataError(msg)
        if building not in ids:
            msg = f"measure.buildings.{building}: no such building in the scenario; one of {ids}"
            raise DataError(msg)
        at = ids.index(building)
        buildings[at] = _merge(buildings[at], change)
    changed["buildings"] = buildings
    return changed


def simulate_effect(scenario: dict[str, Any], measure: dict[str, Any]) -> Effect:
    """Simulate the scenario without and with the measure (rule-based, a year each).

    Parameters
    ----------
    scenario
        A validated scenario as a mapping (it may not name files).
    measure
        The patch.

    Returns
    -------
    Effect
        The KPIs of both runs.

    Raises
    ------
    ScenarioError
        The scenario with the measure is not valid (every problem listed).
    """
    import sparcs
    from sparcs.scenario import scenario_from_dict

    results = []
    for mapping in (scenario, apply_measure(scenario, measure)):
        with tempfile.TemporaryDirectory(prefix="sparcs-measure-") as empty:
            model = scenario_from_dict(mapping, source="proposal", base_dir=Path(empty))
        results.append(sparcs.run(model).kpis.to_dict())
    without, with_ = results
    kpis = {}
    for key in EFFECT_KPIS:
        a, b = without["kpis"][key], with_["kpis"][key]
        before, after = a["value"], b["value"]
        change = None if before is None or after is None else after - before
        kpis[key] = {"label": a["label"], "unit": a["unit"], "without": before, "with": after,
                     "change": change}  # fmt: skip
    return Effect(kpis, without["ped"]["ped_class"], with_["ped"]["ped_class"])
