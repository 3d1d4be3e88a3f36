"""The ``[costs]`` table of a scenario: overrides of the embedded cost data of measures.

The embedded figures (``data/costs.toml``, per country, with provenance) serve every plan;
a scenario replaces any of them with its own quotes::

    [costs]
    discount_rate = 0.05
    [costs.pv]
    capex = 900.0            # EUR/kWp
    source = "installer quote 2025-03"

One optional table per technology of ``data/costs.toml``; its keys are that file's keys.
Unknown technologies and keys are errors with a did-you-mean, as everywhere in a scenario.
"""

from __future__ import annotations

import tomllib
from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from sparcs.data import data_path
from sparcs.scenario._fields import STRICT, between, non_negative, positive

__all__ = ["COST_TECHNOLOGIES", "Costs", "TechnologyCostOverride"]


def _technologies() -> tuple[str, ...]:
    text = data_path("costs.toml").read_text(encoding="utf-8")
    return tuple(tomllib.loads(text)["technologies"])


#: Technologies of ``data/costs.toml``, in file order.
COST_TECHNOLOGIES: tuple[str, ...] = _technologies()


class TechnologyCostOverride(BaseModel):
    """Figures of one technology that replace the embedded ones; unset keys keep them."""

    model_config = STRICT
    capex: non_negative | None = Field(
        None, description="investment per unit of capacity [EUR/unit]"
    )
    lifetime_years: positive | None = Field(None, description="technical lifetime [a]")
    opex_fixed_pct: Annotated[float, between(0, 100)] | None = Field(
        None, description="fixed O&M per year, share of the investment [%/a]"
    )
    opex_variable_eur_per_kwh: non_negative | None = Field(
        None, description="variable O&M per kWh of output [EUR/kWh]"
    )
    source: str | None = Field(None, description="where the figures come from (a quote, a study)")


def _cost_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {
        "discount_rate": (
            Annotated[float, between(0, 0.3)] | None,
            Field(None, description="real discount rate [1/a], e.g. 0.04"),
        ),
        "horizon_years": (
            int | None,
            Field(None, ge=1, le=100, description="appraisal period of NPV and IRR [a]"),
        ),
    }
    for name in COST_TECHNOLOGIES:
        fields[name] = (
            TechnologyCostOverride | None,
            Field(None, description=f"overrides of {name!r} in data/costs.toml"),
        )
    return fields


# one field per technology of the data file: the file is the single list of technologies
Costs: type[BaseModel] = create_model(
    "Costs",
    __config__=STRICT,
    __doc__="Overrides of the embedded cost data (``[costs]``).",
    **_cost_fields(),
)


def cost_overrides(costs: BaseModel) -> dict[str, Any]:
    """The overrides given, as ``load_costs`` takes them (unset keys left out)."""
    return costs.model_dump(exclude_none=True)
