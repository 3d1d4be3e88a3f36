"""What keeps the citizen pages fast stays right: a kept page is answered before the routing
only to its own household's citizen and only for the current data, byte for byte as the route
made it; the district-wide pieces (one pass over all households, one query for all) give every
household what the per-household functions give."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from town import CENTRO, Town

from sparcs.citizens.account import get_settings
from sparcs.citizens.ballots import ballot_key, ballots_of, cast_vote, my_choice
from sparcs.citizens.directory import household_directory
from sparcs.citizens.feeds import create_feed, feed_created_at, feeds_created_at
from sparcs.citizens.origin import community_settlement, district_origins
from sparcs.citizens.proposals import add_proposal
from sparcs.citizens.tips import tip_figures
from sparcs.citizens.usage import HouseholdSeries
from sparcs.server.citizen.kept import KeptPages
from sparcs.server.citizen.language import texts
from sparcs.store import open_store
from sparcs.store.network import City, District, Household, get_record, put_record


def _through_middleware(town: Town, path: str, name: str, **headers: str) -> dict[str, Any]:
    """Ask :class:`KeptPages` for ``path`` with ``name``'s cookie; what it sent, or that it
    passed the request on to the app."""
    sent: list[dict[str, Any]] = []
    passed: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        passed.append(scope["path"])

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    path, _, query = path.partition("?")
    cookie = f"sparcs_token={town.tokens[name]}".encode()
    scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode(),
             "headers": [(b"cookie", cookie)] + [(k.encode(), v.encode())
                                                 for k, v in headers.items()],
             "app": town.client.app}  # fmt: skip
    with ThreadPoolExecutor(1) as thread:  # its own loop: a browser test's may be running here
        thread.submit(asyncio.run, KeptPages(app)(scope, None, send)).result()
    return {"passed": bool(passed), "sent": sent}


def test_a_kept_page_is_answered_before_the_route_as_the_route_made_it(town: Town) -> None:
    town.login("h1")
    made = town.client.get("/citizen/h1/account?lang=de")
    assert made.status_code == 200 and made.headers["content-language"] == "de"
    kept = _through_middleware(town, "/citizen/h1/account?lang=de", "h1")
    assert not kept["passed"]
    start, body = kept["sent"]
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert start["status"] == 200 and body["body"] == made.content
    for name in ("etag", "content-type", "content-language", "cache-control", "content-length"):
        assert headers[name] == made.headers[name], name
    again = town.client.get("/citizen/h1/account?lang=de")  # through the whole app
    assert again.content == made.content and again.headers["etag"] == made.headers["etag"]
    not_modified = _through_middleware(
        town, "/citizen/h1/account?lang=de", "h1", **{"if-none-match": made.headers["etag"]}
    )
    assert not_modified["sent"][0]["status"] == 304 and not_modified["sent"][1]["body"] == b""
    answer = town.client.get(
        "/citizen/h1/account?lang=de", headers={"If-None-Match": made.headers["etag"]}
    )
    assert answer.status_code == 304
    town.client.cookies.clear()


def test_a_kept_page_reaches_no_other_reader_and_no_later_data(town: Town) -> None:
    town.login("h2")
    assert town.client.get("/citizen/h2/statements").status_code == 200
    assert not _through_middleware(town, "/citizen/h2/statements", "h2")["passed"]
    for reader in ("h1", "h7", "planner", "admin"):  # the app answers them (404)
        assert _through_middleware(town, "/citizen/h2/statements", reader)["passed"], reader
        town.login(reader)
        answer = town.client.get("/citizen/h2/statements")
        assert answer.status_code == 404 and "Family 2" not in answer.text, reader
    # another URL or language of the same page is not the kept one
    assert _through_middleware(town, "/citizen/h2/statements?lang=fi", "h2")["passed"]
    assert _through_middleware(town, "/citizen/h2/statements/x", "h2")["passed"]
    town.client.app.state.sparcs.note_change()  # new data: nothing kept is answered
    assert _through_middleware(town, "/citizen/h2/statements", "h2")["passed"]
    town.client.cookies.clear()


def test_a_written_setting_shows_on_the_next_page(town: Town) -> None:
    town.login("h3")
    before = town.client.get("/citizen/h3/account")
    assert before.headers["content-language"] == "en"
    town.client.post("/citizen/h3/account", data={"language": "fi", "residents": "2"})
    after = town.client.get("/citizen/h3/account")
    assert after.headers["content-language"] == "fi"
    town.client.post("/citizen/h3/account", data={"language": "", "residents": "2"})
    town.client.cookies.clear()


def test_the_directory_is_every_household_as_read_one_by_one(town: Town) -> None:
    with open_store(town.db) as store:
        found = household_directory(store)
        assert sorted(found) == sorted([*CENTRO, "h7"])
        for name, resident in found.items():
            household = get_record(store, Household, name)
            city = get_record(store, City, get_record(store, District, household.district).city)
            assert resident.household == household
            assert resident.timezone == city.timezone
            assert resident.settings == get_settings(store, name)


def test_all_ballots_and_feeds_at_once_are_the_ones_read_one_by_one(tmp_path: Any) -> None:
    with open_store(str(tmp_path / "s.duckdb")) as store:
        put_record(store, City("c", "C", "UTC"))
        put_record(store, District("d", "c", "D"))
        later = datetime.now(UTC) + timedelta(days=3)
        made = [add_proposal(store, district="d", title=f"P{i}", description="x",
                             deadline=later, effect={}) for i in range(2)]  # fmt: skip
        secrets = {f"h{i}": f"secret-{i}" for i in range(6)}
        for i, (household, secret) in enumerate(secrets.items()):
            cast_vote(store, made[i % 2], household, secret, ("yes", "no", "abstain")[i % 3])
        create_feed(store, "h1")
        create_feed(store, "h4")
        ballots = ballots_of(store, [p.id for p in made])
        assert len(ballots) == 6
        for proposal in made:
            for secret in secrets.values():
                mine = ballots.get((proposal.id, ballot_key(proposal.id, secret)))
                assert mine == my_choice(store, proposal.id, secret)
        feeds = feeds_created_at(store)
        assert sorted(feeds) == ["h1", "h4"]
        for household in secrets:
            assert feeds.get(household) == feed_created_at(store, household)
        assert ballots_of(store, []) == {}


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, (48, 6), elements=st.floats(0, 5)),
    arrays(np.float64, (48, 6), elements=st.floats(0, 5)),
)
def test_the_district_pass_gives_each_household_its_own_figures(
    demand: np.ndarray, pv: np.ndarray
) -> None:
    time = pd.date_range("2025-03-03", periods=48, freq="h", tz="UTC", name="time")
    series = HouseholdSeries("d", time, tuple(f"h{i}" for i in range(6)), demand, pv)
    rows = np.ones(48, dtype=bool)
    rows[:5] = False
    settled = community_settlement(series, rows)
    origins = district_origins(series, rows, settled)
    figures = tip_figures(time[rows].tz_localize(None), demand[rows], pv[rows])
    for col in range(6):
        where, balance = origins.of(col)
        use, own = demand[rows, col], np.minimum(demand[rows, col], pv[rows, col])
        assert where.own_pv_kwh == pytest.approx(own.sum())
        assert where.community_kwh == pytest.approx(settled.allocated_kwh[:, col].sum())
        assert where.total_kwh == pytest.approx(use.sum(), abs=1e-9)  # nothing lost or made
        assert balance.consumption_kwh == pytest.approx(use.sum())
        assert balance.district_consumption_kwh == pytest.approx(demand[rows].sum())
        alone = tip_figures(time[rows].tz_localize(None), demand[rows, col : col + 1],
                            pv[rows, col : col + 1])  # fmt: skip
        together = {tip.key: tip.kwh_per_year for tip in figures.tips(col, 10.0)}
        assert together == pytest.approx({t.key: t.kwh_per_year for t in alone.tips(0, 10.0)})


def test_one_instant_in_two_zones_is_two_local_times() -> None:
    moment = pd.Timestamp("2025-03-01 12:00", tz="UTC")
    found = texts("de")
    assert found.time(moment) == "Sa. 12:00"
    assert found.time(moment.tz_convert("Europe/Helsinki")) == "Sa. 14:00"
    assert found.time(moment) == "Sa. 12:00"  # the kept one of the first zone
