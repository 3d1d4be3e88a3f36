"""Role isolation: every endpoint x every role, on a resource in the token's scope and one out of it.

The tokens are scoped to district ``centro`` (the citizen to household ``h1`` there); "out" is
the same kind of resource in district ``norte`` (or city ``espoo``). Expected outcomes are
written here by hand from the issue's rules, not read from the server's table:
a role that may not do the action gets 403; out of scope gets 403 where existence is public
(cities, districts) and 404 where it must not leak (households, meters, scenarios, runs, jobs).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from served import ROLES, SMALL, World

_ids = itertools.count()


def _unique(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


@dataclass(frozen=True)
class Endpoint:
    """One endpoint: how to call it in and out of scope, who may, and what out-of-scope gets."""

    name: str
    method: str
    path: Callable[[dict[str, Any], bool], str]
    roles: frozenset[str]
    out_status: int | None  # None: the endpoint has no scope (creating cities, tokens)
    body: Callable[[bool], Any] | None = None
    content: str | None = None


ALL = frozenset(ROLES)
ADMIN = frozenset({"admin"})
PLANNING = frozenset({"admin", "planner"})
OPERATING = frozenset({"admin", "operator"})
STAFF = frozenset({"admin", "planner", "operator"})


def _in(key: str, out: str) -> Callable[[dict[str, Any], bool], str]:
    return lambda ids, inside: str(ids[key] if inside else ids[out])


def _run(suffix: str) -> Callable[[dict[str, Any], bool], str]:
    return lambda ids, inside: f"/api/v1/runs/{ids['r-centro' if inside else 'r-norte']}{suffix}"


def _scenario(suffix: str) -> Callable[[dict[str, Any], bool], str]:
    return lambda ids, inside: (
        f"/api/v1/scenarios/{ids['s-centro' if inside else 's-norte']}{suffix}"
    )


def _meter(inside: bool) -> str:
    return "m-h1" if inside else "m-norte"


ENDPOINTS = [
    Endpoint("get city", "GET", lambda i, x: f"/api/v1/cities/{'maia' if x else 'espoo'}", ALL, 403),
    Endpoint("get district", "GET", lambda i, x: f"/api/v1/districts/{'centro' if x else 'norte'}", ALL, 403),
    Endpoint("post city", "POST", lambda i, x: "/api/v1/cities", ADMIN, None,
             lambda x: {"id": _unique("c"), "name": "C", "timezone": "Europe/Lisbon"}),
    Endpoint("post district", "POST", lambda i, x: "/api/v1/districts", ADMIN, None,
             lambda x: {"id": _unique("d"), "city": "maia", "name": "D"}),
    Endpoint("post building", "POST", lambda i, x: "/api/v1/buildings", ADMIN, None,
             lambda x: {"id": _unique("b"), "district": "centro", "floor_area_m2": 100.0}),
    Endpoint("post household", "POST", lambda i, x: "/api/v1/households", ADMIN, None,
             lambda x: {"id": _unique("h"), "district": "centro", "name": "H"}),
    Endpoint("get household", "GET", lambda i, x: f"/api/v1/households/{'h1' if x else 'h2'}", ALL, 404),
    Endpoint("post meter", "POST", lambda i, x: "/api/v1/meters", OPERATING, 403,
             lambda x: {"id": _unique("m"), "node": "district", "quantity": "grid_export_kwh",
                        "unit": "kWh", "district": "centro" if x else "norte"}),
    Endpoint("post scenario", "POST",
             lambda i, x: f"/api/v1/scenarios?district={'centro' if x else 'norte'}", PLANNING, 403,
             lambda x: SMALL.read_text(encoding="utf-8"), "application/toml"),
    Endpoint("get scenario", "GET", _scenario(""), STAFF, 404),
    Endpoint("get scenario body", "GET", _scenario("/body"), STAFF, 404),
    Endpoint("post run", "POST", lambda i, x: "/api/v1/runs", PLANNING, 404, None),
    Endpoint("get job", "GET", lambda i, x: f"/api/v1/jobs/{i['j-centro' if x else 'j-norte']}", STAFF, 404),
    Endpoint("get run", "GET", _run(""), STAFF, 404),
    Endpoint("get kpis", "GET", _run("/kpis"), STAFF, 404),
    Endpoint("get verdict", "GET", _run("/verdict"), STAFF, 404),
    Endpoint("get monthly", "GET", _run("/monthly"), STAFF, 404),
    Endpoint("get report", "GET", _run("/report"), STAFF, 404),
    Endpoint("get flows", "GET", _run("/flows"), STAFF, 404),
    Endpoint("post readings", "POST", lambda i, x: "/api/v1/readings", OPERATING, 404,
             lambda x: {"readings": [{"time": "2025-03-05T00:00:00Z", "meter": _meter(x), "value": 1.5}]}),
    Endpoint("get readings", "GET", lambda i, x: f"/api/v1/readings?meter={_meter(x)}", ALL, 404),
    Endpoint("green hours", "GET", _scenario("/green-hours?start=2025-06-01T00:00&hours=24"), STAFF, 404),
    Endpoint("flexibility", "GET", _scenario("/flexibility?start=2025-06-01T00:00&hours=24"), STAFF, 404),
    Endpoint("flex request", "POST", _scenario("/flex-requests"), OPERATING, 404,
             lambda x: {"start": "2025-01-15T17:00", "end": "2025-01-15T19:00", "reduce_kw": 5.0}),
    Endpoint("measured kpis", "GET",
             _scenario("/measured-kpis?start=2025-03-01T00:00Z&end=2025-03-03T00:00Z"), STAFF, 404),
    Endpoint("plan vs actual", "GET", _scenario("/plan-vs-actual?from=2025-03-01&to=2025-03-02"), STAFF, 404),
    Endpoint("post token", "POST", lambda i, x: "/api/v1/tokens", ADMIN, None,
             lambda x: {"role": "planner", "district": "centro"}),
    Endpoint("list tokens", "GET", lambda i, x: "/api/v1/tokens", ADMIN, None),
]  # fmt: skip


def _call(world: World, endpoint: Endpoint, role: str, inside: bool) -> Any:
    path = endpoint.path(world.ids, inside)
    headers = world.auth(role)
    if endpoint.name == "post run":
        body = {"scenario": world.ids["s-centro" if inside else "s-norte"]}
        return world.client.post(path, json=body, headers=headers)
    if endpoint.body is None:
        return world.client.request(endpoint.method, path, headers=headers)
    body = endpoint.body(inside)
    if endpoint.content is not None:
        headers = headers | {"Content-Type": endpoint.content}
        return world.client.request(endpoint.method, path, content=body, headers=headers)
    return world.client.request(endpoint.method, path, json=body, headers=headers)


@pytest.mark.parametrize("inside", [True, False], ids=["in-scope", "out-of-scope"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_role_and_scope(world: World, endpoint: Endpoint, role: str, inside: bool) -> None:
    if not inside and endpoint.out_status is None:
        inside = True  # no scope to leave: the call is made again, as the in-scope one
    response = _call(world, endpoint, role, inside)
    if role not in endpoint.roles:
        expected: int | tuple[int, ...] = 403
    elif role == "admin" or inside:
        expected = (200, 201, 202)
    else:
        assert endpoint.out_status is not None
        expected = endpoint.out_status
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, (endpoint.name, role, inside, response.text[:400])
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == response.status_code


def test_no_token_is_401_on_every_endpoint(world: World) -> None:
    for endpoint in ENDPOINTS:
        path = endpoint.path(world.ids, True)
        response = world.client.request(endpoint.method, path)
        assert response.status_code == 401, endpoint.name
        assert response.headers["www-authenticate"] == "Bearer"
        wrong = world.client.request(
            endpoint.method, path, headers={"Authorization": "Bearer nope"}
        )
        assert wrong.status_code == 401, endpoint.name


@pytest.mark.parametrize(
    ("role", "cities", "districts", "meters"),
    [
        ("admin", {"maia", "espoo"}, {"centro", "norte", "keski"}, {"m-centro", "m-h1", "m-norte"}),
        ("planner", {"maia"}, {"centro"}, {"m-centro", "m-h1"}),
        ("operator", {"maia"}, {"centro"}, {"m-centro", "m-h1"}),
        ("citizen", {"maia"}, {"centro"}, {"m-h1"}),
    ],
)
def test_lists_hold_only_the_scope(
    world: World, role: str, cities: set[str], districts: set[str], meters: set[str]
) -> None:
    def ids(path: str) -> set[str]:
        got = world.client.get(path, headers=world.auth(role), params={"limit": 1000}).json()
        return {str(item["id"]) for item in got["items"]}

    assert ids("/api/v1/cities") >= cities and ids("/api/v1/cities") - cities <= (
        {i for i in ids("/api/v1/cities") if i.startswith("c-")} if role == "admin" else set()
    )
    assert ids("/api/v1/districts") & {"centro", "norte", "keski"} == districts
    assert ids("/api/v1/meters") & {"m-centro", "m-h1", "m-norte"} == meters
    if role != "citizen":
        scenarios = ids("/api/v1/scenarios")
        assert (world.ids["s-norte"] in scenarios) == (role == "admin")
        assert world.ids["s-centro"] in scenarios
        runs = ids("/api/v1/runs")
        assert (str(world.ids["r-norte"]) in runs) == (role == "admin")
