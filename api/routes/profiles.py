"""Indicator catalogue, area profiles (standard and custom polygons) and point location."""

from __future__ import annotations

import json
from typing import Annotated, Any

import numpy as np
import orjson
import pandas as pd
import shapely
from fastapi import APIRouter, FastAPI, Path, Request, Response
from shapely.geometry import shape
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.features.encode import csv_bytes, feature_bytes, geopackage_bytes
from api.html import link, page, table
from api.links import base_of, url
from api.openapi import error_responses, ok_response, query_param
from api.params import negotiate, parse_crs, reject_unknown
from api.responses import CSV, GEOJSON, GPKG, HTML, JSON, bytes_response, json_response
from api.service import Service
from geo.crs import BNG_URI, CRS84_URI, SUPPORTED_CRS, lat_lon_order, transformer
from geo.errors import AreaNotFoundError, IndicatorNotFoundError, InvalidParameterError
from geo.query.custom_area import (
    METHOD_LABEL,
    WHY_UNAVAILABLE,
    custom_profile,
    unavailable_for_drawn_areas,
)
from geo.query.locate import locate_point
from geo.query.profiles import area_profile, get_area, methods_for
from geo.vocabulary import APPORTIONMENT_METHODS, AREA_TYPES, METHOD_LABELS

AreaType = Annotated[str, Path(json_schema_extra={"enum": list(AREA_TYPES)})]
AreaCode = Annotated[str, Path(json_schema_extra={"examples": ["E05015023"]})]
PROFILE_FORMATS = {"json": JSON, "geojson": GEOJSON, "html": HTML, "csv": CSV, "gpkg": GPKG}
METHOD_ENUM = [m.value for m in APPORTIONMENT_METHODS]
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


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    clean = frame.astype(object).where(frame.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in clean.to_dict("records")]


def profile_document(
    service: Service, request: Request, area_type: str, code: str, method: str | None
) -> dict[str, Any]:
    """The JSON profile of one area."""
    store = service.store
    ref = get_area(store, area_type, code)
    rows = area_profile(store, area_type, code, method=method)
    used = str(rows["method"].iloc[0]) if len(rows) else ""
    sources = set(";".join(rows["source_id"]).split(";"))
    area = store.areas[area_type].loc[code]
    details = {
        k: area[k]
        for k in (
            "area_ha",
            "neighbourhood_id",
            "members",
            "basis",
            "ward_code_best_fit",
            "msoa_code",
        )
        if k in area.index
    }
    return {
        "area": {
            "type": area_type,
            "code": ref.code,
            "name": ref.name,
            **{k: (None if isinstance(v, float) and v != v else v) for k, v in details.items()},
        },
        "method": used,
        "method_label": METHOD_LABELS.get(used, used),
        "available_methods": methods_for(store, area_type),
        "standin": bool(rows["standin"].any()),
        "warnings": sorted({w for w in rows["warning"].fillna("") if w}),
        "attribution": store.attribution_lines(sources | {"lsoa_2021", "wards_2023"}),
        "indicators": _records(rows),
        "links": [
            {
                "href": url(request, f"/profiles/{area_type}/{code}", f=f),
                "rel": rel,
                "type": media.split(";")[0],
                "title": f"profile as {f}",
            }
            for f, media, rel in (
                ("json", JSON, "self"),
                ("geojson", GEOJSON, "alternate"),
                ("html", HTML, "alternate"),
                ("csv", CSV, "alternate"),
                ("gpkg", GPKG, "alternate"),
            )
        ]
        + [
            {
                "href": url(request, f"/collections/{area_type}/items/{code}"),
                "rel": "item",
                "type": "application/geo+json",
                "title": "the area as a feature",
            }
        ],
    }


def register(app: FastAPI, service: Service) -> None:
    """Add /indicators, /profiles and /locate."""
    router = APIRouter(tags=["Profiles and indicators"])
    store = service.store

    @router.get(
        "/indicators",
        responses={**ok_response(JSON, HTML, CSV), **error_responses(400)},
        openapi_extra={
            "parameters": [
                query_param("f", {"type": "string", "enum": ["json", "html", "csv"]}, "Format.")
            ]
        },
    )
    async def indicators(request: Request) -> Response:
        """The indicator catalogue with metadata and provenance."""
        reject_unknown(request, {"f"})
        fmt = negotiate(request, {"json": JSON, "html": HTML, "csv": CSV}, default="json")
        catalogue = store.catalogue
        if fmt == "csv":
            return bytes_response(csv_bytes(catalogue), media_type=CSV)
        prov = store.provenance.set_index("source_id")
        items = []
        for row in _records(catalogue):
            ids = str(row["source_ids"]).split(";")
            row["sources"] = [
                {
                    "id": s,
                    **{
                        k: prov.at[s, k]
                        for k in ("title", "publisher", "licence", "attribution", "vintage")
                    },
                    "standin": bool(prov.at[s, "standin"]),
                }
                for s in ids
                if s in prov.index
            ]
            row["standin"] = bool(row["standin"]) or any(s["standin"] for s in row["sources"])
            row["links"] = [
                {
                    "href": url(request, f"/maps/{t}/{row['id']}"),
                    "rel": "related",
                    "type": "text/html",
                    "title": f"map by {t}",
                }
                for t in str(row["area_types"]).split(";")
                if t != "borough"
            ]
            items.append(row)
        if fmt == "html":
            body = table(
                ["id", "title", "unit", "polarity", "areas", "sources"],
                [
                    [
                        i["id"],
                        i["title"],
                        i["unit"],
                        i["polarity"],
                        i["area_types"],
                        i["source_ids"],
                    ]
                    for i in items
                ],
            )
            return Response(
                page(
                    "Indicators",
                    body,
                    attributions=store.attribution_lines(),
                    nav=[("Home", "/")],
                ),
                media_type=HTML,
            )
        return json_response({"indicators": items, "count": len(items)})

    @router.get(
        "/indicators/{indicator_id}", responses={**ok_response(JSON), **error_responses(400, 404)}
    )
    async def indicator(request: Request, indicator_id: str) -> Response:
        """One indicator's metadata and its values for every area and method."""
        reject_unknown(request, set())
        catalogue = store.catalogue.set_index("id")
        if indicator_id not in catalogue.index:
            msg = f"no indicator {indicator_id!r}; see /indicators"
            raise IndicatorNotFoundError(msg)
        meta = _records(catalogue.loc[[indicator_id]].reset_index())[0]
        values = store.values[store.values["indicator_id"] == indicator_id]
        meta["values"] = _records(values.drop(columns=["indicator_id"]))
        return json_response(meta)

    async def custom_other_methods() -> Response:
        """Custom profiles are POSTed: any other method is a 405 naming the allowed one (the
        path would otherwise fall to /profiles/{area_type})."""
        raise StarletteHTTPException(
            405, "POST a GeoJSON polygon to /profiles/custom", headers={"Allow": "POST"}
        )

    router.add_api_route(
        "/profiles/custom",
        custom_other_methods,
        include_in_schema=False,
        methods=["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
    )

    @router.post(
        "/profiles/custom",
        responses={**ok_response(JSON, CSV), **error_responses(400, 413)},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": POLYGON_SCHEMA},
                    "application/geo+json": {"schema": POLYGON_SCHEMA},
                },
            },
            "parameters": [
                query_param("f", {"type": "string", "enum": ["json", "csv"]}, "Format."),
                {
                    "name": "crs",
                    "in": "query",
                    "required": False,
                    "description": "CRS of the posted polygon (default CRS84).",
                    "schema": {"type": "string", "enum": list(SUPPORTED_CRS)},
                },
            ],
        },
    )
    async def custom(request: Request) -> Response:
        """Profile of a drawn polygon, apportioned from LSOAs by area share."""
        reject_unknown(request, {"f", "crs"})
        fmt = negotiate(request, {"json": JSON, "csv": CSV}, default="json")
        crs = parse_crs(request, "crs")
        polygon = _polygon_from_body(await request.body(), crs)
        records, coverage = custom_profile(store, polygon)
        if fmt == "csv":
            return bytes_response(csv_bytes(records), media_type=CSV, filename="profile_custom.csv")
        return json_response(
            {
                "area": {"type": "custom", "area_ha": coverage.polygon_ha},
                "method": "area_weighted_custom",
                "method_label": METHOD_LABEL,
                "coverage": coverage.__dict__,
                "standin": bool(records["standin"].any()),
                "attribution": store.attribution_for(
                    store.sources_of(records), boundaries=("lsoa_2021",)
                ),
                "indicators": _records(records),
                "not_available_for_drawn_areas": {
                    "reason": WHY_UNAVAILABLE,
                    "indicators": unavailable_for_drawn_areas(store),
                },
            }
        )

    @router.get(
        "/profiles/{area_type}",
        responses={**ok_response(JSON, HTML), **error_responses(400, 404)},
        openapi_extra={
            "parameters": [
                query_param("f", {"type": "string", "enum": ["json", "html"]}, "Format.")
            ]
        },
    )
    async def areas(
        request: Request,
        area_type: AreaType,
    ) -> Response:
        """Every area of a type, with links to its profile."""
        reject_unknown(request, {"f"})
        if area_type not in AREA_TYPES:
            msg = f"unknown area type {area_type!r}; expected one of {', '.join(AREA_TYPES)}"
            raise AreaNotFoundError(msg)
        frame = store.areas[area_type]
        listed = [
            {"code": c, "name": n, "profile": url(request, f"/profiles/{area_type}/{c}")}
            for c, n in zip(frame["code"], frame["name"], strict=True)
        ]
        if negotiate(request, {"json": JSON, "html": HTML}, default="json") == "html":
            body = table(
                ["code", "name"],
                [[link(a["profile"] + "?f=html", a["code"]), a["name"]] for a in listed],
            )
            return Response(page(f"Areas: {area_type}", body, nav=[("Home", "/")]), media_type=HTML)
        return json_response({"area_type": area_type, "areas": listed})

    @router.get(
        "/profiles/{area_type}/{code}",
        responses={**ok_response(JSON, HTML, CSV, GPKG), **error_responses(400, 404)},
        openapi_extra={
            "parameters": [
                query_param(
                    "f",
                    {"type": "string", "enum": list(PROFILE_FORMATS)},
                    "Format: json, html, csv or gpkg (download).",
                ),
                query_param(
                    "method",
                    {"type": "string", "enum": METHOD_ENUM},
                    "Apportionment for wards and neighbourhoods (default best_fit).",
                ),
            ]
        },
    )
    async def profile(
        request: Request,
        area_type: AreaType,
        code: AreaCode,
    ) -> Response:
        """Every indicator for one area beside the borough value, rank, decile and sources."""
        reject_unknown(request, {"f", "method", "base"})
        fmt = negotiate(request, PROFILE_FORMATS, default="json")
        method = request.query_params.get("method")
        if method is not None and method not in METHOD_ENUM:
            msg = f"method must be one of {', '.join(METHOD_ENUM)}"
            raise InvalidParameterError(msg)
        doc = profile_document(service, request, area_type, code, method)
        if fmt == "html":
            from maps.profile_page import profile_page  # folium loads with the first page

            page_html = profile_page(store, area_type, code, method=method, base=base_of(request))  # type: ignore[arg-type]
            return Response(page_html, media_type=HTML)
        rows = pd.DataFrame(doc["indicators"])
        if fmt == "csv":
            return bytes_response(
                csv_bytes(rows), media_type=CSV, filename=f"profile_{area_type}_{code}.csv"
            )
        if fmt == "gpkg":
            shape_frame = store.areas[area_type].loc[[code], ["code", "name", "geometry"]]
            return bytes_response(
                geopackage_bytes({"area": shape_frame, "profile": rows}),
                media_type=GPKG,
                filename=f"profile_{area_type}_{code}.gpkg",
            )
        if fmt == "geojson":
            area = store.areas[area_type].loc[[code], ["geometry"]]
            geometry = orjson.loads(feature_bytes(area, CRS84_URI)[0])["geometry"]
            feature = {
                "type": "Feature",
                "id": code,
                "geometry": geometry,
                "properties": {k: v for k, v in doc.items() if k != "links"},
                "links": doc["links"],
            }
            return json_response(
                feature, media_type=GEOJSON, headers={"Content-Crs": f"<{CRS84_URI}>"}
            )
        return json_response(doc)

    def located(request: Request, x: float, y: float) -> Response:
        found = locate_point(store, x, y)
        for area_type, ref in found.items():
            ref["profile"] = url(request, f"/profiles/{area_type}/{ref['code']}")
        return json_response({"x": round(x, 2), "y": round(y, 2), "crs": BNG_URI, **found})

    @router.get(
        "/locate",
        responses={**ok_response(JSON), **error_responses(400, 404)},
        openapi_extra={
            "parameters": [
                {
                    **query_param(
                        "lon",
                        {"type": "number", "minimum": -180, "maximum": 180},
                        "Longitude (CRS84).",
                    ),
                    "required": True,
                },
                {
                    **query_param(
                        "lat",
                        {"type": "number", "minimum": -90, "maximum": 90},
                        "Latitude (CRS84).",
                    ),
                    "required": True,
                },
            ]
        },
    )
    async def locate(request: Request) -> Response:
        """Which LSOA, ward, neighbourhood and borough a lon/lat point is in."""
        reject_unknown(request, {"lon", "lat"})
        q = request.query_params
        if not {"lon", "lat"} <= set(q):
            msg = "give lon and lat (CRS84); for British National Grid use /locate/bng?x=&y="
            raise InvalidParameterError(msg)
        lon, lat = _number(q["lon"], "lon", -180, 180), _number(q["lat"], "lat", -90, 90)
        x, y = transformer(CRS84_URI, BNG_URI).transform(lon, lat)
        return located(request, x, y)

    @router.get(
        "/locate/bng",
        responses={**ok_response(JSON), **error_responses(400, 404)},
        openapi_extra={
            "parameters": [
                {**query_param("x", {"type": "number"}, "Easting (EPSG:27700)."), "required": True},
                {
                    **query_param("y", {"type": "number"}, "Northing (EPSG:27700)."),
                    "required": True,
                },
            ]
        },
    )
    async def locate_bng(request: Request) -> Response:
        """Which LSOA, ward, neighbourhood and borough a British National Grid point is in."""
        reject_unknown(request, {"x", "y"})
        q = request.query_params
        if not {"x", "y"} <= set(q):
            msg = "give x and y (EPSG:27700)"
            raise InvalidParameterError(msg)
        return located(request, _number(q["x"], "x"), _number(q["y"], "y"))

    app.include_router(router)


def _number(text: str, name: str, low: float | None = None, high: float | None = None) -> float:
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


def _polygon_from_body(body: bytes, crs: str) -> shapely.Geometry:
    """A polygon in EPSG:27700 from a GeoJSON geometry or Feature body."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"the body must be GeoJSON: {exc.msg if hasattr(exc, 'msg') else exc}"
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

    def flat(node: Any) -> Any:
        if is_position(node):
            if len(node) not in (2, 3):
                msg = f"a position has 2 or 3 numbers; got {len(node)}"
                raise InvalidParameterError(msg)
            return node[:2]
        if not isinstance(node, list):
            msg = "coordinates must be nested arrays of numbers"
            raise InvalidParameterError(msg)
        if node and is_position(node[0]) and len(node) < 4:
            msg = f"a polygon ring needs at least 4 positions; got {len(node)}"
            raise InvalidParameterError(msg)
        return [flat(child) for child in node]

    return {**geometry, "coordinates": flat(geometry.get("coordinates"))}
