"""Baseline comparisons: reductions against a reference and the SPARCS targets.

Every KPI needs a reference system (SCIS KPI Guide v2.0, 2017). Reductions compare the
flows with baseline flows of the same length. Emissions and RES shares use the **annual**
factor sets on both sides (each side its own set), so that a change of factor data (e.g. an
hourly file for the present year only) does not show as a saving. The energy savings are not
weather-normalised: normalise the baseline flows first when the climates differ (domain.md
§4.3, note on KPI 2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs.errors import DataError, ScenarioError
from sparcs.kpi._base import By, check_by
from sparcs.kpi.emissions import co2_emissions
from sparcs.kpi.energy import final_energy
from sparcs.kpi.grid import peak_import
from sparcs.kpi.renewables import res_share
from sparcs.kpi.report import TargetCheck

if TYPE_CHECKING:
    from sparcs.carriers.factors import StepFactors
    from sparcs.operation.flows import Flows

__all__ = [
    "SPARCS_TARGETS",
    "co2_reduction",
    "final_energy_reduction",
    "peak_import_reduction",
    "res_share_increase",
    "target_checks",
]

#: SPARCS headline targets: KPI key, label, least value that meets it [%].
SPARCS_TARGETS: tuple[tuple[str, str, float], ...] = (
    ("final_energy_reduction", "SPARCS: -53 % energy use", 53.0),
    ("co2_reduction", "SPARCS: -64 % CO2 emissions", 64.0),
    ("res_share_increase", "SPARCS: +65 % RES share", 65.0),
)
#: Largest relative difference of period length between flows and baseline [-].
MAX_PERIOD_MISMATCH = 0.01


def _check_period(flows: Flows, baseline: Flows) -> None:
    hours = len(flows.time) * flows.dt_h
    base_hours = len(baseline.time) * baseline.dt_h
    if abs(hours - base_hours) > MAX_PERIOD_MISMATCH * max(hours, base_hours):
        msg = (
            f"the baseline covers {base_hours:,.0f} h but the flows cover {hours:,.0f} h; "
            "compare periods of the same length (e.g. one year each)"
        )
        raise DataError(msg)


def _relative(actual: Any, base: Any, *, increase: bool, by: By, name: str) -> float | pd.Series:
    if isinstance(actual, pd.Series):
        if not actual.index.equals(base.index):
            msg = "by='building' needs the same building ids in the flows and the baseline"
            raise ScenarioError(msg)
        a, b = actual.to_numpy(dtype=float), base.to_numpy(dtype=float)
    else:
        a, b = np.asarray(actual, dtype=float), np.asarray(base, dtype=float)
    out = np.full(np.shape(a), np.nan)
    diff = a - b if increase else b - a
    with np.errstate(over="ignore"):
        np.divide(100.0 * diff, b, out=out, where=b > 0)
    if by == "district":
        return float(out)
    series = pd.Series(out, index=actual.index, name=name)
    series.attrs["unit"] = "%"
    return series


def final_energy_reduction(
    flows: Flows, *, by: By = "district", baseline: Flows
) -> float | pd.Series:
    """Reduction of final energy against the baseline [%].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    baseline
        Flows of the baseline over a period of the same length [kWh per step].

    Returns
    -------
    float or pandas.Series
        Reduction [%], NaN when the baseline is zero; a float for the district, a Series
        over the buildings.

    Notes
    -----
    :math:`(E_{base} - E) / E_{base} \\times 100`; NaN when the baseline is zero.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), energy savings; SPARCS target -53 % (domain.md §4.3 #2).
    """
    check_by(by)
    _check_period(flows, baseline)
    return _relative(
        final_energy(flows, by=by),
        final_energy(baseline, by=by),
        increase=False,
        by=by,
        name="final_energy_reduction",
    )


def co2_reduction(
    flows: Flows,
    *,
    by: By = "district",
    baseline: Flows,
    factors: StepFactors,
    baseline_factors: StepFactors,
) -> float | pd.Series:
    """Reduction of headline GHG emissions against the baseline, annual factors [%].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    baseline
        Flows of the baseline over a period of the same length [kWh per step].
    factors
        Resolved factors of ``flows``; their annual values are used.
    baseline_factors
        Resolved factors of ``baseline``; their annual values are used.

    Returns
    -------
    float or pandas.Series
        Reduction [%], NaN when the baseline is zero; a float for the district, a Series
        over the buildings.

    References
    ----------
    SCIS KPI Guide v2.0 (2017); SPARCS target -64 % (domain.md §4.3 #13).
    """
    check_by(by)
    _check_period(flows, baseline)
    actual = co2_emissions(flows, by=by, factors=factors.annual())
    base = co2_emissions(baseline, by=by, factors=baseline_factors.annual())
    return _relative(actual, base, increase=False, by=by, name="co2_reduction")


def peak_import_reduction(
    flows: Flows, *, by: By = "district", baseline: Flows
) -> float | pd.Series:
    """Reduction of peak import power against the baseline [%].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    baseline
        Flows of the baseline over a period of the same length [kWh per step].

    Returns
    -------
    float or pandas.Series
        Reduction [%], NaN when the baseline imports nothing; a float for the district, a
        Series over the buildings.

    References
    ----------
    SCIS ICT/grid KPIs, peak load reduction (domain.md §4.3 #14).
    """
    check_by(by)
    _check_period(flows, baseline)
    return _relative(
        peak_import(flows, by=by),
        peak_import(baseline, by=by),
        increase=False,
        by=by,
        name="peak_import_reduction",
    )


def res_share_increase(
    flows: Flows,
    *,
    by: By = "district",
    baseline: Flows,
    factors: StepFactors,
    baseline_factors: StepFactors,
) -> float | pd.Series:
    """Relative increase of the RES share against the baseline [%].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    baseline
        Flows of the baseline over a period of the same length [kWh per step].
    factors
        Resolved factors of ``flows`` (renewable shares of grid and district heat).
    baseline_factors
        Resolved factors of ``baseline``.

    Returns
    -------
    float or pandas.Series
        Relative increase [%], NaN when the baseline share is zero; a float for the
        district, a Series over the buildings.

    Notes
    -----
    :math:`(s - s_{base}) / s_{base} \\times 100`; NaN when the baseline share is zero.

    References
    ----------
    SPARCS target +65 % share of RES (domain.md §1, §4.3 #11).
    """
    check_by(by)
    _check_period(flows, baseline)
    return _relative(
        res_share(flows, by=by, factors=factors),
        res_share(baseline, by=by, factors=baseline_factors),
        increase=True,
        by=by,
        name="res_share_increase",
    )


def target_checks(
    values: dict[str, float],
    *,
    res_share_pct: float = np.nan,
    baseline_res_share_pct: float = np.nan,
) -> tuple[TargetCheck, ...]:
    """Check the SPARCS targets on baseline comparison values [%].

    A RES-share increase from a baseline share of zero is unbounded: it meets the target when
    the share is now above zero (its value stays NaN).

    Parameters
    ----------
    values
        KPI key -> value [%], e.g. ``final_energy_reduction``; missing keys are NaN.
    res_share_pct
        RES share of the flows [%].
    baseline_res_share_pct
        RES share of the baseline [%].

    Returns
    -------
    tuple of TargetCheck
        One check per target of :data:`SPARCS_TARGETS`, in its order.
    """
    checks = []
    for key, label, target in SPARCS_TARGETS:
        value = values.get(key, np.nan)
        met = bool(np.isfinite(value) and value >= target)
        if key == "res_share_increase" and baseline_res_share_pct == 0.0:
            met = bool(res_share_pct > 0.0)
        checks.append(TargetCheck(key=key, label=label, target=target, value=float(value), met=met))
    return tuple(checks)
