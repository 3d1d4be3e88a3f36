"""Parameter sweeps: the cartesian product of scenario values, run on an executor.

``buildings[*].pv.kwp=0,50,100`` and ``tariff.kind=flat,tou`` give six points, each a
validated scenario run by :func:`sparcs.run` and reduced to its KPIs on a worker
(docs/network.md, "Sweeps").
"""

from sparcs.sweep.paths import SweepParam, apply_value, parse_param, parse_value
from sparcs.sweep.points import PointResult, SweepPoint, kpi_columns, make_points, run_point
from sparcs.sweep.run import SweepResult, run_sweep, sweep_table

__all__ = [
    "PointResult",
    "SweepParam",
    "SweepPoint",
    "SweepResult",
    "apply_value",
    "kpi_columns",
    "make_points",
    "parse_param",
    "parse_value",
    "run_point",
    "run_sweep",
    "sweep_table",
]
