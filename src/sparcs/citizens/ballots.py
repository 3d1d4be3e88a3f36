"""Secret ballots: one vote per household, changeable until the deadline, counted in aggregate.

Two tables keep apart *who* voted and *what* was voted:

- ``vote_register`` (proposal, household): eligibility, one row per household that voted;
- ``ballots`` (proposal, ballot key, choice): no household. The ballot key is the SHA-256 of
  the proposal id and the voter's **token secret**, which the store never keeps (it keeps the
  token's own hash only), so the store alone cannot tell whose ballot is whose; the voter's
  token finds its ballot again to change it.

A household that voted with one token and comes back with another cannot change its vote
(its old ballot cannot be found without the old secret); it is told so. Results are shown
only from :data:`~sparcs.citizens.privacy.K_MIN` ballots on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sparcs.citizens.privacy import K_MIN
from sparcs.citizens.proposals import Proposal
from sparcs.errors import DataError
from sparcs.store.store import Store

__all__ = [
    "CHOICES",
    "Results",
    "ballot_key",
    "ballots_of",
    "cast_vote",
    "my_choice",
    "results",
]

#: What a household can vote.
CHOICES = ("yes", "no", "abstain")


def ballot_key(proposal_id: str, token_secret: str) -> str:
    """The ballot's key: SHA-256 of the proposal id and the voter's token secret (hex).

    Examples
    --------
    >>> len(ballot_key("p1", "secret"))
    64
    """
    return hashlib.sha256(f"{proposal_id}\n{token_secret}".encode()).hexdigest()


def cast_vote(
    store: Store,
    proposal: Proposal,
    household: str,
    token_secret: str,
    choice: str,
    *,
    now: datetime | None = None,
) -> None:
    """Record or change a household's vote.

    Parameters
    ----------
    store
        The open store.
    proposal
        The proposal (of the household's district: the caller checks the scope).
    household
        The voting household.
    token_secret
        The voter's token (derives the ballot key; never stored).
    choice
        One of :data:`CHOICES`.
    now
        The time of the vote (UTC); default now.

    Raises
    ------
    DataError
        An unknown choice, a closed vote, or a change from another token.
    """
    if choice not in CHOICES:
        msg = f"choice: {choice!r} is not one of {', '.join(CHOICES)}"
        raise DataError(msg)
    if not proposal.open_at(now or datetime.now(UTC)):
        msg = f"the vote on {proposal.id!r} closed at {proposal.deadline.isoformat()}"
        raise DataError(msg)
    key = ballot_key(proposal.id, token_secret)
    with store.backend.transaction():
        voted = store.backend.execute(
            "SELECT 1 FROM vote_register WHERE proposal_id = ? AND household_id = ?",
            (proposal.id, household),
        )
        mine = store.backend.execute(
            "SELECT 1 FROM ballots WHERE proposal_id = ? AND ballot_key = ?", (proposal.id, key)
        )
        if voted and not mine:
            msg = "your household voted with another token; that vote stands"
            raise DataError(msg)
        if mine:
            store.backend.execute(
                "UPDATE ballots SET choice = ? WHERE proposal_id = ? AND ballot_key = ?",
                (choice, proposal.id, key),
            )
            return
        store.backend.execute(
            "INSERT INTO vote_register (proposal_id, household_id) VALUES (?, ?)",
            (proposal.id, household),
        )
        store.backend.execute(
            "INSERT INTO ballots (proposal_id, ballot_key, choice) VALUES (?, ?, ?)",
            (proposal.id, key, choice),
        )


def my_choice(store: Store, proposal_id: str, token_secret: str) -> str | None:
    """What this token voted on the proposal, or None."""
    rows = store.backend.execute(
        "SELECT choice FROM ballots WHERE proposal_id = ? AND ballot_key = ?",
        (proposal_id, ballot_key(proposal_id, token_secret)),
    )
    return str(rows[0][0]) if rows else None


def ballots_of(store: Store, proposal_ids: list[str]) -> dict[tuple[str, str], str]:
    """Every ballot of the proposals, by (proposal, ballot key): one statement for a page
    that shows each reader their own choice (a ballot key names no household).

    Parameters
    ----------
    store
        The open store.
    proposal_ids
        The proposals.

    Returns
    -------
    dict
        ``(proposal id, ballot key) -> choice``; look a reader's up with :func:`ballot_key`.
    """
    if not proposal_ids:
        return {}
    marks = ", ".join("?" for _ in proposal_ids)
    rows = store.backend.execute(
        f"SELECT proposal_id, ballot_key, choice FROM ballots WHERE proposal_id IN ({marks})",
        proposal_ids,
    )
    return {(str(p), str(k)): str(c) for p, k, c in rows}


@dataclass(frozen=True)
class Results:
    """The aggregate result of a vote.

    Attributes
    ----------
    ballots
        Ballots cast.
    counts
        Ballots per choice, None under :data:`~sparcs.citizens.privacy.K_MIN` ballots.
    """

    ballots: int
    counts: dict[str, int] | None


def results(store: Store, proposal_id: str) -> Results:
    """Ballots per choice (suppressed under 5 ballots).

    Parameters
    ----------
    store
        The open store.
    proposal_id
        The proposal.

    Returns
    -------
    Results
        The counts.
    """
    rows = store.backend.execute(
        "SELECT choice, count(*) FROM ballots WHERE proposal_id = ? GROUP BY choice",
        (proposal_id,),
    )
    counts = dict.fromkeys(CHOICES, 0) | {str(c): int(n) for c, n in rows}
    total = sum(counts.values())
    return Results(total, counts if total >= K_MIN else None)
