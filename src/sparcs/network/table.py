"""The network table: one row per district, normalised, ranked, with what drives its gap."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

import pandas as pd

from sparcs.network.gaps import gap_driver, network_medians
from sparcs.network.normalise import climate_corrected, per_unit
from sparcs.network.record import DistrictRecord

__all__ = ["RANKS", "network_table"]

#: Rank columns: (column, the KPI it ranks, True when larger is better). Rank 1 is the best.
RANKS = (
    ("rank_peb", "peb_per_m2 [kWh_PE/m2]", True),
    ("rank_final_energy", "final_energy_per_m2_climate [kWh/m2]", False),
    ("rank_co2", "co2_net_per_m2 [kg CO2-eq/m2]", False),
)


def _row(record: DistrictRecord, hdd_ref: float, driver: str) -> dict[str, object]:
    area, people = record.floor_area_m2, record.residents
    per_m2 = per_unit(record.final_energy, area)
    return {
        "city": record.city,
        "district": record.district,
        "ped_class": record.ped_class,
        "ghg_net_zero": record.ghg_net_zero,
        "peb [kWh_PE]": record.peb,
        "peb_per_m2 [kWh_PE/m2]": per_unit(record.peb, area),
        "peb_per_resident [kWh_PE/resident]": per_unit(record.peb, people),
        "final_energy_per_m2 [kWh/m2]": per_m2,
        "final_energy_per_m2_climate [kWh/m2]": climate_corrected(
            per_m2, record.heating_share, record.hdd, hdd_ref
        ),
        "final_energy_per_resident [kWh/resident]": per_unit(record.final_energy, people),
        "co2_net_per_m2 [kg CO2-eq/m2]": per_unit(record.co2_net, area),
        "co2_net_per_resident [kg CO2-eq/resident]": per_unit(record.co2_net, people),
        "self_sufficiency [%]": record.self_sufficiency,
        "renewables_per_m2 [kWh/m2]": per_unit(record.local_renewable, area),
        "floor_area [m2]": area,
        "residents": people,
        "hdd [K d]": record.hdd,
        "hdd_ref [K d]": hdd_ref,
        "heating_share [-]": record.heating_share,
        "gap_per_m2 [kWh_PE/m2]": max(0.0, -per_unit(record.peb, area)),
        "gap_driver": driver,
        "factor_set": record.factor_set,
        "national_set": record.national_set,
        "source": record.source,
    }


def network_table(records: Sequence[DistrictRecord], hdd_ref: float | None = None) -> pd.DataFrame:
    """One row per district on the harmonised basis, ranked.

    Parameters
    ----------
    records
        The districts (:func:`~sparcs.network.record.district_record`).
    hdd_ref
        Degree days G20/15 of the reference climate [K d]; ``None`` = the mean of the
        districts' degree days (stated in the ``hdd_ref`` column).

    Returns
    -------
    pandas.DataFrame
        Columns ``city``, ``district``, ``ped_class``, the balance and the KPIs per m2 and per
        resident (NaN where a district gives no residents), final energy climate-corrected,
        the ranks of :data:`RANKS` (1 = best; ties share the best rank), the gap per m2 and
        its driver. Sorted by ``rank_peb``.
    """
    if not records:
        return pd.DataFrame(columns=["city", "district", "ped_class"])
    ref = hdd_ref if hdd_ref is not None else fmean(r.hdd for r in records)
    medians = network_medians(records)
    frame = pd.DataFrame([_row(r, ref, gap_driver(r, medians)) for r in records])
    for name, column, larger_is_better in RANKS:
        frame[name] = (
            frame[column]
            .rank(ascending=not larger_is_better, method="min", na_option="bottom")
            .astype(int)
        )
    ranks = [name for name, _, _ in RANKS]
    first = ["city", "district", "ped_class", *ranks]
    frame = frame[first + [c for c in frame.columns if c not in first]]
    return frame.sort_values(["rank_peb", "district"], kind="stable").reset_index(drop=True)
