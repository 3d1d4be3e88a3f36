"""Run benchmark cases, each size in a fresh subprocess, and print time and peak memory.

Usage: ``python benchmarks/run.py CASE [--sizes N ...]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _child(case: str, size: int) -> None:
    sys.path.insert(0, str(HERE))
    from registry import CASES

    func, _ = CASES[case]
    timings = func(size)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"case": case, "size": size, **timings, "peak_mb": peak_mb}))


def run_case(case: str, size: int) -> dict[str, float]:
    """Run one case at one size in a subprocess and return its figures."""
    # numpy reads its huge-page setting at import; the child sets it as `sparcs` would
    env = {**os.environ, "NUMPY_MADVISE_HUGEPAGE": os.environ.get("NUMPY_MADVISE_HUGEPAGE", "0")}
    done = subprocess.run(
        [sys.executable, __file__, "--child", case, str(size)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case")
    parser.add_argument("--sizes", type=int, nargs="*")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from registry import CASES

    sizes = args.sizes or CASES[args.case][1]
    rows = [run_case(args.case, size) for size in sizes]
    keys = [k for k in rows[0] if k not in ("case", "size")]
    print(f"{'size':>8} " + " ".join(f"{k:>12}" for k in keys))
    for row in rows:
        print(f"{row['size']:>8} " + " ".join(f"{row[k]:>12.2f}" for k in keys))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
