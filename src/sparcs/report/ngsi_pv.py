"""Photovoltaics as NGSI-LD entities of dataModel.GreenEnergy: a ``PhotovoltaicDevice`` per PV
system and a ``PhotovoltaicMeasurement`` of what it generated over the period.

One PV system per node of the flows with PV (a building's roof, the district's own plant).
The measurement model is made for instantaneous readings of an inverter; for a period (a
simulated year, a week) SPARCS writes:

- ``dateObservedFrom``/``dateObservedTo``: the period; ``dateObserved`` its end, the time of
  the observation (the same as the ``observedAt`` of every figure);
- ``activePower``: the mean AC power over the period [kW, KWT];
- ``nominalPeakPowerGeneration``: the installed DC peak power [kWp, KWT];
- ``temperature``: the air temperature while the system generated (weighted by its output)
  [°C, CEL]. The model's schema asks for at least 0; a period that generated only in frost
  gives a negative value, which then fails the schema rather than being bent to 0;
- ``sparcs:energyGenerated``: the AC energy over the period [kWh, KWH], which the model has
  no attribute for.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sparcs.operation.flows import DISTRICT_NODE, Flows
from sparcs.report.ngsi_entity import (
    Place,
    date_time,
    entity_id,
    location,
    new_entity,
    prop,
    relationship,
)

__all__ = ["pv_entities", "weighted_temperature_c"]


def weighted_temperature_c(generation_kwh: np.ndarray, air_temperature_c: np.ndarray) -> float:
    """The air temperature while a system generated, weighted by its output [°C].

    Parameters
    ----------
    generation_kwh
        Output per step [kWh].
    air_temperature_c
        Air temperature per step [°C].

    Returns
    -------
    float
        The output-weighted mean; the plain mean when nothing was generated.

    Examples
    --------
    >>> weighted_temperature_c(np.array([0.0, 1.0, 3.0]), np.array([-5.0, 10.0, 20.0]))
    17.5
    """
    total = float(generation_kwh.sum())
    if total <= 0:
        return float(air_temperature_c.mean())
    return float(np.dot(generation_kwh, air_temperature_c) / total)


def pv_entities(
    flows: Flows,
    place: Place,
    *,
    started: str,
    observed_at: str,
    air_temperature_c: np.ndarray,
) -> list[dict[str, Any]]:
    """A ``PhotovoltaicDevice`` and a ``PhotovoltaicMeasurement`` per node with PV.

    Parameters
    ----------
    flows
        The run's flows: ``pv_kwh`` [kWh per step] and ``capacities["pv_kwp"]`` [kWp].
    place
        City, district and location (the models require a ``location``; without
        coordinates the entities have none).
    started, observed_at
        Start and end of the period (UTC, ``Z``).
    air_temperature_c
        Air temperature per step of ``flows`` [°C] (the weather of the run).

    Returns
    -------
    list of dict
        Normalized entities, per node in the order of ``flows.nodes``: the device, then its
        measurement. Nodes without PV (no peak power, no output) have none.

    Raises
    ------
    ValueError
        When ``air_temperature_c`` does not have one value per step.
    """
    temperature = np.asarray(air_temperature_c, dtype=float)
    if temperature.shape != (len(flows.time),):
        msg = (
            f"air temperature has shape {temperature.shape}; the flows have {len(flows.time)} steps"
        )
        raise ValueError(msg)
    kwp = flows.capacities.get("pv_kwp", np.zeros(len(flows.nodes)))
    hours = len(flows.time) * flows.dt_h
    point = location(place)
    out: list[dict[str, Any]] = []
    for i, node in enumerate(flows.nodes):
        generated = flows["pv_kwh"][:, i]
        total = float(generated.sum())
        if not (kwp[i] > 0 or total > 0):
            continue
        owner = "the district" if node == DISTRICT_NODE else node
        device_id = entity_id("PhotovoltaicDevice", place.city, place.district, f"pv-{node}")
        device = new_entity("PhotovoltaicDevice", device_id, f"PV of {owner}")
        device["dateLastReported"] = date_time(observed_at)
        device["application"] = prop(["electric"])
        measurement = new_entity(
            "PhotovoltaicMeasurement",
            entity_id("PhotovoltaicMeasurement", place.city, place.district, f"pv-{node}"),
            f"PV of {owner}, {started} to {observed_at}",
        )
        measurement |= {
            "dateObserved": date_time(observed_at),
            "dateObservedFrom": date_time(started),
            "dateObservedTo": date_time(observed_at),
            "dateEnergyMeteringStarted": date_time(started),
            "refPhotovoltaicDevice": relationship(device_id),
            "activePower": prop(round(total / hours, 6), observed_at=observed_at, unit="KWT"),
            "nominalPeakPowerGeneration": prop(float(kwp[i]), unit="KWT"),
            "temperature": prop(
                round(weighted_temperature_c(generated, temperature), 2),
                observed_at=observed_at,
                unit="CEL",
            ),
            "sparcs:energyGenerated": prop(round(total, 6), observed_at=observed_at, unit="KWH"),
        }
        if point is not None:
            device["location"] = point
            measurement["location"] = point
        out += [device, measurement]
    return out
