"""Fixtures of the community tests: files of the hand-worked community."""

from __future__ import annotations

from pathlib import Path

import pytest
from community_cases import SHARES, three_homes_rows, write_csv


@pytest.fixture
def three_homes_and_pv(tmp_path: Path) -> Path:
    """Homes a, b, c and a PV plant p over two quarter-hours (the hand-worked case of test_keys)."""
    return write_csv(tmp_path / "readings.csv", three_homes_rows())


@pytest.fixture
def shares_file(tmp_path: Path) -> Path:
    path = tmp_path / "shares.toml"
    path.write_text(SHARES, "utf-8")
    return path
