"""CalTRACK 2.0 hourly time-of-week-and-temperature (TOWT) model.

``UPH = α_tow + Σ_n β_n,occ·Tc_n`` (CalTRACK 2.0 §3.11.1): one coefficient per hour of the
week (168, Monday 00:00 local time first, §3.8.2) and piecewise-linear temperature features
``Tc_n`` between bin endpoints (§3.9), with separate temperature slopes for "occupied" and
"unoccupied" hours of the week (§3.8). No intercept. The occupancy flag of an hour of the week
comes from a fixed HDD50/CDD65 weighted model: occupied when it under-predicts more than 65 %
of that hour's readings (§3.8.3-3.8.4).

Month-by-month models (§3.7.5): the model of a calendar month is fitted on the baseline with
weight 1 for that month and 0.5 for the months before and after (12 weighted fits); the
counterfactual of a reporting hour comes from the model of its month. ``segmentation="none"``
fits one model on the whole baseline (§3.7.5.1-3.7.5.2).

Temperatures are in °C. CalTRACK's bin endpoints 30, 45, 55, 65, 75 and 90 °F are
-1.11, 7.22, 12.78, 18.33, 23.89 and 32.22 °C; the occupancy balance points 50 and 65 °F are
10 and 18.33 °C. Because every row carries exactly one time-of-week indicator, the offset of
the °F scale is absorbed by the indicators: the fit in °C predicts exactly what the fit in °F
would, with slopes 1.8 times larger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from sparcs.monitoring.caltrack_daily import fahrenheit_to_celsius
from sparcs.timeseries import to_zoneinfo

__all__ = [
    "BIN_EDGES_C",
    "MIN_BIN_HOURS",
    "OCCUPANCY_BALANCE_POINTS_C",
    "OCCUPIED_SHARE",
    "TowtModel",
    "fit_towt",
    "month_weights",
    "occupancy",
    "temperature_features",
    "time_of_week",
    "validate_bin_edges",
]

#: CalTRACK 2.0 §3.9.1.1: bin endpoints 30, 45, 55, 65, 75, 90 °F, in °C.
BIN_EDGES_C = tuple(float(x) for x in fahrenheit_to_celsius(np.array([30, 45, 55, 65, 75, 90])))
#: CalTRACK 2.0 §3.9.1.2: a bin needs at least 20 hours, else it merges with a neighbour.
MIN_BIN_HOURS = 20
#: CalTRACK 2.0 §3.8.3: heating and cooling balance points of the occupancy model
#: (50 and 65 °F) [°C].
OCCUPANCY_BALANCE_POINTS_C = (10.0, float(fahrenheit_to_celsius(65.0)))
#: CalTRACK 2.0 §3.8.4: occupied when the occupancy model under-predicts over 65 % of the hours.
OCCUPIED_SHARE = 0.65
_N_TOW = 168

Segmentation = Literal["month", "none"]


def time_of_week(start: pd.DatetimeIndex, timezone: str) -> np.ndarray:
    """Hour of the week 0..167 of each UTC hour start in local time, Monday 00:00 = 0."""
    local = start.tz_convert(to_zoneinfo(timezone))
    hours: np.ndarray = (local.dayofweek.to_numpy() * 24 + local.hour.to_numpy()).astype(np.int64)
    return hours


def month_weights(months: np.ndarray, segmentation: Segmentation) -> np.ndarray:
    """Weights (model, hour): 1 in the model's month, 0.5 in the months next to it (§3.7.5)."""
    if segmentation == "none":
        return np.ones((1, months.size))
    model = np.arange(1, 13)[:, None]
    distance = (months[None, :] - model) % 12
    return np.where(distance == 0, 1.0, np.where((distance == 1) | (distance == 11), 0.5, 0.0))


def validate_bin_edges(
    temperature_c: np.ndarray,
    edges: tuple[float, ...] = BIN_EDGES_C,
    min_hours: int = MIN_BIN_HOURS,
) -> tuple[float, ...]:
    """The bin endpoints left after merging bins with fewer than ``min_hours`` readings.

    A thin bin is merged with the next one up by dropping its upper endpoint; the top bin
    by dropping its lower endpoint (CalTRACK 2.0 §3.9.1.2). Bins are ``T ≤ B_1``,
    ``B_(n-1) < T ≤ B_n`` and ``T > B_N``.
    """
    t = np.asarray(temperature_c, dtype=float)
    t = t[np.isfinite(t)]
    kept = list(edges)
    while kept:
        counts = np.bincount(
            np.searchsorted(np.asarray(kept), t, side="left"), minlength=len(kept) + 1
        )
        thin = np.flatnonzero(counts < min_hours)
        if thin.size == 0:
            break
        first = int(thin[0])
        kept.pop(first if first < len(kept) else len(kept) - 1)
    return tuple(kept)


def temperature_features(temperature_c: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """Piecewise-linear features ``Tc_1 .. Tc_(N+1)`` of CalTRACK 2.0 §3.9.1, shape (n, N+1).

    ``Tc_1 = min(T, B_1)``, ``Tc_n = clip(T - B_(n-1), 0, B_n - B_(n-1))`` and
    ``Tc_(N+1) = max(T - B_N, 0)`` [K]; with no endpoints left, the one feature is ``T``.
    """
    t = np.asarray(temperature_c, dtype=float)
    if not edges:
        return t[:, None].copy()
    b = np.asarray(edges)
    columns = [np.minimum(t, b[0])]
    columns += [np.clip(t - lo, 0.0, hi - lo) for lo, hi in zip(b[:-1], b[1:], strict=True)]
    columns.append(np.maximum(t - b[-1], 0.0))
    return np.column_stack(columns)


def occupancy(
    usage: np.ndarray,
    temperature_c: np.ndarray,
    tow: np.ndarray,
    weights: np.ndarray,
    balance_points_c: tuple[float, float] = OCCUPANCY_BALANCE_POINTS_C,
) -> np.ndarray:
    """Occupied flag per hour of the week (168,) from the HDD50/CDD65 model (§3.8.3-3.8.4)."""
    heat_bp, cool_bp = balance_points_c
    x = np.column_stack(
        [
            np.ones_like(temperature_c),
            np.maximum(heat_bp - temperature_c, 0.0),
            np.maximum(temperature_c - cool_bp, 0.0),
        ]
    )
    xw = x * weights[:, None]
    coef = np.linalg.lstsq(xw.T @ x, xw.T @ usage, rcond=None)[0]
    under = (usage > x @ coef).astype(float)
    total = np.bincount(tow, weights=weights, minlength=_N_TOW)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.bincount(tow, weights=weights * under, minlength=_N_TOW) / total
    return np.nan_to_num(share) > OCCUPIED_SHARE


def _design(
    temperature_c: np.ndarray, edges: tuple[float, ...], occupied_rows: np.ndarray, width: int
) -> np.ndarray:
    """Temperature columns (n, 2·width): occupied features, then unoccupied, zero-padded."""
    features = temperature_features(temperature_c, edges)
    out = np.zeros((temperature_c.size, 2 * width))
    k = features.shape[1]
    out[:, :k] = features * occupied_rows[:, None]
    out[:, width : width + k] = features * ~occupied_rows[:, None]
    return out


def _by_tow(tow: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sums of the columns of ``values`` (n, k) per hour of the week, shape (168, k)."""
    return np.stack(
        [np.bincount(tow, weights=values[:, j], minlength=_N_TOW) for j in range(values.shape[1])],
        axis=1,
    )


def _solve_one(
    usage: np.ndarray, g: np.ndarray, tow: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """Weighted least squares of [168 indicators | temperature columns g].

    The indicator block of the normal equations is diagonal, so it is eliminated (Schur
    complement) and only the small temperature block is solved:
    ``(GᵀWG - BᵀD⁻¹B) β = GᵀWy - BᵀD⁻¹b`` and ``α = D⁻¹(b - Bβ)``, with ``D`` the weight per
    hour of the week, ``B`` the weighted temperature columns summed per hour of the week and
    ``b`` the weighted usage summed per hour of the week. Returns α (NaN for hours of the week
    without data), β (NaN for empty columns) and the count of fitted coefficients.
    """
    wg = g * w[:, None]
    d = np.bincount(tow, weights=w, minlength=_N_TOW)
    b_tow = np.bincount(tow, weights=w * usage, minlength=_N_TOW)
    b_mat = _by_tow(tow, wg)
    seen = d > 0
    inv = np.where(seen, 1.0 / np.where(seen, d, 1.0), 0.0)
    schur = g.T @ wg - b_mat.T @ (inv[:, None] * b_mat)
    rhs = wg.T @ usage - b_mat.T @ (inv * b_tow)
    present = np.diag(g.T @ wg) > 0
    beta = np.zeros(g.shape[1])
    if present.any():
        sub = np.ix_(present, present)
        beta[present] = np.linalg.lstsq(schur[sub], rhs[present], rcond=None)[0]
    alpha = np.where(seen, inv * (b_tow - b_mat @ beta), np.nan)
    return alpha, np.where(present, beta, np.nan), int(seen.sum() + present.sum())


@dataclass(frozen=True)
class TowtModel:
    """Fitted TOWT models, one per calendar month (or one for ``segmentation="none"``).

    Attributes
    ----------
    segmentation
        ``"month"`` or ``"none"``.
    timezone
        IANA zone of the hours of the week and of the calendar months.
    edges
        Bin endpoints kept by each model [°C].
    occupied
        Occupied flag per model and hour of the week, shape (models, 168).
    alpha
        Coefficient per model and hour of the week [kWh/h], NaN where the model had no data.
    beta_occupied, beta_unoccupied
        Temperature slopes per model and bin [kWh/(h·K)], NaN-padded to the bins of the
        endpoints given.
    n_params
        Fitted coefficients of the largest model [-].
    """

    segmentation: Segmentation
    timezone: str
    edges: tuple[tuple[float, ...], ...]
    occupied: np.ndarray
    alpha: np.ndarray
    beta_occupied: np.ndarray
    beta_unoccupied: np.ndarray
    n_params: int

    def predict(self, start: pd.DatetimeIndex, temperature_c: np.ndarray) -> np.ndarray:
        """Usage per hour [kWh] at UTC hours ``start`` and temperatures ``temperature_c`` [°C].

        NaN where the temperature is missing or the model of the hour's month has no data for
        that hour of the week.
        """
        t = np.asarray(temperature_c, dtype=float)
        tow = time_of_week(start, self.timezone)
        model = (
            np.zeros(t.size, dtype=np.int64)
            if self.segmentation == "none"
            else start.tz_convert(to_zoneinfo(self.timezone)).month.to_numpy() - 1
        )
        out = np.full(t.size, np.nan)
        for m in np.unique(model):
            rows = model == m
            g = _design(
                t[rows], self.edges[m], self.occupied[m, tow[rows]], self.beta_occupied.shape[1]
            )
            beta = np.concatenate([self.beta_occupied[m], self.beta_unoccupied[m]])
            out[rows] = self.alpha[m, tow[rows]] + g @ np.nan_to_num(beta)
        return out


def fit_towt(
    start: pd.DatetimeIndex,
    usage: np.ndarray,
    temperature_c: np.ndarray,
    *,
    timezone: str,
    segmentation: Segmentation = "month",
    edges: tuple[float, ...] = BIN_EDGES_C,
    occupancy_balance_points_c: tuple[float, float] = OCCUPANCY_BALANCE_POINTS_C,
) -> TowtModel:
    """Fit the CalTRACK TOWT model(s) to hourly baseline data.

    Parameters
    ----------
    start
        UTC start of each hour.
    usage
        Usage per hour [kWh]; NaN hours are left out.
    temperature_c
        Mean temperature per hour [°C]; NaN hours are left out.
    timezone
        IANA zone of the site: hours of the week and calendar months are local.
    segmentation
        ``"month"`` (12 month-weighted models) or ``"none"`` (one model).
    edges
        Bin endpoints before validation [°C] (default CalTRACK's, converted); lower endpoints
        can be added for cold climates.
    occupancy_balance_points_c
        Heating and cooling balance points of the occupancy model [°C] (CalTRACK: 50 and
        65 °F).

    References
    ----------
    CalTRACK Methods 2.0, §3.7-3.12 (CC0); Mathieu et al. (2011), IEEE Trans. Smart Grid 2,
    507-518, doi:10.1109/TSG.2011.2145010.
    """
    if list(edges) != sorted(set(edges)):
        msg = f"bin endpoints must increase, got {edges}"
        raise ValueError(msg)
    width = len(edges) + 1
    y = np.asarray(usage, dtype=float)
    t = np.asarray(temperature_c, dtype=float)
    tow_all = time_of_week(start, timezone)
    months_all = start.tz_convert(to_zoneinfo(timezone)).month.to_numpy()
    keep = np.isfinite(y) & np.isfinite(t)
    y, t, tow = y[keep], t[keep], tow_all[keep]
    weights = month_weights(months_all[keep], segmentation)
    n_models = weights.shape[0]
    alpha = np.full((n_models, _N_TOW), np.nan)
    betas = np.full((n_models, 2 * width), np.nan)
    occupied = np.zeros((n_models, _N_TOW), dtype=bool)
    kept_edges: list[tuple[float, ...]] = []
    n_params = 0
    for m in range(n_models):  # 12 models at most, each on array algebra
        w = weights[m]
        used = w > 0
        if not used.any():
            kept_edges.append(())
            continue
        occupied[m] = occupancy(y[used], t[used], tow[used], w[used], occupancy_balance_points_c)
        kept_edges.append(validate_bin_edges(t[used], edges))
        g = _design(t[used], kept_edges[-1], occupied[m, tow[used]], width)
        alpha[m], betas[m], count = _solve_one(y[used], g, tow[used], w[used])
        n_params = max(n_params, count)
    return TowtModel(
        segmentation=segmentation,
        timezone=timezone,
        edges=tuple(kept_edges),
        occupied=occupied,
        alpha=alpha,
        beta_occupied=betas[:, :width],
        beta_unoccupied=betas[:, width:],
        n_params=n_params,
    )
