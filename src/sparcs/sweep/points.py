"""The points of a sweep and the run of one point (the task a worker executes)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sparcs.climate import load_weather
from sparcs.climate.weather import Weather
from sparcs.errors import SparcsError
from sparcs.kpi.report import KpiReport
from sparcs.runner import Strategy, run
from sparcs.scenario import Scenario, scenario_from_dict
from sparcs.sweep.paths import Scalar, SweepParam, apply_value

__all__ = [
    "WEATHER_KEYS",
    "PointResult",
    "SweepPoint",
    "kpi_columns",
    "make_points",
    "run_point",
    "shared_weather",
]

#: The scenario's top-level keys its weather depends on (``sparcs.climate.load_weather``;
#: its time zone follows the site).
WEATHER_KEYS = frozenset({"weather", "site", "year", "timestep"})


@dataclass(frozen=True)
class SweepPoint:
    """One combination of parameter values, with the scenario it applies to.

    Attributes
    ----------
    label
        ``path=value`` pairs joined by ``", "``: the point's name in errors and progress.
    base
        The validated scenario as a plain mapping (``Scenario.model_dump``).
    params
        The swept parameters.
    values
        One value per parameter.
    strategy
        The operation strategy of the run.
    """

    label: str
    base: dict[str, Any]
    params: tuple[SweepParam, ...]
    values: tuple[Scalar, ...]
    strategy: Strategy = "rule"

    def data(self) -> dict[str, Any]:
        """The scenario of this point as a plain mapping, not validated (the base unchanged)."""
        data: dict[str, Any] = _copy(self.base)
        for param, value in zip(self.params, self.values, strict=True):
            apply_value(data, param, value)
        return data

    def scenario(self) -> Scenario:
        """The scenario of this point, validated.

        Raises
        ------
        ScenarioError
            When a value breaks the schema; the message names the point.
        """
        return scenario_from_dict(self.data())


@dataclass(frozen=True)
class PointResult:
    """KPIs of one point.

    Attributes
    ----------
    values
        The parameter values by path.
    kpis
        ``ped_class`` and ``ghg_net_zero``, then every KPI by ``"key [unit]"`` column name.
    report
        The run's ``kpis.json`` content (strategy, PED verdict, every KPI with unit), as
        ``sparcs run`` writes it; what the store keeps of the point.
    """

    values: dict[str, Scalar]
    kpis: dict[str, float | str | bool]
    report: dict[str, Any] = field(default_factory=dict)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def kpi_columns(report: KpiReport) -> dict[str, float | str | bool]:
    """The PED class, GHG verdict and every KPI of ``report`` as one flat row.

    Parameters
    ----------
    report
        A run's KPIs.

    Returns
    -------
    dict
        ``ped_class``, ``ghg_net_zero``, then ``"key [unit]"`` -> value (NaN when undefined).
    """
    row: dict[str, float | str | bool] = {
        "ped_class": report.verdict.ped_class,
        "ghg_net_zero": report.verdict.ghg_net_zero,
    }
    row.update({f"{k.key} [{k.unit}]": float(k.value) for k in report.kpis})
    return row


def make_points(
    scenario: Scenario, params: Sequence[SweepParam], strategy: Strategy = "rule"
) -> list[SweepPoint]:
    """Every combination of the parameters' values (cartesian product, first varies slowest).

    Parameters
    ----------
    scenario
        The validated scenario the values apply to.
    params
        The swept parameters; paths must be unique.
    strategy
        Operation strategy of every point.

    Returns
    -------
    list of SweepPoint
        ``prod(len(p.values))`` points.
    """
    base = scenario.model_dump(mode="python", exclude={"buildings_file"})
    points = []
    for values in itertools.product(*(p.values for p in params)):
        label = ", ".join(f"{p.path}={v}" for p, v in zip(params, values, strict=True))
        points.append(SweepPoint(label, base, tuple(params), tuple(values), strategy))
    return points


def shared_weather(scenario: Scenario, params: Sequence[SweepParam]) -> Weather | None:
    """The weather every point of a sweep has, loaded once; None when a point may change it.

    The weather is a function of the scenario's :data:`WEATHER_KEYS` only: when no swept
    path starts with one of them, every point's weather is the base scenario's (0.1 s of CPU
    a point for a 100-building district, about a sixth of its run).

    Parameters
    ----------
    scenario
        The validated base scenario.
    params
        The swept parameters.

    Returns
    -------
    Weather or None
        The base scenario's weather; None when a parameter touches a weather key, or the
        weather cannot be loaded (each point then loads its own and reports the error).
    """
    roots = {p.path.split(".", 1)[0].split("[", 1)[0] for p in params}
    if roots & WEATHER_KEYS:
        return None
    try:
        return load_weather(scenario)
    except SparcsError:
        return None


def run_point(point: SweepPoint, weather: Weather | None = None) -> PointResult:
    """Validate and run one point; reduce it to its KPIs (what a worker sends back).

    Parameters
    ----------
    point
        The point.
    weather
        The point's weather when the sweep shares it (:func:`shared_weather`); None = the
        point loads its own.

    Returns
    -------
    PointResult
        Its parameter values and KPIs.

    Raises
    ------
    ScenarioError
        When a value breaks the schema (named by the point).
    InfeasibleError
        When the point's district cannot be operated.
    """
    result = run(point.scenario(), weather=weather, strategy=point.strategy)
    values = {p.path: v for p, v in zip(point.params, point.values, strict=True)}
    report = {"strategy": result.strategy_info, **result.kpis.to_dict()}
    return PointResult(values, kpi_columns(result.kpis), report)
