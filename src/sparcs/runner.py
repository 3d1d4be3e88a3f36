"""The main job as a function: ``sparcs.run(scenario) -> RunResult``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from sparcs.climate import load_weather
from sparcs.climate.weather import Weather
from sparcs.errors import ScenarioError, SolverError
from sparcs.kpi import compute_kpis
from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import Flows
from sparcs.operation.optimal.forecast import Forecast
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario, load_scenario
from sparcs.scenario.plausible import require_buildings

__all__ = ["STAGES", "STRATEGIES", "RunResult", "Strategy", "run", "strategy_settings"]

#: Stages reported to a progress callback, in order.
STAGES = ("weather", "profiles", "simulation", "kpis")
#: An operation strategy: rule-based simulation, optimal (perfect foresight), rolling horizon.
Strategy = Literal["rule", "optimal", "mpc"]
#: The operation strategies, in the order of :data:`Strategy`.
STRATEGIES: tuple[Strategy, ...] = get_args(Strategy)
#: A plain-words description of each strategy, for reports.
STRATEGY_DESCRIPTIONS: dict[str, str] = {
    "rule": "rule-based simulation (self-consumption first)",
    "optimal": "least-cost optimisation with perfect foresight of the whole period",
    "mpc": "rolling-horizon optimisation (model predictive control) on forecasts",
}


def strategy_settings(
    strategy: Strategy,
    *,
    horizon_h: float = 48.0,
    step_h: float = 24.0,
    forecast: Forecast = "persistence",
) -> dict[str, Any]:
    """The settings that shape ``strategy``'s operation, as reports show them.

    ``rule`` and ``optimal`` have none; ``mpc`` has its horizon [h], commit step [h] and
    forecast.
    """
    if strategy == "mpc":
        return {"horizon_h": horizon_h, "step_h": step_h, "forecast": forecast}
    return {}


@dataclass(frozen=True)
class RunResult:
    """The result of :func:`run`.

    Attributes
    ----------
    scenario
        The validated scenario that was run.
    inputs
        Weather and time x building profiles.
    flows
        Energy flows per step, node and carrier [kWh].
    kpis
        KPIs and the PED verdict.
    baseline
        The baseline's result when the scenario names one.
    strategy
        The operation strategy that produced :attr:`flows`.
    settings
        That strategy's settings (:func:`strategy_settings`).
    """

    scenario: Scenario
    inputs: Inputs
    flows: Flows
    kpis: KpiReport
    baseline: RunResult | None = None
    strategy: Strategy = "rule"
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def strategy_info(self) -> dict[str, Any]:
        """``{"name": ..., "description": ..., "settings": {...}}`` as ``kpis.json`` holds it."""
        return {
            "name": self.strategy,
            "description": STRATEGY_DESCRIPTIONS[self.strategy],
            "settings": dict(self.settings),
        }

    def report(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``report.html``, ``kpis.json``, ``flows.parquet`` and tables to ``out_dir``."""
        from sparcs.report import write_exports, write_html_report

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        # the exports are mostly Parquet encoding, which runs without the GIL: on a second
        # core while the HTML report is built (a 10,000-building flows.parquet takes ~45 s)
        with ThreadPoolExecutor(max_workers=1) as pool:
            exports = pool.submit(
                write_exports, out, self.flows, self.kpis, strategy=self.strategy_info
            )
            report = write_html_report(
                out / "report.html",
                flows=self.flows,
                kpis=self.kpis,
                title=self.scenario.name,
                timezone=self.scenario.timezone,
                scenario_name=self.scenario.name,
                notes=[self.inputs.weather.source, *self.flows_notes()],
                strategy=self.strategy_info,
            )
            paths = exports.result()
        return paths | {"report": report}

    def flows_notes(self) -> list[str]:
        """Notes the simulation recorded (limit violations and the like)."""
        return list(getattr(self.flows, "notes", ()))


def _resolve(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def _baseline_chain(scenario: Scenario, origin: Path | None) -> None:
    """Raise when following ``baseline`` from ``scenario`` comes back to a file already seen."""
    seen: list[Path] = [origin.resolve()] if origin is not None else []
    current = scenario
    while current.baseline is not None:
        path = Path(current.baseline).resolve()
        if path in seen:
            names = " → ".join(p.name for p in [*seen[seen.index(path) :], path])
            msg = (
                f"baseline cycle: {names}; a scenario's baseline must not lead back to it. "
                f"Remove 'baseline' from {seen[-1] if seen else path}"
            )
            raise ScenarioError(msg)
        seen.append(path)
        current = load_scenario(path)


def _operate(
    scenario: Scenario,
    inputs: Inputs,
    strategy: Strategy,
    horizon_h: float,
    step_h: float,
    forecast: Forecast,
    on_window: Callable[[int, int], None] | None = None,
) -> Flows:
    """Flows of the chosen operation strategy; raises when an optimisation has no solution."""
    if strategy == "rule":
        return simulate(scenario, inputs)
    if strategy == "optimal":
        from sparcs.operation.optimal import solve_optimal

        result = solve_optimal(scenario, inputs)
    else:
        from sparcs.operation.mpc import run_mpc

        result = run_mpc(
            scenario,
            inputs,
            horizon_h=horizon_h,
            step_h=step_h,
            forecast=forecast,
            progress=on_window,
        )
    flows = result.raise_for_status().flows
    if flows is None:
        msg = f"the {strategy} optimisation reported success but returned no flows"
        raise SolverError(msg)
    return flows


def run(
    scenario: Scenario | str | Path,
    *,
    weather: Weather | None = None,
    on_stage: Callable[[str], None] | None = None,
    strategy: Strategy = "rule",
    horizon_h: float = 48.0,
    step_h: float = 24.0,
    forecast: Forecast = "persistence",
    on_window: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Simulate a district for a year and compute its KPIs and PED verdict.

    Parameters
    ----------
    scenario
        A validated :class:`~sparcs.scenario.Scenario` or the path of a scenario file.
    weather
        Weather to use instead of the scenario's weather source.
    on_stage
        Called with each name of :data:`STAGES` as it starts (for progress bars).
    strategy
        ``"rule"`` (simulation), ``"optimal"`` (perfect foresight,
        :func:`~sparcs.operation.optimal.solve_optimal`) or ``"mpc"`` (rolling horizon,
        :func:`~sparcs.operation.mpc.run_mpc`); a baseline is always simulated by the rules.
    horizon_h, step_h, forecast
        Window [h], commit length [h] and forecast of the ``"mpc"`` strategy.
    on_window
        ``"mpc"`` only: called with (windows done, windows in all) after each window.

    Returns
    -------
    RunResult
        Flows, KPIs and the verdict; a baseline result when the scenario names one.

    Raises
    ------
    ScenarioError
        When the strategy is unknown, or the chain of baselines leads back to a scenario
        already in it (``a.toml → b.toml → a.toml``).
    InfeasibleError
        When an optimising strategy finds no operation that meets every demand and limit.
    ScenarioError
        When the scenario is invalid or its district has no buildings.
    """
    origin = None if isinstance(scenario, Scenario) else Path(scenario)
    scenario = _resolve(scenario)
    require_buildings(scenario)
    if strategy not in STRATEGIES:
        msg = f"strategy {strategy!r} is not known; choose one of: {', '.join(STRATEGIES)}"
        raise ScenarioError(msg)
    _baseline_chain(scenario, origin)
    notify = on_stage or (lambda _stage: None)
    notify("weather")
    weather = weather if weather is not None else load_weather(scenario)
    notify("profiles")
    inputs = build_inputs(scenario, weather)
    notify("simulation")
    flows = _operate(scenario, inputs, strategy, horizon_h, step_h, forecast, on_window)
    baseline = None
    if scenario.baseline is not None:
        baseline = run(load_scenario(scenario.baseline))
    notify("kpis")
    kpis = compute_kpis(
        flows,
        scenario,
        baseline=baseline.flows if baseline else None,
        baseline_scenario=baseline.scenario if baseline else None,
    )
    settings = strategy_settings(strategy, horizon_h=horizon_h, step_h=step_h, forecast=forecast)
    return RunResult(
        scenario=scenario,
        inputs=inputs,
        flows=flows,
        kpis=kpis,
        baseline=baseline,
        strategy=strategy,
        settings=settings,
    )
