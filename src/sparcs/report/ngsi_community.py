"""An energy community's settlement as NGSI-LD entities (Smart Data Models, normalized form).

=================================  ==========================================================
ours                               NGSI-LD entity (model, version)
=================================  ==========================================================
the community                      ``EnergyCommunity`` (dataModel.EnergyCommunity 0.0.1):
                                   ``hasMember`` -> the prosumers, the settlement over the
                                   whole period and per local calendar month
a member                           ``EnergyProsumer`` (same, 0.0.1): ``roleType``,
                                   ``memberOf`` -> the community, ``totalEnergyImported``
                                   (residual grid import) and ``totalEnergyExported`` (own
                                   production the community exported), its settlement per
                                   month
=================================  ==========================================================

Ids follow :func:`sparcs.report.ngsi_entity.entity_id`: ``urn:ngsi-ld:EnergyCommunity:<city>:
<community>`` and ``urn:ngsi-ld:EnergyProsumer:<city>:<community>:<member>``. Energies are
Properties in kWh (``unitCode`` ``KWH``) observed at the end of the settled period (UTC,
``Z``); what the models lack is named ``sparcs:<name>`` (the ``sparcs`` prefix of the
``@context``). The monthly settlement is one structured Property, ``sparcs:monthlySettlement``:
a list with one object per month (``month``, ``start``, ``end`` and the energies [kWh]).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sparcs.community.settle import Settlement
from sparcs.community.statements import statement_table
from sparcs.report.ngsi_entity import date_time, entity_id, iso_utc, new_entity, prop, relationship

__all__ = ["community_entities"]

#: Energy columns of a monthly entry: statement column -> key in the entry.
_MONTHLY = {
    "consumption_kwh": "consumptionKwh",
    "allocated_kwh": "allocatedKwh",
    "grid_import_kwh": "gridImportKwh",
    "production_kwh": "productionKwh",
    "shared_kwh": "sharedKwh",
    "own_export_kwh": "ownExportKwh",
}


def _kwh(value: float, end: str) -> dict[str, Any]:
    return prop(round(float(value), 6), observed_at=end, unit="KWH")


def _role(consumes: bool, produces: bool) -> str:
    if consumes and produces:
        return "prosumer"
    return "producer" if produces else "consumer"


def _months(table: pd.DataFrame, settlement: Settlement) -> list[tuple[str, str, str]]:
    """``(YYYY-MM, start, end)`` per month in the table, UTC with ``Z``."""
    readings = settlement.readings
    step = pd.Timedelta(minutes=readings.step_min)
    local = readings.local_time
    code = (local.year * 100 + local.month).to_numpy()
    out = []
    for label in dict.fromkeys(table["month"]):
        rows = np.flatnonzero(code == int(label[:4]) * 100 + int(label[5:]))
        start, end = readings.time[rows[0]], readings.time[rows[-1]] + step
        out.append((str(label), iso_utc(start), iso_utc(end)))
    return out


def _community_months(
    by_month: pd.DataFrame, months: list[tuple[str, str, str]]
) -> list[dict[str, Any]]:
    """One entry per month: its label, start and end, and the community's energies [kWh]."""
    entries = []
    figures = by_month.to_dict("index")
    for label, first, last in months:
        row = figures[label]
        entries.append(
            {
                "month": label,
                "start": first,
                "end": last,
                "consumptionKwh": round(float(row["consumption_kwh"]), 6),
                "productionKwh": round(float(row["production_kwh"]), 6),
                "allocatedKwh": round(float(row["allocated_kwh"]), 6),
                "gridImportKwh": round(float(row["grid_import_kwh"]), 6),
                # the producers' exported parts add up to what no member took
                "communityExportKwh": round(float(row["own_export_kwh"]), 6),
            }
        )
    return entries


def _member_months(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One entry per month of a member's statement rows: the month and its energies [kWh]."""
    values = frame[list(_MONTHLY)].to_numpy(dtype=float).round(6)
    return [
        {"month": str(month)} | dict(zip(_MONTHLY.values(), row.tolist(), strict=True))
        for month, row in zip(frame["month"], values, strict=True)
    ]


def community_entities(
    settlement: Settlement, *, city: str, name: str | None = None
) -> list[dict[str, Any]]:
    """The community and its members as normalized NGSI-LD entities.

    Parameters
    ----------
    settlement
        A settlement (:func:`sparcs.community.settle`).
    city
        City of the community, first part of the ids.
    name
        Community name, second part of the ids; None: the community file's ``name``, else
        ``community``.

    Returns
    -------
    list of dict
        The ``EnergyCommunity`` first, then one ``EnergyProsumer`` per member in reading
        order; each passes :func:`sparcs.report.ngsi_form.check_entity`.
    """
    readings = settlement.readings
    name = name or settlement.community.name or "community"
    step = pd.Timedelta(minutes=readings.step_min)
    start, end = iso_utc(readings.time[0]), iso_utc(readings.time[-1] + step)
    table = statement_table(settlement)
    months = _months(table, settlement)
    community_id = entity_id("EnergyCommunity", city, name)
    member_ids = [entity_id("EnergyProsumer", city, name, m) for m in readings.members]
    totals = table.groupby("member", sort=False)[list(_MONTHLY)].sum()
    by_month = table.groupby("month", sort=True)[list(_MONTHLY)].sum()
    export = float(settlement.community_export_kwh.sum())
    community = new_entity("EnergyCommunity", community_id, name)
    community.update(
        {
            "description": prop(
                f"Energy-community settlement of {len(readings.members)} members, "
                f"{settlement.key} key, {len(readings.time)} intervals of {readings.step_min} min"
            ),
            "communityType": prop("RenewableEnergyCommunity"),
            "hasMember": relationship(member_ids),
            "sparcs:allocationKey": prop(settlement.key),
            "sparcs:rounds": prop(settlement.rounds),
            "sparcs:periodStart": date_time(start),
            "sparcs:periodEnd": date_time(end),
            "sparcs:consumption": _kwh(float(totals["consumption_kwh"].sum()), end),
            "sparcs:production": _kwh(float(totals["production_kwh"].sum()), end),
            "sparcs:allocatedEnergy": _kwh(float(totals["allocated_kwh"].sum()), end),
            "sparcs:gridImport": _kwh(float(totals["grid_import_kwh"].sum()), end),
            "sparcs:communityExport": _kwh(export, end),
            "sparcs:monthlySettlement": prop(
                _community_months(by_month, months), observed_at=end, unit="KWH"
            ),
        }
    )
    entities = [community]
    per_member = dict(list(table.groupby("member", sort=False)))
    member_totals = totals.to_dict("index")
    for member, ident in zip(readings.members, member_ids, strict=True):
        row = {col: float(member_totals[member][col]) for col in _MONTHLY}
        prosumer = new_entity("EnergyProsumer", ident, member)
        prosumer.update(
            {
                "roleType": prop(
                    _role(bool(row["consumption_kwh"] > 0), bool(row["production_kwh"] > 0))
                ),
                "memberOf": relationship(community_id),
                "totalEnergyImported": _kwh(row["grid_import_kwh"], end),
                "totalEnergyExported": _kwh(row["own_export_kwh"], end),
                "sparcs:consumption": _kwh(row["consumption_kwh"], end),
                "sparcs:allocatedEnergy": _kwh(row["allocated_kwh"], end),
                "sparcs:production": _kwh(row["production_kwh"], end),
                "sparcs:sharedEnergy": _kwh(row["shared_kwh"], end),
                "sparcs:monthlySettlement": prop(
                    _member_months(per_member[member]), observed_at=end, unit="KWH"
                ),
            }
        )
        entities.append(prosumer)
    return entities
