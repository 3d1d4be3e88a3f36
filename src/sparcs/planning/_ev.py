"""EV charging in the sizing model: smart charging of every session, sized charge-point power.

*Demand.* The sessions of the scenario's EV groups (cars, arrival, departure, energy) are the
demand: every session gets its energy by departure (smart charging, as
:mod:`sparcs.operation.optimal.ev`). They are drawn with the charge points as they are, so
the plan serves the same cars as the baseline. A session whose car needs more than today's
point can deliver while plugged is cut to that (:mod:`sparcs.profiles.ev`); a re-run with
more power per point draws it in full, so the plan's notes count such sessions.

*Size.* The charging power of a unit's charge points, as a total [kW] = points x power per
point, between what exists and the catalogue's largest power per point
(``[sizing.limits] ev_max_power_kw``). A session charges at most at the power per point
(rows ``EVcap``)::

    count(u) * ch(s, t) - size_ev(u) <= 0        every plugged step t of a session s at unit u

More power lets cars take their energy in fewer, cheaper or greener hours; it costs
``ev_charge_power`` per kW (``data/costs.toml``). The plan writes the power per point back
(``power_kw`` of the group), so ``sparcs run --strategy optimal`` operates the same chargers.

*Time.* On every step the dispatch LP's lanes carry the sessions and the rows above bound
their ``ev_ch`` columns. On typical days a session cut at midnight would need its energy
twice (once before midnight, pro rata, once after), so sessions are taken whole instead:
each typical day holds the sessions *arriving* on it, and a session that runs past midnight
wraps around to the start of the same day (cyclic days, as the stores). Every session thus
counts once, on its arrival day, with that day's weight, its energy scaled to the cluster's
mean energy per day. A session longer than a day keeps a day of it and the same share of
its energy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.lp.builder import Block, LpBuilder
    from sparcs.operation.optimal.ev import EVParams
    from sparcs.planning.typical import Aggregation
    from sparcs.profiles.inputs import EVSessions, Inputs
    from sparcs.scenario.assets import EVChargers
    from sparcs.scenario.models import Scenario

__all__ = [
    "CyclicSessions",
    "add_cyclic_ev",
    "add_lane_power_rows",
    "add_session_power_rows",
    "capped_sessions",
    "cyclic_sessions",
    "envelope_sessions",
    "ev_sizes",
]


@dataclass(frozen=True)
class CyclicSessions:
    """Sessions arriving on the typical days, wrapped around their day.

    Attributes
    ----------
    unit
        Unit of each session, (session,).
    step
        Model step of each position of the session, (session, day) [-]; position 0 is the
        arrival step.
    plugged
        Position within the (capped) dwell, (session, day).
    energy_kwh
        Energy drawn from the grid by departure, (session,) [kWh].
    power_kw, efficiency, v2g
        Largest charging power [kW], charger efficiency [-] and bidirectional flag,
        (session,).
    """

    unit: np.ndarray
    step: np.ndarray
    plugged: np.ndarray
    energy_kwh: np.ndarray
    power_kw: np.ndarray
    efficiency: np.ndarray
    v2g: np.ndarray

    def __len__(self) -> int:
        return int(self.unit.size)


def _groups(scenario: Scenario) -> list[EVChargers | None]:
    """The EV group of each unit whose power may be sized; None where there is none.

    The district node counts when it has exactly one group: its points share one power.
    """
    district = scenario.district.ev[0] if len(scenario.district.ev) == 1 else None
    return [*(b.ev for b in scenario.buildings), district]


def ev_sizes(
    scenario: Scenario, sized: bool, max_power_kw: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Charge points, existing and largest total charging power per unit [-, kW, kW].

    Parameters
    ----------
    scenario
        The district as it is.
    sized
        Whether the power may grow (:attr:`PlanConfig.ev_chargers`).
    max_power_kw
        Largest power per charge point [kW] (``[sizing.limits] ev_max_power_kw``).
    """
    groups = _groups(scenario)
    points = np.array([g.count if g is not None else 0 for g in groups], dtype=float)
    power = np.array([g.power_kw if g is not None else 0.0 for g in groups])
    top = np.maximum(power, max_power_kw) if sized else power
    return points, points * power, points * top


def envelope_sessions(
    inputs: Inputs, unit_of_owner: np.ndarray, points: np.ndarray, upper_kw: np.ndarray
) -> Inputs:
    """The inputs with each sized unit's sessions at the largest power per point.

    Energies stay those drawn with today's power (the cars the baseline serves).
    """
    s = inputs.ev_sessions
    if not len(s):
        return inputs
    unit = unit_of_owner[np.asarray(s.owner)]
    per_point = np.divide(upper_kw, points, out=np.zeros_like(upper_kw), where=points > 0)
    power = np.where(points[unit] > 0, np.maximum(per_point[unit], s.power_kw), s.power_kw)
    return replace(inputs, ev_sessions=replace(s, power_kw=power))


def capped_sessions(inputs: Inputs, unit_of_owner: np.ndarray, points: np.ndarray) -> int:
    """Sessions at sized units whose energy is cut to what today's point delivers."""
    s = inputs.ev_sessions
    if not len(s):
        return 0
    sized = points[unit_of_owner[np.asarray(s.owner)]] > 0
    most = s.power_kw * (s.departure - s.arrival) * inputs.dt_h
    return int(np.sum(sized & (s.energy_kwh >= most * (1.0 - 1e-9))))


def cyclic_sessions(
    sessions: EVSessions,
    agg: Aggregation,
    unit_of_owner: np.ndarray,
    efficiency_of_unit: np.ndarray,
    *,
    existing_kw: np.ndarray,
    dt_h: float,
) -> CyclicSessions:
    """The sessions of ``sessions`` that arrive on a typical day of ``agg``, wrapped.

    Each typical day's energies are scaled to its cluster's mean energy arriving per day
    (as demand and PV, :mod:`.typical`), but never beyond what today's charge point
    delivers while the car is plugged: the baseline must serve them.

    Parameters
    ----------
    sessions
        Sessions on the steps of the period (``owner`` -1 = district chargers).
    agg
        Typical days (``agg.day_steps`` set).
    unit_of_owner
        Unit of each owner index, the district's unit last (index -1).
    efficiency_of_unit
        Charger efficiency per unit, (unit,) [-].
    existing_kw
        Power per charge point today, per unit [kW]; ``inf`` where the sessions' own power
        is today's.
    dt_h
        Step length [h].
    """
    day = int(agg.day_steps or 0)
    arrival = np.asarray(sessions.arrival, dtype=int)
    energy = np.asarray(sessions.energy_kwh, float)
    last_day = max(int(arrival.max(initial=0)), int(agg.days.max(initial=0))) // day
    slot = np.full(last_day + 1, -1)  # typical day of each day of the period, -1 = none
    slot[agg.days // day] = np.arange(agg.days.size)
    arrival_day = arrival // day
    whole = arrival_day < agg.cluster.size
    daily = np.bincount(arrival_day[whole], weights=energy[whole], minlength=agg.cluster.size)
    factor = agg.day_factors(daily)
    j = slot[arrival_day]
    keep = j >= 0
    arrival, j = arrival[keep], j[keep]
    dwell_full = np.asarray(sessions.departure, dtype=int)[keep] - arrival
    dwell = np.minimum(dwell_full, day)
    q = np.arange(day)
    step = j[:, None] * day + (arrival[:, None] % day + q[None, :]) % day
    unit = np.asarray(unit_of_owner)[np.asarray(sessions.owner)[keep]]
    power = np.asarray(sessions.power_kw, float)[keep]
    own = energy[keep] * dwell / dwell_full
    today = np.minimum(power, np.asarray(existing_kw, float)[unit]) * dwell * dt_h
    target = factor * np.bincount(j, weights=own, minlength=factor.size)
    return CyclicSessions(
        unit=unit,
        step=step,
        plugged=q[None, :] < dwell[:, None],
        energy_kwh=_fill(own, np.maximum(today, own), j, target),
        power_kw=power,
        efficiency=np.asarray(efficiency_of_unit, float)[unit],
        v2g=np.asarray(sessions.v2g, bool)[keep],
    )


def _fill(
    own: np.ndarray, cap: np.ndarray, day: np.ndarray, target: np.ndarray, rounds: int = 20
) -> np.ndarray:
    """Energies ``min(alpha(day) own, cap)`` whose total per day is ``target`` if it can be.

    Water filling: sessions at their cap keep it, the others share the rest in proportion
    to their own energy. A few rounds settle it (each round only adds capped sessions).
    """
    alpha = target / np.maximum(np.bincount(day, weights=own, minlength=target.size), 1e-12)
    for _ in range(rounds):
        at_cap = own * alpha[day] >= cap
        fixed = np.bincount(day, weights=np.where(at_cap, cap, 0.0), minlength=target.size)
        free = np.bincount(day, weights=np.where(at_cap, 0.0, own), minlength=target.size)
        new = np.where(free > 0, (target - fixed) / np.maximum(free, 1e-12), alpha)
        if np.allclose(new, alpha, rtol=1e-12, atol=0.0):
            break
        alpha = np.maximum(new, 0.0)
    result: np.ndarray = np.minimum(own * alpha[day], cap)
    return result


def add_cyclic_ev(lp: LpBuilder, cs: CyclicSessions, dt_h: float) -> dict[str, Block]:
    """Columns ``evs_ch``, ``evs_dis``, ``evs_e`` (session, position) and rows ``EVS``.

    Per session and position ``q`` (step ``step[s, q]``)::

        e(q) - [q > 0] e(q - 1) - eta dt ch(q) + dt / eta dis(q) = 0
        0 <= ch, dis <= P while plugged (dis only at bidirectional points), else 0
        0 <= e <= eta E, and e >= eta E at the last plugged position

    ``ch`` enters the unit's electricity balance (rows ``E``) with -1, ``dis`` with +1.
    """
    n, day = cs.step.shape
    need = cs.efficiency * cs.energy_kwh
    power = np.where(cs.plugged, cs.power_kw[:, None], 0.0)
    last = cs.plugged & ~np.c_[cs.plugged[:, 1:], np.zeros((n, 1), bool)]
    # (steps, units) is the builder's layout: positions are the steps, sessions the units
    ch = lp.add_cols("evs_ch", n, day, upper=power.T)
    dis = lp.add_cols("evs_dis", n, day, upper=np.where(cs.v2g[:, None], power, 0.0).T)
    level = lp.add_cols(
        "evs_e",
        n,
        day,
        upper=np.where(cs.plugged, need[:, None], 0.0).T,
        lower=np.where(last, need[:, None], 0.0).T,
    )
    rows = lp.add_equal_rows("EVS", n, day, 0.0).ids()
    eta = cs.efficiency[:, None]
    lp.add_coef(rows, level.ids(), 1.0)
    linked = cs.plugged[:, 1:]
    lp.add_coef(rows[:, 1:][linked], level.ids()[:, :-1][linked], -1.0)
    lp.add_coef(rows, ch.ids(), np.broadcast_to(-eta * dt_h, rows.shape))
    lp.add_coef(rows, dis.ids(), np.broadcast_to(dt_h / eta, rows.shape))
    balance = lp.rows["E"].ids()[cs.unit[:, None], cs.step]
    lp.add_coef(balance, ch.ids(), -1.0)
    lp.add_coef(balance, dis.ids(), 1.0)
    return {"ch": ch, "dis": dis, "level": level}


def _power_rows(
    lp: LpBuilder, charge: np.ndarray, unit: np.ndarray, size: Block, count: np.ndarray
) -> None:
    """Rows ``EVcap``: ``count(u) ch - size(u) <= 0`` for the charge columns given."""
    if not charge.size:
        return
    rows = lp.add_rows("EVcap", charge.size, 1, lower=-np.inf, upper=0.0).ids()[:, 0]
    lp.add_coef(rows, charge, count[unit])
    lp.add_coef(rows, size.ids()[unit, 0], -1.0)


def add_session_power_rows(
    lp: LpBuilder, cs: CyclicSessions, ch: Block, size: Block, sized: np.ndarray, count: np.ndarray
) -> None:
    """``EVcap`` rows of the plugged positions of sessions at sized units."""
    mask = cs.plugged & sized[cs.unit][:, None]
    s, q = np.nonzero(mask)
    _power_rows(lp, ch.ids()[s, q], cs.unit[s], size, count)


def add_lane_power_rows(
    lp: LpBuilder, ev: EVParams, size: Block, sized: np.ndarray, count: np.ndarray
) -> None:
    """``EVcap`` rows of the dispatch LP's lanes (``ev_ch``) at sized units, plugged steps."""
    mask = (ev.session >= 0) & sized[ev.unit][None, :]
    t, lane = np.nonzero(mask)
    _power_rows(lp, lp.cols["ev_ch"].ids()[lane, t], ev.unit[lane], size, count)
