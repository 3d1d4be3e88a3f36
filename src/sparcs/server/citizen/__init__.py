"""The citizen's pages (``/citizen/{household}/…``) and API (``/api/v1/citizen/…``,
``/api/v1/districts/{id}/proposals``): a household's own energy, green hours, statements,
proposals and votes, in eight languages, usable without JavaScript."""

from sparcs.server.citizen.routes import router

__all__ = ["router"]
