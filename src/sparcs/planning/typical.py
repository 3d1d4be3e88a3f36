"""Time aggregation of the planning year: every step, or typical days chosen by tsam.

Typical days are *medoids*: real days of the year, picked by hierarchical clustering of the
district's daily profiles (electricity and heat demand, PV output per kWp, import price, COP)
with tsam. Real days keep every series of every building consistent with each other (EV
sessions included), which averaged centroids would not. The day with the largest heat demand
is added as its own day (weight 1) when no medoid is that day, so heat-pump and grid limits
see the peak. Each day stands for the days of its cluster: its steps carry that count as a
weight in the objective and the annual balances.

A medoid is one real day, so a cluster's total differs from its medoid's times the count
(12 days of a Leipzig district: PV -3 %, heat -2 % over the year). Each typical day's
electricity demand, heat demand and PV output are therefore scaled by the cluster's mean
over the medoid's daily total (:attr:`Aggregation.scale`): the annual totals of the district
are kept (exactly, unless a medoid's total is zero or a factor would lift a day above the
year's peak: it stops there), the shapes stay those of the real day (the scaling of tsam's
``rescaleClusterPeriods``, applied to every building's series of the day).

Storage is linked *within* each typical day: the level at the end of a day equals the level
at its start (cyclic days). Stores therefore shift energy within a day but not between days;
batteries and hot-water tanks of buildings are daily stores, so this costs little accuracy,
but seasonal storage is out of reach of this mode (use ``typical_days=None``).

References
----------
Hoffmann, Kotzur, Stolten, Robinius, *A Review on Time Series Aggregation Methods for
Energy System Models*, Energies 13(3) 641 (2020), doi:10.3390/en13030641; Kotzur et al.,
*Impact of different time series aggregation methods on optimal energy system design*,
Renewable Energy 117, 474-487 (2018), doi:10.1016/j.renene.2017.10.017 (tsam).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sparcs.errors import ScenarioError, SolverError

__all__ = ["Aggregation", "full_period", "typical_days"]


@dataclass(frozen=True)
class Aggregation:
    """Which steps of the period the sizing model operates on, and what each stands for.

    Attributes
    ----------
    idx
        Steps of the period in the model, in order, (steps,).
    weight
        Real steps of a year each model step stands for, (steps,) [-]; sums to the steps
        of a year.
    day_steps
        Steps per typical day (stores cyclic within each day); None = one contiguous period
        whose stores start from their initial level (as ``sparcs run --strategy optimal``).
    days
        First step of each typical day in the period, (days,); empty for a full period.
    description
        One sentence for reports.
    scale
        Series name (``"electricity"``, ``"heat"``, ``"pv"``) -> factor of each model step,
        (steps,) [-]: the step's cluster mean over its medoid; empty = none.
    cluster
        Typical day (index into ``days``) standing for each whole day of the period,
        (day,); empty for a full period.
    """

    idx: np.ndarray
    weight: np.ndarray
    day_steps: int | None = None
    days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    description: str = ""
    scale: dict[str, np.ndarray] = field(default_factory=dict)
    cluster: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))

    def factor(self, name: str) -> np.ndarray:
        """Scale of series ``name`` per model step, (steps,); ones when not scaled."""
        return self.scale.get(name, np.ones(self.idx.size))

    def day_factors(self, daily: np.ndarray) -> np.ndarray:
        """Cluster mean of a daily total over each typical day's own, (days,) [-].

        ``daily`` holds a total per whole day of the period, (day,); ones for a full
        period and where a typical day's total is zero.
        """
        if not self.cluster.size:
            return np.ones(self.days.size)
        chosen = (self.days // (self.day_steps or 1)).astype(int)
        return _mean_over_own(np.asarray(daily, float)[: self.cluster.size], chosen, self.cluster)

    @property
    def typical(self) -> bool:
        """True for typical days."""
        return self.day_steps is not None


def full_period(n_steps: int, year_steps: int) -> Aggregation:
    """Every step of the period, each weighted to scale the period to a year."""
    scale = year_steps / n_steps
    text = (
        "every step of the year"
        if n_steps == year_steps
        else f"{n_steps} steps, scaled by {scale:.3g} to a year"
    )
    return Aggregation(
        idx=np.arange(n_steps),
        weight=np.full(n_steps, scale),
        description=f"operation optimised on {text}",
    )


def _features(series: dict[str, np.ndarray], n_days: int, day: int) -> pd.DataFrame:
    """District-level series of whole days, constant columns dropped."""
    index = pd.date_range("2001-01-01", periods=n_days * day, freq=f"{24 * 60 // day}min")
    frame = pd.DataFrame(
        {k: np.asarray(v, float)[: n_days * day] for k, v in series.items()}, index=index
    )
    spread = frame.max() - frame.min()
    return frame.loc[:, spread > 1e-9 * (frame.abs().max() + 1.0)]


def _cluster(frame: pd.DataFrame, k: int, day: int) -> tuple[np.ndarray, np.ndarray]:
    """Medoid day and cluster of every day (tsam, hierarchical)."""
    try:
        import tsam.timeseriesaggregation as tsam
    except ImportError as exc:
        msg = "typical days need the tsam package: pip install 'tsam>=2.3.9,<3'"
        raise SolverError(msg) from exc
    agg = tsam.TimeSeriesAggregation(
        frame,
        noTypicalPeriods=k,
        hoursPerPeriod=24,
        resolution=24.0 / day,
        clusterMethod="hierarchical",
        representationMethod="medoidRepresentation",
        rescaleClusterPeriods=False,
    )
    with warnings.catch_warnings():
        # tsam 2.3 compares min/max over *all* columns when one column's typical periods
        # exceed the input's range by rounding; medoids are real days, so the check (and
        # its warning) says nothing here
        warnings.filterwarnings("ignore", category=UserWarning, module="tsam")
        agg.createTypicalPeriods()
    medoids = np.asarray(agg.clusterCenterIndices, dtype=int)
    return medoids, np.asarray(agg.clusterOrder, dtype=int)


def _mean_over_own(daily: np.ndarray, chosen: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Mean of ``daily`` over each representative's members, over its own; 1 where 0."""
    totals = np.bincount(members, weights=daily, minlength=chosen.size)
    counts = np.bincount(members, minlength=chosen.size)
    own = daily[chosen]
    ok = (counts > 0) & (np.abs(own) > 1e-9 * (np.abs(daily).max() + 1e-12))
    return np.where(ok, totals / np.maximum(counts, 1) / np.where(ok, own, 1.0), 1.0)


def _cluster_scale(days: np.ndarray, chosen: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Mean daily total of each representative's members over its own, (days chosen,).

    ``days`` is the series by day, (day, step). A factor that would lift a day's peak above
    the largest value of the period is cut to reach that value: a scaled dull day stays a
    day the year could have.
    """
    factor = _mean_over_own(days.sum(axis=1), chosen, members)
    peak = days[chosen].max(axis=1)
    top = days.max()
    room = np.divide(top, peak, out=np.full(peak.size, np.inf), where=peak > 0)
    result: np.ndarray = np.clip(factor, 0.0, np.maximum(room, 1.0))
    return result


def typical_days(
    series: dict[str, np.ndarray],
    *,
    dt_h: float,
    k: int,
    year_steps: int,
    peak: np.ndarray | None = None,
    rescale: tuple[str, ...] = ("electricity", "heat", "pv"),
) -> Aggregation:
    """``k`` typical days of the period (medoids), plus the peak day.

    Parameters
    ----------
    series
        District-level series over the period's steps, (time,) each (demand, PV, prices).
    dt_h
        Step length [h]; whole days of ``24 / dt_h`` steps are clustered (a rest is dropped).
    k
        Number of typical days.
    year_steps
        Steps of a year: the weights are scaled to them.
    peak
        A series whose largest daily total picks the peak day, (time,); None = no peak day.
    rescale
        Series whose typical days are scaled to their cluster's mean daily total.

    Raises
    ------
    ScenarioError
        When the period is shorter than ``k`` days.
    """
    day = round(24.0 / dt_h)
    n_steps = len(next(iter(series.values())))
    n_days = n_steps // day
    if n_days < max(k, 2):
        msg = (
            f"typical days: the period has {n_days} whole days, fewer than the {k} typical "
            "days asked for; ask for fewer or plan on every step (typical_days=None)"
        )
        raise ScenarioError(msg)
    frame = _features(series, n_days, day)
    if frame.shape[1] == 0 or k >= n_days:
        medoids, order = np.arange(n_days), np.arange(n_days)
    else:
        medoids, order = _cluster(frame, k, day)
    counts = np.bincount(order, minlength=medoids.size).astype(float)
    chosen: list[int] = [int(m) for m in medoids]
    weights = list(counts)
    members = np.asarray(order, dtype=int).copy()
    if peak is not None:
        top = int(np.argmax(np.asarray(peak, float)[: n_days * day].reshape(n_days, day).sum(1)))
        if top not in chosen:
            weights[int(order[top])] -= 1.0
            members[top] = len(chosen)
            chosen.append(top)
            weights.append(1.0)
    chosen_arr = np.asarray(chosen, dtype=int)
    scale = year_steps / (n_days * day)
    idx = (chosen_arr[:, None] * day + np.arange(day)[None, :]).ravel()
    weight = np.repeat(np.asarray(weights) * scale, day)
    factors = {}
    for name in rescale if chosen_arr.size < n_days else ():
        by_day = np.asarray(series[name], float)[: n_days * day].reshape(n_days, day)
        factors[name] = np.repeat(_cluster_scale(by_day, chosen_arr, members), day)
    extra = " plus the peak-heat day" if len(chosen) > medoids.size else ""
    kept = ", scaled to their cluster's mean demand and PV" if factors else ""
    return Aggregation(
        idx=idx,
        weight=weight,
        day_steps=day,
        days=chosen_arr * day,
        scale=factors,
        cluster=members,
        description=(
            f"operation optimised on {medoids.size} typical days{extra} "
            f"(tsam medoids of {n_days} days{kept}, storage cyclic "
            "within each day)"
        ),
    )
