"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API returns is one :class:`ProblemDetail`: ``type``, ``title``, ``status``,
``detail`` and, for invalid input, ``errors``: every field problem at once, each with its
location (``buildings[2].pv.kwp``, ``body.strategy``, ``query.start``) and what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from sparcs.errors import DataError, Problem, ScenarioError, SparcsError, StoreError

__all__ = [
    "PROBLEM_JSON",
    "PROBLEM_RESPONSES",
    "ApiProblem",
    "FieldError",
    "ProblemDetail",
    "install_problem_handlers",
    "problem_response",
]

log = logging.getLogger("sparcs.server")
PROBLEM_JSON = "application/problem+json"
_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal server error",
}


class FieldError(BaseModel):
    """One problem of the input: where it is and what to do."""

    location: str = Field(description="field path, e.g. buildings[2].pv.kwp or query.start")
    message: str


class ProblemDetail(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] = Field(default_factory=list)


#: The error responses every route documents (OpenAPI).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemDetail, "content": {PROBLEM_JSON: {}}, "description": _TITLES[status]}
    for status in (401, 403, 404, 422, 429)
}


class ApiProblem(Exception):
    """Raised in a route to answer with a problem detail."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})


def problem_response(
    status: int,
    detail: str,
    errors: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A ``application/problem+json`` response.

    Parameters
    ----------
    status
        HTTP status.
    detail
        What went wrong and what to do, in one sentence.
    errors
        Field problems, all of them.
    headers
        Extra headers (``Retry-After``, ``WWW-Authenticate``).

    Returns
    -------
    JSONResponse
        The response.
    """
    body = ProblemDetail(
        title=_TITLES.get(status, "Error"), status=status, detail=detail, errors=list(errors)
    )
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {})
    )


def _location(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def field_errors(problems: Sequence[Problem]) -> list[FieldError]:
    """Field errors of a :class:`~sparcs.errors.ScenarioError`'s problems.

    Parameters
    ----------
    problems
        The problems found.

    Returns
    -------
    list of FieldError
        One per problem.
    """
    return [FieldError(location=p.location, message=p.message) for p in problems]


async def _api_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(exc.status, exc.detail, exc.errors, exc.headers)


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(location=_location(e.get("loc", ())), message=str(e.get("msg", "invalid")))
        for e in exc.errors()
    ]
    return problem_response(422, f"{len(errors)} problem(s) in the request", errors)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem_response(exc.status_code, str(exc.detail), headers=exc.headers)


async def _sparcs(_: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, ScenarioError):
        return problem_response(
            422, f"{len(exc.problems)} problem(s) in the input", field_errors(exc.problems)
        )
    if isinstance(exc, StoreError):
        return problem_response(409, str(exc))
    if isinstance(exc, DataError):
        return problem_response(422, str(exc), [FieldError(location="body", message=str(exc))])
    return problem_response(422, str(exc))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return problem_response(500, f"internal error ({type(exc).__name__}); see the server log")


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` with a problem detail.

    Parameters
    ----------
    app
        The application.
    """
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(SparcsError, _sparcs)
    app.add_exception_handler(Exception, _unexpected)
