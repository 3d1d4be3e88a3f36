"""One solve of the sizing model, typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sparcs.lp.status import TerminationCondition

if TYPE_CHECKING:
    pass


__all__ = ["SizingSolution"]


@dataclass(frozen=True)
class SizingSolution:
    """One solve of the sizing model.

    Attributes
    ----------
    termination
        Why HiGHS stopped.
    sizes
        Technology -> size per unit (buildings, then the district node) [kWp, kW_th, kWh, kW].
    retrofit
        Share of each package per unit, (K, unit) [-].
    kpis
        Annual values: ``pe`` [kWh_PE/a], ``co2`` and ``ghg`` (net) [kg/a], ``import``,
        ``load`` [kWh/a],
        ``capex`` [EUR], ``ss`` [-].
    operating_cost
        Energy cost net of export revenue, over a year [EUR/a].
    annual_investment
        Annualised investment plus fixed O&M of the added sizes and retrofits [EUR/a].
    solution
        Named arrays of the operation on the model's steps [kW, kWh].
    mip_gap
        Relative gap of a MILP (:mod:`.discrete`) when HiGHS stopped [-]; None for an LP.
    solver_status
        HiGHS's own words for the model status (e.g. ``"Time limit reached"``,
        ``"Unknown"``); empty when not read.
    """

    termination: TerminationCondition
    sizes: dict[str, np.ndarray] = field(default_factory=dict)
    retrofit: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    kpis: dict[str, float] = field(default_factory=dict)
    operating_cost: float = float("nan")
    annual_investment: float = float("nan")
    solution: dict[str, np.ndarray] = field(default_factory=dict)
    mip_gap: float | None = None
    solver_status: str = ""

    @property
    def ok(self) -> bool:
        """True when solved to optimality (a MILP: within its gap, or at its time limit
        with a feasible plan)."""
        return self.termination is TerminationCondition.OPTIMAL or (
            self.termination is TerminationCondition.TIME_LIMIT and bool(self.sizes)
        )

    @property
    def total_annual_cost(self) -> float:
        """Operating cost plus annualised investment of the additions [EUR/a]."""
        return self.operating_cost + self.annual_investment
