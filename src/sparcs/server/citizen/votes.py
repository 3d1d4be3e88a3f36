"""Proposals and votes: the page with every proposal of the district, its simulated effect,
cost per household, the household's vote (a form, no JavaScript) and the aggregate result;
the API to publish proposals (admin, planner) and to vote (citizen)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from sparcs.citizens.ballots import CHOICES, ballot_key, ballots_of, cast_vote, results
from sparcs.citizens.measures import simulate_effect
from sparcs.citizens.proposals import add_proposal, get_proposal, list_proposals
from sparcs.errors import DataError, ScenarioError
from sparcs.server.access import Principal
from sparcs.server.auth import StateDep, require
from sparcs.server.citizen.context import (
    Citizen,
    bearer_citizen,
    kept_page,
    page_citizen,
    render,
    state_of,
)
from sparcs.server.problems import PROBLEM_RESPONSES, ApiProblem
from sparcs.server.routers.scenarios import scenario_in_scope
from sparcs.server.uploads import parse_scenario
from sparcs.store.network import District, Household, get_record, list_records

__all__ = ["api", "router"]

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["citizens"], responses=PROBLEM_RESPONSES)


#: KPI names on the proposals page (msgids of the ``citizens`` catalogue).
KPI_NAMES = {
    "final_energy_electricity": "Grid electricity",
    "self_sufficiency": "Self-sufficiency",
    "peb": "Primary energy balance",
    "co2_net": "Net CO2 emissions",
    "peak_import": "Peak grid import",
    "net_energy_cost": "Net energy cost",
}


class ProposalIn(BaseModel):
    """A proposal to publish; with ``scenario`` its effect is simulated (two runs)."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=5000)
    deadline: datetime
    scenario: str | None = None
    measure: dict[str, Any] = Field(default_factory=dict)
    cost_eur: float | None = Field(default=None, ge=0)
    decidim_url: str | None = None


class VoteIn(BaseModel):
    """A vote: ``yes``, ``no`` or ``abstain``."""

    choice: str


def _proposal_rows(state: Any, citizen: Citizen) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    district = citizen.household.district

    def load() -> tuple[list[tuple[Any, Any]], dict[tuple[str, str], str]]:
        # the district's proposals, their results and their ballots (the reader's choice is
        # found by its ballot key: no statement per reader)
        with state.store() as store:
            found = [(p, results(store, p.id)) for p in list_proposals(store, district)]
            return found, ballots_of(store, [p.id for p, _ in found])

    found, ballots = state.kept.compute(("proposals", district), state.data_version(), load)
    return [{"p": p, "open": p.open_at(now), "results": tally,
             "mine": ballots.get((p.id, ballot_key(p.id, citizen.secret)))}
            for p, tally in found]  # fmt: skip


@router.get("/citizen/{household_id}/proposals")
async def proposals_page(request: Request, household_id: str, voted: str | None = None) -> Response:
    return await kept_page(request, household_id, lambda c: _proposals(request, c, voted))


def _proposals(request: Request, citizen: Citizen, voted: str | None) -> HTMLResponse:
    return render(
        "proposals.html",
        citizen,
        title=citizen.texts.gettext("Proposals and votes"),
        page="proposals",
        proposals=_proposal_rows(state_of(request), citizen),
        choices=CHOICES,
        voted=voted,
        kpi_names=KPI_NAMES,
        citizen_zone=ZoneInfo(citizen.timezone),
    )


def _vote(request: Request, citizen: Citizen, proposal_id: str, choice: str) -> None:
    with state_of(request).store() as store:
        proposal = get_proposal(store, proposal_id)
        if proposal is None or proposal.district != citizen.household.district:
            raise ApiProblem(404, f"no proposal {proposal_id!r} for this token")
        try:
            cast_vote(store, proposal, citizen.household.id, citizen.secret, choice)
        except DataError as exc:
            raise ApiProblem(409 if "choice" not in str(exc) else 422, str(exc)) from None


@router.post("/citizen/{household_id}/proposals/{proposal_id}/vote")
async def vote_form(request: Request, household_id: str, proposal_id: str) -> Response:
    citizen = page_citizen(request, household_id)
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    _vote(request, citizen, proposal_id, (form.get("choice") or [""])[0])
    target = f"/citizen/{household_id}/proposals?lang={citizen.lang}&voted={proposal_id}"
    return RedirectResponse(target + f"#p-{proposal_id}", status_code=303)


@api.post("/proposals/{proposal_id}/votes", status_code=204)
def vote_api(request: Request, proposal_id: str, body: VoteIn) -> Response:
    """Vote (a citizen token); a second vote of the same token replaces the first."""
    citizen = bearer_citizen(request)
    _vote(request, citizen, proposal_id, body.choice)
    return Response(status_code=204)


def _district_in_scope(state: Any, who: Principal, district_id: str) -> District:
    with state.store() as store:
        district: District | None = get_record(store, District, district_id)
    if district is None or not who.sees(city=district.city, district=district.id):
        raise ApiProblem(404, f"no district {district_id!r} for this token")
    return district


@api.post("/districts/{district_id}/proposals", status_code=201)
def publish(
    state: StateDep,
    who: Annotated[Principal, Depends(require("plans.write"))],
    district_id: str,
    body: ProposalIn,
) -> dict[str, Any]:
    """Publish a proposal; with a scenario, its effect is simulated with and without the measure."""
    district = _district_in_scope(state, who, district_id)
    with state.store() as store:
        households = len(list_records(store, Household, where={"district_id": district.id}))
        record = scenario_in_scope(store, who, body.scenario) if body.scenario else None
    effect: dict[str, Any] = {}
    if record is not None:
        try:
            data, _ = parse_scenario(record.body, record.format)
            effect = simulate_effect(data, body.measure).to_dict()
        except (DataError, ScenarioError) as exc:
            raise ApiProblem(422, str(exc)) from None
    effect["households"] = households
    effect["cost_per_household_eur"] = (
        body.cost_eur / households if body.cost_eur is not None and households else None
    )
    try:
        with state.store() as store:
            proposal = add_proposal(
                store, district=district.id, title=body.title, description=body.description,
                deadline=body.deadline, effect=json.loads(json.dumps(effect)),
                decidim_url=body.decidim_url, scenario=body.scenario, cost_eur=body.cost_eur,
            )  # fmt: skip
    except DataError as exc:
        raise ApiProblem(422, str(exc)) from None
    return {"id": proposal.id, "effect": proposal.effect}


@api.get("/districts/{district_id}/proposals")
def proposals_api(
    state: StateDep, who: Annotated[Principal, Depends(require("network.read"))], district_id: str
) -> dict[str, Any]:
    """The district's proposals with their effect and aggregate results (from 5 ballots)."""
    district = _district_in_scope(state, who, district_id)
    with state.store() as store:
        items = []
        for p in list_proposals(store, district.id):
            counted = results(store, p.id)
            items.append({"id": p.id, "title": p.title, "description": p.description,
                          "deadline": p.deadline.isoformat(), "decidim_url": p.decidim_url,
                          "cost_eur": p.cost_eur, "effect": p.effect,
                          "ballots": counted.ballots, "results": counted.counts})  # fmt: skip
    return {"items": items}
