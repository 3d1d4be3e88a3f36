"""The operation loop: one cycle per step, on the clock or over a given span of steps.

* **Due times.** A cycle is due at every step boundary of the scenario (15 min or 1 h). On
  the clock, the loop sleeps until the next boundary; given a start, it runs the cycles of
  the steps from there without sleeping (a catch-up or a replay of stored data).
* **Restarts.** The loop keeps nothing in memory that the store does not have: after a
  restart it continues with the first due time after the district's latest kept cycle.
* **One cycle at a time per district.** A second loop of the same district cannot keep a
  cycle at a belief time that is already kept (:func:`sparcs.store.beliefs.put_cycle`
  refuses it); it reports the refusal and moves on.
* **Failures never stop the loop**: a cycle that fails is kept as ``failed`` with its reason
  (what the operator page shows as an alert), and the next step is tried.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

import pandas as pd

from sparcs.errors import DataError, SparcsError, StoreError
from sparcs.live.archive import choose_forecasters, record_cycle
from sparcs.live.cycle import Cycle, Operator, operate_cycle
from sparcs.live.forecasters import FORECASTERS, Forecaster
from sparcs.operation.optimal.blocking import FINE_H
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario
from sparcs.store import Store
from sparcs.store.beliefs import latest_belief, put_cycle

__all__ = ["LoopOutcome", "due_times", "run_loop"]


@dataclass(frozen=True)
class LoopOutcome:
    """What a loop did.

    Attributes
    ----------
    kept
        Belief times of the cycles kept (UTC).
    failed
        Belief time → reason of every cycle that failed (kept as ``failed``).
    refused
        Belief times already kept by another loop (skipped).
    """

    kept: list[pd.Timestamp] = field(default_factory=list)
    failed: dict[pd.Timestamp, str] = field(default_factory=dict)
    refused: list[pd.Timestamp] = field(default_factory=list)


def due_times(
    start: pd.Timestamp, step: pd.Timedelta, count: int, after: pd.Timestamp | None = None
) -> list[pd.Timestamp]:
    """The ``count`` step boundaries from ``start`` on, all later than ``after``.

    Parameters
    ----------
    start
        The first candidate (time-zone aware); floored to the step.
    step
        The scenario's step.
    count
        Number of cycles.
    after
        The latest belief time already kept (a restart continues after it), or None.

    Returns
    -------
    list of pandas.Timestamp
        UTC belief times.

    Examples
    --------
    >>> t = pd.Timestamp("2025-04-15T12:10Z")
    >>> [x.strftime("%H:%M") for x in due_times(t, pd.Timedelta("15min"), 2, after=t)]
    ['12:15', '12:30']
    """
    first = start.tz_convert("UTC").floor(step)
    if after is not None and first <= after:
        first = after.tz_convert("UTC").floor(step) + step
    return [first + k * step for k in range(count)]


def _failed(store: Store, district: str, now: pd.Timestamp, reason: str) -> None:
    empty = pd.DataFrame({"time": pd.DatetimeIndex([], tz="UTC")})
    put_cycle(
        store,
        district,
        now,
        strategy="failed",
        forecaster="{}",
        fallbacks=[reason],
        schedule=empty.assign(asset=[], kw=[]),
        forecasts=empty.assign(series=[], quantity=[], forecaster=[], value_kwh=[]),
    )


def run_loop(
    scenario: Scenario,
    store: Store,
    inputs: Inputs,
    *,
    district: str,
    cycles: int,
    start: pd.Timestamp | None = None,
    horizon_h: float = 48.0,
    forecaster: str = "auto",
    clock: Callable[[], pd.Timestamp] = lambda: pd.Timestamp.now(tz="UTC"),
    sleep: Callable[[float], None] = _time.sleep,
    on_cycle: Callable[[pd.Timestamp, Cycle | None, str], None] | None = None,
    operator: Operator | None = None,
    fine_h: float | None = FINE_H,
) -> LoopOutcome:
    """Run ``cycles`` cycles of the district, one per step (module docstring).

    Parameters
    ----------
    scenario
        The district.
    store
        The open store.
    inputs
        The scenario's profiles over the period operated.
    district
        The id the cycles are kept under.
    cycles
        Number of cycles to run.
    start
        Run the steps from here without sleeping; None: on the clock.
    horizon_h
        Horizon of every cycle [h].
    forecaster
        ``"auto"`` (best recent skill per quantity) or a forecaster's name.
    clock, sleep
        The clock and the wait (replaced in tests).
    on_cycle
        Called with (belief time, cycle or None, ``"kept"``/``"failed: …"``/``"refused"``).
    operator
        The district's LP across cycles (:class:`~sparcs.live.cycle.Operator`); None: a new
        one for this loop. Only the LP is kept in memory, so a restart loses time, never data.
    fine_h
        Hours of each horizon planned at the step, the rest in hour blocks
        (:func:`~sparcs.live.cycle.operate_cycle`); None: every step.

    Returns
    -------
    LoopOutcome
        The cycles kept, failed and refused.
    """
    if forecaster != "auto" and forecaster not in FORECASTERS:
        msg = f"forecaster {forecaster!r} is not known; choose auto or {', '.join(FORECASTERS)}"
        raise DataError(msg)
    step = pd.Timedelta(hours=inputs.dt_h)
    operator = operator or Operator()
    outcome = LoopOutcome()
    after = latest_belief(store, district)
    times = due_times(start if start is not None else clock(), step, cycles, after)
    for now in times:
        if start is None:
            wait = (now - clock()).total_seconds()
            if wait > 0:
                sleep(wait)
        try:
            chosen: Forecaster | Mapping[str, str]
            if forecaster == "auto":
                chosen, _ = choose_forecasters(store, scenario, district, now)
            else:
                chosen = cast(Forecaster, forecaster)
            cycle = operate_cycle(
                scenario,
                store,
                inputs,
                now=now,
                horizon_h=horizon_h,
                forecaster=chosen,
                district=district,
                operator=operator,
                fine_h=fine_h,
            )
            record_cycle(store, district, cycle)
        except StoreError as error:
            if "already has a cycle" not in str(error):
                raise
            outcome.refused.append(now)
            if on_cycle is not None:
                on_cycle(now, None, "refused")
            continue
        except SparcsError as error:
            _failed(store, district, now, str(error))
            outcome.failed[now] = str(error)
            if on_cycle is not None:
                on_cycle(now, None, f"failed: {error}")
            continue
        outcome.kept.append(now)
        if on_cycle is not None:
            on_cycle(now, cycle, "kept")
    return outcome
