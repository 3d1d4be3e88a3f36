"""Every citizen route in one router (registered by :func:`sparcs.server.app.create_app`)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import FileResponse

from sparcs.server.citizen import account, green, household, notify, votes
from sparcs.server.problems import ApiProblem

__all__ = ["router"]

router = APIRouter()
for module in (household, green, votes, account, notify):
    router.include_router(module.router)
router.include_router(votes.api)
router.include_router(account.api)
router.include_router(notify.api)


_MEDIA = {"citizen.css": "text/css", "chart.js": "text/javascript"}


@router.get("/citizen/static/{name}", include_in_schema=False)
def static_file(name: str) -> FileResponse:
    if name not in _MEDIA:
        raise ApiProblem(404, f"no file {name!r}")
    path = resources.files("sparcs.server.citizen").joinpath("templates", name)
    return FileResponse(str(path), media_type=_MEDIA[name])
