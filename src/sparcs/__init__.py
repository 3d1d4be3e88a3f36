"""SPARCS: plan, operate and monitor Positive Energy Districts."""

from sparcs.errors import (
    DataError,
    InfeasibleError,
    ScenarioError,
    SparcsError,
    TimeIndexError,
    WeatherError,
)
from sparcs.runner import RunResult, run
from sparcs.scenario import Scenario, load_scenario

__all__ = [
    "DataError",
    "InfeasibleError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SparcsError",
    "TimeIndexError",
    "WeatherError",
    "load_scenario",
    "run",
]
__version__ = "0.1.0"
