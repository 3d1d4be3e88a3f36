"""CalTRACK 2.0 daily change-point model: balance-point grid search, qualification, selection.

Usage per day is modelled as ``UPD = μ + β_H·HDD + β_C·CDD`` (CalTRACK 2.0 §3.3.2) with
degree days per day ``HDD = max(T_bh - T, 0)`` and ``CDD = max(T - T_bc, 0)`` from the daily
mean temperature ``T`` [°C]. Every candidate -- intercept-only, HDD-only and CDD-only at each
balance point, HDD+CDD at each pair with ``T_bc ≥ T_bh`` -- is fitted at once with array
algebra: the closed-form least-squares solutions of one and two regressors on centred,
weighted sums (no loop over days or balance points).

Temperatures are in °C. CalTRACK states its grid in °F (30-90 °F, steps of at most 3 °F) and
its degree-day minimum in °F-days (20 per year); both are converted here: the default grid is
30, 33, ..., 90 °F = -1.11, 0.56, ..., 32.22 °C (steps of 5/3 K) and 20 °F-days are
11.1 K-days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as _scipy_stats

__all__ = [
    "DEFAULT_BALANCE_POINTS_C",
    "MAX_P_VALUE",
    "MIN_DEGREE_DAYS_PER_YEAR",
    "MIN_NONZERO_DAYS_PER_YEAR",
    "DailyModel",
    "fahrenheit_to_celsius",
    "fit_daily_model",
    "fit_degree_day_model",
]


def fahrenheit_to_celsius(t_f: np.ndarray | float) -> np.ndarray:
    """Temperature in °C of ``t_f`` [°F]: ``(t_f - 32) / 1.8``."""
    return (np.asarray(t_f, dtype=float) - 32.0) / 1.8


#: CalTRACK 2.0 §3.2.1 and §3.2.3: 30 to 90 °F in 3 °F steps, in °C.
DEFAULT_BALANCE_POINTS_C = fahrenheit_to_celsius(np.arange(30.0, 90.1, 3.0))
#: CalTRACK 2.0 §3.2.2.2.1: at least 10 days a year with non-zero degree days (not billing).
MIN_NONZERO_DAYS_PER_YEAR = 10
#: CalTRACK 2.0 §3.2.2.2.2: at least 20 °F-days a year = 20 / 1.8 K-days.
MIN_DEGREE_DAYS_PER_YEAR = 20 / 1.8
#: Largest p-value of a slope for the slope to qualify (CalTRACK 1.0 / OpenEEmeter rule; 2.0
#: keeps the sign rules of §3.4.3.2).
MAX_P_VALUE = 0.1


@dataclass(frozen=True)
class DailyModel:
    """The selected daily model and the table of every candidate.

    Attributes
    ----------
    model_type
        ``"intercept_only"``, ``"hdd_only"``, ``"cdd_only"`` or ``"hdd_cdd"``.
    heating_bp_c, cooling_bp_c
        Balance points [°C], NaN where the model has no such term.
    intercept
        μ, base load [kWh/d].
    beta_hdd, beta_cdd
        Slopes [kWh/(K·d)], 0 where the model has no such term.
    adj_r2
        Adjusted R² of the selected model [-] (0 for intercept-only, by definition).
    candidates
        One row per candidate: model_type, heating_bp_c, cooling_bp_c, intercept, beta_hdd,
        beta_cdd, p_hdd, p_cdd, adj_r2, qualified, reason.
    """

    model_type: str
    heating_bp_c: float
    cooling_bp_c: float
    intercept: float
    beta_hdd: float
    beta_cdd: float
    adj_r2: float
    candidates: pd.DataFrame

    @property
    def n_params(self) -> int:
        """Fitted parameters, balance points included (1P, 3P, 3P or 5P change-point model)."""
        return {"intercept_only": 1, "hdd_only": 3, "cdd_only": 3, "hdd_cdd": 5}[self.model_type]

    def predict(self, temperature_c: np.ndarray) -> np.ndarray:
        """Usage per day [kWh/d] at daily mean temperatures ``temperature_c`` [°C]."""
        t = np.asarray(temperature_c, dtype=float)
        out = np.full(t.shape, self.intercept)
        if self.beta_hdd:
            out = out + self.beta_hdd * np.maximum(self.heating_bp_c - t, 0.0)
        if self.beta_cdd:
            out = out + self.beta_cdd * np.maximum(t - self.cooling_bp_c, 0.0)
        return out


def _p_value(beta: np.ndarray, variance: np.ndarray, dof: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = beta / np.sqrt(variance)
    p: np.ndarray = 2 * _scipy_stats.t.sf(np.abs(t), dof)
    return p


def _degree_days_ok(dd: np.ndarray, per_year: float, *, billing: bool) -> np.ndarray:
    enough_days = billing | ((dd > 0).sum(axis=1) * per_year >= MIN_NONZERO_DAYS_PER_YEAR)
    ok: np.ndarray = enough_days & (dd.sum(axis=1) * per_year >= MIN_DEGREE_DAYS_PER_YEAR)
    return ok


def _single(
    dd: np.ndarray, w: np.ndarray, yc: np.ndarray, ybar: float, syy: float, n: int
) -> dict[str, np.ndarray]:
    """All one-regressor fits ``y = μ + β·dd_k`` at once; dd shaped (K, n)."""
    mean = dd @ w / w.sum()
    centred = dd - mean[:, None]
    sxx = (centred**2) @ w
    sxy = centred @ (w * yc)
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = sxy / sxx
    ssr = syy - beta * sxy
    return {
        "beta": beta,
        "intercept": ybar - beta * mean,
        "ssr": ssr,
        "centred": centred,
        "sxx": sxx,
        "sxy": sxy,
        "mean": mean,
        "p": _p_value(beta, ssr / (n - 2) / sxx, n - 2),
    }


def _pairs(
    h: dict[str, np.ndarray],
    c: dict[str, np.ndarray],
    w: np.ndarray,
    ybar: float,
    syy: float,
    n: int,
) -> dict[str, np.ndarray]:
    """All two-regressor fits ``y = μ + β_H·HDD_i + β_C·CDD_j`` at once, shaped (K, K)."""
    shc = (h["centred"] * w) @ c["centred"].T
    shh, scc = h["sxx"][:, None], c["sxx"][None, :]
    shy, scy = h["sxy"][:, None], c["sxy"][None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        det = shh * scc - shc**2
        bh = (scc * shy - shc * scy) / det
        bc = (shh * scy - shc * shy) / det
        ssr = syy - bh * shy - bc * scy
        sigma2 = ssr / (n - 3)
        return {
            "beta_hdd": bh,
            "beta_cdd": bc,
            "ssr": ssr,
            "intercept": ybar - bh * h["mean"][:, None] - bc * c["mean"][None, :],
            "p_hdd": _p_value(bh, sigma2 * scc / det, n - 3),
            "p_cdd": _p_value(bc, sigma2 * shh / det, n - 3),
        }


def _reason(
    beta_ok: np.ndarray, p_ok: np.ndarray, mu_ok: np.ndarray, bp_ok: np.ndarray
) -> np.ndarray:
    reason = np.full(beta_ok.shape, "", dtype=object)
    reason[~mu_ok] = "negative intercept"
    reason[~p_ok] = "p-value too high"
    reason[~beta_ok] = "slope not positive"
    reason[~bp_ok] = "too few degree days"
    return reason


def fit_daily_model(
    temperature_c: np.ndarray,
    usage_kwh: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    balance_points_c: np.ndarray = DEFAULT_BALANCE_POINTS_C,
    cooling: bool = True,
    max_p_value: float = MAX_P_VALUE,
    billing: bool = False,
) -> DailyModel:
    """Fit every CalTRACK candidate model and select the qualified one of highest adjusted R².

    Parameters
    ----------
    temperature_c
        Mean temperature per period [°C]; periods with NaN here or in ``usage_kwh`` are left
        out.
    usage_kwh
        Usage per day of each period [kWh/d].
    weights
        Weight per period (days per billing period for WLS, CalTRACK 2.0 §3.4.2); default 1.
    balance_points_c
        Candidate balance points [°C], shared by heating and cooling.
    cooling
        False leaves out the CDD models (gas and heat meters, CalTRACK 2.0 §3.2.1.1).
    max_p_value
        Largest p-value of a qualifying slope [-].
    billing
        True skips the "10 days with non-zero degree days" rule (billing data).

    Returns
    -------
    DailyModel
        The selected model and the candidate table.

    Notes
    -----
    A candidate qualifies when every slope is positive with a p-value below
    ``max_p_value``, the intercept is not negative (CalTRACK 2.0 §3.4.3.2), and each balance
    point has enough degree days a year (§3.2.2). The qualified candidate of highest adjusted
    R² ``1 - (SS_res/(P - c - 1)) / (SS_tot/(P - 1))`` is selected (§3.4.3.3); intercept-only
    has adjusted R² 0 and always qualifies.

    References
    ----------
    CalTRACK Methods 2.0, §3.2-3.4 (CC0), github.com/openeemeter/caltrack docs/methods.rst.
    """
    t = np.asarray(temperature_c, dtype=float)
    bp = np.asarray(balance_points_c, dtype=float)
    return fit_degree_day_model(
        np.maximum(bp[:, None] - t[None, :], 0.0),
        np.maximum(t[None, :] - bp[:, None], 0.0),
        np.where(np.isfinite(t), usage_kwh, np.nan),
        weights=weights,
        balance_points_c=bp,
        cooling=cooling,
        max_p_value=max_p_value,
        billing=billing,
    )


def fit_degree_day_model(
    hdd: np.ndarray,
    cdd: np.ndarray,
    usage_kwh: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    balance_points_c: np.ndarray = DEFAULT_BALANCE_POINTS_C,
    cooling: bool = True,
    max_p_value: float = MAX_P_VALUE,
    billing: bool = False,
) -> DailyModel:
    """:func:`fit_daily_model` on degree days per day already worked out per period.

    Parameters
    ----------
    hdd, cdd
        Heating and cooling degree days per day of each period at each balance point,
        shaped (K, periods) [K·d/d]: a day's degree days for daily data, the mean over the
        period's days for billing data (CalTRACK 2.0 §3.3.2.5-6).
    usage_kwh
        Usage per day of each period [kWh/d]; NaN periods are left out.
    weights, balance_points_c, cooling, max_p_value, billing
        As for :func:`fit_daily_model`.

    Returns
    -------
    DailyModel
        The selected model and the candidate table.
    """
    y_all = np.asarray(usage_kwh, dtype=float)
    w_all = np.ones_like(y_all) if weights is None else np.asarray(weights, dtype=float)
    keep = np.isfinite(y_all) & (w_all > 0) & np.isfinite(hdd).all(axis=0)
    y, w = y_all[keep], w_all[keep]
    hdd, cdd = hdd[:, keep], cdd[:, keep]
    n = int(keep.sum())
    if n < 4:
        msg = f"{n} usable period(s); a change-point model needs at least 4"
        raise ValueError(msg)
    bp = np.asarray(balance_points_c, dtype=float)
    ybar = float(w @ y / w.sum())
    yc = y - ybar
    syy = float(w @ yc**2)
    per_year = 365.0 / float(w.sum())  # days covered: n for daily data, Σ days for billing
    h_ok = _degree_days_ok(hdd * w, per_year, billing=billing)
    c_ok = _degree_days_ok(cdd * w, per_year, billing=billing)
    h = _single(hdd, w, yc, ybar, syy, n)
    c = _single(cdd, w, yc, ybar, syy, n)
    rows = [
        pd.DataFrame(
            {
                "model_type": "intercept_only",
                "heating_bp_c": np.nan,
                "cooling_bp_c": np.nan,
                "intercept": ybar,
                "beta_hdd": 0.0,
                "beta_cdd": 0.0,
                "p_hdd": np.nan,
                "p_cdd": np.nan,
                "adj_r2": 0.0,
                "qualified": True,
                "reason": "",
            },
            index=[0],
        )
    ]
    singles = [("hdd", h, h_ok)] + ([("cdd", c, c_ok)] if cooling else [])
    for kind, fit, ok in singles:
        beta_ok = fit["beta"] > 0
        p_ok = fit["p"] < max_p_value
        mu_ok = fit["intercept"] >= 0
        rows.append(
            pd.DataFrame(
                {
                    "model_type": f"{kind}_only",
                    "heating_bp_c": bp if kind == "hdd" else np.nan,
                    "cooling_bp_c": bp if kind == "cdd" else np.nan,
                    "intercept": fit["intercept"],
                    "beta_hdd": fit["beta"] if kind == "hdd" else 0.0,
                    "beta_cdd": fit["beta"] if kind == "cdd" else 0.0,
                    "p_hdd": fit["p"] if kind == "hdd" else np.nan,
                    "p_cdd": fit["p"] if kind == "cdd" else np.nan,
                    "adj_r2": _adjusted(fit["ssr"], syy, n, 1),
                    "qualified": beta_ok & p_ok & mu_ok & ok,
                    "reason": _reason(beta_ok, p_ok, mu_ok, ok),
                }
            )
        )
    if cooling:
        rows.append(_pair_rows(_pairs(h, c, w, ybar, syy, n), bp, h_ok, c_ok, syy, n, max_p_value))
    table = pd.concat(rows, ignore_index=True)
    return _select(table)


def _adjusted(ssr: np.ndarray, syy: float, n: int, c: int) -> np.ndarray:
    if syy == 0:
        return np.zeros_like(ssr)
    return 1.0 - (ssr / (n - c - 1)) / (syy / (n - 1))


def _pair_rows(
    fit: dict[str, np.ndarray],
    bp: np.ndarray,
    h_ok: np.ndarray,
    c_ok: np.ndarray,
    syy: float,
    n: int,
    max_p_value: float,
) -> pd.DataFrame:
    i, j = np.triu_indices(bp.size)  # cooling balance point >= heating balance point
    bh, bc = fit["beta_hdd"][i, j], fit["beta_cdd"][i, j]
    ph, pc = fit["p_hdd"][i, j], fit["p_cdd"][i, j]
    mu = fit["intercept"][i, j]
    beta_ok = (bh > 0) & (bc > 0)
    p_ok = (ph < max_p_value) & (pc < max_p_value)
    mu_ok = mu >= 0
    ok = h_ok[i] & c_ok[j]
    return pd.DataFrame(
        {
            "model_type": "hdd_cdd",
            "heating_bp_c": bp[i],
            "cooling_bp_c": bp[j],
            "intercept": mu,
            "beta_hdd": bh,
            "beta_cdd": bc,
            "p_hdd": ph,
            "p_cdd": pc,
            "adj_r2": _adjusted(fit["ssr"][i, j], syy, n, 2),
            "qualified": beta_ok & p_ok & mu_ok & ok,
            "reason": _reason(beta_ok, p_ok, mu_ok, ok),
        }
    )


def _select(table: pd.DataFrame) -> DailyModel:
    score = np.where(table["qualified"].to_numpy(), table["adj_r2"].to_numpy(dtype=float), -np.inf)
    score = np.nan_to_num(score, nan=-np.inf)
    best = table.iloc[int(np.argmax(score))]  # first maximum: intercept-only wins ties
    return DailyModel(
        model_type=str(best["model_type"]),
        heating_bp_c=float(best["heating_bp_c"]),
        cooling_bp_c=float(best["cooling_bp_c"]),
        intercept=float(best["intercept"]),
        beta_hdd=float(best["beta_hdd"]),
        beta_cdd=float(best["beta_cdd"]),
        adj_r2=float(best["adj_r2"]),
        candidates=table,
    )
