"""A solution of the sizing model as a plan: the model's figures, or the rounded plan's
figures of its full-period operation (:mod:`.verify`)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.planning.result import PlanOutcome
from sparcs.planning.verify import Background, Measured, measure_plans
from sparcs.planning.writeback import added_cost, apply_sizes, clean_sizes, round_sizes

if TYPE_CHECKING:
    from sparcs.lp.warm import WarmStarts
    from sparcs.planning.checker import Checker
    from sparcs.planning.config import PlanConfig
    from sparcs.planning.setup import PlanningSetup
    from sparcs.planning.sizing import SizingSolution
    from sparcs.scenario.models import Scenario

__all__ = ["CheckedOutcome", "LaterOutcome", "measured_outcome", "measured_outcomes", "outcome"]


def outcome(
    setup: PlanningSetup, sol: SizingSolution, label: str, *, description: str = ""
) -> PlanOutcome:
    """A solution of the sizing model as a plan with its scenario."""
    cand = setup.cand
    sizes, retro = clean_sizes(cand, sol)
    name = setup.scenario.name if label == "baseline" else f"{setup.scenario.name} ({label})"
    scenario = (
        setup.scenario
        if label == "baseline"
        else apply_sizes(setup.scenario, cand, sizes, retro, name=name, description=description)
    )
    return PlanOutcome(
        label=label,
        scenario=scenario,
        sizes={t: float(v.sum()) for t, v in sizes.items()},
        retrofit_m2=_retrofit_m2(setup, retro),
        capex_eur=max(0.0, sol.kpis["capex"]),
        annual_investment_eur=sol.annual_investment,
        operating_cost_eur=sol.operating_cost,
        pe_balance_kwh=sol.kpis["pe"],
        co2_kg=sol.kpis["co2"],
        import_kwh=sol.kpis["import"],
        load_kwh=sol.kpis["load"],
        self_sufficiency=sol.kpis["ss"],
        ghg_kg=sol.kpis["ghg"],
    )


def _retrofit_m2(setup: PlanningSetup, retro: np.ndarray) -> dict[str, float]:
    area = np.array([b.floor_area_m2 for b in setup.scenario.buildings] + [0.0])
    return {p.name: float(np.dot(area, retro[k])) for k, p in enumerate(setup.cand.packages)}


def measured_outcome(
    setup: PlanningSetup,
    sol: SizingSolution,
    config: PlanConfig,
    label: str = "plan",
    *,
    description: str = "",
    warm: WarmStarts | None = None,
) -> tuple[PlanOutcome, Measured, SizingSolution]:
    """The plan rounded for plan.toml and measured on its full-period operation.

    Sizes are rounded to the steps of :data:`~.writeback.STEPS`, down when rounding to the
    nearest step would break the budget; the energy figures are those of
    :func:`~.verify.measure_plan` with ``config.verify_strategy``. The third item is ``sol``
    with the rounded sizes and the measured operating cost (for the plan's economics).
    ``warm`` starts the full-period LP from the last check's basis (:func:`~.verify.measure_plan`).
    """
    plans = ((sol, label),)
    return measured_outcomes(setup, plans, config, description=description, warm=warm)[0]


def measured_outcomes(
    setup: PlanningSetup,
    plans: tuple[tuple[SizingSolution, str], ...],
    config: PlanConfig,
    *,
    description: str = "",
    warm: WarmStarts | None = None,
) -> list[tuple[PlanOutcome, Measured, SizingSolution]]:
    """:func:`measured_outcome` of several plans, operated side by side in processes."""
    rounded = [_rounded(setup, sol, config, label, description) for sol, label in plans]
    measured = measure_plans(setup, [r[0] for r in rounded], config.verify_strategy, warm)
    return [
        _as_measured(setup, sol, label, r, m)
        for (sol, label), r, m in zip(plans, rounded, measured, strict=True)
    ]


class LaterOutcome:
    """:func:`measured_outcome` whose full-period operation runs in the background
    (:class:`~.verify.Background`); :meth:`result` collects it."""

    def __init__(
        self,
        setup: PlanningSetup,
        sol: SizingSolution,
        config: PlanConfig,
        label: str,
        *,
        description: str = "",
    ) -> None:
        self._setup, self._sol, self._label = setup, sol, label
        self._rounded = _rounded(setup, sol, config, label, description)
        self._job = Background(setup, self._rounded[0], config.verify_strategy)

    def result(self) -> tuple[PlanOutcome, Measured, SizingSolution]:
        """The outcome, waiting for the operation if need be."""
        return _as_measured(self._setup, self._sol, self._label, self._rounded, self._job.result())

    def close(self) -> None:
        """Let the background operation go."""
        self._job.close()


class CheckedOutcome:
    """:func:`measured_outcome` whose full-period operation runs in a
    :class:`~.checker.Checker` (a worker that keeps its bases from check to check);
    :meth:`result` collects it."""

    def __init__(
        self,
        setup: PlanningSetup,
        sol: SizingSolution,
        config: PlanConfig,
        checker: Checker,
        *,
        description: str = "",
    ) -> None:
        self._setup, self._sol = setup, sol
        self._rounded = _rounded(setup, sol, config, "plan", description)
        self._future = checker.submit(self._rounded[0])

    def done(self) -> bool:
        """Whether the operation is back."""
        return self._future.done()

    def result(self) -> tuple[PlanOutcome, Measured, SizingSolution]:
        """The outcome, waiting for the operation if need be."""
        return _as_measured(self._setup, self._sol, "plan", self._rounded, self._future.result())


def _as_measured(
    setup: PlanningSetup,
    sol: SizingSolution,
    label: str,
    rounded: tuple[Scenario, dict[str, np.ndarray], np.ndarray, float, float],
    m: Measured,
) -> tuple[PlanOutcome, Measured, SizingSolution]:
    scenario, sizes, retro, capex, annual = rounded
    as_run = replace(
        sol, sizes=sizes, retrofit=retro, operating_cost=m.cost, annual_investment=annual
    )
    return (
        PlanOutcome(
            label=label,
            scenario=scenario,
            sizes={t: float(v.sum()) for t, v in sizes.items()},
            retrofit_m2=_retrofit_m2(setup, retro),
            capex_eur=max(0.0, capex),
            annual_investment_eur=annual,
            operating_cost_eur=m.cost,
            pe_balance_kwh=m.pe,
            co2_kg=m.co2,
            import_kwh=m.imports,
            load_kwh=m.load,
            self_sufficiency=m.ss,
            ghg_kg=m.ghg,
        ),
        m,
        as_run,
    )


def _rounded(
    setup: PlanningSetup, sol: SizingSolution, config: PlanConfig, label: str, description: str
) -> tuple[Scenario, dict[str, np.ndarray], np.ndarray, float, float]:
    """Scenario, rounded sizes and retrofits, investment and annual cost of a plan."""
    cand = setup.cand
    sizes, retro = round_sizes(cand, *clean_sizes(cand, sol))
    capex, annual = added_cost(cand, sizes, retro)
    if config.budget_eur is not None and capex > config.budget_eur:
        sizes, retro = round_sizes(cand, *clean_sizes(cand, sol), down=True)
        capex, annual = added_cost(cand, sizes, retro)
    if label == "baseline":
        return setup.scenario, sizes, retro, capex, annual
    scenario = apply_sizes(
        setup.scenario,
        cand,
        sizes,
        retro,
        name=f"{setup.scenario.name} ({label})",
        description=description,
    )
    return scenario, sizes, retro, capex, annual
