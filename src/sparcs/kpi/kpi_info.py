"""What describes a KPI in the catalogue, and the sources its definitions cite."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KpiInfo"]


@dataclass(frozen=True)
class KpiInfo:
    """Label, unit, group and one-line description (with source) of a KPI."""

    label: str
    unit: str
    group: str
    description: str


#: Sources cited by the one-line definitions of the catalogue.
_SCIS = "SCIS KPI Guide v2.0 (2017)"
_GAB = "Gabaldón Moreno et al., Sustainability 13(2) 710 (2021)"
_SALOM = "Salom et al., Applied Energy 136, 119-131 (2014)"
_LUTH = "Luthander et al., Applied Energy 142, 80-94 (2015)"
_ISO = "EN ISO 52000-1:2017 §9.6"
