"""The work of ``sparcs baseline``: read the files, fit, report avoided energy use.

Input files are CSV with a ``time`` column (ISO 8601 with a UTC offset) and one value column:
usage in kWh per reading, temperature in °C. Empty fields are missing readings.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.markup import escape
from rich.table import Table

from sparcs.cli._console import UsageError
from sparcs.errors import DataError, TimeIndexError
from sparcs.monitoring import AvoidedEnergy, Baseline, Check, avoided_energy, fit_baseline
from sparcs.monitoring.baseline import Carrier, Method
from sparcs.textfiles import parse_iso_times, read_table
from sparcs.timeseries import to_zoneinfo

__all__ = ["MvResult", "baseline_tables", "read_value_csv", "run_baseline", "window", "write_json"]


@dataclass(frozen=True)
class MvResult:
    """A baseline and the avoided energy of its reporting period."""

    baseline: Baseline
    savings: AvoidedEnergy


def read_value_csv(path: Path, *, what: str) -> pd.Series:
    """A CSV of ``time`` and one value column as a Series on a UTC index (NaN = missing).

    Raises
    ------
    DataError
        Missing file, wrong columns, a value that is not a number (naming its line).
    TimeIndexError
        Timestamps without a UTC offset, duplicate or unsorted (naming the line).
    """
    table = read_table(path, what=what)
    source = f"{what} {path}"
    values = [c for c in table.header if c != "time"]
    if "time" not in table.header or len(values) != 1:
        msg = (
            f"{source}: needs a 'time' column and one value column, found {', '.join(table.header)}"
        )
        raise DataError(msg)
    frame = table.frame(missing=True)
    if frame.empty:
        msg = f"{source} has a header but no data rows"
        raise DataError(msg)
    index = parse_iso_times(frame["time"], source=source, lines=table.lines)
    numbers = pd.to_numeric(frame[values[0]], errors="coerce").to_numpy(dtype=float)
    bad = (np.isnan(numbers) & frame[values[0]].notna().to_numpy()) | np.isinf(numbers)
    if bad.any():
        row = int(np.argmax(bad))
        msg = (
            f"{source}, line {table.line(row)}: {values[0]} {frame[values[0]].iloc[row]!r} is "
            "not a number (leave the field empty for a missing reading)"
        )
        raise DataError(msg)
    steps = np.diff(index.asi8)
    if (steps <= 0).any():
        row = int(np.argmax(steps <= 0)) + 1
        msg = f"{source}, line {table.line(row)}: timestamp duplicate or out of order"
        raise TimeIndexError(msg)
    return pd.Series(numbers, index=index, name=values[0])


def window(
    start: str, end: str, *, timezone: str, option: str
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The UTC interval [start, end) of two ISO dates or times in ``timezone``.

    A date stands for the whole day: ``--baseline-to 2023-12-31`` includes that day. A time
    without an offset is local; a time is an exclusive end.
    """
    zone = to_zoneinfo(timezone)

    def parse(text: str, *, end: bool) -> pd.Timestamp:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if end and len(text) == 10:  # a date: through the end of that day
            moment += timedelta(days=1)
        stamp = pd.Timestamp(moment)
        return (stamp.tz_localize(zone) if stamp.tz is None else stamp).tz_convert("UTC")

    lo, hi = parse(start, end=False), parse(end, end=True)
    if hi <= lo:
        msg = f"{option}: the period {start} .. {end} is empty; the end must come after the start"
        raise UsageError(msg)
    return lo, hi


def _cut(
    series: pd.Series, lo: pd.Timestamp, hi: pd.Timestamp, what: str, *, reads: bool = False
) -> pd.Series:
    """The readings in [lo, hi); billing ``reads`` end with the read closing the last period."""
    inside = (series.index >= lo) & (series.index < hi)
    if reads:  # the first read at or after hi closes the last period; its own value is not used
        after = np.flatnonzero(series.index >= hi)
        if after.size:
            inside[after[0]] = True
    part = series[inside]
    if reads and part.size:
        part = part.copy()
        part.iloc[-1] = np.nan if part.index[-1] >= hi else part.iloc[-1]
    if part.size < 2:
        msg = (
            f"{what} has {part.size} reading(s) from {lo.isoformat()} to {hi.isoformat()}; "
            f"the file covers {series.index[0].isoformat()} .. {series.index[-1].isoformat()}"
        )
        raise DataError(msg)
    return part


def run_baseline(
    usage_file: Path,
    temperature_file: Path,
    *,
    baseline: tuple[str, str],
    reporting: tuple[str, str],
    method: Method,
    timezone: str,
    carrier: Carrier,
) -> MvResult:
    """Read the files, fit the baseline on its period and compute the avoided energy."""
    base = window(*baseline, timezone=timezone, option="--baseline-from/--baseline-to")
    report = window(*reporting, timezone=timezone, option="--reporting-from/--reporting-to")
    if report[0] < base[1]:
        msg = (
            "the reporting period starts before the baseline period ends; the two must not "
            "overlap (CalTRACK leaves the intervention period out)"
        )
        raise UsageError(msg)
    usage = read_value_csv(usage_file, what="usage file")
    temperature = read_value_csv(temperature_file, what="temperature file")
    reads = method == "billing"
    fitted = fit_baseline(
        _cut(usage, *base, "usage file (baseline period)", reads=reads),
        temperature,
        method,
        timezone=timezone,
        carrier=carrier,
    )
    savings = avoided_energy(
        fitted, _cut(usage, *report, "usage file (reporting period)", reads=reads), temperature
    )
    return MvResult(baseline=fitted, savings=savings)


def _fmt(value: float, digits: int = 3) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.{digits}g}"


def _check(check: Check) -> str:
    relation = "≥" if check.name == "r2" else "≤"
    verdict = "ok" if check.passed else ("advisory" if check.advisory else "FAILED")
    return f"{check.value:.3g} ({relation} {check.threshold:g}): {verdict}"


def baseline_tables(result: MvResult) -> list[Table]:
    """The baseline model with its checks, and the avoided energy with its uncertainty."""
    b, s = result.baseline, result.savings
    model = Table(title=f"Baseline: CalTRACK {b.method}, {b.model_type}", title_justify="left")
    model.add_column("quantity")
    model.add_column("value", justify="right")
    rows = [(f"{k} balance point [°C]", f"{v:.2f}") for k, v in b.balance_points_c.items()]
    rows += [(name, _fmt(value, 4)) for name, value in b.coefficients.items()]
    rows += [
        ("periods n", str(b.n)),
        ("parameters p", str(b.n_params)),
        ("CV(RMSE)", f"{b.cvrmse:.1%}"),
        ("NMBE", f"{b.nmbe:.2%}"),
        ("R²", _fmt(b.r2)),
        ("time zone", b.timezone),
    ]
    rows += [("criteria", b.criteria.name)]
    rows += [(f"check {c.name}", _check(c)) for c in b.checks]
    rows += [("flag", flag) for flag in b.sufficiency.flags]
    for name, value in rows:
        model.add_row(escape(name), escape(value))
    savings = Table(title="Avoided energy use (reporting period)", title_justify="left")
    savings.add_column("quantity")
    savings.add_column("value", justify="right")
    rows = [
        ("counterfactual [kWh]", f"{s.counterfactual_kwh:,.0f}"),
        ("observed [kWh]", f"{s.observed_kwh:,.0f}"),
        ("avoided [kWh]", f"{s.avoided_kwh:,.0f}"),
        ("savings fraction", f"{s.savings_fraction:.1%}"),
    ]
    rows += [
        (
            f"uncertainty at {level:.0%} [kWh]",
            f"± {s.uncertainty_kwh[level]:,.0f} (FSU {_fmt(s.fsu[level])})",
        )
        for level in s.fsu
    ]
    rows += [("periods used / masked", f"{s.n_periods} / {s.n_masked}")]
    rows += [(f"check {c.name}", _check(c)) for c in s.checks]
    for name, value in rows:
        savings.add_row(escape(name), escape(value))
    return [model, savings]


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def write_json(result: MvResult, path: Path) -> None:
    """Write the baseline, the avoided energy and the series per period as JSON."""
    b, s = result.baseline, result.savings
    series = s.series.reset_index()
    payload: dict[str, Any] = {
        "baseline": {
            "method": b.method,
            "model_type": b.model_type,
            "timezone": b.timezone,
            "carrier": b.carrier,
            "balance_points_c": b.balance_points_c,
            "coefficients": b.coefficients,
            "cvrmse": _number(b.cvrmse),
            "nmbe": _number(b.nmbe),
            "r2": _number(b.r2),
            "n": b.n,
            "n_params": b.n_params,
            "accepted": b.accepted,
            "checks": [
                {
                    "name": c.name,
                    "value": _number(c.value),
                    "threshold": c.threshold,
                    "passed": c.passed,
                    "advisory": c.advisory,
                    "source": c.source,
                }
                for c in b.checks
            ],
            "sufficiency": [
                {"name": r.name, "passed": r.passed, "message": r.message}
                for r in b.sufficiency.requirements
            ],
            "flags": list(b.sufficiency.flags),
        },
        "avoided_energy": {
            "avoided_kwh": s.avoided_kwh,
            "counterfactual_kwh": s.counterfactual_kwh,
            "observed_kwh": s.observed_kwh,
            "savings_fraction": _number(s.savings_fraction),
            "fsu": {f"{k:.2f}": _number(v) for k, v in s.fsu.items()},
            "uncertainty_kwh": {f"{k:.2f}": _number(v) for k, v in s.uncertainty_kwh.items()},
            "n_periods": s.n_periods,
            "n_masked": s.n_masked,
            "months": s.months,
        },
        "series": [
            {
                "time": t.isoformat(),
                "observed_kwh": _number(o),
                "counterfactual_kwh": _number(c),
                "avoided_kwh": _number(a),
            }
            for t, o, c, a in zip(
                series["time"],
                series["observed"],
                series["counterfactual"],
                series["avoided"],
                strict=True,
            )
        ],
    }
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
