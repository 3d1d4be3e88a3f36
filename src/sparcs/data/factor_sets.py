"""Factor sets of EN ISO 52000-1 kinds: per carrier f_P,nren, f_P,tot and CO2 (factors.toml).

Every set is checked at load (:func:`parse_factor_set`); a set of the wrong kind is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sparcs.data.files import read_toml
from sparcs.errors import DataError, ScenarioError

__all__ = [
    "CARRIERS",
    "CO2_SCOPES",
    "EXPORT_CREDITS",
    "PEF_KINDS",
    "CarrierFactors",
    "FactorSet",
    "factor_set_names",
    "get_factor_set",
    "parse_factor_set",
]

CARRIERS = ("electricity", "district_heat", "district_cold", "gas", "oil", "biomass")


@dataclass(frozen=True)
class CarrierFactors:
    """Primary-energy and CO2 factors of one carrier, in the kinds of EN ISO 52000-1.

    Attributes
    ----------
    f_p_nren, f_p_tot
        Non-renewable and total primary-energy factor of delivered energy [kWh_PE/kWh].
    co2_kg_per_kwh
        Emission factor of delivered energy, in the set's ``co2_scope`` [kg CO2-eq/kWh].
    f_p_nren_exp, f_p_tot_exp, co2_exp_kg_per_kwh
        The same for exported energy (the avoided-grid factors of EN ISO 52000-1 §9.6.6.2
        step B, before ``k_exp``); equal to the delivered ones in a symmetric set.
    source
        Where the values come from.
    """

    f_p_nren: float
    f_p_tot: float
    co2_kg_per_kwh: float
    f_p_nren_exp: float
    f_p_tot_exp: float
    co2_exp_kg_per_kwh: float
    source: str

    @property
    def f_p_ren(self) -> float:
        """Renewable primary-energy factor, f_P,tot - f_P,nren [kWh_PE/kWh]."""
        return self.f_p_tot - self.f_p_nren

    @property
    def pef(self) -> float:
        """The factor of the PED balance: f_P,nren of delivered energy [kWh_PE/kWh]."""
        return self.f_p_nren

    @property
    def pef_export(self) -> float:
        """f_P,nren of exported energy [kWh_PE/kWh]."""
        return self.f_p_nren_exp

    @property
    def co2_export_kg_per_kwh(self) -> float:
        """Emission factor credited for exported energy [kg CO2-eq/kWh]."""
        return self.co2_exp_kg_per_kwh


#: Kinds a set may declare for its primary-energy factors; only "nren" feeds the PED balance.
PEF_KINDS = ("nren", "tot", "weighting")
CO2_SCOPES = ("life-cycle", "combustion")
EXPORT_CREDITS = ("symmetric", "asymmetric-regulatory")
_SET_KEYS = (
    "description",
    "country",
    "version",
    "updated",
    "pef_kind",
    "method",
    "co2_scope",
    "k_exp",
    "export_credit",
    "dh_allocation",
    "grid_renewable_share",
)
_CARRIER_KEYS = ("f_p_nren", "f_p_tot", "co2_kg_per_kwh", "source")


@dataclass(frozen=True)
class FactorSet:
    """A named, versioned and dated set of factors for every carrier (EN 17423 reporting).

    Attributes
    ----------
    pef_kind
        Kind of the balance factors; always ``"nren"`` once loaded (others are refused).
    method
        How the factors were determined.
    co2_scope
        ``"life-cycle"`` or ``"combustion"``, for every carrier of the set.
    k_exp
        Weighting of the export credit, EN ISO 52000-1 §9.6.6.2 [-] (1 = full credit).
    export_credit
        ``"symmetric"`` or ``"asymmetric-regulatory"`` (export factors differ, e.g. GEG).
    updated
        Date of the last review of the values.
    """

    name: str
    description: str
    country: str
    version: str
    dh_allocation: str
    grid_renewable_share: float
    carriers: dict[str, CarrierFactors]
    dh_renewable_share: float = 0.0
    pef_kind: str = "nren"
    method: str = ""
    co2_scope: str = "life-cycle"
    k_exp: float = 1.0
    export_credit: str = "symmetric"
    updated: str = ""

    def __getitem__(self, carrier: str) -> CarrierFactors:
        return self.carriers[carrier]

    @property
    def kind(self) -> str:
        """One-line label of the factor kinds, e.g. ``"f_P,nren/f_P,tot; CO2 life-cycle"``."""
        return (
            f"f_P,{self.pef_kind}/f_P,tot; CO2 {self.co2_scope}; k_exp {self.k_exp:g}; "
            f"{self.export_credit} export credit"
        )


def factor_set_names() -> tuple[str, ...]:
    """Names of the embedded factor sets.

    Returns
    -------
    tuple of str
        Set names, in the order of ``data/factors.toml``.
    """
    return tuple(read_toml("factors.toml"))


def _refuse(name: str, where: str, text: str) -> DataError:
    return DataError(f"factor set {name!r}{where}: {text}")


def _number(
    name: str, carrier: str, entry: dict[str, Any], key: str, low: float, high: float
) -> float:
    where = f", carrier {carrier!r}" if carrier else ""
    if key not in entry:
        hint = (
            " (the old key 'pef' is ambiguous: declare f_p_nren and f_p_tot, EN ISO 52000-1)"
            if "pef" in entry
            else ""
        )
        raise _refuse(name, where, f"field {key!r} is missing{hint}")
    value = entry[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise _refuse(
            name, where, f"field {key!r} = {value!r} is not a number in [{low:g}, {high:g}]"
        )
    return float(value)


def _carrier(name: str, carrier: str, entry: dict[str, Any], symmetric: bool) -> CarrierFactors:
    for key in _CARRIER_KEYS:
        if key not in entry:
            _number(name, carrier, entry, key, 0.0, 0.0)  # raises with the field named
    nren = _number(name, carrier, entry, "f_p_nren", 0.0, 10.0)
    tot = _number(name, carrier, entry, "f_p_tot", 0.0, 20.0)
    co2 = _number(name, carrier, entry, "co2_kg_per_kwh", 0.0, 2.0)
    nren_exp = _number(name, carrier, {"f_p_nren_exp": nren, **entry}, "f_p_nren_exp", 0.0, 10.0)
    tot_exp = _number(name, carrier, {"f_p_tot_exp": tot, **entry}, "f_p_tot_exp", 0.0, 20.0)
    co2_exp = _number(
        name, carrier, {"co2_exp_kg_per_kwh": co2, **entry}, "co2_exp_kg_per_kwh", 0.0, 2.0
    )
    where = f", carrier {carrier!r}"
    if nren > tot or nren_exp > tot_exp:
        field_name = "f_p_tot" if nren > tot else "f_p_tot_exp"
        raise _refuse(
            name,
            where,
            f"field {field_name!r} is below f_p_nren; f_P,tot = f_P,nren + "
            "f_P,ren cannot be smaller than f_P,nren",
        )
    if symmetric and (nren_exp, tot_exp, co2_exp) != (nren, tot, co2):
        raise _refuse(
            name,
            where,
            "export factors differ from the delivered ones; declare "
            "export_credit = 'asymmetric-regulatory' to use them",
        )
    return CarrierFactors(
        f_p_nren=nren,
        f_p_tot=tot,
        co2_kg_per_kwh=co2,
        f_p_nren_exp=nren_exp,
        f_p_tot_exp=tot_exp,
        co2_exp_kg_per_kwh=co2_exp,
        source=str(entry["source"]),
    )


def _choice(name: str, entry: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = entry[key]
    if value not in allowed:
        raise _refuse(name, "", f"field {key!r} = {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def parse_factor_set(name: str, entry: dict[str, Any]) -> FactorSet:
    """Check a factor set's table and return it; refuse what the PED balance cannot use.

    Parameters
    ----------
    name
        Name of the set.
    entry
        Its table, as in ``data/factors.toml``.

    Returns
    -------
    FactorSet
        The checked set with its per-carrier factors.

    Raises
    ------
    DataError
        One line naming the set, the carrier and the field: a missing or out-of-range field,
        a ``pef_kind`` other than ``"nren"`` (total or weighting factors cannot give the
        non-renewable PED balance), f_P,tot below f_P,nren, an unknown CO2 scope, or export
        factors that differ from the delivered ones in a set not labelled asymmetric.

    References
    ----------
    EN ISO 52000-1:2017 §9.6 (f_P,nren, f_P,tot, k_exp); EN 17423:2020 (reporting of PEFs and
    CO2 coefficients, their scope and method).
    """
    for key in _SET_KEYS:
        if key not in entry:
            raise _refuse(name, "", f"field {key!r} is missing")
    kind = _choice(name, entry, "pef_kind", PEF_KINDS)
    if kind != "nren":
        text = {
            "tot": "total primary-energy factors (f_P,tot)",
            "weighting": "policy weighting coefficients",
        }[kind]
        raise _refuse(
            name,
            "",
            f"field 'pef_kind' = {kind!r}: the set holds {text}; the PED "
            "balance needs non-renewable factors f_P,nren (EN ISO 52000-1)",
        )
    scope = _choice(name, entry, "co2_scope", CO2_SCOPES)
    credit = _choice(name, entry, "export_credit", EXPORT_CREDITS)
    k_exp = _number(name, "", entry, "k_exp", 0.0, 1.0)
    carriers = {}
    for c in CARRIERS:
        if not isinstance(entry.get(c), dict):
            raise _refuse(name, f", carrier {c!r}", "the carrier's table is missing")
        carriers[c] = _carrier(name, c, entry[c], credit == "symmetric")
    return FactorSet(
        name=name,
        description=entry["description"],
        country=entry["country"],
        version=str(entry["version"]),
        dh_allocation=entry["dh_allocation"],
        grid_renewable_share=_number(name, "", entry, "grid_renewable_share", 0.0, 1.0),
        carriers=carriers,
        dh_renewable_share=_number(
            name, "", {"dh_renewable_share": 0.0, **entry}, "dh_renewable_share", 0.0, 1.0
        ),
        pef_kind=kind,
        method=entry["method"],
        co2_scope=scope,
        k_exp=k_exp,
        export_credit=credit,
        updated=str(entry["updated"]),
    )


@cache
def get_factor_set(name: str) -> FactorSet:
    """Return the embedded factor set ``name``, checked by :func:`parse_factor_set`.

    Raises
    ------
    ScenarioError
        When no such set is embedded; the message lists the embedded ones.
    DataError
        When the set is refused (:func:`parse_factor_set`).
    """
    table = read_toml("factors.toml")
    entry = table.get(name)
    if entry is None:
        msg = f"unknown factor set {name!r}; embedded sets are: {', '.join(table)}"
        raise ScenarioError(msg)
    return parse_factor_set(name, entry)
