"""SPARCS: plan, operate and monitor Positive Energy Districts."""

from sparcs.errors import (
    DataError,
    InfeasibleError,
    ScenarioError,
    SparcsError,
    TimeIndexError,
    WeatherError,
)
from sparcs.scenario import Scenario, load_scenario

__all__ = [
    "DataError",
    "InfeasibleError",
    "Scenario",
    "ScenarioError",
    "SparcsError",
    "TimeIndexError",
    "WeatherError",
    "load_scenario",
]
__version__ = "0.1.0"
