"""Targets that hold: the plan checked on its full-period operation, and tightened until it does.

The sizing model operates typical days and its own KPI columns; the year a council is judged
on is the full period, operated by the strategy it will run and measured by the KPI
functions (:mod:`.verify`). Each target is checked there (:func:`check_targets`); a target
missed moves the model's bound by the miss and a small margin (:func:`tighten`), and the plan
is made again. The miss of a typical-day model is mostly an offset that changes little as
the bound moves (the aggregation error and the KPIs' scope), so one or two rounds close it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sparcs.planning.result import TargetCheck

if TYPE_CHECKING:
    from sparcs.planning.config import Target
    from sparcs.planning.verify import Measured

__all__ = ["AIM", "TOLERANCE", "check_targets", "largest_miss", "tighten"]

#: Shortfall a target may have on the full period, relative to its scale [-] (0.5 %).
TOLERANCE = 0.005
#: Where a tightened bound aims, inside the target, relative to its scale [-]: a fifth of the
#: tolerance, so a second miss is rare and the plan costs hardly more than it must.
AIM = 0.001


def _scale(kind: str, target: float, measured: Measured) -> float:
    """What a target's tolerance is relative to, in its unit (never zero)."""
    if kind == "ped":  # a balance of 0 has no scale of its own: the PE imported is the bar
        return max(abs(measured.pei), abs(target), 1.0)
    if kind == "ss":
        return max(abs(target), 1e-3)
    if kind == "ghg":  # net zero has no scale of its own either: the gross emissions are
        return max(abs(measured.co2), abs(target), 1.0)
    return max(abs(target), 1.0)


def _achieved(kind: str, measured: Measured) -> float:
    return {"ped": measured.pe, "co2": measured.co2, "ss": measured.ss, "ghg": measured.ghg}[kind]


def _holds(
    kind: str, target: float, miss: float, scale: float, measured: Measured, tol: float
) -> bool:
    """Whether a target holds: within the tolerance, and net-zero GHG as the verdict says."""
    if kind == "ghg" and target == 0.0:  # the verdict's own condition, not a tolerance
        return measured.ghg_net_zero
    return bool(miss <= tol * scale)


def check_targets(
    targets: tuple[Target, ...],
    budget_eur: float | None,
    measured: Measured,
    capex_eur: float,
    tolerance: float = TOLERANCE,
) -> tuple[TargetCheck, ...]:
    """Each target (and the budget) against the full-period operation of a plan.

    Parameters
    ----------
    targets
        The targets of the plan.
    budget_eur
        Largest investment [EUR]; None = none.
    measured
        KPIs of the plan's full-period operation.
    capex_eur
        The plan's investment [EUR].
    tolerance
        Shortfall accepted, relative to the target's scale [-].

    Returns
    -------
    tuple of TargetCheck
        One per target, then the budget.
    """
    checks = []
    for t in targets:
        scale = _scale(t.kind, t.value, measured)
        achieved = _achieved(t.kind, measured)
        miss = achieved - t.value if t.kind in ("co2", "ghg") else t.value - achieved
        checks.append(
            TargetCheck(
                kind=t.kind,
                target=t.value,
                achieved=achieved,
                holds=_holds(t.kind, t.value, miss, scale, measured, tolerance),
                tolerance=tolerance,
                scale=scale,
            )
        )
    if budget_eur is not None:
        scale = max(budget_eur, 1.0)
        checks.append(
            TargetCheck(
                kind="budget",
                target=budget_eur,
                achieved=capex_eur,
                holds=bool(capex_eur - budget_eur <= tolerance * scale),
                tolerance=tolerance,
                scale=scale,
            )
        )
    return tuple(checks)


def tighten(
    bounds: dict[str, float],
    checks: tuple[TargetCheck, ...],
    aim: float = AIM,
    previous: tuple[dict[str, float], tuple[TargetCheck, ...]] | None = None,
) -> dict[str, float]:
    """The model's bounds moved by each missed target's miss, aiming ``aim`` inside it.

    Parameters
    ----------
    bounds
        Kind -> the bound the sizing model had [kWh_PE/a, kg/a, -].
    checks
        The full-period checks of the plan made with ``bounds``.
    aim
        Where to aim, inside the target, relative to its scale [-].
    previous
        The bounds and checks of the round before, if any: the step is then the miss over
        the response of the full-period value to the bound between the two rounds (a
        secant step, the response kept within [0.2, 1]), else the miss itself.

    Returns
    -------
    dict
        New bounds; a target that held keeps its bound. A self-sufficiency bound stays
        at most 1.

    Examples
    --------
    >>> from sparcs.planning.result import TargetCheck
    >>> c = TargetCheck("co2", 800e3, 826e3, False, 0.005, 800e3)
    >>> round(tighten({"co2": 800e3}, (c,))["co2"])
    773200
    """
    out = dict(bounds)
    before = {} if previous is None else {c.kind: c for c in previous[1]}
    for c in checks:
        if c.holds or c.kind not in out:
            continue
        step = c.shortfall + aim * c.scale
        old = before.get(c.kind)
        if old is not None and previous is not None and c.kind in previous[0]:
            moved = bounds[c.kind] - previous[0][c.kind]
            if abs(moved) > 0:
                step /= float(min(max((c.achieved - old.achieved) / moved, 0.2), 1.0))
        if c.kind == "co2":
            out["co2"] = max(bounds["co2"] - step, 0.0)
        elif c.kind == "ghg":  # net emissions may go below zero
            out["ghg"] = bounds["ghg"] - max(step, aim * c.scale)
        elif c.kind == "ss":
            out["ss"] = min(bounds["ss"] + step, 1.0)
        else:
            out[c.kind] = bounds[c.kind] + step
    return {k: v for k, v in out.items() if math.isfinite(v)}


def largest_miss(checks: tuple[TargetCheck, ...]) -> float:
    """Largest relative shortfall of ``checks`` (0 when all hold) [-]: how the nearest of
    several plans that miss is chosen.

    Parameters
    ----------
    checks
        Target checks of one plan (:func:`check_targets`).

    Returns
    -------
    float
        max over the checks of shortfall / scale, at least 0.
    """
    return max((max(c.shortfall / c.scale, 0.0) for c in checks), default=0.0)
