"""Optimal operation: the district dispatch LP, built directly as sparse arrays for HiGHS.

The reference core (dispatch-benchmark.md §4) and its optional constraint families:

>>> from sparcs.operation.optimal import (
...     DispatchProblem,
...     SolverOptions,
...     StorageParams,
...     solve_dispatch,
... )

(:func:`solve_dispatch` shows a small problem solved end to end.)

One module per constraint family (``balance``, ``storage``, ``heat_pump``, ``grid``, ``ev``,
``thermal_mass``, ``chp``, ``boiler``, ``district_heat``, ``electric_boiler``, ``ped``),
the model (``model``: build once, update in place), typed results (``result``),
plain-words infeasibility (``infeasible``) and the scenario adapter (``adapter``).
"""

from sparcs.lp.status import SolverOptions, SolverStatus, TerminationCondition
from sparcs.operation.optimal._scenario_extras import ComfortBand
from sparcs.operation.optimal.boiler import BoilerParams
from sparcs.operation.optimal.chp import CHPParams
from sparcs.operation.optimal.district_heat import DistrictHeatParams
from sparcs.operation.optimal.electric_boiler import ElectricBoilerParams
from sparcs.operation.optimal.ev import EVParams
from sparcs.operation.optimal.model import DispatchModel
from sparcs.operation.optimal.ped import PedParams
from sparcs.operation.optimal.problem import DispatchProblem, Labels, StorageParams
from sparcs.operation.optimal.result import OptimizationResult
from sparcs.operation.optimal.solve import solve_dispatch, solve_optimal
from sparcs.operation.optimal.thermal_mass import ThermalMassParams

__all__ = [
    "BoilerParams",
    "CHPParams",
    "ComfortBand",
    "DispatchModel",
    "DispatchProblem",
    "DistrictHeatParams",
    "EVParams",
    "ElectricBoilerParams",
    "Labels",
    "OptimizationResult",
    "PedParams",
    "SolverOptions",
    "SolverStatus",
    "StorageParams",
    "TerminationCondition",
    "ThermalMassParams",
    "solve_dispatch",
    "solve_optimal",
]
