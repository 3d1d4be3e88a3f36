"""The reference dispatch problem: generator checksums, canonical LP layout, reference objectives.

Spec: ``/work/shared/reference/dispatch-benchmark.md`` (sections 3, 4 and 6). Peer tools
(PyPSA, oemof-solph) are not needed here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from dispatch import direct, run_dispatch, sparcs_model  # noqa: E402
from dispatch.generator import checksum, generate  # noqa: E402
from dispatch.reference import OBJECTIVE_RTOL, REFERENCE, relative_difference  # noqa: E402

SIZES = sorted(REFERENCE)


@pytest.mark.parametrize(("n_buildings", "n_hours"), SIZES)
def test_generator_matches_checksum_and_grid_limit(n_buildings: int, n_hours: int) -> None:
    data = generate(n_buildings, n_hours)
    ref = REFERENCE[(n_buildings, n_hours)]
    assert checksum(data) == ref.checksum
    assert data.grid == ref.grid_kw
    assert data.demand_el.shape == (n_buildings, n_hours)
    assert data.cost_import.shape == (n_hours,)


def test_smaller_instance_is_a_prefix_of_a_larger_one() -> None:
    small, large = generate(10, 168), generate(100, 720)
    np.testing.assert_array_equal(small.demand_heat, large.demand_heat[:10, :168])
    np.testing.assert_array_equal(small.cost_import, large.cost_import[:168])
    np.testing.assert_array_equal(small.hp_max, large.hp_max[:10])


def test_equipment_sizing_guarantees_of_section_3() -> None:
    data = generate(10, 8760)
    hp_heat = data.hp_max[:, None] * data.cop
    assert np.all(hp_heat >= 1.1 * data.demand_heat - 1e-9)
    load = data.demand_el + data.demand_heat / data.cop
    assert np.all(data.connection[:, None] >= load)
    assert data.grid < load.sum(axis=0).max()


def test_direct_build_has_the_canonical_size() -> None:
    lp = direct.build(generate(1, 168))
    assert (lp.num_col, lp.num_row, lp.num_nz) == (2016, 840, 3528)
    assert direct.expected_size(100, 8760) == (8_777_520, 3_512_760, 16_661_520)


def _naive_matrix(n: int, t: int, data: object) -> np.ndarray:
    """Section 4 written out one coefficient at a time (the test oracle)."""
    nt = n * t
    a = np.zeros((4 * nt + t, 10 * nt + 2 * t))
    col = {
        name: k * nt
        for k, name in enumerate(["pv", "hp", "bc", "bd", "bs", "tc", "td", "ts", "cin", "cout"])
    }
    for b in range(n):
        for h in range(t):
            i, p = b * t + h, b * t + (h - 1) % t
            e, hh, bb, s = i, nt + i, 2 * nt + i, 3 * nt + i
            for name, coef in (
                ("pv", 1),
                ("bd", 1),
                ("bc", -1),
                ("hp", -1),
                ("cin", 1),
                ("cout", -1),
            ):
                a[e, col[name] + i] = coef
            a[hh, col["hp"] + i] = data.cop[b, h]
            a[hh, col["td"] + i], a[hh, col["tc"] + i] = 1, -1
            a[bb, col["bs"] + i] = 1
            a[bb, col["bs"] + p] = -(1 - data.bat_loss_per_h)
            a[bb, col["bc"] + i] = -data.bat_eta_charge
            a[bb, col["bd"] + i] = 1 / data.bat_eta_discharge
            a[s, col["ts"] + i] = 1
            a[s, col["ts"] + p] = -(1 - data.tank_loss_per_h)
            a[s, col["tc"] + i], a[s, col["td"] + i] = -1, 1
            a[4 * nt + h, col["cout"] + i], a[4 * nt + h, col["cin"] + i] = 1, -1
    for h in range(t):
        a[4 * nt + h, 10 * nt + h], a[4 * nt + h, 10 * nt + t + h] = 1, -1
    return a


def test_direct_build_matches_section_4_coefficient_by_coefficient() -> None:
    n, t = 2, 5
    data = generate(n, t)
    lp = direct.build(data)
    dense = np.zeros((lp.num_row, lp.num_col))
    for j in range(lp.num_col):
        rows = lp.index[lp.start[j] : lp.start[j + 1]]
        assert np.all(np.diff(rows) > 0), "row indices sorted within each column"
        dense[rows, j] = lp.value[lp.start[j] : lp.start[j + 1]]
    np.testing.assert_array_equal(dense, _naive_matrix(n, t, data))
    np.testing.assert_array_equal(lp.row_lower[: n * t], data.demand_el.ravel())
    np.testing.assert_array_equal(lp.row_upper[n * t : 2 * n * t], data.demand_heat.ravel())
    np.testing.assert_array_equal(lp.cost[-2 * t : -t], data.cost_import)
    np.testing.assert_array_equal(lp.col_upper[: n * t], data.pv_avail.ravel())


@pytest.mark.parametrize("tool", [direct, sparcs_model], ids=["direct", "sparcs"])
def test_objective_matches_reference_at_1x168(tool: object) -> None:
    result = tool.solve(generate(1, 168))
    assert relative_difference(result.objective, 146.592639226) < OBJECTIVE_RTOL
    assert result.build_s >= 0 and result.solve_s >= 0


def test_peer_modules_import_without_peer_tools() -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(BENCH)!r}); "
        "import dispatch.direct, dispatch.linopy_model, dispatch.pypsa_model, "
        "dispatch.oemof_model, dispatch.sparcs_model, dispatch.run_dispatch; "
        "bad = [m for m in ('pypsa', 'oemof', 'pyomo', 'linopy') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_runner_compares_objectives_and_reports_timeouts(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    assert (
        run_dispatch.main(
            ["--sizes", "1x168", "--tools", "direct", "--out", str(out), "--no-warmup"]
        )
        == 0
    )
    summary = json.loads(out.read_text())["summary"]
    assert summary[0]["objective_ok"] is True and summary[0]["checksum_ok"] is True
    assert summary[0]["peak_mb"] > 0
    slow = run_dispatch.run_one("direct", 1, 168, 0, timeout=0.0, logs=tmp_path)
    assert slow.outcome.startswith("timeout")


def test_ratios_are_sparcs_over_peer() -> None:
    rows = [
        {
            "size": "1x168",
            "tool": "direct",
            "ok_runs": 1,
            "build_s": 1.0,
            "solve_s": 2.0,
            "total_s": 3.0,
            "own_s": 0.5,
            "peak_mb": 100.0,
        },
        {
            "size": "1x168",
            "tool": "sparcs",
            "ok_runs": 1,
            "build_s": 2.0,
            "solve_s": 2.0,
            "total_s": 4.0,
            "own_s": 1.0,
            "peak_mb": 50.0,
        },
    ]
    (ratio,) = run_dispatch.ratios(rows)
    assert ratio["peer"] == "direct"
    assert ratio["total_s"] == pytest.approx(4 / 3)
    assert ratio["peak_mb"] == pytest.approx(0.5)


def test_sparcs_default_and_monolithic_report_a_certified_gap() -> None:
    for result in (
        sparcs_model.solve(generate(1, 168)),
        sparcs_model.solve_monolithic(generate(1, 168)),
    ):
        assert relative_difference(result.objective, 146.592639226) < OBJECTIVE_RTOL
        assert result.extra["gap"] is not None and result.extra["gap"] <= 1e-6


def test_rolling_year_costs_at_least_the_perfect_foresight_optimum() -> None:
    case = run_dispatch.rolling(1, 168)
    assert case["windows"] == 7 and case["windows_per_s"] > 0
    assert case["rel_above_optimum"] >= -1e-9


def test_ratios_cover_every_own_tool_against_every_peer() -> None:
    base = {
        "size": "1x168",
        "ok_runs": 1,
        "build_s": 1.0,
        "solve_s": 1.0,
        "total_s": 2.0,
        "own_s": 0.1,
        "peak_mb": 10.0,
    }
    rows = [base | {"tool": t} for t in ("direct", "linopy", "sparcs", "sparcs-mono")]
    pairs = {(q["tool"], q["peer"]) for q in run_dispatch.ratios(rows)}
    assert pairs == {(a, b) for a in ("sparcs", "sparcs-mono") for b in ("direct", "linopy")}
