"""Every benchmark case runs at its smallest size (a smoke run, not a timing)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from registry import CASES  # noqa: E402


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_runs_at_smallest_size(case: str) -> None:
    func, sizes = CASES[case]
    figures = func(min(sizes))
    assert figures and all(math.isfinite(value) for value in figures.values())
    # times and memory are non-negative; other figures (signed errors, gaps) may be either
    assert all(value >= 0 for key, value in figures.items() if key.endswith(("_s", "_mb")))
