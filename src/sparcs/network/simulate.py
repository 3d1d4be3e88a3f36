"""One district simulated by the rules, for the network's per-district tasks.

The network sits in the engine, beside planning (docs/architecture.md), so it composes the
engine's stages itself instead of calling :func:`sparcs.run`, which belongs to the layer
above (it writes reports). The stages are the same as ``sparcs run --strategy rule``:
weather, profiles, the rule simulation and the KPIs; ``tests/network`` checks the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sparcs.climate import load_weather
from sparcs.kpi import compute_kpis
from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import Flows
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario
from sparcs.scenario.plausible import require_buildings

__all__ = ["RuleRun", "rule_run"]


@dataclass(frozen=True)
class RuleRun:
    """A district simulated by the rules.

    Attributes
    ----------
    inputs
        Weather and time x building profiles.
    flows
        Energy flows per step, node and carrier [kWh].
    kpis
        KPIs and the PED verdict (no baseline).
    """

    inputs: Inputs
    flows: Flows
    kpis: KpiReport


def rule_run(scenario: Scenario) -> RuleRun:
    """Simulate ``scenario`` for its period by the rules; KPIs without a baseline.

    Parameters
    ----------
    scenario
        A validated scenario; its ``baseline`` is not run here (the callers run it on their
        own basis).

    Returns
    -------
    RuleRun
        Inputs, flows [kWh] and KPIs.

    Raises
    ------
    ScenarioError
        When the district has no buildings.
    """
    require_buildings(scenario)
    inputs = build_inputs(scenario, load_weather(scenario))
    flows = simulate(scenario, inputs)
    return RuleRun(inputs, flows, compute_kpis(flows, scenario))
