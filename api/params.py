"""Query parameter parsing shared by the routes: unknown parameters, limit, offset, f, crs."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request

from api.openapi import query_param
from api.responses import ITEM_FORMATS
from api.settings import ApiSettings
from geo.crs import CRS84_URI, SUPPORTED_CRS, normalise_crs
from geo.errors import InvalidParameterError
from geo.query.collections import Collection
from geo.query.cql2 import MAX_FILTER_CHARS, Expression, not_queryable, parse_filter

_INTEGER = re.compile(r"^\s*[0-9]{1,15}\s*$")
"""ASCII digits only (int() also reads other scripts' digits) and bounded: a page parameter
of thousands of digits is refused, not converted."""
LARGEST_INTEGER = 10**15 - 1
"""The largest integer parameter (15 digits), as the OpenAPI document states."""
DATETIME_PATTERN = (
    r"^((\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)|\.\.)?"
    r"(/((\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)|\.\.)?)?$"
)
BBOX_PATTERN = (
    r"^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?(\s*,\s*-?\d+(\.\d+)?([eE][-+]?\d+)?){3}"
    r"((\s*,\s*-?\d+(\.\d+)?([eE][-+]?\d+)?){2})?\s*$"
)


def reject_unknown(request: Request, allowed: set[str]) -> None:
    """OGC API - Features: an unknown query parameter is a 400, naming it and the allowed ones."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        msg = (
            f"unknown query parameter(s) {', '.join(unknown)}; allowed here: "
            f"{', '.join(sorted(allowed)) or 'none'}"
        )
        raise InvalidParameterError(msg)
    repeated = sorted({k for k in request.query_params if len(request.query_params.getlist(k)) > 1})
    if repeated:
        msg = f"query parameter(s) given more than once: {', '.join(repeated)}"
        raise InvalidParameterError(msg)


def parse_int(request: Request, name: str, *, default: int, minimum: int) -> int:
    """A non-negative integer parameter with a minimum."""
    text = request.query_params.get(name)
    if text is None:
        return default
    if not _INTEGER.match(text):
        shown = text if len(text) <= 40 else text[:40] + "…"
        msg = f"{name} must be an integer >= {minimum} (digits 0-9, at most 15); got {shown!r}"
        raise InvalidParameterError(msg)
    value = int(text)
    if value < minimum:
        msg = f"{name} must be an integer >= {minimum}; got {value}"
        raise InvalidParameterError(msg)
    return value


def parse_limit(request: Request, *, default: int, maximum: int) -> int:
    """`limit`: at least 1; a value above the maximum is capped, not refused (OGC)."""
    return min(parse_int(request, "limit", default=default, minimum=1), maximum)


def parse_where(request: Request, queryables: dict[str, str]) -> Expression | None:
    """`filter` in CQL2 text (`filter-lang=cql2-text`, the default) over the queryables."""
    lang = request.query_params.get("filter-lang", "cql2-text")
    if lang != "cql2-text":
        msg = f"filter-lang must be cql2-text (cql2-json is not served); got {lang!r}"
        raise InvalidParameterError(msg)
    if "filter-crs" in request.query_params:
        normalise_crs(request.query_params["filter-crs"])  # checked; no geometry literals
    text = request.query_params.get("filter")
    return None if text is None else parse_filter(text, queryables)


MAX_SORT_KEYS = 5


def parse_sortby(request: Request, queryables: dict[str, str]) -> list[tuple[str, bool]]:
    """`sortby`: queryables separated by commas, each optionally prefixed + (ascending, the
    default) or - (descending), e.g. `sortby=-imd2025_score,name`."""
    text = request.query_params.get("sortby")
    if text is None:
        return []
    keys: list[tuple[str, bool]] = []
    for part in text.split(","):
        item = part.strip()  # a literal + in a URL arrives as a space
        ascending = not item.startswith("-")
        name = item.lstrip("+-").strip()
        if name not in queryables:
            raise InvalidParameterError(not_queryable("sortby", name, queryables))
        if any(name == k for k, _ in keys):
            msg = f"sortby: {name!r} is given twice"
            raise InvalidParameterError(msg)
        keys.append((name, ascending))
    if len(keys) > MAX_SORT_KEYS:
        msg = f"sortby: at most {MAX_SORT_KEYS} properties; got {len(keys)}"
        raise InvalidParameterError(msg)
    return keys


def parse_crs(request: Request, name: str) -> str:
    """`crs` or `bbox-crs` as a canonical URI (default CRS84)."""
    text = request.query_params.get(name)
    return CRS84_URI if text is None else normalise_crs(text)


def check_datetime(request: Request) -> None:
    """`datetime` is accepted (RFC 3339 instant or interval); layers here have no time axis."""
    text = request.query_params.get("datetime")
    if text is not None and not re.match(DATETIME_PATTERN, text):
        msg = f"datetime must be an RFC 3339 date-time or interval; got {text!r}"
        raise InvalidParameterError(msg)


def negotiate(request: Request, offered: dict[str, str], *, default: str) -> str:
    """Pick an output format: `f` wins, then the Accept header, then `default`."""
    f = request.query_params.get("f")
    if f is not None:
        if f not in offered:
            msg = f"f must be one of {', '.join(offered)}; got {f!r}"
            raise InvalidParameterError(msg)
        return f
    for media in ranked_media(request.headers.get("accept", "")):
        if media in ("*/*", ""):
            return default
        for name, offered_type in offered.items():
            if offered_type.split(";")[0] == media:
                return name
        if media == "application/json" and "geojson" in offered:
            return "geojson"
    return default


MAX_MEDIA_RANGES = 64
"""Media ranges of an Accept header that are read (a longer header's tail is ignored)."""

SERVED_MEDIA = (
    "application/json",
    "application/geo+json",
    "text/html",
    "text/csv",
    "application/geopackage+sqlite3",
    "application/schema+json",
    "application/vnd.oai.openapi+json",
)
"""Every media type a route offers: other ranges in an Accept header cannot change a response."""


def ranked_media(accept: str) -> list[str]:
    """The media ranges of an Accept header, most wanted first (q, then order)."""
    choices = []
    for position, part in enumerate(accept.split(",", MAX_MEDIA_RANGES)[:MAX_MEDIA_RANGES]):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        match = re.search(r"q=([0-9.]{1,8})", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0.0
        choices.append((-quality, position, media.strip().lower()))
    return [media for _, _, media in sorted(choices)]


def accept_key(accept: str) -> str:
    """What of an Accept header can change a response (:func:`negotiate`'s view of it): the
    served media types in rank order, up to the first wildcard. Response caches key on this,
    never on the raw header, so distinct huge headers share one small key."""
    kept = []
    for media in ranked_media(accept):
        if media in ("*/*", ""):
            kept.append("*/*")
            break
        if media in SERVED_MEDIA:
            kept.append(media)
    return ",".join(kept)


def crs_parameter(name: str, description: str) -> dict[str, object]:
    """OpenAPI description of a `crs`-like parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "enum": list(SUPPORTED_CRS)},
    }


def parse_number(
    text: str, name: str, low: float | None = None, high: float | None = None
) -> float:
    """A finite number from a query parameter (within [low, high] when both are given)."""
    try:
        value = float(text)
    except ValueError:
        msg = f"{name} must be a number; got {text!r}"
        raise InvalidParameterError(msg) from None
    if (
        value != value
        or value in (float("inf"), float("-inf"))
        or (low is not None and high is not None and not low <= value <= high)
    ):
        msg = f"{name} must be a finite number" + (
            f" in [{low}, {high}]" if low is not None else ""
        )
        raise InvalidParameterError(msg)
    return value


def item_parameters(c: Collection, settings: ApiSettings) -> list[dict[str, Any]]:
    """The OpenAPI query parameters of /items, from the settings in force (so the documented
    default and cap are the ones :func:`parse_limit` applies) and the collection's queryables."""
    return [
        query_param(
            "f",
            {"type": "string", "enum": list(ITEM_FORMATS)},
            "Output format: json (GeoJSON), html, csv or gpkg (GeoPackage download).",
        ),
        query_param(
            "bbox",
            {"type": "string", "pattern": BBOX_PATTERN},
            "minx,miny,maxx,maxy (or 6 numbers with heights) in bbox-crs (default CRS84).",
        ),
        crs_parameter("bbox-crs", "CRS of bbox (default CRS84)."),
        crs_parameter("crs", "CRS of the response geometries (default CRS84)."),
        query_param(
            "limit",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": LARGEST_INTEGER,
                "default": settings.default_limit,
            },
            f"Page size; values above {settings.max_limit:,} are capped to {settings.max_limit:,}.",
        ),
        query_param(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": LARGEST_INTEGER, "default": 0},
            "Start index.",
        ),
        query_param(
            "datetime",
            {"type": "string", "pattern": DATETIME_PATTERN},
            "RFC 3339 instant or interval; these layers have no time axis, so every "
            "feature matches.",
        ),
        query_param(
            "filter",
            {"type": "string", "maxLength": MAX_FILTER_CHARS},
            "CQL2 text over the queryables, e.g. imd2025_score > 30 AND name <> 'Edgeley': "
            "= <> < <= > >=, IS NULL, BETWEEN, IN, AND, OR, NOT; text ignores case.",
        ),
        query_param(
            "filter-lang", {"type": "string", "enum": ["cql2-text"]}, "Language of filter."
        ),
        query_param(
            "sortby",
            {"type": "string"},
            "Queryables to sort by, comma-separated, - for descending, e.g. -imd2025_score,name.",
        ),
        *[
            query_param(name, {"type": kind}, f"Only features whose {name} equals this value.")
            for name, kind in c.queryables.items()
        ],
    ]
