"""Shared fixtures: small, domain-named inputs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TEST_DATA = Path(__file__).resolve().parent / "data"
SHARED_WEATHER = ROOT.parent / "shared" / "data" / "weather"


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def test_data() -> Path:
    return TEST_DATA


# One Playwright (and Chromium) per test process: a second sync_playwright() started while
# the first is alive fails ("Sync API inside the asyncio loop"), which happened when a
# report test and a server page test met in one xdist worker.
#: Debian's chromium, as installed in CI (``apt-get install -y chromium``).
CHROMIUM = os.environ.get("SPARCS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole session (never skipped: install it if missing)."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}; install it with "
            "'apt-get install -y chromium' or set SPARCS_CHROMIUM"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
