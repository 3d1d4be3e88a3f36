"""Electricity meters as NGSI-LD ``ThreePhaseAcMeasurement`` entities (dataModel.Energy):
the grid connections of a run and the meters of the store, each with the energy imported
and exported over its period.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sparcs.operation.flows import BALANCES
from sparcs.report.ngsi_entity import (
    Place,
    date_time,
    entity_id,
    iso_utc,
    location,
    new_entity,
    prop,
    relationship,
)

__all__ = ["EXPORTED", "meter_entity", "readings_entities"]

#: Meter quantities whose energy leaves the metered point (``totalActiveEnergyExport``).
EXPORTED = frozenset({"grid_export_kwh", "shared_out_kwh", "pv_kwh", "wind_kwh", "chp_el_kwh"})

_ELECTRIC = frozenset(BALANCES["electricity"][0]) | frozenset(BALANCES["electricity"][1])


def meter_entity(
    place: Place,
    local: str,
    name: str,
    *,
    import_kwh: float,
    export_kwh: float,
    started: str | None,
    observed_at: str,
    target: str | None,
) -> dict[str, Any]:
    """One ``ThreePhaseAcMeasurement``: energy imported and exported over a period.

    Parameters
    ----------
    place
        City and district of the id, and the location.
    local
        Last part of the id, e.g. ``"grid-B1"``.
    name
        Human-readable name.
    import_kwh, export_kwh
        Energy over the period [kWh]; negative values are written as 0.
    started
        Start of the period (UTC, ``Z``), None when unknown.
    observed_at
        End of the period (UTC, ``Z``).
    target
        Id of the entity whose energy is metered (``refTargetDevice``), or None.

    Returns
    -------
    dict
        The normalized entity.
    """
    entity = new_entity(
        "ThreePhaseAcMeasurement",
        entity_id("ThreePhaseAcMeasurement", place.city, place.district, local),
        name,
    )
    if started is not None:
        entity["dateEnergyMeteringStarted"] = date_time(started)
    entity["totalActiveEnergyImport"] = prop(
        round(max(import_kwh, 0.0), 6), observed_at=observed_at, unit="KWH"
    )
    entity["totalActiveEnergyExport"] = prop(
        round(max(export_kwh, 0.0), 6), observed_at=observed_at, unit="KWH"
    )
    if target is not None:
        entity["refTargetDevice"] = relationship([target])
    point = location(place)
    if point is not None:
        entity["location"] = point
    return entity


def _step(resolution: str, times: pd.Series) -> pd.Timedelta:
    """The reading interval: the meter's resolution, else the smallest gap, else 0."""
    try:
        step = pd.Timedelta(resolution) if resolution else pd.NaT
    except ValueError:
        step = pd.NaT
    if pd.isna(step):
        step = times.diff().min() if len(times) > 1 else pd.Timedelta(0)
    return pd.Timedelta(step)


def readings_entities(
    readings: pd.DataFrame, meters: pd.DataFrame, place: Place
) -> list[dict[str, Any]]:
    """One ``ThreePhaseAcMeasurement`` per stored electricity meter: energy since its first
    reading.

    Parameters
    ----------
    readings
        :meth:`Store.readings <sparcs.store.Store.readings>`: columns ``meter``, ``time``
        (UTC, period-beginning), ``value`` [kWh per interval], ``flags``.
    meters
        :meth:`Store.meters <sparcs.store.Store.meters>`: columns ``id``, ``node``,
        ``quantity``, ``resolution`` ...
    place
        City and district of the ids.

    Returns
    -------
    list of dict
        Normalized entities, sorted by meter id; meters of :data:`EXPORTED` quantities
        (grid export and generation) count as export, any other electricity quantity as
        import (consumption); heat, fuel and storage-state meters are left out.
        ``observedAt`` is the end of the last reading's interval.
    """
    out = []
    steps = {
        str(m): str(r) if r is not None and not pd.isna(r) else ""
        for m, r in zip(meters["id"], meters["resolution"], strict=True)
    }
    info = meters.set_index("id")
    for meter, rows in readings.groupby("meter", sort=True):
        meter = str(meter)
        if meter not in info.index:
            continue
        quantity = str(info.loc[meter, "quantity"])
        if quantity not in _ELECTRIC:
            continue
        total = float(rows["value"].sum())
        step = _step(steps.get(meter, ""), rows["time"])
        observed_at = iso_utc(rows["time"].max() + step)
        exported = quantity in EXPORTED
        entity = meter_entity(
            place,
            f"meter-{meter}",
            meter,
            import_kwh=0.0 if exported else total,
            export_kwh=total if exported else 0.0,
            started=iso_utc(rows["time"].min()),
            observed_at=observed_at,
            target=entity_id("Building", place.city, place.district, str(info.loc[meter, "node"])),
        )
        entity["sparcs:quantity"] = prop(quantity)
        entity["sparcs:readings"] = prop(len(rows), observed_at=observed_at, unit="C62")
        out.append(entity)
    return out
