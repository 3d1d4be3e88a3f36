"""Privacy by design through the server: a citizen reaches only their own household (any
other id is 404 on every page and endpoint), district figures need 5 households, a household
exports all its data and deletes its account."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from town import DAYS, Town, demand

OTHERS = ("h2", "h7", "nobody")
PAGES = ("", "/statements", "/green", "/green.ics", "/proposals", "/account", "/export.json",
         "/export.csv")  # fmt: skip
FORMS = ("/account", "/delete", "/proposals/x/vote")
API = ("/summary", "/export", "/export?format=csv", "/green.ics")


@pytest.mark.parametrize("other", OTHERS)
def test_no_page_or_endpoint_shows_another_household(town: Town, other: str) -> None:
    town.login("h1")
    for path in PAGES:
        answer = town.client.get(f"/citizen/{other}{path}", follow_redirects=False)
        assert answer.status_code == 404, path
        assert "Family" not in answer.text
    for path in FORMS:
        answer = town.client.post(f"/citizen/{other}{path}", data={"confirm": "yes"})
        assert answer.status_code == 404, path
    for path in API:
        answer = town.client.get(f"/api/v1/citizen/{other}{path}", headers=town.bearer("h1"))
        assert answer.status_code == 404, path
    assert (
        town.client.delete(f"/api/v1/citizen/{other}", headers=town.bearer("h1")).status_code == 404
    )
    town.client.cookies.clear()


def test_staff_tokens_do_not_read_citizen_pages_and_strangers_log_in(town: Town) -> None:
    town.login("planner")
    assert town.client.get("/citizen/h1").status_code == 404
    assert (
        town.client.get("/api/v1/citizen/h1/summary", headers=town.bearer("admin")).status_code
        == 404
    )
    town.client.cookies.clear()
    answer = town.client.get("/citizen/h1", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert town.client.get("/api/v1/citizen/h1/summary").status_code == 401


def test_the_summary_is_the_household_data_by_hand(town: Town) -> None:
    found = town.client.get("/api/v1/citizen/h1/summary?period=month", headers=town.bearer("h1"))
    data = found.json()
    hours = pd.date_range("2025-03-01", periods=24 * DAYS, freq="h", tz="UTC")
    uses = [demand(n, hours).sum() for n in range(1, 7)]
    assert data["mine_kwh"] == pytest.approx(uses[0])
    assert data["district"] == {"households": 6, "median_kwh": pytest.approx(np.median(uses))}
    # h1..h5 told "2 residents", h6 "4": five similar households
    assert data["similar"] == {"households": 5, "median_kwh": pytest.approx(np.median(uses[:5]))}
    parts = data["origin_kwh"]
    assert sum(parts.values()) == pytest.approx(uses[0])
    assert parts["own_pv"] > 0 and parts["grid"] > 0
    assert data["balance_kwh"]["district"] is not None


def test_a_district_of_one_household_shows_no_aggregate(town: Town) -> None:
    data = town.client.get("/api/v1/citizen/h7/summary", headers=town.bearer("h7")).json()
    assert data["district"]["median_kwh"] is None and data["district"]["households"] == 1
    assert data["balance_kwh"]["district"] is None
    town.login("h7")
    page = town.client.get("/citizen/h7?lang=en").text
    assert page.count("Not shown: fewer than 5 households.") == 2
    town.client.cookies.clear()


def test_a_household_downloads_all_its_data(town: Town) -> None:
    town.login("h2")
    data = town.client.get("/citizen/h2/export.json").json()
    assert data["household"] == {"id": "h2", "district": "centro", "building": None,
                                 "name": "Family 2"}  # fmt: skip
    assert data["settings"] == {"language": None, "residents": 2}
    assert sorted(m["id"] for m in data["meters"]) == ["h2-pv", "h2-use"]
    assert all(len(m["readings"]) == 24 * DAYS for m in data["meters"])
    text = town.client.get("/citizen/h2/export.csv")
    assert text.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text.text)))
    assert len(rows) == 2 * 24 * DAYS and {r["meter"] for r in rows} == {"h2-pv", "h2-use"}
    town.client.cookies.clear()


def test_settings_choose_the_language_and_check_their_input(town: Town) -> None:
    town.login("h3")
    saved = town.client.post("/citizen/h3/account", data={"language": "fi", "residents": "2"})
    assert saved.status_code == 200 and '<html lang="fi">' in saved.text
    assert '<html lang="fi">' in town.client.get("/citizen/h3").text
    assert '<html lang="de">' in town.client.get("/citizen/h3?lang=de").text
    bad = town.client.post("/citizen/h3/account", data={"language": "fi", "residents": "40"})
    assert bad.status_code == 422 and "residents: 40 is not between 1 and 12" in bad.text
    town.client.cookies.clear()
