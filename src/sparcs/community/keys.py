"""Allocation keys: how one interval's shareable production is split over the members.

Every function works on a block of intervals at once: ``pool`` (intervals,) is the shareable
production, ``need`` (intervals, members) the members' consumption, and the result is the
allocation (intervals, members) [kWh]. Each interval is settled on its own, so blocks of
intervals can be settled one after the other. Rules (``shared/reference/platform.md`` §4.3):

static
    a_i = min(c_i, s_i P) (AT static, PT fixed, CZ single round, DE §42b static).
iterative
    the static round, then up to ``rounds - 1`` more rounds in which what capped members
    leave, R = P - sum(a), goes to the members still short, E = {i : a_i < c_i}, in
    proportion to their shares: a_i += min(c_i - a_i, R s_i / sum_{j in E} s_j) (CZ EDC
    iterative, at most 5 rounds in all). With ``rounds = 1`` it is the static key.
proportional
    a_i = c_i min(1, P / sum(c)) (AT dynamic key, FR default, LU pro rata).
priority
    members filled in the given order: a_i = min(c_i, max(0, P - sum of earlier c)) (LU).
building first
    see :func:`building_first`.

Invariants (tested with hypothesis): 0 <= a_i <= c_i, sum(a) <= P, results independent of
member order except for the priority key.
"""

from __future__ import annotations

import numpy as np

__all__ = ["building_first", "iterative", "priority", "proportional", "static"]

#: Energy below which a remainder or a shortfall counts as zero [kWh] (1 mWh).
EPS_KWH = 1e-9


def static(pool: np.ndarray, need: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Static shares: each member gets its share of the pool, capped by its consumption.

    Parameters
    ----------
    pool
        Shareable production per interval, shape (intervals,) [kWh].
    need
        Consumption per interval and member, shape (intervals, members) [kWh].
    shares
        Share of each member, shape (members,), summing to at most 1 [-].

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, shape (intervals, members) [kWh].

    Examples
    --------
    >>> static(np.array([10.0]), np.array([[2.0, 8.0]]), np.array([0.5, 0.5])).tolist()
    [[2.0, 5.0]]
    """
    given: np.ndarray = np.minimum(need, pool[:, None] * shares[None, :])
    return given


def _more_rounds(
    pool: np.ndarray, need: np.ndarray, shares: np.ndarray, given: np.ndarray, rounds: int
) -> np.ndarray:
    """Up to ``rounds`` redistribution rounds of what is left of ``pool`` after ``given``.

    Each round works only on the intervals where something is left and someone is short
    (``rows``): the others are settled already, and after the first round they are most.
    """
    given = np.minimum(given, need)
    rows = np.arange(len(pool))
    for _ in range(rounds):
        sub_given, sub_need = given[rows], need[rows]
        left = pool[rows] - sub_given.sum(axis=1)
        weight = np.where(sub_given < sub_need - EPS_KWH, shares[None, :], 0.0)
        total = weight.sum(axis=1)
        live = (left > EPS_KWH) & (total > 0)
        if not live.any():
            break
        rows, left, total = rows[live], left[live], total[live]
        sub_given, sub_need, weight = sub_given[live], sub_need[live], weight[live]
        step = np.minimum(sub_need - sub_given, weight * (left / total)[:, None])
        given[rows] = np.minimum(sub_given + step, sub_need)
    return given


def iterative(
    pool: np.ndarray, need: np.ndarray, shares: np.ndarray, *, rounds: int = 5
) -> np.ndarray:
    """Static shares, then what capped members leave redistributed over the others by share.

    Parameters
    ----------
    pool
        Shareable production per interval, shape (intervals,) [kWh].
    need
        Consumption per interval and member, shape (intervals, members) [kWh].
    shares
        Share of each member, shape (members,), summing to at most 1 [-].
    rounds
        Rounds in all, the static round included (the Czech EDC allows up to 5) [-].

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, shape (intervals, members) [kWh].

    Examples
    --------
    >>> iterative(np.array([10.0]), np.array([[2.0, 8.0]]), np.array([0.5, 0.5])).tolist()
    [[2.0, 8.0]]
    """
    return _more_rounds(pool, need, shares, static(pool, need, shares), rounds - 1)


def proportional(pool: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Dynamic key: the pool split in proportion to each member's consumption in the interval.

    Parameters
    ----------
    pool
        Shareable production per interval, shape (intervals,) [kWh].
    need
        Consumption per interval and member, shape (intervals, members) [kWh].

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, shape (intervals, members) [kWh].

    Examples
    --------
    >>> proportional(np.array([5.0]), np.array([[2.0, 8.0]])).tolist()
    [[1.0, 4.0]]
    """
    total = need.sum(axis=1)
    with np.errstate(over="ignore"):  # a vanishing total: the cover is 1 anyway
        ratio = np.divide(pool, total, out=np.zeros_like(pool), where=total > 0)
    cover = np.minimum(1.0, ratio)
    given: np.ndarray = np.minimum(need, need * cover[:, None])
    return given


def priority(pool: np.ndarray, need: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Members filled one after the other in a fixed order until the pool is used up.

    Parameters
    ----------
    pool
        Shareable production per interval, shape (intervals,) [kWh].
    need
        Consumption per interval and member, shape (intervals, members) [kWh].
    order
        Column positions of the members, first served first, shape (members,); members
        not in it get nothing.

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, shape (intervals, members) [kWh].

    Examples
    --------
    >>> priority(np.array([5.0]), np.array([[2.0, 8.0]]), np.array([1, 0])).tolist()
    [[0.0, 5.0]]
    """
    # np.take and min/max: several times faster than fancy indexing and np.clip here
    queued = np.take(need, order, axis=1)
    before = np.cumsum(queued, axis=1)
    np.subtract(before, queued, out=before)
    np.subtract(pool[:, None], before, out=before)
    np.maximum(before, 0.0, out=before)
    np.minimum(before, queued, out=before)
    if len(order) == need.shape[1]:
        back = np.empty_like(order)
        back[order] = np.arange(len(order))
        ranked: np.ndarray = np.take(before, back, axis=1)
        return ranked
    given = np.zeros_like(need)
    given[:, order] = before
    return given


def building_first(
    pool_by_building: np.ndarray,
    need: np.ndarray,
    shares: np.ndarray,
    building_of: np.ndarray,
    *,
    is_property: np.ndarray,
    rounds: int = 5,
) -> np.ndarray:
    """The Finnish model: a building's production serves its own members first, then the rest.

    Three stages per interval, each capped by what a member still consumes:

    1. a building's *property* member (its common areas, the housing company's meter), if it
       names one, takes what it needs of its building's production;
    2. the rest of the building's production goes to the building's other members by their
       shares renormalised within the building, with up to ``rounds`` rounds as in
       :func:`iterative`;
    3. what every building has left is pooled and split over all members still short by their
       community shares (``rounds`` rounds again).

    Parameters
    ----------
    pool_by_building
        Production of each building's members per interval, shape (intervals, buildings)
        [kWh].
    need
        Consumption per interval and member, shape (intervals, members) [kWh].
    shares
        Community share of each member, shape (members,), summing to at most 1 [-].
    building_of
        Building position of each member, shape (members,).
    is_property
        Mask of the members that are their building's property (at most one per building),
        shape (members,).
    rounds
        Rounds per share stage, the first included [-].

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, shape (intervals, members) [kWh].

    Examples
    --------
    One building of 10 kWh: the property uses 5, the rest is split over two flats.

    >>> building_first(np.array([[10.0]]), np.array([[5.0, 4.0, 4.0]]),
    ...     np.array([0.0, 0.5, 0.5]), np.array([0, 0, 0]),
    ...     is_property=np.array([True, False, False])).tolist()
    [[5.0, 2.5, 2.5]]
    """
    # members sorted by building, so building sums are np.add.reduceat over contiguous columns
    order = np.argsort(building_of, kind="stable")
    where_ = building_of[order]
    starts = np.flatnonzero(np.r_[True, where_[1:] != where_[:-1]])
    pools = pool_by_building[:, where_[starts]]
    need_s, owner = np.take(need, order, axis=1), is_property[order]

    def by_building(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts, axis=1)

    def spread(values: np.ndarray) -> np.ndarray:
        return np.repeat(values, np.diff(np.r_[starts, len(order)]), axis=-1)

    sizes = np.diff(np.r_[starts, len(order)])
    given = np.zeros_like(need_s)
    owners = np.flatnonzero(owner)
    # positions of the owners' buildings among the buildings, in member order
    home = np.repeat(np.arange(len(starts)), sizes)[owners]
    given[:, owners] = np.minimum(need_s[:, owners], pools[:, home])
    left = pools - by_building(given)
    residents = np.where(owner, 0.0, shares[order])
    total = spread(by_building(residents[None, :]))[0]
    inner = np.divide(residents, total, out=np.zeros_like(residents), where=total > 0)
    # stage 2: every building on its own; the first round gives each resident its share,
    # later rounds work on the intervals where some building has energy and a short resident
    rows = np.arange(len(need_s))
    for round_no in range(rounds):
        sub_given, sub_need, sub_left = given[rows], need_s[rows], left[rows]
        short = sub_given < sub_need - EPS_KWH
        weight = np.where(short | (round_no == 0), inner[None, :], 0.0)
        weights = by_building(weight)
        live = (sub_left > EPS_KWH) & (weights > 0)
        busy = live.any(axis=1)
        if not busy.any():
            break
        rows, live, sub_left, weights = rows[busy], live[busy], sub_left[busy], weights[busy]
        sub_given, sub_need, weight = sub_given[busy], sub_need[busy], weight[busy]
        per_share = np.divide(sub_left, weights, out=np.zeros_like(sub_left), where=live)
        step = np.minimum(sub_need - sub_given, weight * spread(per_share))
        given[rows] = sub_given + step
        left[rows] = sub_left - by_building(step)
    rest = np.maximum(left.sum(axis=1), 0.0)
    # stage 3: the leftovers of every building, pooled, by community shares
    spare = np.flatnonzero(rest > EPS_KWH)
    if spare.size:
        short_s = np.maximum(need_s[spare] - given[spare], 0.0)
        extra = iterative(rest[spare], short_s, shares[order], rounds=rounds)
        given[spare] = np.minimum(given[spare] + extra, need_s[spare])
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    result: np.ndarray = np.take(given, back, axis=1)
    return result
