"""The green-hours page and its iCalendar feed: the district scenario's next 48 hours, the
suggestions start in a green window, the feed is valid RFC 5545 with one event per window."""

from __future__ import annotations

import re

import icalendar
from town import Town


def test_the_feed_holds_the_green_windows_of_the_page(town: Town) -> None:
    town.login("h1")
    page = town.client.get("/citizen/h1/green?lang=en").text
    lights = re.findall(r'<td class="light-(green|amber|red)">', page)
    assert len(lights) == 48
    windows = sum(1 for i, light in enumerate(lights)
                  if light == "green" and (i == 0 or lights[i - 1] != "green"))  # fmt: skip
    feed = town.client.get("/citizen/h1/green.ics?lang=fi")
    assert feed.headers["content-type"].startswith("text/calendar")
    events = list(icalendar.Calendar.from_ical(feed.text).walk("VEVENT"))
    assert len(events) == windows
    assert all(str(e["summary"]) == "Vihreää sähköä: hyvä hetki käyttää sähköä" for e in events)
    for event in events:
        hours = (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() / 3600
        assert hours >= 1 and hours == int(hours)
    # the car needs 4 green hours in a row: suggested only when such a window exists
    runs = re.findall(r"g+", "".join(light[0] for light in lights))
    longest = max((len(run) for run in runs), default=0)
    assert ("Charging the car:\nno green window" in page) == (longest < 4)
    api = town.client.get("/api/v1/citizen/h1/green.ics", headers=town.bearer("h1"))
    assert api.status_code == 200 and api.text.count("BEGIN:VEVENT") == windows
    town.client.cookies.clear()
