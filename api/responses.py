"""Small response helpers: orjson bodies and the media types the API speaks."""

from __future__ import annotations

from typing import Any

import orjson
import pandas as pd
from fastapi import Response

from geo.vocabulary import json_safe

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html; charset=utf-8"
CSV = "text/csv; charset=utf-8"
GPKG = "application/geopackage+sqlite3"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
META_FORMATS = {"json": JSON, "html": HTML}
ITEM_FORMATS = {"json": GEOJSON, "geojson": GEOJSON, "html": HTML, "csv": CSV, "gpkg": GPKG}
"""Formats of feature collections and items."""
"""Formats of metadata documents (landing, conformance, collections)."""


def json_response(
    content: Any,
    *,
    media_type: str = JSON,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """Serialise with orjson (NaN becomes null)."""
    body = orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def bytes_response(
    body: bytes,
    *,
    media_type: str,
    headers: dict[str, str] | None = None,
    filename: str | None = None,
) -> Response:
    """Raw bytes; with `filename`, served as a download."""
    headers = dict(headers or {})
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body, media_type=media_type, headers=headers)


def records_json(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a frame as JSON-safe dicts (missing values become null)."""
    return [{str(k): json_safe(v) for k, v in row.items()} for row in frame.to_dict("records")]
