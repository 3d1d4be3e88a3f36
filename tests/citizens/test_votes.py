"""Proposals and secret votes: the effect of a measure simulated with the engine, one vote per
household changeable until the deadline, results only from 5 ballots, ballots stored without
the voter; deleting an account keeps its secret ballot counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from town import CENTRO, Town

from sparcs.store import open_store
from sparcs.store.tokens import create_token

LATER = (datetime.now(UTC) + timedelta(days=30)).isoformat()


def _publish(town: Town, **extra: Any) -> dict[str, Any]:
    body = {"title": "Solar on the flats", "description": "60 kWp more PV on block b2.",
            "deadline": LATER} | extra  # fmt: skip
    answer = town.client.post("/api/v1/districts/centro/proposals", json=body,
                              headers=town.bearer("planner"))  # fmt: skip
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_a_proposal_carries_its_simulated_effect(town: Town) -> None:
    made = _publish(town, scenario=town.scenario, cost_eur=60_000.0,
                    measure={"buildings": {"b2": {"pv": {"kwp": 100}}}},
                    decidim_url="https://omastadi.hel.fi/processes/x")  # fmt: skip
    kpis = made["effect"]["kpis"]
    assert kpis["final_energy_electricity"]["change"] < 0  # more PV: less grid electricity
    assert kpis["final_energy_electricity"]["with"] == pytest.approx(
        kpis["final_energy_electricity"]["without"] + kpis["final_energy_electricity"]["change"]
    )
    assert made["effect"]["households"] == 6
    assert made["effect"]["cost_per_household_eur"] == pytest.approx(10_000.0)
    town.login("h1")
    page = town.client.get("/citizen/h1/proposals?lang=de").text
    assert "Solar on the flats" in page and "10.000,00" in page and "omastadi.hel.fi" in page
    town.client.cookies.clear()


def test_planners_publish_citizens_do_not(town: Town) -> None:
    body = {"title": "x", "description": "y", "deadline": LATER}
    for name, status in (("h1", 403), ("planner", 422)):
        answer = town.client.post("/api/v1/districts/centro/proposals", headers=town.bearer(name),
                                  json=body | ({"decidim_url": "http://x"}
                                               if name == "planner" else {}))  # fmt: skip
        assert answer.status_code == status
    answer = town.client.post("/api/v1/districts/norte/proposals", json=body,
                              headers=town.bearer("planner"))  # fmt: skip
    assert answer.status_code == 404


def _results(town: Town, proposal: str) -> dict[str, Any]:
    items = town.client.get("/api/v1/districts/centro/proposals", headers=town.bearer("h1"))
    found: dict[str, Any] = next(p for p in items.json()["items"] if p["id"] == proposal)
    return found


def test_one_secret_vote_per_household_changeable_until_the_deadline(town: Town) -> None:
    proposal = _publish(town)["id"]
    choices = ["yes", "yes", "no", "abstain", "yes"]
    for name, choice in zip(CENTRO[:4], choices, strict=False):
        town.login(name)
        answer = town.client.post(f"/citizen/{name}/proposals/{proposal}/vote",
                                  data={"choice": choice}, follow_redirects=False)  # fmt: skip
        assert answer.status_code == 303
    assert _results(town, proposal)["results"] is None  # 4 ballots: not shown
    vote = town.client.post(f"/api/v1/proposals/{proposal}/votes", json={"choice": "yes"},
                            headers=town.bearer("h5"))  # fmt: skip
    assert vote.status_code == 204
    assert _results(town, proposal)["results"] == {"yes": 3, "no": 1, "abstain": 1}
    town.login("h1")  # h1 changes its mind: still one ballot
    town.client.post(f"/citizen/h1/proposals/{proposal}/vote", data={"choice": "no"})
    assert _results(town, proposal)["results"] == {"yes": 2, "no": 2, "abstain": 1}
    page = town.client.get("/citizen/h1/proposals?lang=en").text
    assert 'value="no" checked' in page and "Change my vote" in page
    for headers, status in ((town.bearer("admin"), 403), ({}, 401), (town.bearer("h7"), 404)):
        other = town.client.post(f"/api/v1/proposals/{proposal}/votes", json={"choice": "no"},
                                 headers=headers)  # fmt: skip
        assert other.status_code == status  # staff do not vote; Norte cannot see Centro's
    bad = town.client.post(f"/citizen/h1/proposals/{proposal}/vote", data={"choice": "maybe"})
    assert bad.status_code == 422
    town.client.cookies.clear()
    with open_store(town.db) as store:  # a second token of h1 cannot vote again
        ballots = store.backend.execute("SELECT * FROM ballots WHERE proposal_id = ?", (proposal,))
        register = store.backend.execute(
            "SELECT household_id FROM vote_register WHERE proposal_id = ?", (proposal,)
        )
    assert len(ballots) == 5 and sorted(r[0] for r in register) == CENTRO[:5]
    assert not any(h in str(row) for row in ballots for h in CENTRO)  # no voter in a ballot


def test_a_household_cannot_vote_twice_with_a_new_token_nor_after_the_deadline(
    town: Town,
) -> None:
    proposal = _publish(town)["id"]
    town.client.post(f"/api/v1/proposals/{proposal}/votes", json={"choice": "yes"},
                     headers=town.bearer("h2"))  # fmt: skip
    with open_store(town.db) as store:
        second = create_token(store, role="citizen", household="h2")[0]
    twice = town.client.post(f"/api/v1/proposals/{proposal}/votes", json={"choice": "no"},
                             headers={"Authorization": f"Bearer {second}"})  # fmt: skip
    assert twice.status_code == 409 and "another token" in twice.json()["detail"]
    assert _results(town, proposal)["ballots"] == 1
    closed = _publish(town, deadline=(datetime.now(UTC) - timedelta(hours=1)).isoformat())["id"]
    again = town.client.post(f"/api/v1/proposals/{closed}/votes", json={"choice": "yes"},
                             headers=town.bearer("h2"))  # fmt: skip
    assert again.status_code == 409 and "closed" in again.json()["detail"]
    town.login("h2")
    assert "The vote is closed." in town.client.get("/citizen/h2/proposals?lang=en").text
    town.client.cookies.clear()


def test_a_deleted_account_is_gone_but_its_secret_ballot_counts(town: Town) -> None:
    before = town.client.get("/api/v1/districts/centro/proposals", headers=town.bearer("h1"))
    ballots = [p["ballots"] for p in before.json()["items"]]
    town.login("h4")
    refused = town.client.post("/citizen/h4/delete", data={})
    assert refused.status_code == 422
    gone = town.client.post("/citizen/h4/delete", data={"confirm": "yes"})
    assert gone.status_code == 200 and "deleted" in gone.text
    town.client.cookies.clear()
    with open_store(town.db) as store:
        for table, column in (("households", "id"), ("meter_scopes", "household_id"),
                              ("household_settings", "household_id"), ("tokens", "household_id"),
                              ("vote_register", "household_id")):  # fmt: skip
            found = store.backend.execute(f"SELECT count(*) FROM {table} WHERE {column} = 'h4'")
            assert found == [(0,)], table
        assert store.backend.execute("SELECT count(*) FROM meters WHERE id LIKE 'h4-%'") == [(0,)]
    after = town.client.get("/api/v1/districts/centro/proposals", headers=town.bearer("h1"))
    assert [p["ballots"] for p in after.json()["items"]] == ballots
    assert (
        town.client.get("/api/v1/citizen/h4/export", headers=town.bearer("h4")).status_code == 401
    )


def test_api_deletion(town: Town) -> None:
    assert town.client.delete("/api/v1/citizen/h5", headers=town.bearer("h5")).status_code == 204
    with open_store(town.db) as store:
        assert store.backend.execute("SELECT count(*) FROM households WHERE id = 'h5'") == [(0,)]
