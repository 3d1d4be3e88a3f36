"""Fixtures of the network, sweep and executor tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from network_districts import write_small

from sparcs.scenario import Scenario, load_scenario


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    return write_small(tmp_path)


@pytest.fixture
def small(small_file: Path) -> Scenario:
    return load_scenario(small_file)
