"""What the load benchmarks share: start ``sparcs serve``, drive users at it, measure honestly.

Two client models (say which one a figure comes from):

- **closed loop** (``think_s`` 0): N clients, each sends its next request as soon as the last
  one is answered. A saturation test: the server is never idle, so by Little's law the mean
  latency is N / throughput; it tells how many requests per second the machine serves.
- **users with think time** (``think_s`` > 0): N users, each waits a random time (exponential,
  mean ``think_s``; the first request at a random moment of the first such wait) after each
  answer. The offered load is at most N / ``think_s`` requests per second; the latency is what
  a person sees.

The client is one process: asyncio with one httpx2 connection per user (kept alive). Its own
CPU time is measured (``time.process_time``) and reported beside the server's (psutil, the
server process and its worker processes) and PostgreSQL's (its postmaster and backends), each
per request, since on a shared machine CPU time is the figure that does not depend on the
other load; the 1-minute load average is printed at the start and the end.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx2
import numpy as np
import psutil

__all__ = ["Request", "User", "cpu_s", "drive", "free_port", "start_server", "wait_up"]


@dataclass(frozen=True)
class Request:
    """One request a user makes: a label for the figures, the path and the query, and a phase
    (e.g. a user's first visit of a page, which the server computes, or a later one)."""

    label: str
    path: str
    params: dict[str, str]
    phase: str = ""


@dataclass(frozen=True)
class User:
    """One client: its headers and cookies, and the request it makes as its i-th."""

    headers: dict[str, str]
    cookies: dict[str, str]
    request: Callable[[int], Request]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: str, data_dir: Path, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    """``sparcs serve`` in its own process (no rate limit to speak of)."""
    command = [
        sys.executable, "-m", "sparcs.cli", "serve", "--db", db, "--port", str(port),
        "--data-dir", str(data_dir), "--rate-limit", "1000000", "--workers", str(workers),
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_up(url: str, server: subprocess.Popen[bytes]) -> None:
    """Wait until ``GET /health`` answers (at most 120 s)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"sparcs serve stopped with exit code {server.returncode}")
        try:
            if httpx2.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.2)
    raise SystemExit("sparcs serve did not start in 120 s")


def cpu_s(pids: Sequence[int]) -> float:
    """User + system CPU time [s] of the processes ``pids`` and all their children now."""
    total = 0.0
    for pid in pids:
        try:
            root = psutil.Process(pid)
            for process in (root, *root.children(recursive=True)):
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def _client(user: User) -> httpx2.AsyncClient:
    # the cookie as a plain header and the query already in the URL: httpx2's cookie jar and
    # parameter merging cost more client CPU than the server spends on a kept answer
    headers = user.headers | (
        {"Cookie": "; ".join(f"{k}={v}" for k, v in user.cookies.items())} if user.cookies else {}
    )
    return httpx2.AsyncClient(headers=headers, timeout=60)


async def _user(
    url: str, client: httpx2.AsyncClient, user: User, n: int, think_s: float, rng: random.Random
) -> list[tuple[str, float, int, str]]:
    out = []
    async with client:
        if think_s > 0:  # users arrive spread over the first think time
            await asyncio.sleep(rng.uniform(0, think_s))
        for i in range(n):
            request = user.request(i)
            query = "?" + urlencode(request.params) if request.params else ""
            target = url + request.path + query
            began = time.perf_counter()
            try:
                status = (await client.get(target)).status_code
            except httpx2.HTTPError:
                status = 0
            out.append((request.label, time.perf_counter() - began, status, request.phase))
            if think_s > 0:
                await asyncio.sleep(rng.expovariate(1 / think_s))
    return out


def _figures(latencies_s: Sequence[float]) -> dict[str, Any]:
    ms = np.asarray(latencies_s) * 1000
    if ms.size == 0:
        return {"n": 0}
    return {"n": int(ms.size)} | {
        f"p{q}_ms": round(float(np.percentile(ms, q)), 1) for q in (50, 95, 99)
    }


def drive(
    url: str,
    users: Sequence[User],
    requests: int,
    think_s: float,
    server_pids: Sequence[int],
    seed: int = 1,
) -> dict[str, Any]:
    """Run ``users`` at ``url`` (``requests`` each) and measure latency, errors and CPU.

    Parameters
    ----------
    url
        The server.
    users
        The clients.
    requests
        Requests per user.
    think_s
        Mean think time [s]; 0 for a closed loop.
    server_pids
        Processes whose CPU is the server's (their children count too).
    seed
        Seed of the think times.

    Returns
    -------
    dict
        Model, requests, errors (by status; 0 is a transport error), p50 / p95 / p99 overall
        and per label [ms], throughput [1/s], CPU per request of client and server [ms], load
        averages.
    """
    rng = random.Random(seed)
    # the clients are made before the clock starts: each builds its TLS context (some 30 ms of
    # CPU), which inside the run held the one event loop and delayed every user's first answers
    clients = [_client(u) for u in users]
    load_before = os.getloadavg()[0]
    server_before = cpu_s(server_pids)
    client_before = time.process_time()
    began = time.perf_counter()

    async def everyone() -> list[list[tuple[str, float, int, str]]]:
        return await asyncio.gather(
            *(
                _user(url, c, u, requests, think_s, random.Random(rng.random()))
                for c, u in zip(clients, users, strict=True)
            )
        )

    done = asyncio.run(everyone())
    wall = time.perf_counter() - began
    client = time.process_time() - client_before
    server = cpu_s(server_pids) - server_before
    rows = [row for one in done for row in one]
    statuses = Counter(row[2] for row in rows)
    n = len(rows)
    model = (
        f"closed loop: {len(users)} clients, each sends its next request when the last is "
        "answered (no think time)"
        if think_s == 0
        else f"{len(users)} users, each thinks {think_s} s on average (exponential) between "
        f"an answer and its next request (offered at most {len(users) / think_s:.0f} req/s)"
    )
    result: dict[str, Any] = {
        "model": model,
        "requests": n,
        "errors": n - statuses.get(200, 0),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "wall_s": round(wall, 2),
        "requests_per_s": round(n / wall, 1),
        "all": _figures([row[1] for row in rows]),
    }
    for phase in sorted({row[3] for row in rows} - {""}):
        result[phase] = _figures([row[1] for row in rows if row[3] == phase])
    for label in dict.fromkeys(row[0] for row in rows):
        result[label] = _figures([row[1] for row in rows if row[0] == label])
    result |= {
        "server_cpu_ms_per_request": round(1000 * server / n, 2),
        "client_cpu_ms_per_request": round(1000 * client / n, 2),
        "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }
    return result
