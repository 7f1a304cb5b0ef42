"""Search for areas and services by name or code: /search."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from api.links import url
from api.openapi import error_responses, ok_response, query_param
from api.params import negotiate, parse_number, reject_unknown
from api.render import html_response
from api.responses import HTML, JSON, json_response
from api.service import Service
from geo.errors import InvalidParameterError
from geo.query.search import clear_winner
from maps.front_door import not_found_page, results_page

MAX_QUERY = 200
"""Longest query accepted (characters): names here are under 60."""


def register(app: FastAPI, service: Service) -> None:
    """Add /search."""
    router = APIRouter(tags=["Profiles and indicators"])
    index = service.search_index
    attributions = service.store.attribution_lines()

    @router.get(
        "/search",
        responses={
            **ok_response(JSON, HTML),
            303: {"description": "the one clear match"},
            **error_responses(400, 404),
        },
        openapi_extra={
            "parameters": [
                query_param(
                    "q",
                    {"type": "string", "minLength": 1, "maxLength": MAX_QUERY, "pattern": r"\S"},
                    "A name or code: ward, neighbourhood, LSOA, borough or service; case, "
                    "punctuation and small typos are forgiven.",
                    required=True,
                ),
                query_param("limit", {"type": "integer", "minimum": 1, "maximum": 50}, "Results."),
                query_param("f", {"type": "string", "enum": ["json", "html"]}, "Format."),
            ]
        },
    )
    async def search(request: Request) -> Response:
        """Areas and services matching a name or code, best first. In a browser, the one clear
        match opens directly; no match is a 404 page with the closest names."""
        reject_unknown(request, {"q", "limit", "f"})
        fmt = negotiate(request, {"json": JSON, "html": HTML}, default="json")
        query = request.query_params.get("q", "").strip()
        if not query:
            msg = "give q, a name or code to search for (e.g. q=Edgeley)"
            raise InvalidParameterError(msg)
        if len(query) > MAX_QUERY:
            msg = f"q is at most {MAX_QUERY} characters; got {len(query)}"
            raise InvalidParameterError(msg)
        limit = int(parse_number(request.query_params.get("limit", "10"), "limit", 1, 50))
        hits = index.search(query, limit=limit)
        if fmt == "html":
            winner = clear_winner(hits)
            if winner is not None:
                return RedirectResponse(winner.path, status_code=303)
            if not hits:
                message = f"Nothing in Stockport matches “{query}”."
                body = not_found_page(
                    message, query, index.suggestions(query), attributions=attributions
                )
                return html_response(body, status_code=404)
            return html_response(results_page(query, hits, attributions=attributions))
        return json_response(
            {
                "query": query,
                "results": [
                    {**asdict(h), "href": url(request, h.path.split("?")[0])} for h in hits
                ],
                "suggestions": [] if hits else [asdict(h) for h in index.suggestions(query)],
            }
        )

    app.include_router(router)
