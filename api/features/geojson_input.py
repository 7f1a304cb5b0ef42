"""GeoJSON input: the posted-polygon schema and parsing a body into EPSG:27700 (no FastAPI)."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from geo.crs import BNG_URI, lat_lon_order, transformer
from geo.errors import InvalidParameterError, TooComplexError
from geo.query.custom_area import MAX_VERTICES

_POSITION = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3}
_RINGS = {
    "type": "array",
    "minItems": 1,
    "items": {"type": "array", "minItems": 4, "items": _POSITION},
}
_POLYGON = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {"type": {"type": "string", "enum": ["Polygon"]}, "coordinates": _RINGS},
}
_MULTIPOLYGON = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"type": "string", "enum": ["MultiPolygon"]},
        "coordinates": {"type": "array", "minItems": 1, "items": _RINGS},
    },
}
POLYGON_SCHEMA: dict[str, Any] = {
    "description": "A GeoJSON Polygon or MultiPolygon geometry, or a Feature holding one "
    "(CRS84 unless the crs parameter says otherwise). A polygon outside Stockport gets an empty "
    "profile with zero coverage.",
    "oneOf": [
        _POLYGON,
        _MULTIPOLYGON,
        {
            "type": "object",
            "required": ["type", "geometry"],
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "geometry": {"oneOf": [_POLYGON, _MULTIPOLYGON]},
            },
        },
    ],
}


def polygon_from_geojson(body: bytes, crs: str) -> shapely.Geometry:
    """A polygon in EPSG:27700 from a GeoJSON geometry or Feature body."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"the body must be GeoJSON: {exc.msg if hasattr(exc, 'msg') else exc}"
        raise InvalidParameterError(msg) from None
    except RecursionError:
        msg = "the body must be GeoJSON: arrays or objects nested too deeply"
        raise InvalidParameterError(msg) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        msg = f"the body must be GeoJSON: {str(exc)[:120]}"
        raise InvalidParameterError(msg) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        msg = "the body must be a GeoJSON Polygon or MultiPolygon (or a Feature holding one)"
        raise InvalidParameterError(msg)
    flat = _two_dimensional(data)
    try:
        geometry = shape(flat)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        msg = f"invalid polygon coordinates: {exc}"
        raise InvalidParameterError(msg) from None
    if geometry.is_empty:
        msg = "the polygon is empty"
        raise InvalidParameterError(msg)
    if crs == BNG_URI:
        return geometry
    swap = lat_lon_order(crs)
    t = transformer(crs, BNG_URI)

    def project(coords: Any) -> Any:
        xs, ys = (coords[:, 1], coords[:, 0]) if swap else (coords[:, 0], coords[:, 1])
        x, y = t.transform(xs, ys)
        return np.column_stack([x, y])

    return shapely.transform(geometry, project)


def _two_dimensional(geometry: dict[str, Any]) -> dict[str, Any]:
    """Drop heights (positions may mix 2 and 3 numbers); refuse malformed positions and rings."""

    def is_position(node: Any) -> bool:
        return (
            isinstance(node, list)
            and bool(node)
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in node)
        )

    positions = 0

    def flat(node: Any) -> Any:
        nonlocal positions
        if is_position(node):
            if len(node) not in (2, 3):
                msg = f"a position has 2 or 3 numbers; got {len(node)}"
                raise InvalidParameterError(msg)
            if not all(math.isfinite(v) for v in node):
                msg = f"a position has a number that is not finite: {node[:3]}"
                raise InvalidParameterError(msg)
            positions += 1
            if positions > MAX_VERTICES:
                msg = (
                    f"the polygon has more than {MAX_VERTICES:,} vertices (the limit for a "
                    "drawn area); simplify it, e.g. with ogr2ogr -simplify 5"
                )
                raise TooComplexError(msg)
            return node[:2]
        if not isinstance(node, list):
            msg = "coordinates must be nested arrays of numbers"
            raise InvalidParameterError(msg)
        if node and is_position(node[0]) and len(node) < 4:
            msg = f"a polygon ring needs at least 4 positions; got {len(node)}"
            raise InvalidParameterError(msg)
        return [flat(child) for child in node]

    return {**geometry, "coordinates": flat(geometry.get("coordinates"))}
