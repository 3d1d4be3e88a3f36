"""The district's proposals to its households, in the store (table ``proposals``)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sparcs.errors import DataError
from sparcs.store.store import Store

__all__ = ["Proposal", "add_proposal", "get_proposal", "list_proposals"]

_COLUMNS = (
    "id, district_id, title, description, deadline, decidim_url, scenario_id, cost_eur, "
    "effect, created_at"
)


@dataclass(frozen=True)
class Proposal:
    """A proposal and its simulated effect.

    Attributes
    ----------
    id, district, title, description
        What it is and where.
    deadline
        Votes are taken until then (UTC).
    decidim_url
        The city's participation process (Decidim) to link to, or None.
    scenario
        The scenario its effect was simulated on, or None.
    cost_eur
        Investment [EUR], or None.
    effect
        :meth:`~sparcs.citizens.measures.Effect.to_dict` plus ``households`` (the district's
        households when published) and ``cost_per_household_eur``.
    created_at
        When it was published (UTC).
    """

    id: str
    district: str
    title: str
    description: str
    deadline: datetime
    decidim_url: str | None
    scenario: str | None
    cost_eur: float | None
    effect: dict[str, Any]
    created_at: datetime

    def open_at(self, now: datetime) -> bool:
        """True while votes are taken."""
        return now < self.deadline


def _record(row: tuple[Any, ...]) -> Proposal:
    values = list(row)
    values[8] = json.loads(values[8])
    for i in (4, 9):
        values[i] = values[i].astimezone(UTC)
    return Proposal(*values)


def add_proposal(
    store: Store,
    *,
    district: str,
    title: str,
    description: str,
    deadline: datetime,
    effect: dict[str, Any],
    decidim_url: str | None = None,
    scenario: str | None = None,
    cost_eur: float | None = None,
) -> Proposal:
    """Publish a proposal.

    Parameters
    ----------
    store
        The open store.
    district, title, description, deadline, effect, decidim_url, scenario, cost_eur
        See :class:`Proposal`; ``deadline`` is tz-aware.

    Returns
    -------
    Proposal
        As stored, with its new id.

    Raises
    ------
    DataError
        A naive deadline, or a Decidim link that is not https.
    """
    if deadline.tzinfo is None:
        msg = "deadline: give a UTC offset, e.g. 2026-12-31T18:00:00+00:00"
        raise DataError(msg)
    if decidim_url is not None and not decidim_url.startswith("https://"):
        msg = f"decidim_url: {decidim_url!r} is not an https:// address"
        raise DataError(msg)
    proposal = Proposal(
        id=secrets.token_hex(6),
        district=district,
        title=title,
        description=description,
        deadline=deadline.astimezone(UTC),
        decidim_url=decidim_url,
        scenario=scenario,
        cost_eur=cost_eur,
        effect=effect,
        created_at=datetime.now(UTC),
    )
    values = list(proposal.__dict__.values())
    values[8] = json.dumps(effect)
    store.backend.execute(
        f"INSERT INTO proposals ({_COLUMNS}) VALUES ({', '.join('?' for _ in values)})", values
    )
    return proposal


def get_proposal(store: Store, proposal_id: str) -> Proposal | None:
    """The proposal ``proposal_id``, or None."""
    rows = store.backend.execute(f"SELECT {_COLUMNS} FROM proposals WHERE id = ?", (proposal_id,))
    return _record(rows[0]) if rows else None


def list_proposals(store: Store, district: str) -> list[Proposal]:
    """The proposals of ``district``, the newest first.

    Parameters
    ----------
    store
        The open store.
    district
        District id.

    Returns
    -------
    list of Proposal
        Its proposals.
    """
    rows = store.backend.execute(
        f"SELECT {_COLUMNS} FROM proposals WHERE district_id = ? ORDER BY created_at DESC",
        (district,),
    )
    return [_record(r) for r in rows]
