"""Allocation keys: how one interval's shareable production is split over the members.

Every function works on a block of intervals at once: ``pool`` (intervals,) is the shareable
production, ``need`` (intervals, members) the members' consumption, and the result is the
allocation (intervals, members) [kWh]. Each interval is settled on its own, so blocks of
intervals can be settled one after the other, and each function can write into a block of
a larger result (``out``). Rules (``shared/reference/platform.md`` §4.3):

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
    see :func:`sparcs.community.building_key.building_first`.

Invariants (tested with hypothesis): 0 <= a_i <= c_i, sum(a) <= P, results independent of
member order except for the priority key.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "EPS_KWH",
    "iterative",
    "priority",
    "proportional",
    "redistribute",
    "run_starts",
    "share_rounds",
    "short_members",
    "static",
]

#: Energy below which a remainder or a shortfall counts as zero [kWh] (1 mWh).
EPS_KWH = 1e-9


def _out(need: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    return np.empty_like(need) if out is None else out


def static(
    pool: np.ndarray, need: np.ndarray, shares: np.ndarray, *, out: np.ndarray | None = None
) -> np.ndarray:
    """Static shares: each member gets its share of the pool, capped by its consumption.

    Parameters
    ----------
    pool
        Shareable production per interval, shape (intervals,) [kWh].
    need
        Consumption per interval and member, shape (intervals, members) [kWh].
    shares
        Share of each member, shape (members,), summing to at most 1 [-].
    out
        Array of ``need``'s shape to write the allocation into; None: a new one.

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, shape (intervals, members) [kWh].

    Examples
    --------
    >>> static(np.array([10.0]), np.array([[2.0, 8.0]]), np.array([0.5, 0.5])).tolist()
    [[2.0, 5.0]]
    """
    given = _out(need, out)
    np.multiply(pool[:, None], shares[None, :], out=given)
    np.minimum(given, need, out=given)
    return given


def run_starts(*labels: np.ndarray) -> np.ndarray:
    """Positions where a run of equal labels starts, in arrays of one length.

    Parameters
    ----------
    *labels
        Arrays of one length; a run ends where any of them changes.

    Returns
    -------
    numpy.ndarray
        Start of each run, 0 first (empty for empty arrays).

    Examples
    --------
    >>> run_starts(np.array([0, 0, 1, 1, 1]), np.array([3, 4, 4, 4, 5])).tolist()
    [0, 1, 2, 4]
    """
    change = np.zeros(len(labels[0]), dtype=bool)
    change[:1] = True
    for label in labels:
        change[1:] |= label[1:] != label[:-1]
    return np.flatnonzero(change)


def share_rounds(
    left: np.ndarray, gap: np.ndarray, weight: np.ndarray, starts: np.ndarray, rounds: int
) -> tuple[np.ndarray, np.ndarray]:
    """Redistribution rounds on groups of members, each group with its own energy left.

    A group is one interval (the iterative key) or one building in one interval (the
    building-first key). In each round, what a group has left, R, goes to its members more
    than :data:`EPS_KWH` short, E, in proportion to their weights:
    x_i += min(g_i, R w_i / sum_{j in E} w_j), for the groups with R > :data:`EPS_KWH` and
    sum_{j in E} w_j > 0; a group that fails this once is settled for good (R and the gaps
    only shrink). The members come as one flat list, group after group, and only the members
    that can still take something need to be listed: that is what makes the rounds cheap,
    since after the first round few members are short.

    Parameters
    ----------
    left
        Energy each group has left, shape (groups,) [kWh].
    gap
        What each listed member is short, shape (listed,) [kWh].
    weight
        Each listed member's weight (share), shape (listed,) [-].
    starts
        Position of each group's first member in the list, increasing, every group
        non-empty, shape (groups,).
    rounds
        Rounds at most [-].

    Returns
    -------
    tuple of numpy.ndarray
        ``(extra, left)``: what each listed member gets, shape (listed,), and what each
        group has left afterwards, shape (groups,) [kWh].

    Examples
    --------
    One group of 3 kWh, two members short by 1 and 5 kWh with equal weights: 1.5 each in
    round one (the first capped at 1), the 0.5 it leaves to the second in round two.

    >>> extra, left = share_rounds(np.array([3.0]), np.array([1.0, 5.0]),
    ...     np.array([0.5, 0.5]), np.array([0]), 5)
    >>> extra.tolist(), left.tolist()
    ([1.0, 2.0], [0.0])
    """
    left = np.array(left, dtype=float)
    gap = np.asarray(gap, dtype=float)
    if not len(gap) or rounds < 1:
        return np.zeros_like(gap), left
    # a member no longer short, or in a settled group, cannot take anything again (gaps and
    # what is left only shrink): its weight is set to 0, and when they are many the lists
    # are cut down to the others; what a member got is its gap less what it still lacks
    g_all = gap.copy()
    listed = np.arange(len(gap))
    groups = np.arange(len(starts))
    sizes = np.diff(starts, append=len(gap))
    g, g_left = g_all.copy(), left.copy()
    w = np.where(g > EPS_KWH, np.asarray(weight, dtype=float), 0.0)
    for _ in range(rounds):
        total = np.add.reduceat(w, starts)
        live = (g_left > EPS_KWH) & (total > 0)
        if not live.any():
            break
        rate = np.divide(g_left, total, out=np.zeros_like(g_left), where=live)
        step = np.minimum(g, w * np.repeat(rate, sizes))
        g -= step
        g_left -= np.add.reduceat(step, starts)
        left[groups] = g_left
        keep = (g > EPS_KWH) & np.repeat(live, sizes)
        w *= keep
        if 2 * np.count_nonzero(keep) < len(keep):
            g_all[listed] = g
            listed, g, w = listed[keep], g[keep], w[keep]
            sizes = np.add.reduceat(keep, starts, dtype=np.int64)
            alive = sizes > 0
            groups, g_left, sizes = groups[alive], g_left[alive], sizes[alive]
            starts = np.zeros_like(sizes)
            np.cumsum(sizes[:-1], out=starts[1:])
            if not len(starts):
                break
    g_all[listed] = g
    return gap - g_all, left


def short_members(
    gap: np.ndarray, rows: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The members of some intervals short by more than ``floor``, as flat lists.

    Parameters
    ----------
    gap
        Shortfall per interval and member, shape (intervals, members) [kWh].
    rows
        Intervals to look at, shape (n,).
    floor
        Shortfall a member must exceed to be listed [kWh].

    Returns
    -------
    tuple of numpy.ndarray
        ``(row, column, starts)``: interval and member of every listed member in row-major
        order, and the position of each listed interval's first member; the intervals
        without a short member are left out.
    """
    sub = gap if len(rows) == len(gap) else gap[rows]
    flat = np.flatnonzero(sub > floor)
    at, column = np.divmod(flat, gap.shape[1])
    starts = run_starts(at)
    return rows[at], column, starts


def redistribute(
    pool: np.ndarray, need: np.ndarray, shares: np.ndarray, given: np.ndarray, rounds: int
) -> None:
    """Up to ``rounds`` rounds handing what is left of ``pool`` after ``given`` to the short.

    ``given`` (capped by ``need``) is updated in place by :func:`share_rounds`, with one
    group per interval that has more than :data:`EPS_KWH` left and whose short members are
    listed: one row sum and one look at the gaps of those intervals.

    Parameters
    ----------
    pool
        Shareable production per interval, shape (intervals,) [kWh].
    need
        Consumption per interval and member, shape (intervals, members) [kWh].
    shares
        Share of each member, shape (members,) [-].
    given
        Allocation so far, shape (intervals, members), updated in place [kWh].
    rounds
        Rounds at most [-].
    """
    if rounds < 1 or not len(pool):
        return
    left = pool - given.sum(axis=1)
    rows = np.flatnonzero(left > EPS_KWH)
    if not rows.size:
        return
    gap = need[rows] - given[rows] if rows.size < len(pool) else need - given
    at, column, starts = short_members(gap, np.arange(len(rows)), EPS_KWH)
    if not at.size:
        return
    row = rows[at]
    extra, _ = share_rounds(left[row[starts]], gap[at, column], shares[column], starts, rounds)
    given[row, column] += extra


def iterative(
    pool: np.ndarray,
    need: np.ndarray,
    shares: np.ndarray,
    *,
    rounds: int = 5,
    out: np.ndarray | None = None,
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
    out
        Array of ``need``'s shape to write the allocation into; None: a new one.

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, shape (intervals, members) [kWh].

    Examples
    --------
    >>> iterative(np.array([10.0]), np.array([[2.0, 8.0]]), np.array([0.5, 0.5])).tolist()
    [[2.0, 8.0]]
    """
    given = static(pool, need, shares, out=out)
    redistribute(pool, need, shares, given, rounds - 1)
    return given


def proportional(
    pool: np.ndarray,
    need: np.ndarray,
    *,
    demand: np.ndarray | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Dynamic key: the pool split in proportion to each member's consumption in the interval.

    Parameters
    ----------
    pool
        Shareable production per interval, shape (intervals,) [kWh].
    need
        Consumption per interval and member, shape (intervals, members) [kWh].
    demand
        ``need.sum(axis=1)`` when the caller has it already [kWh].
    out
        Array of ``need``'s shape to write the allocation into; None: a new one.

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, shape (intervals, members) [kWh].

    Examples
    --------
    >>> proportional(np.array([5.0]), np.array([[2.0, 8.0]])).tolist()
    [[1.0, 4.0]]
    """
    total = need.sum(axis=1) if demand is None else demand
    with np.errstate(over="ignore"):  # a vanishing total: the cover is 1 anyway
        ratio = np.divide(pool, total, out=np.zeros_like(pool), where=total > 0)
    # c x cover <= c exactly for cover <= 1 (rounding is monotonic), so no cap is needed
    given = _out(need, out)
    np.multiply(need, np.minimum(1.0, ratio)[:, None], out=given)
    return given


def priority(
    pool: np.ndarray, need: np.ndarray, order: np.ndarray, *, out: np.ndarray | None = None
) -> np.ndarray:
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
    out
        Array of ``need``'s shape to write the allocation into; None: a new one.

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, shape (intervals, members) [kWh].

    Examples
    --------
    >>> priority(np.array([5.0]), np.array([[2.0, 8.0]]), np.array([1, 0])).tolist()
    [[0.0, 5.0]]
    """
    given = _out(need, out)
    # np.take and min/max: several times faster than fancy indexing and np.clip here
    queued = np.take(need, order, axis=1)
    before = np.empty_like(queued)
    before[:, :1] = 0.0
    np.cumsum(queued[:, :-1], axis=1, out=before[:, 1:])
    np.subtract(pool[:, None], before, out=before)
    np.maximum(before, 0.0, out=before)
    np.minimum(before, queued, out=before)
    if len(order) == need.shape[1]:
        back = np.empty_like(order)
        back[order] = np.arange(len(order))
        # mode='clip': the indices are valid, and the default 'raise' buffers ``out``
        return np.take(before, back, axis=1, out=given, mode="clip")
    given[...] = 0.0
    given[:, order] = before
    return given
