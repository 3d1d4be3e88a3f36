"""The building-first key (the Finnish model): a building's production serves its own first.

Three stages per interval, each capped by what a member still consumes:

1. a building's *property* member (its common areas, the housing company's meter), if it
   names one, takes what it needs of its building's production;
2. the rest of the building's production goes to the building's other members (its
   *residents*) by their shares renormalised within the building, with up to ``rounds``
   rounds as in :func:`sparcs.community.keys.iterative`;
3. what every building has left is pooled and split over all members still short by their
   community shares (``rounds`` rounds again).

The members are grouped once per settlement (:func:`group_buildings`), sorted by building so
that building sums are :func:`numpy.add.reduceat` over contiguous columns. The first round of
stage 2 works on every interval; the later rounds and stage 3 only on the intervals where a
building has energy left *and* someone is short, which one row maximum of the gap finds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sparcs.community.keys import EPS_KWH, run_starts, share_rounds, short_members
from sparcs.errors import DataError

__all__ = ["BuildingGroups", "building_first", "group_buildings", "settle_buildings"]


@dataclass(frozen=True)
class BuildingGroups:
    """Members grouped by building, in *sorted* order (by building, stable).

    Attributes
    ----------
    order
        Member column of each sorted position, shape (members,).
    back
        Sorted position of each member column, shape (members,).
    in_order
        True when the members already come building by building (no reordering needed).
    starts
        First sorted position of each building that has members, shape (buildings,).
    home
        Building of each sorted position, 0 to buildings - 1, shape (members,).
    building_ids
        The caller's number of each building, shape (buildings,).
    owners
        Sorted positions of the property members, shape (properties,).
    inner
        Resident shares renormalised within each building, 0 for properties, sorted
        order, shape (members,) [-].
    inner_total
        Sum of ``inner`` per building (1, or 0 for a building without shares) [-].
    shares
        Community shares in sorted order, shape (members,) [-].
    """

    order: np.ndarray
    back: np.ndarray
    in_order: bool
    starts: np.ndarray
    home: np.ndarray
    building_ids: np.ndarray
    owners: np.ndarray
    inner: np.ndarray
    inner_total: np.ndarray
    shares: np.ndarray

    def by_building(self, values: np.ndarray) -> np.ndarray:
        """Sum of (intervals, members) values per building, shape (intervals, buildings)."""
        total: np.ndarray = np.add.reduceat(values, self.starts, axis=1)
        return total


def group_buildings(
    shares: np.ndarray, building_of: np.ndarray, is_property: np.ndarray
) -> BuildingGroups:
    """Group members by building for :func:`settle_buildings`.

    Parameters
    ----------
    shares
        Community share of each member, shape (members,) [-].
    building_of
        Building number of each member, shape (members,).
    is_property
        Mask of the members that are their building's property, shape (members,).

    Returns
    -------
    BuildingGroups
        The grouping.

    Raises
    ------
    DataError
        A building with more than one property member.
    """
    order = np.argsort(building_of, kind="stable")
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    sorted_ids = building_of[order]
    starts = run_starts(sorted_ids)
    sizes = np.diff(starts, append=len(order))
    home = np.repeat(np.arange(len(starts)), sizes)
    owner = is_property[order]
    owners = np.flatnonzero(owner)
    if len(np.unique(home[owners])) < owners.size:
        msg = "a building has more than one property member; name one property per building"
        raise DataError(msg)
    residents = np.where(owner, 0.0, shares[order])
    total = np.add.reduceat(residents, starts)
    spread = total[home]
    inner = np.divide(residents, spread, out=np.zeros_like(residents), where=spread > 0)
    return BuildingGroups(
        order=order,
        back=back,
        in_order=bool((order == np.arange(len(order))).all()),
        starts=starts,
        home=home,
        building_ids=sorted_ids[starts],
        owners=owners,
        inner=inner,
        inner_total=np.add.reduceat(inner, starts),
        shares=np.asarray(shares, dtype=float)[order],
    )


def _within_buildings(
    groups: BuildingGroups,
    gap: np.ndarray,
    given: np.ndarray,
    left: np.ndarray,
    rounds: int,
) -> None:
    """Rounds 2 to ``rounds`` of stage 2: one group per building and interval with energy
    left and a resident short; ``gap``, ``given`` and ``left`` updated in place."""
    row, column, _ = short_members(gap, np.arange(len(gap)), EPS_KWH)
    house = groups.home[column]
    mine = (groups.inner[column] > 0) & (left[row, house] > EPS_KWH)
    row, column, house = row[mine], column[mine], house[mine]
    if not row.size:
        return
    # members come row by row and, within a row, building by building: groups are runs
    starts = run_starts(row, house)
    extra, rest = share_rounds(
        left[row[starts], house[starts]], gap[row, column], groups.inner[column], starts, rounds
    )
    given[row, column] += extra
    gap[row, column] -= extra
    left[row[starts], house[starts]] = rest


def _across_buildings(
    groups: BuildingGroups,
    need: np.ndarray,
    gap: np.ndarray,
    given: np.ndarray,
    rest: np.ndarray,
    rounds: int,
) -> None:
    """Stage 3: what the buildings have left, pooled per interval, by community shares to
    the members still short (a static round, then ``rounds - 1`` more); ``given`` in place.

    Members not short or without a share would get min(0, ...) = 0, so only the others are
    listed.
    """
    row, column, _ = short_members(gap, np.flatnonzero(rest > EPS_KWH), 0.0)
    mine = groups.shares[column] > 0
    row, column = row[mine], column[mine]
    if not row.size:
        return
    starts = run_starts(row)
    short, share = gap[row, column], groups.shares[column]
    first = np.minimum(short, rest[row] * share)
    left = rest[row[starts]] - np.add.reduceat(first, starts)
    extra, _ = share_rounds(left, short - first, share, starts, rounds - 1)
    given[row, column] = np.minimum(given[row, column] + first + extra, need[row, column])


def settle_buildings(
    pools: np.ndarray,
    need: np.ndarray,
    groups: BuildingGroups,
    *,
    rounds: int = 5,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Allocate a block of intervals by the building-first key.

    Parameters
    ----------
    pools
        Production of each building's members per interval, shape (intervals, buildings
        of ``groups``) [kWh].
    need
        Consumption per interval and member, member order, shape (intervals, members) [kWh].
    groups
        The members grouped by building (:func:`group_buildings`).
    rounds
        Rounds per share stage, the first included [-].
    out
        Array of ``need``'s shape to write the allocation into; None: a new one.

    Returns
    -------
    numpy.ndarray
        Allocation per interval and member, member order, shape (intervals, members) [kWh].
    """
    if groups.in_order:
        need_s = need
        given = np.empty_like(need) if out is None else out
    else:
        need_s = np.take(need, groups.order, axis=1)
        given = np.empty_like(need_s)
    owners = groups.owners
    owned = np.minimum(need_s[:, owners], pools[:, groups.home[owners]])
    left = pools.copy()
    left[:, groups.home[owners]] -= owned
    # stage 2, first round: every resident its share of what its building has left
    live = (left > EPS_KWH) & (groups.inner_total > 0)
    per_share = np.divide(left, groups.inner_total, out=np.zeros_like(left), where=live)
    np.take(per_share, groups.home, axis=1, out=given, mode="clip")
    np.multiply(given, groups.inner, out=given)
    np.minimum(given, need_s, out=given)
    left -= groups.by_building(given)
    given[:, owners] = owned
    # later rounds and stage 3 see only the members still short (few after round one)
    gap = np.subtract(need_s, given)
    _within_buildings(groups, gap, given, left, rounds - 1)
    _across_buildings(groups, need_s, gap, given, np.maximum(left.sum(axis=1), 0.0), rounds)
    if groups.in_order:
        return given
    result = np.empty_like(need) if out is None else out
    return np.take(given, groups.back, axis=1, out=result, mode="clip")


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

    Parameters
    ----------
    pool_by_building
        Production of each building's members per interval, shape (intervals, buildings),
        column ``b`` for the members with ``building_of == b`` [kWh].
    need
        Consumption per interval and member, shape (intervals, members) [kWh].
    shares
        Community share of each member, shape (members,), summing to at most 1 [-].
    building_of
        Building number of each member, shape (members,).
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
    groups = group_buildings(shares, building_of, is_property)
    pools = pool_by_building[:, groups.building_ids]
    return settle_buildings(pools, need, groups, rounds=rounds)
