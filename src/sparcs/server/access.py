"""Who may do what: the actions of the API, the roles allowed each, and scope checks.

A token has a role and a scope (a city, a district, a household). The role decides the
*actions* (:data:`PERMISSIONS`); the scope decides the *resources*. A resource outside the
scope answers 403 where its existence is public (cities, districts, buildings) and 404 where
it must not leak (households, meters, scenarios, runs, jobs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sparcs.store.tokens import TokenRecord

__all__ = ["PERMISSIONS", "Action", "Principal", "allowed_roles"]

Action = Literal[
    "network.read",
    "network.manage",
    "assets.read",
    "meters.manage",
    "plans.read",
    "plans.write",
    "readings.read",
    "readings.write",
    "operations.read",
    "flex.write",
    "households.read",
    "tokens.manage",
]

#: The roles allowed each action (an admin may do everything).
PERMISSIONS: dict[str, frozenset[str]] = {
    "network.read": frozenset({"admin", "planner", "operator", "citizen"}),
    "network.manage": frozenset({"admin"}),
    "assets.read": frozenset({"admin", "planner", "operator"}),
    "meters.manage": frozenset({"admin", "operator"}),
    "plans.read": frozenset({"admin", "planner", "operator"}),
    "plans.write": frozenset({"admin", "planner"}),
    "readings.read": frozenset({"admin", "planner", "operator", "citizen"}),
    "readings.write": frozenset({"admin", "operator"}),
    "operations.read": frozenset({"admin", "planner", "operator"}),
    "flex.write": frozenset({"admin", "operator"}),
    "households.read": frozenset({"admin", "planner", "operator", "citizen"}),
    "tokens.manage": frozenset({"admin"}),
}


def allowed_roles(action: str) -> frozenset[str]:
    """The roles that may do ``action``.

    Parameters
    ----------
    action
        A key of :data:`PERMISSIONS`.

    Returns
    -------
    frozenset of str
        The roles.

    Examples
    --------
    >>> sorted(allowed_roles("plans.write"))
    ['admin', 'planner']
    """
    return PERMISSIONS[action]


@dataclass(frozen=True)
class Principal:
    """The caller: a valid token's role and scope."""

    token: TokenRecord

    @property
    def role(self) -> str:
        """``admin``, ``planner``, ``operator`` or ``citizen``."""
        return self.token.role

    def may(self, action: str) -> bool:
        """True when the role may do ``action``."""
        return self.role in PERMISSIONS[action]

    def sees(
        self, *, city: str | None = None, district: str | None = None, household: str | None = None
    ) -> bool:
        """True when a resource of this city, district and household is in scope.

        A citizen sees a household-level resource only when it is their own.
        """
        t = self.token
        if self.role == "admin":
            return True
        if t.city is not None and city is not None and city != t.city:
            return False
        if t.district is not None and district is not None and district != t.district:
            return False
        return not (self.role == "citizen" and household is not None and household != t.household)
