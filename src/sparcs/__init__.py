"""SPARCS: plan, operate and monitor Positive Energy Districts.

The names below are imported on first use (PEP 562), so ``import sparcs.errors`` or
``import sparcs`` stays light: pvlib, scipy and the engine load only when a run needs them.

Importing the package also asks numpy not to advise transparent huge pages for its arrays
(``NUMPY_MADVISE_HUGEPAGE=0``, numpy's documented setting), unless the process set it or
numpy is already imported: column-sparse flow arrays commit memory page by page, and 2 MiB
pages would commit and clear the 2 MiB around every column written (see ``docs/memory.md``).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

if "numpy" not in sys.modules:
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

if TYPE_CHECKING:
    from sparcs.errors import (
        DataError,
        ExternalDataError,
        InfeasibleError,
        ScenarioError,
        SolverError,
        SparcsError,
        SparcsWarning,
        StoreError,
        TimeIndexError,
        UnitError,
        WeatherError,
    )
    from sparcs.kpi.report import KpiReport
    from sparcs.operation.flows import Flows
    from sparcs.operation.optimal.result import OptimizationResult
    from sparcs.runner import RunResult, run
    from sparcs.scenario import Scenario, load_scenario

#: Public name -> the module that defines it.
_WHERE = {
    "DataError": "sparcs.errors",
    "ExternalDataError": "sparcs.errors",
    "Flows": "sparcs.operation.flows",
    "InfeasibleError": "sparcs.errors",
    "KpiReport": "sparcs.kpi.report",
    "OptimizationResult": "sparcs.operation.optimal.result",
    "RunResult": "sparcs.runner",
    "Scenario": "sparcs.scenario",
    "ScenarioError": "sparcs.errors",
    "SolverError": "sparcs.errors",
    "SparcsError": "sparcs.errors",
    "SparcsWarning": "sparcs.errors",
    "StoreError": "sparcs.errors",
    "TimeIndexError": "sparcs.errors",
    "UnitError": "sparcs.errors",
    "WeatherError": "sparcs.errors",
    "load_scenario": "sparcs.scenario",
    "run": "sparcs.runner",
}

__all__ = [
    "DataError",
    "ExternalDataError",
    "Flows",
    "InfeasibleError",
    "KpiReport",
    "OptimizationResult",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SolverError",
    "SparcsError",
    "SparcsWarning",
    "StoreError",
    "TimeIndexError",
    "UnitError",
    "WeatherError",
    "load_scenario",
    "run",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    if name not in _WHERE:
        msg = f"module 'sparcs' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
