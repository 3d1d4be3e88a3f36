"""Settle a community: the allocation of every interval under one key, and what follows.

Per interval t: the shareable production is P = sum of the members' production; the key
gives each member an allocation a (capped by its consumption, sum(a) <= P); the member's
residual grid import is c - a; the community export S = P - sum(a) is what no member took.
Producers share in the allocation and in the export in proportion to their production in
the interval (a pool: shared_i = p_i sum(a) / P, own_export_i = p_i S / P).

The work is vectorised over members and cut into cache-sized blocks of intervals; each
interval is independent, so the blocks are too. Only the intervals with production are
settled (the others share nothing), in runs of consecutive intervals, so a block is a view of
the readings and each key writes straight into the result: no gathered copies. Sums that every
key needs (the pool per interval, who consumes) are computed once per readings
(:class:`~sparcs.community.readings.Readings`), so settling one file with several keys does
not repeat them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from sparcs._memory import BLOCK
from sparcs.community import keys
from sparcs.community.building_key import BuildingGroups, group_buildings, settle_buildings
from sparcs.community.key_file import CommunityFile
from sparcs.community.readings import Readings
from sparcs.errors import DataError, ScenarioError

__all__ = ["KEYS", "Key", "Settlement", "lit_spans", "settle"]

Key = Literal["static", "iterative", "proportional", "priority", "building-first"]
#: The allocation keys.
KEYS: tuple[str, ...] = get_args(Key)
#: What each key reads from the community file.
NEEDS = {
    "static": "shares",
    "iterative": "shares",
    "proportional": "",
    "priority": "priority",
    "building-first": "buildings",
}


@dataclass(frozen=True)
class Settlement:
    """The result of a settlement.

    Attributes
    ----------
    readings
        What was settled.
    key
        The allocation key.
    allocated_kwh
        Community energy allocated to each member, shape (intervals, members) [kWh].
    rounds
        Rounds of the iterative and building-first keys (1 for the others) [-].
    community
        The community file used (empty when none was given).
    """

    readings: Readings
    key: str
    allocated_kwh: np.ndarray
    rounds: int
    community: CommunityFile

    @property
    def pool_kwh(self) -> np.ndarray:
        """Shareable production per interval, shape (intervals,) [kWh]."""
        return self.readings.pool_kwh

    @property
    def community_export_kwh(self) -> np.ndarray:
        """Production no member took, per interval, shape (intervals,) [kWh]."""
        left: np.ndarray = np.maximum(self.pool_kwh - self.allocated_kwh.sum(axis=1), 0.0)
        return left

    def grid_import_kwh(self) -> np.ndarray:
        """Residual grid import per interval and member, shape (intervals, members) [kWh]."""
        grid: np.ndarray = np.maximum(self.readings.consumption_kwh - self.allocated_kwh, 0.0)
        return grid

    def producer_split(self) -> tuple[np.ndarray, np.ndarray]:
        """Each member's production split into energy shared and energy exported [kWh].

        Returns
        -------
        tuple of numpy.ndarray
            ``(shared, own_export)``, each shape (intervals, members): the member's
            production times the allocated and the exported fraction of the pool.
        """
        pool = self.pool_kwh
        taken = np.divide(
            self.allocated_kwh.sum(axis=1), pool, out=np.zeros_like(pool), where=pool > 0
        )
        taken = np.minimum(taken, 1.0)[:, None]
        production = self.readings.production_kwh
        return production * taken, production * (1.0 - taken)

    def totals(self) -> dict[str, object]:
        """Whole-period totals: the ``--json`` shape of ``sparcs community settle``.

        Returns
        -------
        dict
            ``{"members": {member: {"consumption_kwh", "allocated_kwh",
            "grid_import_kwh"}}, "community_export_kwh": x}`` [kWh], rounded to 1e-6 kWh.
        """
        consumption = self.readings.consumption_kwh.sum(axis=0)
        allocated = self.allocated_kwh.sum(axis=0)
        grid = self.grid_import_kwh().sum(axis=0)
        members = {
            member: {
                "consumption_kwh": round(float(consumption[i]), 6),
                "allocated_kwh": round(float(allocated[i]), 6),
                "grid_import_kwh": round(float(grid[i]), 6),
            }
            for i, member in enumerate(self.readings.members)
        }
        return {
            "members": members,
            "community_export_kwh": round(float(self.community_export_kwh.sum()), 6),
        }


def _share_vector(community: CommunityFile, members: tuple[str, ...]) -> np.ndarray:
    return np.array([community.shares.get(m, 0.0) for m in members], dtype=float)


def _check_key(key: str, community: CommunityFile, readings: Readings, rounds: int) -> None:
    if key not in KEYS:
        msg = f"key {key!r} is not known; choose {', '.join(KEYS)}"
        raise ScenarioError(msg)
    if not 1 <= rounds <= 5:
        msg = f"rounds must be 1 to 5 (the Czech iterative method allows 5), got {rounds}"
        raise ScenarioError(msg)
    need = NEEDS[key]
    source = community.source or "the community file (--shares)"
    community.check_members(readings.members, readings.source)
    if not need:
        return
    consumes = readings.consumers.tolist()
    if key == "priority":
        if not community.priority:
            msg = f'{source}: the priority key needs priority = ["a", "b", ...]'
            raise DataError(msg)
        listed = set(community.priority)
        part = "priority"
    else:
        if not community.shares:
            msg = f"{source}: the {key} key needs a [shares] table of member = fraction lines"
            raise DataError(msg)
        listed = set(community.shares)
        part = "[shares]"
        if key == "building-first":
            if not community.buildings:
                msg = f"{source}: the building-first key needs [buildings.<name>] tables"
                raise DataError(msg)
            placed = community.building_of()
            homeless = [m for m in readings.members if m not in placed]
            if homeless:
                msg = (
                    f"{source}: member {homeless[0]!r} is in no building; the building-first "
                    f"key needs every member in one [buildings.<name>] ({len(homeless)} missing)"
                )
                raise DataError(msg)
            listed |= {b.property for b in community.buildings if b.property}
    left_out = [
        m for m, uses in zip(readings.members, consumes, strict=True) if uses and m not in listed
    ]
    if left_out:
        msg = (
            f"{source}: member {left_out[0]!r} consumes but is not in {part}; add it "
            f"({'with share 0 to give it nothing' if part == '[shares]' else 'at the end'}) "
            f"({len(left_out)} such member(s))"
        )
        raise DataError(msg)


def lit_spans(pool: np.ndarray, n_members: int) -> list[slice]:
    """Runs of consecutive intervals with production, cut into cache-sized blocks.

    Parameters
    ----------
    pool
        Shareable production per interval, shape (intervals,) [kWh].
    n_members
        Members (columns) of the readings.

    Returns
    -------
    list of slice
        Interval slices, each of intervals with ``pool > 0`` only, of at most about
        :data:`sparcs._memory.BLOCK` elements (at least 4 intervals).

    Examples
    --------
    >>> lit_spans(np.array([0.0, 1.0, 2.0, 0.0, 3.0]), 1)
    [slice(1, 3, None), slice(4, 5, None)]
    """
    lit = np.r_[False, pool > 0, False]
    edges = np.flatnonzero(lit[1:] != lit[:-1])
    most = max(4, BLOCK // max(n_members, 1))
    return [
        slice(int(lo), int(min(lo + most, hi)))
        for start, stop in zip(edges[::2], edges[1::2], strict=True)
        for lo, hi in [(s, stop) for s in range(int(start), int(stop), most)]
    ]


class _BuildingPools:
    """Production per building for blocks of intervals, from the producing members only."""

    def __init__(self, readings: Readings, groups: BuildingGroups) -> None:
        producers = np.flatnonzero(readings.producers)
        # group position of each producer's building, producers sorted by it
        where_ = groups.home[groups.back[producers]]
        by = np.argsort(where_, kind="stable")
        self.columns, where_ = producers[by], where_[by]
        self.starts = keys.run_starts(where_)
        self.places = where_[self.starts]
        self.production = readings.production_kwh
        self.n_buildings = len(groups.starts)

    def block(self, rows: slice) -> np.ndarray:
        """Production of each building's members in ``rows``, shape (rows, buildings) [kWh]."""
        n_rows = len(range(*rows.indices(len(self.production))))
        pools = np.zeros((n_rows, self.n_buildings))
        if self.columns.size:
            made = np.take(self.production[rows], self.columns, axis=1)
            pools[:, self.places] = np.add.reduceat(made, self.starts, axis=1)
        return pools


def settle(
    readings: Readings,
    key: Key | str,
    community: CommunityFile | None = None,
    *,
    rounds: int | None = None,
) -> Settlement:
    """Allocate every interval's shareable production over the members by one key.

    Parameters
    ----------
    readings
        Consumption and production per interval and member [kWh].
    key
        One of :data:`KEYS`.
    community
        Shares, priority order or buildings, as the key needs.
    rounds
        Rounds of the iterative key and of each share stage of building-first, the static
        round included, 1 to 5; None: the community file's (default 5) [-].

    Returns
    -------
    Settlement
        The allocation per interval and member [kWh] and what follows from it.

    Raises
    ------
    ScenarioError
        An unknown key or a number of rounds outside 1 to 5.
    DataError
        The community file lacks what the key needs, names a member the readings lack, or
        leaves out a member that consumes.
    """
    community = community or CommunityFile()
    rounds = community.rounds if rounds is None else rounds
    _check_key(key, community, readings, rounds)
    members = readings.members
    need, pool, demand = readings.consumption_kwh, readings.pool_kwh, readings.demand_kwh
    # np.zeros maps its pages lazily: intervals without production are never written
    allocated = np.zeros(need.shape)
    shares = _share_vector(community, members)
    column = {m: i for i, m in enumerate(members)}
    order = np.array([column[m] for m in community.priority], dtype=np.int64)
    if key == "building-first":
        home = community.building_of()
        names = {name: i for i, name in enumerate(sorted(set(home.values())))}
        building_of = np.array([names[home[m]] for m in members], dtype=np.int64)
        owners = {b.property for b in community.buildings if b.property}
        is_property = np.array([m in owners for m in members], dtype=bool)
        groups = group_buildings(shares, building_of, is_property)
        pools = _BuildingPools(readings, groups)
    for rows in lit_spans(pool, len(members)):
        block, out = need[rows], allocated[rows]
        if key == "static":
            keys.static(pool[rows], block, shares, out=out)
        elif key == "iterative":
            keys.iterative(pool[rows], block, shares, rounds=rounds, out=out)
        elif key == "proportional":
            keys.proportional(pool[rows], block, demand=demand[rows], out=out)
        elif key == "priority":
            keys.priority(pool[rows], block, order, out=out)
        else:
            settle_buildings(pools.block(rows), block, groups, rounds=rounds, out=out)
    return Settlement(
        readings=readings,
        key=key,
        allocated_kwh=allocated,
        rounds=rounds if key in ("iterative", "building-first") else 1,
        community=community,
    )
