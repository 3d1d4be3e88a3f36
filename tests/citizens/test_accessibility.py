"""WCAG 2.2 AA in Debian's Chromium: axe-core (npm, injected by Playwright) finds no serious or
critical violation on any citizen page in any language; the pages work without JavaScript and
by keyboard alone, and read at 320 px wide and at 200 % zoom without sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from town import LiveServer, populate

from sparcs.i18n import LANGUAGES
from sparcs.server import ServerSettings
from sparcs.store import open_store

AXE = Path(__file__).resolve().parents[2] / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ("", "/green", "/statements", "/proposals", "/account")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium(chromium: Browser) -> Browser:
    """The session's one Chromium (tests/conftest.py): a second sync_playwright() in the same
    process fails while the first is alive ("Sync API inside the asyncio loop")."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}; run: npm install --prefix .axe axe-core@4")
    return chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("a11y")
    db = str(folder / "sparcs.duckdb")
    with open_store(db) as store:
        made = populate(store)
    with LiveServer(ServerSettings(db=db, data_dir=folder / "data")) as server:
        body = {"title": "Battery at the school", "description": "A 200 kWh battery.",
                "deadline": "2099-01-01T00:00:00+00:00", "scenario": made["scenario"],
                "cost_eur": 90000, "decidim_url": "https://omastadi.hel.fi/processes/x",
                "measure": {"buildings": {"b1": {"battery": {"capacity_kwh": 200,
                                                             "power_kw": 100}}}}}  # fmt: skip
        headers = {"Authorization": f"Bearer {made['tokens']['planner']}"}
        published = httpx2.post(f"{server.url}/api/v1/districts/centro/proposals", json=body,
                               headers=headers, timeout=120)  # fmt: skip
        assert published.status_code == 201, published.text
        yield {"url": server.url, "tokens": made["tokens"]}


def _context(chromium: Browser, site: dict[str, Any], name: str, **options: Any) -> BrowserContext:
    context = chromium.new_context(**options)
    # nothing may leave the machine
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(site["url"]) else route.abort())  # fmt: skip
    context.add_cookies([{"name": "sparcs_token", "value": site["tokens"][name],
                          "url": site["url"]}])  # fmt: skip
    return context


def _serious(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
        " target: v.nodes[0].target.join(' ')}))",
        WCAG,
    )
    return [f"{v['id']} ({v['impact']}, {v['nodes']}x, e.g. {v['target']})"
            for v in found if v["impact"] in ("serious", "critical")]  # fmt: skip


def test_axe_finds_nothing_serious_on_any_page_in_any_language(
    chromium: Browser, site: dict[str, Any]
) -> None:
    context = _context(chromium, site, "h1")
    page = context.new_page()
    page.set_content('<html><body><input type="text"><img src="x.png"></body></html>')
    assert len(_serious(page)) >= 2  # axe would see an unlabelled field and a bare image
    problems = []
    for language in LANGUAGES:
        for path in PAGES:
            page.goto(f"{site['url']}/citizen/h1{path}?lang={language}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            if path == "":
                expect(page.locator("#chart .main-svg").first).to_be_visible(timeout=30_000)
            problems += [f"{language} {path or '/'}: {p}" for p in _serious(page)]
    context.close()
    assert problems == []


def test_without_javascript_by_keyboard_at_320_px(chromium: Browser, site: dict[str, Any]) -> None:
    context = _context(chromium, site, "h2", java_script_enabled=False,
                       viewport={"width": 320, "height": 640})  # fmt: skip
    page = context.new_page()
    for path in PAGES:
        page.goto(f"{site['url']}/citizen/h2{path}?lang=fi")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path}: {width} px wide at 320 px"
        assert page.locator("h1").is_visible()
    page.goto(f"{site['url']}/citizen/h2?lang=en")
    expect(page.locator("#chart")).to_be_hidden()  # no chart without JavaScript: the table stays
    expect(page.get_by_role("cell", name="kWh").first).to_be_visible()
    page.goto(f"{site['url']}/citizen/h2/proposals?lang=en")
    page.get_by_role("radio", name="Yes").focus()  # keyboard only from here on
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Your vote is recorded.")
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    page.goto(f"{site['url']}/citizen/h2/green?lang=en")
    expect(
        page.get_by_role("link", name="Add the green hours to your calendar (iCal)")
    ).to_be_visible()
    context.close()


def test_readable_at_200_percent_zoom(chromium: Browser, site: dict[str, Any]) -> None:
    # 200 % zoom of a 1280 px window: 640 CSS px, each twice the size
    context = _context(chromium, site, "h3", viewport={"width": 640, "height": 400},
                       device_scale_factor=2)  # fmt: skip
    page = context.new_page()
    for path in PAGES:
        page.goto(f"{site['url']}/citizen/h3{path}?lang=de")
        assert page.evaluate("document.documentElement.scrollWidth") <= 640, path
        small = page.evaluate(
            "[...document.querySelectorAll('nav a, button, input, select')]"
            ".map(e => e.getBoundingClientRect()).filter(r => r.width < 24 || r.height < 24).length"
        )
        assert small == 0, f"{path}: {small} targets under 24 x 24 px"
    context.close()
