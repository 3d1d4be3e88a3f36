"""Shared fixtures: small, domain-named inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

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
