"""One table from domain exceptions to HTTP statuses, and one JSON error shape for all errors."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from http import HTTPStatus
from urllib.parse import unquote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.render import html_response
from api.responses import json_response
from geo.errors import (
    AmbiguousAreaError,
    GeoError,
    InvalidParameterError,
    NotFoundError,
    StoreError,
    TooComplexError,
)
from geo.query.search import SearchHit
from maps.front_door import not_found_page

logger = logging.getLogger("api")

STATUS_CODES: dict[type[GeoError], int] = {
    NotFoundError: 404,
    InvalidParameterError: 400,
    AmbiguousAreaError: 400,
    StoreError: 503,
}
"""Domain exception -> HTTP status. The most specific class in an exception's MRO wins."""


class BodyTooLargeError(GeoError):
    """A request body over the configured limit."""

    code = "PayloadTooLarge"


STATUS_CODES[BodyTooLargeError] = 413
STATUS_CODES[TooComplexError] = 413


def error_response(status: int, code: str, description: str) -> Response:
    """The one error shape: ``{"code": ..., "description": ...}``."""
    return json_response({"code": code, "description": description}, status=status)


def status_for(exc: GeoError) -> int:
    """Look the exception's class (or nearest base) up in the table; 500 if absent."""
    for cls in type(exc).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 500


def _validation_description(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def domain_error_response(exc: GeoError) -> Response:
    """The error response of a domain exception: status from the table, the one shape."""
    status = status_for(exc)
    if status >= 500:
        logger.error("domain error: %s", exc)
        return error_response(status, exc.code, "the data store is unavailable (see logs)")
    return error_response(status, exc.code, str(exc))


def prefers_html(request: Request) -> bool:
    """Did a person ask (f=html, or a browser whose first choice is HTML)?"""
    f = request.query_params.get("f")
    if f is not None:
        return f == "html"
    first = request.headers.get("accept", "").split(",")[0].strip().lower()
    return first.startswith("text/html")


Suggest = Callable[[str], Sequence[SearchHit]]


def not_found_html(request: Request, message: str, suggest: Suggest) -> Response:
    """A 404 page for people: the message, the closest names to the path's last part, and the
    search box."""
    wanted = unquote(request.url.path.rstrip("/").rsplit("/", 1)[-1])
    body = not_found_page(message, wanted, suggest(wanted), attributions=())
    return html_response(body, status_code=404)


def add_exception_handlers(app: FastAPI, *, suggest: Suggest | None = None) -> None:
    """Install handlers so every error has the same shape and no internals leak; with
    `suggest`, a person (HTML) asking for something missing gets a page of close names."""

    @app.exception_handler(GeoError)
    async def geo_error(request: Request, exc: GeoError) -> Response:
        if suggest is not None and status_for(exc) == 404 and prefers_html(request):
            return not_found_html(request, str(exc), suggest)
        return domain_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> Response:
        return error_response(400, "InvalidParameterValue", _validation_description(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTPStatus(exc.status_code).phrase.replace(" ", "")
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if suggest is not None and exc.status_code == 404 and prefers_html(request):
            return not_found_html(request, f"There is no page at {request.url.path}.", suggest)
        response = error_response(exc.status_code, code, detail)
        response.headers.update(exc.headers or {})  # e.g. Allow on 405
        return response

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> Response:
        logger.exception("unexpected error", exc_info=exc)
        return error_response(500, "ServerError", "internal error (logged on the server)")
