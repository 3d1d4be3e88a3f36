"""The pages in Debian's Chromium (Playwright): login by token, the network and a district page
with its chart, a bad scenario's problems listed, a run launched, followed and its report opened;
a citizen sees no planning. plotly.js comes from the server (no network)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from served import SMALL, LiveServer, populate

from sparcs.server import ServerSettings
from sparcs.store import open_store
from sparcs.store.tokens import create_token

CHROMIUM = os.environ.get("SPARCS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}; apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("pages")
    db = str(folder / "sparcs.duckdb")
    with open_store(db) as store:
        populate(store)
        tokens = {
            "planner": create_token(store, role="planner", district="centro")[0],
            "citizen": create_token(store, role="citizen", household="h1")[0],
            "operator": create_token(store, role="operator", district="centro")[0],
        }
    with LiveServer(ServerSettings(db=db, data_dir=folder / "data")) as server:
        yield {"url": server.url, "tokens": tokens}


def _login(chromium: Browser, site: dict[str, Any], role: str) -> Page:
    page = chromium.new_page()
    # nothing may leave the machine: any request elsewhere fails the page
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(site["url"]) else route.abort()
        ),
    )
    page.goto(f"{site['url']}/")
    expect(page).to_have_url(f"{site['url']}/login")
    page.fill("#token", "wrong")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("unknown")
    page.fill("#token", site["tokens"][role])
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Network")
    return page


def test_planner_uploads_runs_and_opens_the_report(chromium: Browser, site: dict[str, Any]) -> None:
    page = _login(chromium, site, "planner")
    expect(page.get_by_role("link", name="Centro")).to_be_visible()
    expect(page.get_by_text("Norte")).to_have_count(0)  # another district: not shown
    page.get_by_role("link", name="Centro").click()
    expect(page.locator("#monthly .main-svg").first).to_be_visible(
        timeout=60_000
    )  # plotly drew the chart
    expect(page.locator("td", has_text="m-h1")).to_be_visible()

    page.goto(f"{site['url']}/scenarios/new")
    page.fill("#body", 'name = ""\n[site]\ncity = "atlantis"\n')
    page.click("button[type=submit]")
    problems = page.locator("#problems li")
    expect(problems.first).to_be_visible()
    assert problems.count() >= 2
    expect(page.locator("#problems")).to_contain_text("atlantis")

    page.fill("#body", SMALL.read_text(encoding="utf-8"))
    page.click("button[type=submit]")
    expect(page.locator("#done")).to_be_visible(timeout=300_000)
    page.click("#report")
    expect(page).to_have_title(re.compile("Maia test district"), timeout=60_000)
    expect(page.locator("h1").first).to_contain_text("Maia test district", timeout=60_000)
    page.goto(f"{site['url']}/")
    status = page.locator("td[class^=status-]").first
    expect(status).not_to_have_text("no run yet")
    page.close()


def test_a_citizen_sees_no_planning(chromium: Browser, site: dict[str, Any]) -> None:
    page = _login(chromium, site, "citizen")
    expect(page.get_by_role("link", name="New scenario")).to_have_count(0)
    page.get_by_role("link", name="Centro").click()
    expect(page.locator("#monthly .main-svg").first).to_be_visible(timeout=60_000)
    expect(page.locator("td", has_text="m-h1")).to_have_count(0)  # meters are for staff
    assert page.goto(f"{site['url']}/scenarios/new").status == 403
    page.close()


def test_operator_sees_schedule_green_hours_and_flexibility(
    chromium: Browser, site: dict[str, Any]
) -> None:
    page = _login(chromium, site, "operator")
    page.get_by_role("link", name="Centro").click()
    page.get_by_role("link", name="Operations: next 48 h, green hours, flexibility").click()
    expect(page.locator("#schedule .main-svg").first).to_be_visible(timeout=120_000)
    expect(page.locator("#flexibility .main-svg").first).to_be_visible()
    expect(page.locator("#green tbody tr")).to_have_count(48)
    lights = set(page.locator("#green tbody td:nth-child(2)").all_inner_texts())
    assert lights <= {"green", "amber", "red"} and lights
    page.get_by_role("link", name="48 h later →").click()
    expect(page.locator("#green tbody tr")).to_have_count(48)
    page.close()
