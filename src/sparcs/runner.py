"""The main job as a function: ``sparcs.run(scenario) -> RunResult``."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sparcs.climate import load_weather
from sparcs.climate.weather import Weather
from sparcs.errors import ScenarioError
from sparcs.kpi import compute_kpis
from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import Flows
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario, load_scenario
from sparcs.scenario.plausible import require_buildings

__all__ = ["STAGES", "STRATEGIES", "RunResult", "run"]

#: Stages reported to a progress callback, in order.
STAGES = ("weather", "profiles", "simulation", "kpis")
#: Operation strategies: rule-based simulation, optimal (perfect foresight), rolling horizon.
STRATEGIES = ("rule", "optimal", "mpc")


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
    """

    scenario: Scenario
    inputs: Inputs
    flows: Flows
    kpis: KpiReport
    baseline: RunResult | None = None

    def report(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``report.html``, ``kpis.json``, ``flows.parquet`` and tables to ``out_dir``."""
        from sparcs.report import write_exports, write_html_report

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        # the exports are mostly Parquet encoding, which runs without the GIL: on a second
        # core while the HTML report is built (a 10,000-building flows.parquet takes ~45 s)
        with ThreadPoolExecutor(max_workers=1) as pool:
            exports = pool.submit(write_exports, out, self.flows, self.kpis)
            report = write_html_report(
                out / "report.html",
                flows=self.flows,
                kpis=self.kpis,
                title=self.scenario.name,
                timezone=self.scenario.timezone,
                scenario_name=self.scenario.name,
                notes=[self.inputs.weather.source, *self.flows_notes()],
            )
            paths = exports.result()
        return paths | {"report": report}

    def flows_notes(self) -> list[str]:
        """Notes the simulation recorded (limit violations and the like)."""
        return list(getattr(self.flows, "notes", ()))


def _resolve(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def _operate(scenario: Scenario, inputs: Inputs, strategy: str, horizon_h: float,
             step_h: float, forecast: str,
             on_window: Callable[[int, int], None] | None = None) -> Flows:
    """Flows of the chosen operation strategy; raises when an optimisation has no solution."""
    if strategy == "rule":
        return simulate(scenario, inputs)
    if strategy == "optimal":
        from sparcs.operation.optimal import solve_optimal

        result = solve_optimal(scenario, inputs)
    else:
        from sparcs.operation.mpc import run_mpc

        result = run_mpc(scenario, inputs, horizon_h=horizon_h, step_h=step_h,
                         forecast=forecast, progress=on_window)  # type: ignore[arg-type]
    return result.raise_for_status().flows  # type: ignore[return-value]


def run(
    scenario: Scenario | str | Path,
    *,
    weather: Weather | None = None,
    on_stage: Callable[[str], None] | None = None,
    strategy: str = "rule",
    horizon_h: float = 48.0,
    step_h: float = 24.0,
    forecast: str = "persistence",
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
    InfeasibleError
        When an optimising strategy finds no operation that meets every demand and limit.
    ScenarioError
        When the scenario is invalid or its district has no buildings.
    """
    scenario = _resolve(scenario)
    require_buildings(scenario)
    if strategy not in STRATEGIES:
        msg = f"strategy {strategy!r} is not known; choose one of: {', '.join(STRATEGIES)}"
        raise ScenarioError(msg)
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
    return RunResult(scenario=scenario, inputs=inputs, flows=flows, kpis=kpis, baseline=baseline)
