"""What a replay carries from step to step: the levels and cars' energy reached, the steps
realised, and the work done while HiGHS solves (:func:`sparcs.live.replay.replay`)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from sparcs.carriers.tariffs import tariff_prices
from sparcs.live.cycle import HISTORY_DAYS
from sparcs.live.meter_feed import stage_readings
from sparcs.live.outcome import Cycle
from sparcs.live.sessions import WindowSessions, window_inputs, window_series
from sparcs.monitoring.ingest import MeterSpec
from sparcs.operation.flows import DISTRICT_NODE
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.problem import DispatchProblem, take_steps
from sparcs.operation.optimal.realise import realise
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario
from sparcs.store import Store
from sparcs.store.staged import StagedBatch

__all__ = ["ReplayedSteps", "prepare_beside"]


@dataclass
class ReplayedSteps:
    """The state a replay carries from cycle to cycle, and what it realised."""

    nodes: tuple[str, ...]
    battery: np.ndarray  # level per node [kWh]
    tank: np.ndarray
    drawn: dict[int, float]  # EV session → energy drawn from the grid so far [kWh]
    steps: list[dict[str, np.ndarray]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fallbacks: int = 0
    #: The actual data of the coming step's window: (t, steps, problem, its first step alone,
    #: EV sessions).
    prepared: tuple[int, int, DispatchProblem, DispatchProblem, WindowSessions] | None = None

    def send(
        self,
        store: Store,
        time: pd.Timestamp,
        meters: dict[str, MeterSpec],
        dt_h: float,
        measured: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> StagedBatch | None:
        """Send the store levels at ``time`` and what the meters saw in the step before it:
        the grid exchange, and ``measured`` (meter ids and energy [kWh]) when given.

        The batch is staged (:mod:`sparcs.store.staged`): its rows are in the readings' log
        for the cycle; commit it (:func:`prepare_beside` does, while HiGHS solves). None: no
        reading to send."""
        stamps: list[int] = []
        ids: list[str] = []
        values: list[float] = []
        for quantity, levels in (("battery_soc_kwh", self.battery), ("tes_soc_kwh", self.tank)):
            for j, node in enumerate(self.nodes):
                if f"{node}:{quantity}" in meters:
                    stamps.append(time.value)
                    ids.append(f"{node}:{quantity}")
                    values.append(float(levels[j]))
        before = (time - pd.Timedelta(hours=dt_h)).value
        if self.steps:
            for quantity, name in (("grid_import_kwh", "gi"), ("grid_export_kwh", "ge")):
                stamps.append(before)
                ids.append(f"{DISTRICT_NODE}:{quantity}")
                values.append(float(np.asarray(self.steps[-1][name]).reshape(-1)[0]) * dt_h)
        if measured is not None:
            stamps += [before] * len(measured[0])
            ids += [str(m) for m in measured[0]]
            values += [float(v) for v in measured[1]]
        if not ids:
            return None
        return stage_readings(
            store, meters, np.array(stamps, dtype=np.int64), np.array(ids), np.array(values)
        )

    def prepare(self, scenario: Scenario, actual: Inputs, t: int, n: int) -> None:
        """Build the actual data of the window of ``n`` steps from ``t`` (what :meth:`carry_out`
        realises the plan on): it needs no schedule, so it is built while HiGHS solves."""
        window, sessions = window_inputs(actual, t, t + n, self.drawn)
        truth = scenario_problem(scenario, window, OptimalSettings(terminal="initial")).problem
        self.prepared = (t, n, truth, take_steps(truth, np.arange(1)), sessions)

    def carry_out(self, scenario: Scenario, actual: Inputs, t: int, cycle: Cycle) -> None:
        """Realise the first step of ``cycle``'s plan on the actual data."""
        plan = cycle.plan
        assert plan is not None
        n = len(cycle.time)
        if self.prepared is None or self.prepared[:2] != (t, n):
            self.prepare(scenario, actual, t, n)
        assert self.prepared is not None
        _, _, truth, first_step, sessions = self.prepared
        self.prepared = None
        planned, solution = plan.problem, plan.solution
        if planned.step_h is not None:  # a coarser tail: the first step is one of the window's
            truth, planned = first_step, take_steps(planned, np.arange(1))
            solution = {k: v[:1] if np.ndim(v) else v for k, v in solution.items()}
        truth = replace(
            truth,
            battery=planned.battery,
            tank=planned.tank,
            hp_max_el_kw=planned.hp_max_el_kw,
            # the plan's lanes (with the empty ones Operator.steady_lanes keeps): realise
            # attributes their charging to units
            ev=planned.ev,
        )
        done, notes = realise(truth, planned, solution)
        first = {
            k: np.asarray(v)[:1] for k, v in done.items() if np.ndim(v) and not k.startswith("ev_")
        }
        self.steps.append(first)
        self.notes += [f"{actual.time[t].isoformat()}: {note}" for note in notes]
        self.battery = np.array(done["bs"][0], dtype=float) if "bs" in done else self.battery
        self.tank = np.array(done["ts"][0], dtype=float) if "ts" in done else self.tank
        ev = plan.problem.ev
        if ev is not None and "ev_e" in done:
            for lane, s in enumerate(ev.session[0]):
                if s >= 0:  # the car's level after the step, as energy from the grid
                    source = int(sessions.source[s])
                    gained = float(done["ev_e"][0, lane]) / float(ev.efficiency[s])
                    self.drawn[source] = self.drawn.get(source, 0.0) + gained

    def fall_back(self, actual: Inputs, t: int, cycle: Cycle) -> None:
        """Realise the first step of the rule fallback as planned (cars charge at full power)."""
        self.fallbacks += 1
        self.notes += [f"{actual.time[t].isoformat()}: {note}" for note in cycle.fallbacks]
        assert cycle.flows is not None
        data, dt = cycle.flows.data, actual.dt_h
        self.steps.append(
            {
                "gi": np.array([data["grid_import_kwh"][0].sum() / dt]),
                "ge": np.array([data["grid_export_kwh"][0].sum() / dt]),
            }
        )
        self.battery = np.array(data["battery_soc_kwh"][0], dtype=float)
        self.tank = np.array(data["tes_soc_kwh"][0], dtype=float)
        s = actual.ev_sessions
        for i in np.flatnonzero((s.arrival <= t) & (s.departure > t)):
            left = max(0.0, float(s.energy_kwh[i]) - self.drawn.get(int(i), 0.0))
            self.drawn[int(i)] = self.drawn.get(int(i), 0.0) + min(left, s.power_kw[i] * dt)


def prepare_beside(
    run: ReplayedSteps,
    scenario: Scenario,
    actual: Inputs,
    t: int,
    n: int,
    horizon: int,
    staged: StagedBatch | None = None,
) -> None:
    """Work of the replay that needs no schedule, done while HiGHS solves step ``t``'s window:
    the step's batch of readings written to the store (``staged``: the cycle took its rows
    from the readings' log), the window's actual data, and the next cycle's prices (its
    window, and its history with the window for the capacity charge's floors), which the
    tariff keeps for that cycle, and its window's series
    (:func:`~sparcs.live.sessions.window_series` keeps them).

    Work done ahead only: a failure here is left to where the work belongs (the replay
    commits the batch again after the cycle, which raises its failure; carrying the plan out
    builds the window again, the next cycle resolves its prices), so it surfaces there, as
    without this, and never as this cycle's failure to optimise."""
    if staged is not None:
        with contextlib.suppress(Exception):  # kept by the batch, raised by the replay
            staged.commit()
    try:
        run.prepare(scenario, actual, t, n)
        following = t + 1
        stop = min(len(actual.time), following + horizon)
        if following < stop:
            first = max(0, following - round(HISTORY_DAYS * 24 / actual.dt_h))
            tariff_prices(scenario, actual.time[following:stop])
            tariff_prices(scenario, actual.time[first:stop])
            window_series(actual, following, stop)
    except Exception:  # noqa: BLE001 - raised again where the work belongs (docstring)
        run.prepared = None
