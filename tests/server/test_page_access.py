"""Pages show only what the role may see: every page x role, in and out of scope; no cookie
goes to the login page."""

from __future__ import annotations

import pytest
from served import ROLES, World

STAFF = {"admin", "planner", "operator"}


def _pages(world: World) -> list[tuple[str, set[str], set[str]]]:
    """(path, roles that get 200, roles that get 404 rather than 403)."""
    r_in, r_out = world.ids["r-centro"], world.ids["r-norte"]
    j_in = world.ids["j-centro"]
    return [
        ("/", set(ROLES), set()),
        ("/districts/centro", set(ROLES), set()),
        ("/districts/norte", {"admin"}, {"planner", "operator", "citizen"}),
        ("/scenarios/new", {"admin", "planner"}, set()),
        ("/districts/centro/operations", STAFF, set()),
        ("/districts/norte/operations", {"admin"}, {"planner", "operator"}),
        (f"/runs/{r_in}/report", STAFF, set()),
        (f"/runs/{r_out}/report", {"admin"}, {"planner", "operator"}),
        (f"/jobs/{j_in}", STAFF, set()),
        (f"/jobs/{j_in}/status", STAFF, set()),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_page_for_each_role(world: World, role: str) -> None:
    cookie = {"Cookie": f"sparcs_token={world.tokens[role]}"}
    for path, allowed, hidden in _pages(world):
        response = world.client.get(path, headers=cookie, follow_redirects=False)
        expected = 200 if role in allowed else (404 if role in hidden else 403)
        assert response.status_code == expected, (path, role, response.text[:300])
    planning_link = 'href="/scenarios/new"' in world.client.get("/", headers=cookie).text
    assert planning_link == (role in {"admin", "planner"})


def test_no_cookie_goes_to_login(world: World) -> None:
    for path, _, _ in _pages(world):
        response = world.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login", path
    bad = world.client.get("/", headers={"Cookie": "sparcs_token=nope"}, follow_redirects=False)
    assert bad.status_code == 303
