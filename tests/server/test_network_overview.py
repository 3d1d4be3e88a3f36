"""The network overview: each district in scope with its newest run's verdict and KPIs, ranked."""

from __future__ import annotations

import pytest
from served import World


def _kpi(world: World, run: int, key: str) -> float:
    kpis = world.client.get(f"/api/v1/runs/{run}/kpis", headers=world.auth("admin")).json()
    return float(kpis["kpis"][key]["value"])


def test_the_overview_holds_the_newest_runs_figures_in_scope(world: World) -> None:
    got = world.client.get("/api/v1/network/overview", headers=world.auth("planner"))
    assert got.status_code == 200, got.text
    rows = got.json()["items"]
    assert [r["district"] for r in rows] == ["centro"]  # the planner's scope only
    (row,) = rows
    run = world.ids["r-centro"]
    assert row["run"] == run and row["city_name"] == "Maia"
    assert row["peb_per_m2"] == pytest.approx(_kpi(world, run, "peb_per_m2"), rel=1e-12)
    assert row["self_sufficiency_pct"] == pytest.approx(_kpi(world, run, "self_sufficiency"))
    verdict = world.client.get(f"/api/v1/runs/{run}/verdict", headers=world.auth("admin")).json()
    assert row["ped_class"] == verdict["ped_class"]
    assert row["rank_peb"] == 1


def test_an_admin_sees_every_district_and_ranks_those_with_a_run(world: World) -> None:
    rows = world.client.get("/api/v1/network/overview", headers=world.auth("admin")).json()
    by_id = {r["district"]: r for r in rows["items"]}
    assert {"centro", "norte", "keski"} <= set(by_id)
    assert by_id["keski"]["run"] is None and by_id["keski"]["rank_peb"] is None
    ranked = sorted((r for r in rows["items"] if r["rank_peb"]), key=lambda r: r["rank_peb"])
    assert [r["rank_peb"] for r in ranked] == list(range(1, len(ranked) + 1))
    balances = [r["peb_per_m2"] for r in ranked]
    assert balances == sorted(balances, reverse=True)
    assert "sparcs network" in rows["note"]


def test_a_citizen_may_not_read_the_overview(world: World) -> None:
    got = world.client.get("/api/v1/network/overview", headers=world.auth("citizen"))
    assert got.status_code == 403
    assert got.headers["content-type"] == "application/problem+json"


def test_the_overview_page_lists_the_scope(world: World) -> None:
    cookie = {"Cookie": f"sparcs_token={world.tokens['planner']}"}
    page = world.client.get("/network/overview", headers=cookie, follow_redirects=False)
    assert page.status_code == 200
    assert "Centro" in page.text and "Norte" not in page.text
    assert f'href="/runs/{world.ids["r-centro"]}/report"' in page.text
    citizen = {"Cookie": f"sparcs_token={world.tokens['citizen']}"}
    assert world.client.get("/network/overview", headers=citizen).status_code == 403
    assert 'href="/network/overview"' in world.client.get("/", headers=cookie).text
