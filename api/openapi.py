"""OpenAPI fragments shared by the route modules: the error shape, 200/304 entries, parameters."""

from __future__ import annotations

from typing import Any

from api.responses import HTML, JSON, META_FORMATS

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "description"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the JSON error shape (a 404 asked for by a person, f=html or a
    browser, is an HTML page of close names)."""
    text = {
        400: "Bad request (a malformed or unknown parameter)",
        404: "Not found",
        413: "Request body too large",
        500: "Server error",
        503: "Store unavailable",
    }
    return {
        s: {
            "description": text[s],
            "content": {
                JSON: {"schema": ERROR_SCHEMA},
                **({HTML.split(";")[0]: {}} if s == 404 else {}),
            },
        }
        for s in statuses
    }


def ok_response(*media: str, description: str = "OK") -> dict[int | str, dict[str, Any]]:
    """OpenAPI 200 entry listing every media type the route can answer with."""
    return {
        200: {"description": description, "content": {m.split(";")[0]: {} for m in media}},
        304: {"description": "Not modified (ETag or Last-Modified revalidation)"},
    }


def query_param(
    name: str, schema: dict[str, Any], description: str, *, required: bool = False
) -> dict[str, Any]:
    """OpenAPI query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


F_PARAM = query_param(
    "f",
    {"type": "string", "enum": list(META_FORMATS)},
    "Output format (default from the Accept header, else json).",
)
