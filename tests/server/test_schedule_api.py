"""The live schedule over HTTP: latest or by belief time, ETag, alerts, nothing kept yet."""

from __future__ import annotations

import pandas as pd
from served import World, keep_schedule

from sparcs.server.routers.schedules import schedule_alerts
from sparcs.store import open_store

T = pd.Timestamp("2025-03-02T06:00Z")


def test_the_latest_schedule_and_one_by_belief_time(world: World) -> None:
    with open_store(world.db) as store:
        keep_schedule(store, "keski", T, kw=10.0)
        keep_schedule(store, "keski", T + pd.Timedelta("1h"), kw=25.0, strategy="failed")
    url = "/api/v1/districts/keski/schedule"
    latest = world.client.get(url, headers=world.auth("admin"))
    assert latest.status_code == 200, latest.text
    body = latest.json()
    assert body["belief_time"] == "2025-03-02T07:00:00+00:00"
    assert [s["kw"] for s in body["assets"]["b1/battery"]] == [25.0, -25.0, 0.0]
    assert body["strategy"] == "failed" and body["fallbacks"] == ["a note"]
    assert any("failed" in a for a in body["alerts"]) and any(
        "stopped" in a for a in body["alerts"]
    )
    earlier = world.client.get(
        url, params={"belief_time": "2025-03-02T06:30:00+00:00"}, headers=world.auth("admin")
    ).json()
    assert [s["kw"] for s in earlier["assets"]["b1/battery"]] == [10.0, -10.0, 0.0]
    assert earlier["assets"]["b1/battery"][0]["time"] == "2025-03-02T06:00:00+00:00"
    again = world.client.get(
        url, headers=world.auth("admin") | {"If-None-Match": latest.headers["ETag"]}
    )
    assert again.status_code == 304
    none = world.client.get(
        url, params={"belief_time": "2025-03-01T00:00:00+00:00"}, headers=world.auth("admin")
    )
    assert none.status_code == 404 and "no schedule" in none.json()["detail"]


def test_alerts_by_hand() -> None:
    times = pd.Series(pd.date_range(T, periods=4, freq="15min"))
    assert schedule_alerts(T, "optimal", times, T + pd.Timedelta("30min")) == []
    stale = schedule_alerts(T, "optimal", times, T + pd.Timedelta("45min"))
    assert stale == [
        "the latest schedule is from 2025-03-02T06:00:00+00:00, 3 steps ago: the operation "
        "loop may have stopped"
    ]
    assert schedule_alerts(T, "failed", times, T)[0].startswith("the cycle at 2025-03-02T06:00")


def test_the_operator_page_shows_the_live_schedule_and_its_alerts(world: World) -> None:
    cookie = {"Cookie": f"sparcs_token={world.tokens['operator']}"}
    page = world.client.get("/districts/centro/operations", headers=cookie)
    assert page.status_code == 200
    html = page.text
    assert "Live schedule" in html and "b1/battery" in html and "10.0" in html
    # kept at 2025-03-02T06:00Z and never renewed: the page says the loop may have stopped
    assert 'role="alert"' in html and "may have stopped" in html
