"""What drives a district's gap to PED: its primary import by carrier against the network."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import median

from sparcs.data import get_factor_set
from sparcs.network.normalise import per_unit
from sparcs.network.record import CARRIERS, DistrictRecord

__all__ = ["CARRIER_LABELS", "gap_driver", "network_medians", "primary_by_carrier"]

#: Carrier names as a reader says them.
CARRIER_LABELS = {
    "electricity": "grid electricity",
    "district_heat": "district heat",
    "gas": "gas",
    "oil": "oil",
    "biomass": "biomass",
}


def primary_by_carrier(record: DistrictRecord) -> dict[str, float]:
    """Non-renewable primary energy delivered per carrier, on the record's factor set.

    Parameters
    ----------
    record
        A district on the harmonised basis.

    Returns
    -------
    dict
        Carrier -> final energy x f_P,nren [kWh_PE/a].
    """
    factors = get_factor_set(record.factor_set)
    return {c: record.final_by_carrier[c] * factors[c].f_p_nren for c in CARRIERS}


def network_medians(records: Sequence[DistrictRecord]) -> dict[str, float]:
    """Medians over the districts: each carrier's primary import per m2, renewables per m2.

    Parameters
    ----------
    records
        The districts of the network.

    Returns
    -------
    dict
        Carrier -> median [kWh_PE/(m2 a)]; ``renewable`` -> median [kWh/(m2 a)].
    """
    rows = [
        {c: per_unit(v, r.floor_area_m2) for c, v in primary_by_carrier(r).items()}
        | {"renewable": per_unit(r.local_renewable, r.floor_area_m2)}
        for r in records
    ]
    keys = (*CARRIERS, "renewable")
    return {
        k: median([row[k] for row in rows if not math.isnan(row[k])] or [math.nan]) for k in keys
    }


def gap_driver(record: DistrictRecord, medians: Mapping[str, float]) -> str:
    """One sentence: the largest share of the district's primary import and how it compares.

    Parameters
    ----------
    record
        The district.
    medians
        Network medians per m2 by carrier and of ``renewable`` (:func:`network_medians`).

    Returns
    -------
    str
        E.g. ``"district heat is 71% of primary import (88 kWh_PE/m2; network median 40);
        export credit covers 4% of import; local renewables 6 kWh/m2 (median 18)"``; for a
        positive district, its surplus.
    """
    area = record.floor_area_m2
    if record.peb >= 0:
        return f"no gap: surplus of {per_unit(record.peb, area):,.1f} kWh_PE/m2"
    by_carrier = primary_by_carrier(record)
    total = sum(by_carrier.values())
    if total <= 0:
        return "no delivered energy: the gap is the export credit alone"
    top = max(by_carrier, key=lambda c: by_carrier[c])
    cover = record.pee / record.pei if record.pei > 0 else 0.0
    renewable = per_unit(record.local_renewable, area)
    text = (
        f"{CARRIER_LABELS[top]} is {by_carrier[top] / total:.0%} of primary import "
        f"({per_unit(by_carrier[top], area):,.0f} kWh_PE/m2; network median "
        f"{medians[top]:,.0f}); export credit covers {cover:.0%} of import"
    )
    if renewable < medians["renewable"]:
        text += (
            f"; local renewables {renewable:,.0f} kWh/m2 "
            f"(network median {medians['renewable']:,.0f})"
        )
    if record.ped_class == "PEDvirtual":
        text = "virtual assets close the gap; physically: " + text
    return text
