"""Capacity (demand) charges: a price per kW of the highest power in each charge period.

A capacity charge bills the peak of a power series once per charge period: a local calendar
month or a local calendar year of the district. The power of a step is its mean power, the
energy of the step divided by its length (:math:`P(t) = E(t) / \\Delta t`), so a 15-minute run
sees higher peaks than an hourly one, as a quarter-hour meter would. A time window (local
hours, optionally Monday-Friday only) limits the steps whose power counts.

A period the run covers only in part is charged pro rata: its price per kW is multiplied by
the share of the period's hours that the run covers, so a week costs a quarter of a month's
charge on the week's peak and a full year of monthly charges costs twelve months.

References
----------
German grid fees: StromNEV §17 (annual peak "Jahreshoechstleistung" times Leistungspreis) and
§19(1) (monthly price system). Finnish power tariffs (tehosiirto): a monthly charge on the
month's highest hourly mean power.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.timeseries import LocalFields, local_fields, to_zoneinfo

if TYPE_CHECKING:
    from sparcs.scenario.models import CapacityWindow

__all__ = ["CapacityCharge", "Period", "capacity_charge", "period_peaks"]

Period = Literal["month", "year"]
_PER_YEAR = {"month": 12, "year": 1}


@dataclass(frozen=True)
class CapacityCharge:
    """A capacity charge on the steps of a run.

    Attributes
    ----------
    period
        Charge period of each step, (time,) int in ``0 .. K-1``; periods are consecutive.
    labels
        Name of each period in local time, ``"2025-01"`` (month) or ``"2025"`` (year), (K,).
    eur_per_kw
        Price per kW of each period's peak, pro rata of the hours covered, (K,) [EUR/kW].
    window
        Steps whose power counts for the peak, (time,) bool.
    kind
        ``"month"`` or ``"year"``.
    """

    period: np.ndarray
    labels: tuple[str, ...]
    eur_per_kw: np.ndarray
    window: np.ndarray
    kind: str = "month"

    @property
    def present(self) -> bool:
        """True when some period has a positive price."""
        return bool(np.any(self.eur_per_kw > 0))

    @property
    def n_periods(self) -> int:
        """Number of charge periods K."""
        return len(self.labels)

    def peaks(self, power_kw: np.ndarray) -> np.ndarray:
        """Peak power per period, (K,) or (K, column) for a (time, column) series [kW]."""
        return period_peaks(power_kw, self.period, self.window, self.n_periods)

    def cost(self, power_kw: np.ndarray) -> np.ndarray | float:
        """Charge of a power series [EUR]: per column for a (time, column) series."""
        peaks = self.peaks(power_kw)
        return float(self.eur_per_kw @ peaks) if peaks.ndim == 1 else self.eur_per_kw @ peaks


def period_peaks(
    power_kw: np.ndarray, period: np.ndarray, window: np.ndarray, n_periods: int
) -> np.ndarray:
    """Highest power of the window's steps in each period [kW]; 0 for a period without any.

    Parameters
    ----------
    power_kw
        Power per step, (time,) or (time, column) [kW].
    period
        Period of each step, (time,) int; a period's steps may come in several runs.
    window
        Steps that count, (time,) bool.
    n_periods
        Number of periods K.
    """
    power = np.asarray(power_kw, dtype=float)
    counted = np.where(window.reshape((-1,) + (1,) * (power.ndim - 1)), power, 0.0)
    out = np.zeros((n_periods, *power.shape[1:]))
    if power.shape[0] == 0:
        return out
    starts = np.flatnonzero(np.r_[True, period[1:] != period[:-1]])  # runs of one period
    np.maximum.at(out, period[starts], np.maximum.reduceat(counted, starts, axis=0))
    return out


def _runs(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``code`` (sorted) and each step's position among them:
    ``np.unique(code, return_inverse=True)``, without its sort when ``code`` never decreases
    (a run's periods, the usual case).

    Examples
    --------
    >>> _runs(np.array([24300, 24300, 24301]))
    (array([24300, 24301]), array([0, 0, 1]))
    >>> _runs(np.array([5, 3, 5]))
    (array([3, 5]), array([1, 0, 1]))
    """
    if code.size and bool(np.all(code[1:] >= code[:-1])):
        new = np.r_[True, code[1:] != code[:-1]]
        return code[new], np.cumsum(new) - 1
    values, inverse = np.unique(code, return_inverse=True)
    return values, inverse.reshape(-1)


def _in_window(local: LocalFields, window: CapacityWindow | None) -> np.ndarray:
    """Steps whose local start hour lies in the window, (time,) bool."""
    if window is None:
        return np.ones(len(local.hour), dtype=bool)
    mask = (local.hour >= window.start_hour) & (local.hour < window.end_hour)
    if window.weekdays_only:
        mask &= local.weekday < 5
    return mask


@functools.lru_cache(maxsize=256)
def _period_hours(tz: str, kind: Period, year: int, month: int) -> float:
    """Hours of the local month or year starting ``year``-``month``-01 in ``tz`` [h]."""
    zone = to_zoneinfo(tz)
    start = pd.Timestamp(year=year, month=month, day=1, tz=zone)
    end = start + (pd.DateOffset(months=1) if kind == "month" else pd.DateOffset(years=1))
    return float((end - start).total_seconds() / 3600)


def capacity_charge(
    time: pd.DatetimeIndex,
    *,
    tz: str,
    kind: Period,
    eur_per_kw_year: float,
    window: CapacityWindow | None = None,
) -> CapacityCharge:
    """A capacity charge on the steps ``time`` (UTC) in the local calendar of ``tz``.

    Parameters
    ----------
    time
        The steps (UTC, fixed step length).
    tz
        IANA zone of the district: months, years and the window are local.
    kind
        Charge period: ``"month"`` or ``"year"``.
    eur_per_kw_year
        Charge per kW and year [EUR/(kW a)]; a period costs its share (a twelfth for a month),
        pro rata of the hours of the period the run covers.
    window
        Local hours whose power counts; None = every step.

    Raises
    ------
    DataError
        For an unknown ``kind``.
    """
    if kind not in _PER_YEAR:
        msg = f"capacity period must be 'month' or 'year', got {kind!r}"
        raise DataError(msg)
    local = local_fields(time, tz)
    year = local.year.astype(np.int64)
    code = year * 12 + local.month - 1 if kind == "month" else year
    starts_of, period = _runs(code)
    dt_h = (time[1] - time[0]).total_seconds() / 3600 if len(time) > 1 else 1.0
    covered = np.bincount(period, minlength=starts_of.size) * dt_h
    price = np.empty(starts_of.size)
    labels = []
    for k, c in enumerate(starts_of):  # a handful of periods
        y, m = (int(c) // 12, int(c) % 12 + 1) if kind == "month" else (int(c), 1)
        hours = _period_hours(tz, kind, y, m)
        price[k] = eur_per_kw_year / _PER_YEAR[kind] * min(1.0, covered[k] / hours)
        labels.append(f"{y:04d}-{m:02d}" if kind == "month" else f"{y:04d}")
    return CapacityCharge(
        period=period.astype(np.int64),
        labels=tuple(labels),
        eur_per_kw=price,
        window=_in_window(local, window),
        kind=kind,
    )
