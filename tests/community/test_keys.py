"""Every allocation key against hand-worked cases, and the invariants of all of them.

The case (both intervals): homes a, b, c use 2, 5 and 6 kWh; shares 0.5, 0.3, 0.2; the PV
plant p makes 10 kWh in the first quarter-hour and 20 kWh in the second.
"""

from __future__ import annotations

import numpy as np
import pytest
from community_cases import readings
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sparcs.community import KEYS, Building, CommunityFile, settle
from sparcs.community import keys as k

USE = [[2.0, 5.0, 6.0, 0.0], [2.0, 5.0, 6.0, 0.0]]
PV = [[0, 0, 0, 10.0], [0, 0, 0, 20.0]]
SPEC = CommunityFile(shares={"a": 0.5, "b": 0.3, "c": 0.2}, priority=("c", "a", "b"))


def allocation(key: str, spec: CommunityFile = SPEC, rounds: int = 5) -> np.ndarray:
    return settle(readings(USE, PV, "a b c p"), key, spec, rounds=rounds).allocated_kwh


def test_static_gives_each_its_share_capped_by_its_use() -> None:
    # 10 kWh: a min(2, 5) = 2, b min(5, 3) = 3, c min(6, 2) = 2; 3 kWh exported
    # 20 kWh: a min(2, 10) = 2, b min(5, 6) = 5, c min(6, 4) = 4; 9 kWh exported
    np.testing.assert_allclose(allocation("static"), [[2, 3, 2, 0], [2, 5, 4, 0]])


def test_iterative_hands_what_a_leaves_to_b_and_c_by_their_shares() -> None:
    # round 2 of the first interval: 3 kWh left, a is capped, b and c get 3 x 0.3/0.5 = 1.8
    # and 3 x 0.2/0.5 = 1.2; second interval: 9 kWh left, only c is short and gets its 2
    np.testing.assert_allclose(allocation("iterative"), [[2, 4.8, 3.2, 0], [2, 5, 6, 0]])


def test_iterative_with_one_round_is_the_static_key() -> None:
    np.testing.assert_allclose(allocation("iterative", rounds=1), allocation("static"))


def test_proportional_scales_everyone_by_the_same_cover() -> None:
    # 10 kWh for 13 kWh of use: each gets 10/13 of its use; 20 kWh cover everyone
    np.testing.assert_allclose(
        allocation("proportional"), [[20 / 13, 50 / 13, 60 / 13, 0], [2, 5, 6, 0]]
    )


def test_priority_fills_c_then_a_then_b() -> None:
    np.testing.assert_allclose(allocation("priority"), [[2, 2, 6, 0], [2, 5, 6, 0]])


def test_community_export_is_what_no_member_took() -> None:
    result = settle(readings(USE, PV, "a b c p"), "static", SPEC)
    np.testing.assert_allclose(result.community_export_kwh, [3, 9])
    totals = result.totals()
    assert totals["community_export_kwh"] == 12.0
    assert totals["members"]["b"] == {  # type: ignore[index]
        "consumption_kwh": 10.0,
        "allocated_kwh": 8.0,
        "grid_import_kwh": 2.0,
    }


# building first: B1 = property q, residents a and b, producer p1; B2 = resident c, producer p2
BUILDINGS = CommunityFile(
    shares={"a": 0.25, "b": 0.25, "c": 0.5},
    buildings=(
        Building("B1", members=("a", "b", "p1"), property="q"),
        Building("B2", members=("c", "p2")),
    ),
)


@pytest.mark.parametrize(
    ("p1", "expected", "export"),
    [
        # q takes 2 of 6; a and b get 2 and 1 (half each, b capped), round 2 gives a the
        # last 1; B2's 1 kWh goes to c
        (6.0, [2, 3, 1, 1], 0.0),
        # 9 kWh: q 2, a 3, b 1 leave 3 in B1; pooled, c (share 0.5 of the community, the
        # only one short) gets 1.5 in round 1 and the other 1.5 in round 2
        (9.0, [2, 3, 1, 4], 0.0),
        # 20 kWh: c is covered (5) and 10 kWh leave the community
        (20.0, [2, 3, 1, 5], 10.0),
    ],
)
def test_building_first_serves_the_property_then_the_building_then_the_community(
    p1: float, expected: list[float], export: float
) -> None:
    use = [[2.0, 3.0, 1.0, 5.0, 0.0, 0.0]]
    pv = [[0, 0, 0, 0, p1, 1.0]]
    result = settle(readings(use, pv, "q a b c p1 p2"), "building-first", BUILDINGS)
    np.testing.assert_allclose(result.allocated_kwh[0, :4], expected)
    np.testing.assert_allclose(result.community_export_kwh, [export])


def test_building_first_keeps_a_building_s_energy_for_its_own_members() -> None:
    # B2's 4 kWh stay with c although a (B1) has the larger community share
    use = [[0.0, 4.0, 0.0, 4.0, 0.0, 0.0]]
    pv = [[0, 0, 0, 0, 0.0, 4.0]]
    result = settle(readings(use, pv, "q a b c p1 p2"), "building-first", BUILDINGS)
    np.testing.assert_allclose(result.allocated_kwh[0, :4], [0, 0, 0, 4])


# --- invariants ------------------------------------------------------------------------------

TOL = 1e-9


@st.composite
def communities(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, CommunityFile, tuple[str, ...]]:
    n_t = draw(st.integers(2, 5))
    n_m = draw(st.integers(1, 6))
    energy = st.floats(0, 10, allow_nan=False, allow_subnormal=False)
    use = draw(arrays(float, (n_t, n_m), elements=energy))
    pv = draw(arrays(float, (n_t, n_m), elements=energy))
    weights = draw(arrays(float, n_m, elements=st.floats(0.01, 1)))
    members = tuple(f"m{i}" for i in range(n_m))
    home = draw(st.lists(st.integers(0, 2), min_size=n_m, max_size=n_m))
    with_property = draw(st.booleans())
    buildings = []
    for b in sorted(set(home)):
        mine = [m for m, h in zip(members, home, strict=True) if h == b]
        owner = mine[0] if with_property else ""
        buildings.append(Building(f"b{b}", tuple(x for x in mine if x != owner), owner))
    spec = CommunityFile(
        shares=dict(zip(members, (weights / weights.sum()).tolist(), strict=True)),
        priority=tuple(draw(st.permutations(members))),
        buildings=tuple(buildings),
    )
    return use, pv, spec, members


@settings(max_examples=150, deadline=None)
@given(case=communities(), key=st.sampled_from(KEYS))
def test_allocation_is_capped_conserves_energy_and_is_non_negative(case, key: str) -> None:  # type: ignore[no-untyped-def]
    use, pv, spec, members = case
    result = settle(readings(use, pv, " ".join(members)), key, spec)
    a = result.allocated_kwh
    pool = pv.sum(axis=1)
    assert (a >= 0).all()
    assert (a <= use + TOL).all()
    assert (a.sum(axis=1) <= pool + TOL).all()
    assert (result.community_export_kwh >= 0).all()
    np.testing.assert_allclose(a.sum(axis=1) + result.community_export_kwh, pool, atol=TOL)
    np.testing.assert_allclose(result.grid_import_kwh() + a, use, atol=TOL)
    shared, exported = result.producer_split()
    np.testing.assert_allclose(shared.sum(axis=1), a.sum(axis=1), atol=1e-7)
    np.testing.assert_allclose(exported.sum(axis=1), result.community_export_kwh, atol=1e-7)


@settings(max_examples=100, deadline=None)
@given(case=communities())
def test_more_shared_by_redistribution_and_by_the_dynamic_key(case) -> None:  # type: ignore[no-untyped-def]
    use, pv, spec, members = case
    r = readings(use, pv, " ".join(members))
    static = settle(r, "static", spec).allocated_kwh.sum()
    assert settle(r, "iterative", spec).allocated_kwh.sum() >= static - TOL
    assert settle(r, "proportional", spec).allocated_kwh.sum() >= static - TOL
    three = settle(r, "iterative", spec, rounds=3).allocated_kwh.sum()
    assert settle(r, "iterative", spec, rounds=5).allocated_kwh.sum() >= three - TOL
    np.testing.assert_allclose(
        settle(r, "iterative", spec, rounds=1).allocated_kwh,
        settle(r, "static", spec).allocated_kwh,
    )


@settings(max_examples=100, deadline=None)
@given(
    case=communities(),
    key=st.sampled_from([k for k in KEYS if k != "priority"]),
    seed=st.integers(0, 99),
)
def test_results_do_not_depend_on_member_order(case, key: str, seed: int) -> None:  # type: ignore[no-untyped-def]
    use, pv, spec, members = case
    order = np.random.default_rng(seed).permutation(len(members))
    before = settle(readings(use, pv, " ".join(members)), key, spec).allocated_kwh
    after = settle(
        readings(use[:, order], pv[:, order], " ".join(members[i] for i in order)), key, spec
    ).allocated_kwh
    np.testing.assert_allclose(after, before[:, order], atol=1e-9)


def test_keys_work_on_blocks_of_many_intervals_as_on_each_alone() -> None:
    rng = np.random.default_rng(3)
    use, pv = (
        rng.uniform(0, 3, (2000, 40)),
        rng.uniform(0, 3, (2000, 40)) * (rng.random((2000, 40)) < 0.2),
    )
    shares = rng.uniform(0.1, 1, 40)
    shares /= shares.sum()
    whole = k.iterative(pv.sum(axis=1), use, shares)
    one_by_one = np.vstack(
        [k.iterative(pv[t : t + 1].sum(axis=1), use[t : t + 1], shares) for t in range(0, 2000, 97)]
    )
    np.testing.assert_allclose(whole[::97], one_by_one)
