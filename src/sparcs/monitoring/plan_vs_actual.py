"""Plan versus actual: the planned and the measured district side by side, deviations flagged.

Both sides go through the same :func:`~sparcs.kpi.compute_kpis`: over the whole period and
per local calendar month. A metric deviates when the measured value differs from the planned
one by more than ``tolerance`` (relative; percentages in percentage points,
``100 * tolerance``). Each deviation gets its likely cause:

``"weather"``
    demand deviates, and so do the heating degree days in the same direction (only when
    the measured weather is known; a plan re-run on the measured weather has none);
``"demand"``
    a demand (electricity, heat, cooling or EV charging) of a building deviates beyond the
    tolerance, and generation less in kWh;
``"generation"``
    a source of local generation of a building deviates beyond the tolerance, and more in
    kWh than demand (and every deviation of generation itself);
``"operation"``
    neither demand nor generation deviates beyond the tolerance: storage, heat pumps,
    control or tariffs work otherwise than planned.

The planned side sees what the meters see (:func:`metered_view`): a flow that no meter
measures is zero on both sides, so that an unmetered heat pump is not a deviation.

>>> from sparcs.monitoring.plan_vs_actual import CAUSES
>>> CAUSES
('weather', 'demand', 'generation', 'operation')
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.kpi import compute_kpis
from sparcs.kpi.report import KpiReport
from sparcs.monitoring.completeness import MeterCompleteness, meter_completeness
from sparcs.monitoring.flow_views import metered_view, month_slices
from sparcs.operation.flows import Flows
from sparcs.scenario import Scenario

__all__ = [
    "CAUSES",
    "DEMAND_FLOWS",
    "GENERATION_FLOWS",
    "METRICS",
    "TOLERANCE",
    "Deviation",
    "MeterCompleteness",
    "PlanVsActual",
    "compare_plan",
    "meter_completeness",
    "metered_view",
    "month_slices",
]

#: Default tolerance: 10 % (10 percentage points for percentages).
TOLERANCE = 0.10
#: Likely causes of a deviation, in the order they are considered.
CAUSES = ("weather", "demand", "generation", "operation")
#: The flows whose sum is the district's demand [kWh].
DEMAND_FLOWS = ("electricity_demand_kwh", "heat_demand_kwh", "cooling_demand_kwh", "ev_charge_kwh")
#: The flows whose sum is local generation [kWh].
GENERATION_FLOWS = ("pv_kwh", "wind_kwh", "chp_el_kwh", "solar_thermal_kwh")
#: KPI keys compared, over the period and per month (all from :func:`compute_kpis`).
METRICS = (
    "peb",
    "final_energy",
    "electricity_use",
    "local_generation",
    "co2",
    "self_sufficiency",
    "peak_import",
)


@dataclass(frozen=True)
class Deviation:
    """A metric whose measured value is beyond the tolerance of the planned one.

    Attributes
    ----------
    period
        ``"total"`` or a local month ``"YYYY-MM"``.
    metric
        KPI key (:data:`METRICS`).
    unit
        Its unit.
    planned, measured
        The two values.
    relative
        (measured - planned) / |planned|; for percentages the difference in points / 100;
        infinite when the plan is 0.
    cause
        One of :data:`CAUSES`.
    reason
        The cause in a sentence, with the driver's numbers.
    """

    period: str
    metric: str
    unit: str
    planned: float
    measured: float
    relative: float
    cause: str
    reason: str


@dataclass(frozen=True)
class PlanVsActual:
    """Planned and measured KPIs of one period, per month, with the deviations.

    Attributes
    ----------
    planned, measured
        KPIs over the whole period.
    monthly
        One row per (month, metric): month, metric, unit, planned, measured, relative,
        flagged.
    deviations
        The flagged ones, the period's total first.
    tolerance
        The tolerance used (relative).
    completeness
        One entry per meter.
    weather_normalised
        Whether the planned side was run on the measured weather.
    notes
        Remarks for the report (weather, fills, unmetered flows).
    """

    planned: KpiReport
    measured: KpiReport
    monthly: pd.DataFrame
    deviations: tuple[Deviation, ...]
    tolerance: float
    completeness: tuple[MeterCompleteness, ...] = ()
    weather_normalised: bool = False
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``planned`` and ``measured`` KPIs, months, deviations, completeness."""
        rows = [
            {k: _json(v) if isinstance(v, float) else v for k, v in row.items()}
            for row in self.monthly.to_dict(orient="records")
        ]
        return {
            "tolerance": self.tolerance,
            "weather_normalised": self.weather_normalised,
            "planned": self.planned.to_dict(),
            "measured": self.measured.to_dict(),
            "monthly": rows,
            "deviations": [
                {
                    **dataclasses.asdict(d),
                    "planned": _json(d.planned),
                    "measured": _json(d.measured),
                    "relative": _json(d.relative),
                }
                for d in self.deviations
            ],
            "completeness": {
                c.meter: {
                    "node": c.node,
                    "quantity": c.quantity,
                    "expected": c.expected,
                    "present": c.present,
                    "missing": c.missing,
                    "filled": c.filled,
                    "flags": dict(c.flagged),
                    "completeness": round(c.completeness, 6),
                }
                for c in self.completeness
            },
            "notes": list(self.notes),
        }


def _json(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _total(flows: Flows, names: Sequence[str]) -> float:
    return float(sum(flows[name].sum() for name in names))


def _values(report: KpiReport) -> dict[str, tuple[float, str]]:
    return {key: (report[key].value, report[key].unit) for key in METRICS}


def _relative(planned: float, measured: float, unit: str) -> float:
    if unit == "%":
        return (measured - planned) / 100
    if planned == 0:
        return 0.0 if abs(measured) < 1e-9 else math.copysign(math.inf, measured)
    return (measured - planned) / abs(planned)


def _share(delta: float, base: float) -> str:
    return f"{100 * delta / base:+.0f} %" if base else "from 0"


def _beyond(planned: Flows, measured: Flows, names: Sequence[str], tolerance: float) -> bool:
    """Whether one of the flows ``names`` at one node deviates by more than ``tolerance``."""
    for name in names:
        p, m = planned[name].sum(axis=0), measured[name].sum(axis=0)
        if np.any((np.abs(m - p) > tolerance * np.abs(p)) & (np.abs(m - p) > 1e-6)):
            return True
    return False


def _cause(
    metric: str,
    planned: Flows,
    measured: Flows,
    tolerance: float,
    degree_days: tuple[float, float] | None,
) -> tuple[str, str]:
    dem_p, dem_m = _total(planned, DEMAND_FLOWS), _total(measured, DEMAND_FLOWS)
    gen_p, gen_m = _total(planned, GENERATION_FLOWS), _total(measured, GENERATION_FLOWS)
    d_dem, d_gen = dem_m - dem_p, gen_m - gen_p
    demand = f"demand {dem_m:,.0f} kWh against {dem_p:,.0f} planned ({_share(d_dem, dem_p)})"
    generation = (
        f"generation {gen_m:,.0f} kWh against {gen_p:,.0f} planned ({_share(d_gen, gen_p)})"
    )
    dem_off = _beyond(planned, measured, DEMAND_FLOWS, tolerance)
    gen_off = _beyond(planned, measured, GENERATION_FLOWS, tolerance)
    if metric == "local_generation" or (gen_off and (abs(d_gen) > abs(d_dem) or not dem_off)):
        return "generation", generation
    if dem_off:
        if degree_days is not None:
            hdd_p, hdd_m = degree_days
            d_hdd = hdd_m - hdd_p
            if hdd_p > 0 and abs(d_hdd) > tolerance * hdd_p and d_hdd * d_dem > 0:
                return "weather", (
                    f"heating degree days {hdd_m:,.0f} against {hdd_p:,.0f} of "
                    f"the plan's weather ({_share(d_hdd, hdd_p)}); {demand}"
                )
        return "demand", demand
    return "operation", (
        f"{demand}; {generation}: each within the tolerance, so storage, heat "
        "pumps or control run otherwise than planned"
    )


def _deviations(
    period: str,
    planned: Flows,
    measured: Flows,
    kp: KpiReport,
    km: KpiReport,
    tolerance: float,
    degree_days: tuple[float, float] | None,
) -> tuple[list[dict[str, Any]], list[Deviation]]:
    rows, found = [], []
    values_p, values_m = _values(kp), _values(km)
    for metric in METRICS:
        (p, unit), (m, _) = values_p[metric], values_m[metric]
        rel = _relative(p, m, unit) if math.isfinite(p) and math.isfinite(m) else 0.0
        flagged = abs(rel) > tolerance and abs(m - p) > 1e-6 * max(1.0, abs(p))
        rows.append(
            {
                "month": period,
                "metric": metric,
                "unit": unit,
                "planned": float(p),
                "measured": float(m),
                "relative": float(rel),
                "flagged": bool(flagged),
            }
        )
        if flagged:
            cause, reason = _cause(metric, planned, measured, tolerance, degree_days)
            found.append(
                Deviation(
                    period=period,
                    metric=metric,
                    unit=unit,
                    planned=float(p),
                    measured=float(m),
                    relative=float(rel),
                    cause=cause,
                    reason=reason,
                )
            )
    return rows, found


def compare_plan(
    planned: Flows,
    measured: Flows,
    scenario: Scenario,
    *,
    tolerance: float = TOLERANCE,
    completeness: Sequence[MeterCompleteness] = (),
    weather_normalised: bool = False,
    degree_days: Mapping[str, tuple[float, float]] | None = None,
    notes: Sequence[str] = (),
) -> PlanVsActual:
    """Compare planned with measured flows of the same period (module docstring).

    Parameters
    ----------
    planned
        Flows of the plan over the period (:func:`metered_view` of a run, cut to the period).
    measured
        Flows from the meters on the same steps (``measured_flows(...).flows``).
    scenario
        The district: factors, tariff and boundary of both KPI computations.
    tolerance
        Largest relative deviation that is not flagged (percentages: points / 100).
    completeness
        Per-meter completeness, carried into the result.
    weather_normalised
        Whether ``planned`` was run on the measured weather.
    degree_days
        Total and months (``"total"``, ``"YYYY-MM"``) -> (heating degree days of the plan's
        weather, of the measured weather); without it the cause is never ``"weather"``.
    notes
        Remarks carried into the result.

    Returns
    -------
    PlanVsActual
        Both KPI reports, the monthly table and the deviations with their causes.

    Raises
    ------
    DataError
        When the two sides do not cover the same steps, or the tolerance is not positive.
    """
    if not tolerance > 0:
        msg = f"tolerance must be positive, got {tolerance}"
        raise DataError(msg)
    if not planned.time.equals(measured.time):
        msg = (
            f"planned and measured flows cover other steps ({planned.time[0]}..{planned.time[-1]}, "
            f"{len(planned.time)} against {len(measured.time)} steps); compare the same period"
        )
        raise DataError(msg)
    days = degree_days or {}
    kp, km = compute_kpis(planned, scenario), compute_kpis(measured, scenario)
    rows, found = _deviations("total", planned, measured, kp, km, tolerance, days.get("total"))
    months_m = month_slices(measured)
    for month, part in month_slices(planned).items():
        more, flagged = _deviations(
            month,
            part,
            months_m[month],
            compute_kpis(part, scenario),
            compute_kpis(months_m[month], scenario),
            tolerance,
            days.get(month),
        )
        rows += more
        found += flagged
    return PlanVsActual(
        planned=kp,
        measured=km,
        monthly=pd.DataFrame(rows),
        deviations=tuple(found),
        tolerance=tolerance,
        completeness=tuple(completeness),
        weather_normalised=weather_normalised,
        notes=tuple(notes),
    )
