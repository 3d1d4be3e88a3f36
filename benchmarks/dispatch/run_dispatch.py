"""Run the reference dispatch benchmark: each (tool, size, repeat) in a fresh subprocess.

Usage::

    .venv/bin/python benchmarks/dispatch/run_dispatch.py --sizes 1x8760 10x8760 100x720 \
        --tools direct linopy pypsa oemof sparcs --repeat 1 --timeout 900

Each child generates the instance (not timed), runs one tool and writes its figures to a JSON
file; the parent enforces the timeout (the child's process group is killed and the run reported
as ``timeout``), takes peak memory as the child's max RSS from ``wait4``, checks every objective
against the direct build and the spec's reference (relative 1e-6), and prints a table with the
ratios of ``sparcs`` against every peer measured in the same run. Results go to
``benchmarks/results/dispatch-<timestamp>.json`` (gitignored); HiGHS logs to ``logs/`` beside it.
Timing figures are informational, never a gate.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
RESULTS = BENCH / "results"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from dispatch import OWN, TOOLS  # noqa: E402
from dispatch.reference import OBJECTIVE_RTOL, REFERENCE, relative_difference  # noqa: E402

MODULES = {  # tool -> (module, function)
    "direct": ("direct", "solve"),
    "linopy": ("linopy_model", "solve"),
    "pypsa": ("pypsa_model", "solve"),
    "oemof": ("oemof_model", "solve"),
    "sparcs": ("sparcs_model", "solve"),
    "sparcs-mono": ("sparcs_model", "solve_monolithic"),
}
VERSIONED = (
    "numpy",
    "pandas",
    "scipy",
    "highspy",
    "linopy",
    "xarray",
    "pypsa",
    "oemof.solph",
    "pyomo",
    "sparcs",
)
WARMUP = (1, 168)
TIMING_KEYS = ("build_s", "solve_s", "total_s", "highs_s", "own_s")


# --------------------------------------------------------------------------- child


def child(tool: str, n_buildings: int, n_hours: int, out: Path, warmup: bool = True) -> int:
    """Generate the instance, run one tool, write its figures to ``out``; return exit code.

    With ``warmup`` the tool first solves the small ``WARMUP`` instance untimed, so that
    imports (the tools import lazily) and one-time initialisation stay out of the figures, as
    the spec's timing definitions require.
    """
    from dispatch import common
    from dispatch.generator import checksum, generate

    try:
        name, function = MODULES[tool]
        solve = getattr(importlib.import_module(f"dispatch.{name}"), function)
        if warmup:
            solve(generate(*WARMUP))
        common.PROGRESS_FILE = _progress_file(out)
        data = generate(n_buildings, n_hours)
        result = solve(data)
        record = {"ok": True, "checksum": checksum(data), **result.as_dict()}
        code = 0
    except Exception:  # reported to the parent, which decides
        record = {"ok": False, "error": traceback.format_exc()}
        code = 1
    record["self_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write_text(json.dumps(record, default=str))
    return code


def _progress_file(out: Path) -> Path:
    """Where the child notes its build time before solving."""
    return out.with_suffix(".progress.json")


# --------------------------------------------------------------------------- parent


@dataclass
class Run:
    """One child run as seen by the parent."""

    tool: str
    n_buildings: int
    n_hours: int
    repeat: int
    outcome: str  # "ok", "timeout", "failed", "killed (signal N)"
    wall_s: float
    peak_mb: float
    load_before: tuple[float, float, float]
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> str:
        """``NxT`` label."""
        return f"{self.n_buildings}x{self.n_hours}"


def _tree_pss_mb(root: int) -> float:
    """Proportional set size of ``root`` and all its descendants now [MB] (Linux ``/proc``).

    PSS splits pages shared by forked workers among them, so the sum is the tree's footprint;
    0 where ``/proc`` cannot be read.
    """
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(stat[1]), []).append(int(entry.name))
    total_kb, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
    return total_kb / 1024


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> tuple[int | None, float]:
    """Wait for ``proc`` up to ``timeout`` s; kill its group on timeout. Return (status, peak MB).

    The peak is the larger of the child's max RSS (``wait4``: the largest single process) and
    the largest footprint of the child with its worker processes, sampled every 0.2 s: a
    tool that forks workers is charged for all of them at once.
    """
    deadline = time.monotonic() + timeout
    tree_mb, next_sample = 0.0, 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, max(usage.ru_maxrss / 1024, tree_mb)
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return None, max(usage.ru_maxrss / 1024, tree_mb)
        if time.monotonic() >= next_sample:
            tree_mb = max(tree_mb, _tree_pss_mb(proc.pid))
            next_sample = time.monotonic() + 0.2
        time.sleep(0.05)


def run_one(
    tool: str,
    n_buildings: int,
    n_hours: int,
    repeat: int,
    timeout: float,
    logs: Path,
    warmup: bool = True,
) -> Run:
    """Run one (tool, size) in a fresh subprocess with a timeout."""
    out = logs / f"{tool}-{n_buildings}x{n_hours}-r{repeat}.json"
    log = logs / f"{tool}-{n_buildings}x{n_hours}-r{repeat}.log"
    out.unlink(missing_ok=True)
    _progress_file(out).unlink(missing_ok=True)
    load = os.getloadavg()
    t0 = time.perf_counter()
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--child",
                tool,
                str(n_buildings),
                str(n_hours),
                str(out),
                "warmup" if warmup else "cold",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        code, peak_mb = _wait(proc, timeout)
    wall = time.perf_counter() - t0
    figures = json.loads(out.read_text()) if out.exists() else {}
    if not figures and _progress_file(out).exists():  # killed: keep the build time it noted
        figures = json.loads(_progress_file(out).read_text())
    if code is None:
        outcome = f"timeout (> {timeout:g} s)"
    elif code < 0:
        outcome = f"killed (signal {-code})"
    elif code != 0 or not figures.get("ok"):
        outcome = "failed"
    else:
        outcome = "ok"
    return Run(tool, n_buildings, n_hours, repeat, outcome, wall, peak_mb, load, figures)


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarise(runs: list[Run]) -> list[dict[str, Any]]:
    """One row per (size, tool): medians of timings, max peak memory, objective checks."""
    rows: list[dict[str, Any]] = []
    keys = list(dict.fromkeys((r.n_buildings, r.n_hours, r.tool) for r in runs))
    for n, t, tool in keys:
        group = [r for r in runs if (r.n_buildings, r.n_hours, r.tool) == (n, t, tool)]
        ok = [r for r in group if r.outcome == "ok"]
        row: dict[str, Any] = {
            "size": f"{n}x{t}",
            "n_buildings": n,
            "n_hours": t,
            "tool": tool,
            "runs": len(group),
            "ok_runs": len(ok),
            "outcome": "ok" if ok else group[-1].outcome,
            "peak_mb": max(r.peak_mb for r in group),
        }
        for key in TIMING_KEYS:  # a run that did not finish may still have noted build_s
            row[key] = _median([r.figures.get(key) for r in ok or group])
        row["objective"] = ok[0].figures["objective"] if ok else None
        row["status"] = ok[0].figures.get("status") if ok else None
        row["iterations"] = ok[0].figures.get("iterations") if ok else None
        row["checksum"] = ok[0].figures.get("checksum") if ok else None
        row["gap"] = (ok[0].figures.get("extra") or {}).get("gap") if ok else None
        row["error"] = (group[-1].figures.get("error", "") or "")[-600:] if not ok else ""
        rows.append(row)
    _check_objectives(rows)
    return rows


def _check_objectives(rows: list[dict[str, Any]]) -> None:
    """Add the relative differences to the direct build and to the spec's reference."""
    direct = {r["size"]: r["objective"] for r in rows if r["tool"] == "direct"}
    for row in rows:
        ref = REFERENCE.get((row["n_buildings"], row["n_hours"]))
        obj = row["objective"]
        row["rel_vs_reference"] = (
            relative_difference(obj, ref.objective)
            if obj is not None and ref and ref.objective
            else None
        )
        base = direct.get(row["size"])
        row["rel_vs_direct"] = (
            relative_difference(obj, base) if obj is not None and base is not None else None
        )
        row["checksum_ok"] = (
            row["checksum"] == ref.checksum if ref and row["checksum"] is not None else None
        )
        diffs = [d for d in (row["rel_vs_reference"], row["rel_vs_direct"]) if d is not None]
        row["objective_ok"] = (
            (all(d < OBJECTIVE_RTOL for d in diffs) and row["checksum_ok"] is not False)
            if obj is not None
            else None
        )


def ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``own tool / peer`` for build, solve, total, own time and peak memory, per size.

    Every tool of this package (``OWN``) against every peer measured in the same run;
    < 1 means this package is faster or smaller.
    """
    out: list[dict[str, Any]] = []
    by = {(r["size"], r["tool"]): r for r in rows}
    for (size, tool), peer in by.items():
        if tool in OWN:
            continue
        for own in OWN:
            mine = by.get((size, own))
            if mine is None:
                continue
            ratio: dict[str, Any] = {"size": size, "tool": own, "peer": tool}
            for key in ("build_s", "solve_s", "total_s", "own_s", "peak_mb"):
                a, b = mine.get(key), peer.get(key)
                usable = mine["ok_runs"] and peer["ok_runs"] and a is not None and b
                ratio[key] = a / b if usable else None
            out.append(ratio)
    return out


def rolling(
    n_buildings: int, n_hours: int, horizon_h: int = 48, step_h: int = 24
) -> dict[str, Any]:
    """Rolling horizon over the instance: ``horizon_h`` windows moved by ``step_h``.

    The package's MPC machinery (``sparcs.operation.optimal.rolling.rolling_horizon``) builds the
    window model once and updates its data; forecasts are perfect, stores start empty and each
    window may empty them at its end. The year's cost is compared with the perfect-foresight
    optimum (the cyclic LP of the spec). Timed in this process after a one-week warm-up.
    """
    from dispatch.generator import generate
    from dispatch.sparcs_model import options, problem
    from sparcs.operation.optimal.rolling import RollingPlan, rolling_horizon

    def run(n: int, t: int) -> tuple[Any, float]:
        prob = problem(generate(n, t))
        plan = RollingPlan(min(horizon_h, t), step_h, t, 24)
        start = time.perf_counter()
        result = rolling_horizon(prob, plan, forecast="perfect", options=options())
        return result, time.perf_counter() - start

    run(1, 168)  # imports and HiGHS start-up stay out of the figure
    load = os.getloadavg()
    result, seconds = run(n_buildings, n_hours)
    windows = int(result.timings["windows"])
    ref = REFERENCE.get((n_buildings, n_hours))
    optimum = ref.objective if ref else None
    return {
        "size": f"{n_buildings}x{n_hours}",
        "horizon_h": horizon_h,
        "step_h": step_h,
        "windows": windows,
        "seconds": seconds,
        "windows_per_s": windows / seconds,
        "year_cost": float(result.objective),
        "perfect_foresight": optimum,
        "rel_above_optimum": (float(result.objective) - optimum) / optimum if optimum else None,
        "timings": dict(result.timings),
        "loadavg": load,
        "status": str(result.status.value),
    }


# --------------------------------------------------------------------------- report


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def print_table(rows: list[dict[str, Any]], ratio_rows: list[dict[str, Any]]) -> None:
    """Print the results and ratio tables (plain text, Markdown-compatible)."""
    head = (
        "| size | tool | outcome | objective [EUR] | rel. vs ref | rel. vs direct | build s "
        "| solve s | total s | HiGHS s | own s | peak MB | HiGHS iter. | cert. gap |"
    )
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in rows:
        outcome = r["outcome"] if r["objective_ok"] is not False else "WRONG OBJECTIVE"
        print(
            f"| {r['size']} | {r['tool']} | {outcome} | {_fmt(r['objective'], '.9g')} "
            f"| {_fmt(r['rel_vs_reference'], '.1e')} | {_fmt(r['rel_vs_direct'], '.1e')} "
            f"| {_fmt(r['build_s'])} | {_fmt(r['solve_s'])} | {_fmt(r['total_s'])} "
            f"| {_fmt(r['highs_s'])} | {_fmt(r['own_s'])} | {r['peak_mb']:.0f} "
            f"| {_fmt(r['iterations'], 'd')} | {_fmt(r.get('gap'), '.1e')} |"
        )
    if ratio_rows:
        print("\nsparcs / peer (same run; < 1 means sparcs is faster or smaller)\n")
        print("| size | sparcs tool | peer | build | solve | total | own | peak MB |")
        print("|---|---|---|---|---|---|---|---|")
        for q in ratio_rows:
            print(
                f"| {q['size']} | {q.get('tool', 'sparcs')} | {q['peer']} "
                f"| {_fmt(q['build_s'], '.3g')} "
                f"| {_fmt(q['solve_s'], '.3g')} | {_fmt(q['total_s'], '.3g')} "
                f"| {_fmt(q['own_s'], '.3g')} | {_fmt(q['peak_mb'], '.3g')} |"
            )


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def parse_size(text: str) -> tuple[int, int]:
    """``"10x8760"`` -> ``(10, 8760)``."""
    n, _, t = text.lower().partition("x")
    return int(n), int(t)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 1 if any objective disagrees."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["1x8760", "10x8760", "100x720"])
    parser.add_argument("--tools", nargs="+", default=list(TOOLS), choices=list(TOOLS))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per child run")
    parser.add_argument("--out", type=Path, help="JSON results file")
    parser.add_argument("--report", type=Path, help="print the tables of a saved JSON and exit")
    parser.add_argument(
        "--rolling",
        metavar="NxT",
        help="only the rolling-horizon case (48 h windows moved by 24 h) on this size",
    )
    parser.add_argument(
        "--no-warmup",
        dest="warmup",
        action="store_false",
        help="time the first solve in each child (includes lazy imports)",
    )
    args = parser.parse_args(argv)
    if args.report:
        saved = json.loads(args.report.read_text())
        meta = saved["meta"]
        print(
            f"load average at start {meta['started']['loadavg']}, "
            f"at end {meta['finished_loadavg']}; {meta['cpus']} CPUs\n"
        )
        print_table(saved["summary"], saved["ratios"])
        return 1 if any(r["objective_ok"] is False for r in saved["summary"]) else 0

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if args.rolling:
        case = rolling(*parse_size(args.rolling))
        out = args.out or RESULTS / f"rolling-{stamp}.json"
        out.write_text(json.dumps(case, indent=2, default=str))
        print(
            f"rolling {case['size']}: {case['windows']} windows of {case['horizon_h']} h "
            f"moved by {case['step_h']} h in {case['seconds']:.1f} s "
            f"({case['windows_per_s']:.1f} windows/s), load {case['loadavg'][0]:.2f}; "
            f"year cost {case['year_cost']:.6f} EUR vs perfect foresight "
            f"{_fmt(case['perfect_foresight'], '.6f')} EUR "
            f"(+{_fmt(case['rel_above_optimum'], '.3%')})\nresults: {out}"
        )
        return 0
    out = args.out or RESULTS / f"dispatch-{stamp}.json"
    logs = out.parent / "logs" / out.stem
    logs.mkdir(parents=True, exist_ok=True)
    started = {"utc": stamp, "loadavg": os.getloadavg()}
    runs: list[Run] = []
    for size in args.sizes:
        n, t = parse_size(size)
        for k in range(args.repeat):
            for tool in args.tools:
                run = run_one(tool, n, t, k, args.timeout, logs, args.warmup)
                print(
                    f"  {run.size:>9} {tool:<7} r{k} {run.outcome:<10} wall {run.wall_s:7.1f} s"
                    f"  peak {run.peak_mb:7.0f} MB  load {run.load_before[0]:.2f}",
                    flush=True,
                )
                runs.append(run)
    rows = summarise(runs)
    ratio_rows = ratios(rows)
    meta = {
        "started": started,
        "finished_loadavg": os.getloadavg(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": _versions(),
        "args": vars(args) | {"out": str(out)},
    }
    out.write_text(
        json.dumps(
            {
                "meta": meta,
                "summary": rows,
                "ratios": ratio_rows,
                "runs": [r.__dict__ for r in runs],
            },
            indent=2,
            default=str,
        )
    )
    print(
        f"\nload average at start {started['loadavg']}, at end {meta['finished_loadavg']}; "
        f"{os.cpu_count()} CPUs\n"
    )
    print_table(rows, ratio_rows)
    print(f"\nresults: {out}")
    return 1 if any(r["objective_ok"] is False for r in rows) else 0


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--child":
        sys.exit(
            child(
                sys.argv[2],
                int(sys.argv[3]),
                int(sys.argv[4]),
                Path(sys.argv[5]),
                warmup=sys.argv[6] == "warmup",
            )
        )
    sys.exit(main())
