"""The redistribution rounds on flat lists of short members, against the rules read literally.

``literal_*`` settle one interval at a time with plain Python loops, written from the rules
in ``docs/community.md``; the vectorised keys (dense first round, later rounds on the short
members only, many intervals and buildings at once) must give the same allocation.
"""

from __future__ import annotations

import numpy as np
from community_cases import readings
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sparcs.community import Building, CommunityFile, settle
from sparcs.community.keys import EPS_KWH, run_starts, share_rounds, short_members


def test_share_rounds_settle_each_group_on_its_own() -> None:
    # group 0: 3 kWh for gaps 1 and 5 (weights 1:1): 1.5 each, the first capped at 1, then
    # its 0.5 to the second; group 1: 1 kWh for one member short by 4 with weight 0.2: all
    extra, left = share_rounds(
        np.array([3.0, 1.0]),
        np.array([1.0, 5.0, 4.0]),
        np.array([0.5, 0.5, 0.2]),
        np.array([0, 2]),
        5,
    )
    np.testing.assert_allclose(extra, [1.0, 2.0, 1.0])
    np.testing.assert_allclose(left, [0.0, 0.0], atol=1e-12)


def test_share_rounds_stop_after_the_rounds_allowed() -> None:
    # gaps 1, 1, 10 with weights 0.6, 0.2, 0.2 and 6 kWh: round one gives 1, 1, 1.2 (the
    # first two capped), leaving 2.8 for the third in round two; one round only stops there
    one, left_one = share_rounds(
        np.array([6.0]), np.array([1.0, 1.0, 10.0]), np.array([0.6, 0.2, 0.2]), np.array([0]), 1
    )
    np.testing.assert_allclose(one, [1.0, 1.0, 1.2])
    np.testing.assert_allclose(left_one, [2.8])
    two, left_two = share_rounds(
        np.array([6.0]), np.array([1.0, 1.0, 10.0]), np.array([0.6, 0.2, 0.2]), np.array([0]), 2
    )
    np.testing.assert_allclose(two, [1.0, 1.0, 4.0])
    np.testing.assert_allclose(left_two, [0.0], atol=1e-12)


def test_short_members_lists_rows_in_order_and_skips_the_served() -> None:
    gap = np.array([[0.0, 2.0, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, 3.0]])
    row, column, starts = short_members(gap, np.array([0, 1, 2]), EPS_KWH)
    assert row.tolist() == [0, 2, 2]
    assert column.tolist() == [1, 0, 2]
    assert starts.tolist() == [0, 1]
    assert run_starts(np.array([], dtype=int)).tolist() == []


# --- the rules read literally, one interval at a time ----------------------------------------


def literal_iterative(
    pool: float, need: list[float], shares: list[float], rounds: int
) -> list[float]:
    given = [min(c, s * pool) for c, s in zip(need, shares, strict=True)]
    for _ in range(rounds - 1):
        left = pool - sum(given)
        short = [i for i, c in enumerate(need) if c - given[i] > EPS_KWH]
        total = sum(shares[i] for i in short)
        if left <= EPS_KWH or total <= 0:
            break
        given = [
            a + (min(need[i] - a, shares[i] * left / total) if i in short else 0.0)
            for i, a in enumerate(given)
        ]
    return given


def literal_building_first(
    made: dict[str, float],
    need: list[float],
    shares: list[float],
    home: list[str],
    owner: list[bool],
    rounds: int,
) -> list[float]:
    given = [0.0] * len(need)
    left = dict(made)
    for i, b in enumerate(home):
        if owner[i]:
            given[i] = min(need[i], left[b])
            left[b] -= given[i]
    for b in left:
        residents = [i for i, h in enumerate(home) if h == b and not owner[i]]
        total_share = sum(shares[i] for i in residents)
        inner = {i: shares[i] / total_share if total_share > 0 else 0.0 for i in residents}
        for round_no in range(rounds):
            short = [i for i in residents if round_no == 0 or need[i] - given[i] > EPS_KWH]
            weights = sum(inner[i] for i in short)
            if left[b] <= EPS_KWH or weights <= 0:
                break
            steps = {i: min(need[i] - given[i], inner[i] * left[b] / weights) for i in short}
            for i, step in steps.items():
                given[i] += step
            left[b] -= sum(steps.values())
    rest = max(sum(left.values()), 0.0)
    if rest > EPS_KWH:
        short_by = [max(c - a, 0.0) for c, a in zip(need, given, strict=True)]
        extra = literal_iterative(rest, short_by, shares, rounds)
        given = [min(a + x, c) for a, x, c in zip(given, extra, need, strict=True)]
    return given


@st.composite
def cases(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, CommunityFile, int]:
    n_t, n_m = draw(st.integers(1, 4)), draw(st.integers(2, 7))
    energy = st.floats(0, 5, allow_nan=False, allow_subnormal=False)
    use = draw(arrays(float, (n_t, n_m), elements=energy))
    pv = draw(arrays(float, (n_t, n_m), elements=energy))
    weights = draw(arrays(float, n_m, elements=st.floats(0.05, 1)))
    members = [f"m{i}" for i in range(n_m)]
    home = draw(st.lists(st.integers(0, 2), min_size=n_m, max_size=n_m))
    buildings = []
    for b in sorted(set(home)):
        mine = [m for m, h in zip(members, home, strict=True) if h == b]
        owner = mine[-1] if draw(st.booleans()) else ""
        buildings.append(Building(f"b{b}", tuple(x for x in mine if x != owner), owner))
    spec = CommunityFile(
        shares=dict(zip(members, (weights / weights.sum()).tolist(), strict=True)),
        buildings=tuple(buildings),
    )
    return use, pv, spec, draw(st.integers(1, 5))


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_iterative_and_building_first_follow_the_rules_read_literally(case) -> None:  # type: ignore[no-untyped-def]
    use, pv, spec, rounds = case
    members = list(spec.shares)
    r = readings(use.tolist(), pv.tolist(), " ".join(members))
    shares = [spec.shares[m] for m in members]
    home_of = spec.building_of()
    home = [home_of[m] for m in members]
    owner = [any(b.property == m for b in spec.buildings) for m in members]
    iterative = settle(r, "iterative", spec, rounds=rounds).allocated_kwh
    building = settle(r, "building-first", spec, rounds=rounds).allocated_kwh
    for t in range(len(use)):
        expected = literal_iterative(float(pv[t].sum()), use[t].tolist(), shares, rounds)
        np.testing.assert_allclose(iterative[t], expected, atol=1e-9)
        made = {b.name: 0.0 for b in spec.buildings}
        for i, b in enumerate(home):
            made[b] += float(pv[t, i])
        expected = literal_building_first(made, use[t].tolist(), shares, home, owner, rounds)
        np.testing.assert_allclose(building[t], expected, atol=1e-9)
