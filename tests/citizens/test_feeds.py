"""The private calendar address: no token needed, rotated, stopped, private to its household."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from town import Town

from sparcs.citizens.account import Settings, put_settings
from sparcs.store import open_store


def _path(url: str) -> str:
    return urlsplit(url).path


def _make(town: Town, name: str) -> str:
    answer = town.client.post(f"/api/v1/citizen/{name}/calendar-feed", headers=town.bearer(name))
    assert answer.status_code == 201, answer.text
    return _path(answer.json()["url"])


def _anonymous_get(town: Town, path: str) -> tuple[int, str]:
    town.client.cookies.clear()
    answer = town.client.get(path)
    return answer.status_code, answer.text


def test_the_address_opens_the_feed_without_a_token_until_replaced_or_stopped(town: Town) -> None:
    first = _make(town, "h1")
    assert first.startswith("/calendar/cal_") and first.endswith(".ics")
    # the address names no household: only 32 random bytes, URL-safe (a fixed "h1" test would
    # fail whenever the random token happened to contain those two letters)
    assert re.fullmatch(r"/calendar/cal_[A-Za-z0-9_-]{43}\.ics", first)
    status, text = _anonymous_get(town, first)
    assert status == 200 and text.startswith("BEGIN:VCALENDAR\r\n")
    assert "END:VCALENDAR" in text
    second = _make(town, "h1")  # rotation: the old address stops
    assert second != first
    assert _anonymous_get(town, first)[0] == 404
    assert _anonymous_get(town, second)[0] == 200
    stop = town.client.delete("/api/v1/citizen/h1/calendar-feed", headers=town.bearer("h1"))
    assert stop.status_code == 204
    assert _anonymous_get(town, second)[0] == 404
    again = town.client.delete("/api/v1/citizen/h1/calendar-feed", headers=town.bearer("h1"))
    assert again.status_code == 404


def test_a_household_reaches_only_its_own_feed(town: Town) -> None:
    # h2 reads Finnish: its feed is in Finnish, h3's in English; neither token can make,
    # stop or read the other's address
    with open_store(town.db) as store:
        put_settings(store, "h2", Settings("fi", 2))
    mine, theirs = _make(town, "h2"), _make(town, "h3")
    assert "Vihreät tunnit" in _anonymous_get(town, mine)[1]
    assert "Green hours" in _anonymous_get(town, theirs)[1]
    for method in ("post", "delete"):
        answer = town.client.request(
            method, "/api/v1/citizen/h3/calendar-feed", headers=town.bearer("h2")
        )
        assert answer.status_code == 404
    assert _anonymous_get(town, theirs)[0] == 200  # untouched by h2's attempts
    assert _anonymous_get(town, "/calendar/cal_" + "A" * 43 + ".ics")[0] == 404
    assert _anonymous_get(town, "/calendar/sparcs_token.ics")[0] == 404
    unauthenticated = town.client.post("/api/v1/citizen/h3/calendar-feed")
    assert unauthenticated.status_code == 401


def test_the_store_keeps_only_a_hash_and_the_export_only_the_date(town: Town) -> None:
    path = _make(town, "h4")
    secret = path.removeprefix("/calendar/").removesuffix(".ics")
    with open_store(town.db) as store:
        rows = store.backend.execute("SELECT * FROM calendar_feeds WHERE household_id = 'h4'")
    assert len(rows) == 1 and secret not in {str(v) for v in rows[0]}
    export = town.client.get("/api/v1/citizen/h4/export", headers=town.bearer("h4")).json()
    assert set(export["calendar_feed"]) == {"created_at"}
    assert secret not in str(export)


def test_the_green_page_makes_shows_and_stops_the_address(town: Town) -> None:
    town.login("h5")
    made = town.client.post("/citizen/h5/calendar?lang=en")
    assert made.status_code == 200
    url = made.text.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    assert "/calendar/cal_" in url
    page = town.client.get("/citizen/h5/green?lang=en").text
    assert "Your private calendar address is active." in page and url not in page
    town.login("h5")
    stopped = town.client.post("/citizen/h5/calendar/stop?lang=en", follow_redirects=True)
    assert "The calendar address was stopped." in stopped.text
    assert "is active" not in stopped.text
    assert _anonymous_get(town, _path(url))[0] == 404


def test_deleting_the_account_stops_its_address(town: Town) -> None:
    path = _make(town, "h6")
    assert _anonymous_get(town, path)[0] == 200
    gone = town.client.delete("/api/v1/citizen/h6", headers=town.bearer("h6"))
    assert gone.status_code == 204
    assert _anonymous_get(town, path)[0] == 404
