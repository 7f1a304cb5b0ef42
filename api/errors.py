"""One table from domain exceptions to HTTP statuses, and one JSON error shape for all errors."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.responses import json_response
from geo.errors import (
    AmbiguousAreaError,
    GeoError,
    InvalidParameterError,
    NotFoundError,
    StoreError,
)

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


def add_exception_handlers(app: FastAPI) -> None:
    """Install handlers so every error has the same shape and no internals leak."""

    @app.exception_handler(GeoError)
    async def geo_error(_request: Request, exc: GeoError) -> Response:
        return domain_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> Response:
        return error_response(400, "InvalidParameterValue", _validation_description(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTPStatus(exc.status_code).phrase.replace(" ", "")
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        response = error_response(exc.status_code, code, detail)
        response.headers.update(exc.headers or {})  # e.g. Allow on 405
        return response

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> Response:
        logger.exception("unexpected error", exc_info=exc)
        return error_response(500, "ServerError", "internal error (logged on the server)")
