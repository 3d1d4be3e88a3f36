"""Cost data of the measures: the embedded table (``data/costs.toml``) with user overrides.

A :class:`CostTable` holds one :class:`TechnologyCost` per technology for one country, plus
the discount rate and analysis horizon. Overrides take the keys of the file, e.g.
``{"pv": {"capex": 900.0, "lifetime_years": 30}, "discount_rate": 0.06}``; a ``capex`` given
as a number applies to the chosen country.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sparcs.data import get_city
from sparcs.errors import ScenarioError
from sparcs.planning.cost_files import (
    TECH_FIELDS,
    check_cost_overrides,
    cost_data,
    read_cost_overrides,
)
from sparcs.planning.finance import annuity_factor

__all__ = [
    "COST_COUNTRIES",
    "CostTable",
    "TechnologyCost",
    "check_cost_overrides",
    "load_costs",
    "plan_costs",
    "read_cost_overrides",
    "scenario_country",
]


COST_COUNTRIES: tuple[str, ...] = tuple(cost_data()["meta"]["countries"])


@dataclass(frozen=True)
class TechnologyCost:
    """Cost of one technology in one country.

    Attributes
    ----------
    name
        Key in ``costs.toml``, e.g. ``"pv"``.
    unit
        Unit of capacity, e.g. ``"kWp"``.
    capex
        Investment per unit of capacity [EUR/unit].
    lifetime_years
        Technical lifetime [a].
    opex_fixed_pct
        Fixed O&M per year as a share of the investment [%/a].
    opex_variable_eur_per_kwh
        Variable O&M per kWh of output [EUR/kWh].
    source
        Provenance of the values; ``[est]`` marks estimates.
    """

    name: str
    unit: str
    capex: float
    lifetime_years: float
    opex_fixed_pct: float = 0.0
    opex_variable_eur_per_kwh: float = 0.0
    source: str = ""

    def annual_cost(self, rate: float) -> float:
        """Annualised investment plus fixed O&M per unit of capacity [EUR/(unit a)]."""
        return self.capex * (
            annuity_factor(rate, self.lifetime_years) + self.opex_fixed_pct / 100.0
        )

    def fixed_opex(self) -> float:
        """Fixed O&M per unit of capacity and year [EUR/(unit a)]."""
        return self.capex * self.opex_fixed_pct / 100.0


@dataclass(frozen=True)
class CostTable:
    """Every technology's cost for one country, and the appraisal settings.

    Attributes
    ----------
    country
        ISO 3166 code the capex values are for.
    technologies
        Name -> :class:`TechnologyCost`.
    discount_rate
        Real discount rate [1/a].
    horizon_years
        Analysis period of NPV and IRR [a].
    notes
        Overrides applied and fall-backs taken.
    overridden
        Every figure that replaces an embedded one, e.g.
        ``"pv.capex = 900 (embedded DE: 1150)"``.
    """

    country: str
    technologies: dict[str, TechnologyCost]
    discount_rate: float
    horizon_years: int
    notes: tuple[str, ...] = field(default=())
    overridden: tuple[str, ...] = field(default=())

    def __getitem__(self, name: str) -> TechnologyCost:
        try:
            return self.technologies[name]
        except KeyError:
            msg = (
                f"no cost data for technology {name!r}; known: "
                f"{', '.join(sorted(self.technologies))}"
            )
            raise ScenarioError(msg) from None

    def annual_cost(self, name: str) -> float:
        """Annualised investment plus fixed O&M of ``name`` [EUR/(unit a)]."""
        return self[name].annual_cost(self.discount_rate)


def scenario_country(scenario: Any) -> str | None:
    """ISO code of a scenario's country: the embedded city's, else ``site.country``."""
    site = scenario.site
    if site.city is not None:
        return get_city(site.city).country.upper()
    return site.country.upper() if site.country else None


def _technology(name: str, entry: Mapping[str, Any], country: str) -> TechnologyCost:
    capex = entry["capex"]
    value = capex.get(country) if isinstance(capex, Mapping) else capex
    if value is None:
        msg = f"costs: technology {name!r} has no capex for country {country!r}"
        raise ScenarioError(msg)
    return TechnologyCost(
        name=name,
        unit=str(entry.get("unit", "")),
        capex=float(value),
        lifetime_years=float(entry["lifetime_years"]),
        opex_fixed_pct=float(entry.get("opex_fixed_pct", 0.0)),
        opex_variable_eur_per_kwh=float(entry.get("opex_variable_eur_per_kwh", 0.0)),
        source=str(entry.get("source", "")),
    )


def _override(
    tech: TechnologyCost, changes: Mapping[str, Any], country: str, origin: str
) -> tuple[TechnologyCost, list[str]]:
    """``tech`` with ``changes`` applied, and the figures changed as ``"pv.capex"`` lines."""
    unknown = sorted(set(changes) - set(TECH_FIELDS))
    if unknown:
        msg = (
            f"costs override of {tech.name!r}: unknown key(s) {', '.join(unknown)}; "
            f"known keys are {', '.join(TECH_FIELDS)}"
        )
        raise ScenarioError(msg)
    values = dict(changes)
    if isinstance(values.get("capex"), Mapping):
        values["capex"] = values["capex"].get(country, tech.capex)
    typed = {k: (str(v) if k in ("unit", "source") else float(v)) for k, v in values.items()}
    changed = [
        f"{tech.name}.{k} = {v:g} (embedded {country}: {getattr(tech, k):g})"
        for k, v in typed.items()
        if k not in ("unit", "source")
    ]
    given = typed.pop("source", "")
    figures = ", ".join(k for k in typed if k != "unit")
    typed["source"] = (
        f"{origin}: {figures}" + (f" ({given})" if given else "") + f"; embedded: {tech.source}"
    )
    fields: dict[str, Any] = typed  # keys checked against TECH_FIELDS above, values typed
    return replace(tech, **fields), changed


def load_costs(
    country: str | None,
    overrides: Mapping[str, Any] | None = None,
    *,
    origin: str = "user override",
) -> CostTable:
    """The cost table of ``country``, with ``overrides`` applied.

    Parameters
    ----------
    country
        ISO 3166 code (``"DE"``); None or a country without data falls back to DE with a
        note.
    overrides
        Technology name -> {key: value}; top-level ``discount_rate`` and ``horizon_years``.
    origin
        Where the overrides come from, for the provenance of the figures they replace
        (e.g. ``"scenario [costs]"``).

    Returns
    -------
    CostTable
        Investment [EUR per unit of size], fixed O&M [EUR per unit and year] and lifetime [a]
        per technology, the discount rate [-] and horizon [a], with the provenance of every
        figure and the overrides applied (``overridden``).

    Raises
    ------
    ScenarioError
        An override names an unknown technology or key.

    Examples
    --------
    >>> load_costs("FI")["pv"].capex
    1200.0
    >>> load_costs("DE", {"pv": {"capex": 900.0}}).overridden
    ('pv.capex = 900 (embedded DE: 1150)',)
    """
    table = cost_data()
    check_cost_overrides(overrides or {}, origin=origin if origin != "user override" else "")
    notes: list[str] = []
    code = (country or "").upper()
    if code not in COST_COUNTRIES:
        notes.append(f"no cost data for country {country!r}; German (DE) costs are used")
        code = "DE"
    techs = {name: _technology(name, entry, code) for name, entry in table["technologies"].items()}
    meta = table["meta"]
    rate, horizon = float(meta["discount_rate"]), int(meta["horizon_years"])
    changed: list[str] = []
    for key, value in (overrides or {}).items():
        if key == "discount_rate":
            changed.append(f"discount_rate = {float(value):g} (embedded: {rate:g})")
            rate = float(value)
        elif key == "horizon_years":
            changed.append(f"horizon_years = {int(value)} (embedded: {horizon})")
            horizon = int(value)
        elif key in techs and isinstance(value, Mapping):
            techs[key], lines = _override(techs[key], value, code, origin)
            changed.extend(lines)
        else:
            close = difflib.get_close_matches(
                str(key), [*techs, "discount_rate", "horizon_years"], n=1
            )
            hint = f"did you mean {close[0]!r}? " if close else ""
            msg = (
                f"costs override: unknown technology or setting {key!r}; {hint}known: "
                f"discount_rate, horizon_years, {', '.join(sorted(techs))}"
            )
            raise ScenarioError(msg)
    if changed:
        notes.append(f"cost figures replaced ({origin}): {'; '.join(changed)}")
    return CostTable(
        country=code,
        technologies=techs,
        discount_rate=rate,
        horizon_years=horizon,
        notes=tuple(notes),
        overridden=tuple(changed),
    )


def _merged(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        old = out.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            out[key] = {**old, **value}
        else:
            out[key] = value
    return out


def plan_costs(scenario: Any, overrides: Mapping[str, Any] | None = None) -> CostTable:
    """The cost table of a scenario: its country's embedded figures, then its ``[costs]``
    table, then ``overrides`` (a plan configuration's, e.g. ``sparcs plan --costs FILE``).

    Raises
    ------
    ScenarioError
        An override names an unknown technology or key.
    """
    own = scenario.costs.model_dump(exclude_none=True)
    extra = dict(overrides or {})
    origin = " and ".join(
        name for name, given in (("scenario [costs]", own), ("plan configuration", extra)) if given
    )
    return load_costs(
        scenario_country(scenario), _merged(own, extra), origin=origin or "user override"
    )
