"""OGC API - Features Parts 1 and 2 (and Part 3 queryables) over the store's collections."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, FastAPI, Request, Response

from api.features.bbox import bbox_polygon_bng, parse_bbox
from api.features.encode import csv_bytes, feature_collection_bytes, geopackage_bytes
from api.links import links_html, self_and_alternates, url
from api.openapi import F_PARAM, error_responses, ok_response, query_param
from api.params import (
    BBOX_PATTERN,
    DATETIME_PATTERN,
    check_datetime,
    crs_parameter,
    negotiate,
    parse_crs,
    parse_int,
    parse_limit,
    reject_unknown,
)
from api.responses import (
    CSV,
    GEOJSON,
    GPKG,
    HTML,
    JSON,
    META_FORMATS,
    bytes_response,
    json_response,
)
from api.service import Service
from api.settings import ApiSettings
from geo.crs import BNG_URI, CRS84_URI, SUPPORTED_CRS, pyproj_name
from geo.errors import LayerNotFoundError
from geo.query.collections import Collection
from maps.html import link, page, table

ITEM_FORMATS = {"json": GEOJSON, "geojson": GEOJSON, "html": HTML, "csv": CSV, "gpkg": GPKG}
SCHEMA_JSON = "application/schema+json"


def collection_link(request: Request, c: Collection) -> dict[str, str]:
    """The `collection` link of items and features."""
    return {
        "href": url(request, f"/collections/{c.id}"),
        "rel": "collection",
        "type": JSON,
        "title": c.title,
    }


def collection_html(
    c: Collection, body: str, *, headers: dict[str, str] | None = None, title: str | None = None
) -> Response:
    """An HTML page about a collection, with its attribution and stand-in badge."""
    html = page(
        title or c.title,
        body,
        attributions=c.attribution,
        standin=c.standin,
        nav=[
            ("Home", "/"),
            ("Collections", "/collections"),
            (c.title, f"/collections/{c.id}?f=html"),
        ],
    )
    return Response(html, media_type=HTML, headers=headers)


def collection_metadata(request: Request, c: Collection) -> dict[str, Any]:
    """The `/collections/{id}` document."""
    base = f"/collections/{c.id}"
    return {
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "keywords": c.keywords,
        "itemType": "feature",
        "crs": list(SUPPORTED_CRS),
        "storageCrs": BNG_URI,
        "extent": {"spatial": {"bbox": [c.extent_crs84], "crs": CRS84_URI}},
        "license": "; ".join(c.licences),
        "attribution": c.attribution,
        "vintage": c.vintage,
        "standin": c.standin,
        "standinProperties": c.standin_properties,
        "sources": c.source_ids,
        "numberOfFeatures": len(c.frame),
        "links": [
            {"href": url(request, base), "rel": "self", "type": JSON, "title": c.title},
            {
                "href": url(request, base, f="html"),
                "rel": "alternate",
                "type": "text/html",
                "title": "as HTML",
            },
            {
                "href": url(request, base + "/items"),
                "rel": "items",
                "type": GEOJSON,
                "title": "features as GeoJSON",
            },
            {
                "href": url(request, base + "/items", f="html"),
                "rel": "items",
                "type": "text/html",
                "title": "features as HTML",
            },
            {
                "href": url(request, base + "/items", f="csv"),
                "rel": "items",
                "type": "text/csv",
                "title": "features as CSV",
            },
            {
                "href": url(request, base + "/items", f="gpkg", limit=10000),
                "rel": "enclosure",
                "type": GPKG,
                "title": "download as GeoPackage",
            },
            {
                "href": url(request, base + "/queryables"),
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "type": SCHEMA_JSON,
                "title": "queryables",
            },
        ],
    }


def _items(service: Service, c: Collection, request: Request) -> Response:
    settings = service.settings
    reject_unknown(
        request, {"f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime", *c.queryables}
    )
    fmt = negotiate(request, ITEM_FORMATS, default="json")
    crs = parse_crs(request, "crs")
    bbox_crs = parse_crs(request, "bbox-crs")
    limit = parse_limit(request, default=settings.default_limit, maximum=settings.max_limit)
    offset = parse_int(request, "offset", default=0, minimum=0)
    check_datetime(request)
    bbox_text = request.query_params.get("bbox")
    area = bbox_polygon_bng(parse_bbox(bbox_text, crs=bbox_crs)) if bbox_text is not None else None
    filters = {k: v for k, v in request.query_params.items() if k in c.queryables}
    positions, matched = c.query(bbox=area, filters=filters, limit=limit, offset=offset)
    headers = {"Content-Crs": f"<{crs}>"}
    path = f"/collections/{c.id}/items"
    query = {k: v for k, v in request.query_params.items() if k != "f"}
    if fmt == "csv":
        return bytes_response(
            csv_bytes(c.frame.iloc[positions], crs), media_type=CSV, headers=headers
        )
    if fmt == "gpkg":
        # GeoPackage geometries are always x/y, so CRS84 is written as EPSG:4326 (lon/lat).
        frame = c.frame.iloc[positions].to_crs(4326 if crs == CRS84_URI else pyproj_name(crs))
        return bytes_response(
            geopackage_bytes({c.id: frame}),
            media_type=GPKG,
            headers=headers,
            filename=f"stockport_{c.id}.gpkg",
        )
    links = self_and_alternates(request, path, ITEM_FORMATS, fmt, **query)
    if offset + limit < matched:
        links.append(
            {
                "href": url(
                    request, path, **{**query, "offset": offset + limit, "limit": limit, "f": fmt}
                ),
                "rel": "next",
                "type": ITEM_FORMATS[fmt].split(";")[0],
                "title": "next page",
            }
        )
    if offset > 0:
        links.append(
            {
                "href": url(
                    request,
                    path,
                    **{**query, "offset": max(0, offset - limit), "limit": limit, "f": fmt},
                ),
                "rel": "prev",
                "type": ITEM_FORMATS[fmt].split(";")[0],
                "title": "previous page",
            }
        )
    links.append(collection_link(request, c))
    if fmt == "html":
        rows = c.frame.iloc[positions]
        shown = [
            col
            for col in (
                "code",
                "name",
                "area_type",
                "function",
                "flood_zone",
                "risk_band",
                "highway",
            )
            if col in rows.columns
        ]
        body = (
            f"<p>{len(positions)} of {matched} features. {c.description}</p>"
            + table(
                ["id", *shown],
                [
                    [
                        link(url(request, f"{path}/{fid}", f="html"), str(fid)),
                        *[rows.at[fid, col] for col in shown],
                    ]
                    for fid in rows.index
                ],
            )
            + links_html(links)
        )
        return collection_html(c, body, headers=headers)
    features = service.encoded(c.id, crs)
    payload = feature_collection_bytes(
        [features[i] for i in positions],
        extra={
            "numberMatched": matched,
            "numberReturned": len(positions),
            "links": links,
            "standin": c.standin,
            "attribution": c.attribution,
        },
    )
    return bytes_response(payload, media_type=GEOJSON, headers=headers)


def _item(service: Service, c: Collection, request: Request, feature_id: str) -> Response:
    reject_unknown(request, {"f", "crs"})
    fmt = negotiate(request, {"json": GEOJSON, "geojson": GEOJSON, "html": HTML}, default="json")
    crs = parse_crs(request, "crs")
    position = c.position(feature_id)
    headers = {"Content-Crs": f"<{crs}>"}
    path = f"/collections/{c.id}/items/{feature_id}"
    links = [
        *self_and_alternates(
            request,
            path,
            {"json": GEOJSON, "html": HTML},
            fmt,
            **({"crs": crs} if "crs" in request.query_params else {}),
        ),
        collection_link(request, c),
    ]
    if fmt == "html":
        row = c.frame.iloc[position]
        props = [(k, v) for k, v in row.items() if k != c.frame.geometry.name]
        body = table(["property", "value"], props, caption=f"{c.title}: {feature_id}")
        return collection_html(c, body, title=f"{c.title}: {feature_id}")
    feature = service.encoded(c.id, crs)[position]
    payload = feature[:-1] + b',"links":' + orjson.dumps(links) + b"}"
    return bytes_response(payload, media_type=GEOJSON, headers=headers)


def _queryables(c: Collection, request: Request) -> Response:
    reject_unknown(request, set())
    return json_response(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": url(request, f"/collections/{c.id}/queryables"),
            "type": "object",
            "title": c.title,
            "properties": {
                name: {"type": kind, "title": name} for name, kind in c.queryables.items()
            },
            "additionalProperties": False,
        },
        media_type=SCHEMA_JSON,
    )


def _collection_page(request: Request, c: Collection) -> Response:
    reject_unknown(request, {"f"})
    meta = collection_metadata(request, c)
    if negotiate(request, META_FORMATS, default="json") == "html":
        rows = [
            ("description", c.description),
            ("features", len(c.frame)),
            ("extent (CRS84)", ", ".join(map(str, c.extent_crs84))),
            ("vintage", c.vintage),
            ("licence", meta["license"]),
            ("storage CRS", BNG_URI),
            ("queryables", ", ".join(c.queryables)),
        ]
        return collection_html(c, table(["", ""], rows) + links_html(meta["links"]))
    return json_response(meta)


def _item_params(c: Collection, settings: ApiSettings) -> list[dict[str, Any]]:
    """Query parameters of /items, with the limits the settings in force allow."""
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
            {"type": "integer", "minimum": 1, "default": settings.default_limit},
            f"Page size; values above {settings.max_limit:,} are capped to {settings.max_limit:,}.",
        ),
        query_param("offset", {"type": "integer", "minimum": 0, "default": 0}, "Start index."),
        query_param(
            "datetime",
            {"type": "string", "pattern": DATETIME_PATTERN},
            "RFC 3339 instant or interval; these layers have no time axis, so every "
            "feature matches.",
        ),
        *[
            query_param(name, {"type": kind}, f"Only features whose {name} equals this value.")
            for name, kind in c.queryables.items()
        ],
    ]


def register(app: FastAPI, service: Service) -> None:
    """Add the OGC routes, one set per collection (so the OpenAPI document lists queryables)."""
    router = APIRouter(tags=["OGC API - Features"])

    @router.get(
        "/collections",
        responses={**ok_response(JSON, HTML), **error_responses(400)},
        openapi_extra={"parameters": [F_PARAM]},
    )
    async def collections(request: Request) -> Response:
        """Every layer: areas with their indicators, and feature layers."""
        reject_unknown(request, {"f"})
        metas = [collection_metadata(request, c) for c in service.collections.values()]
        fmt = negotiate(request, META_FORMATS, default="json")
        if fmt == "html":
            rows = [
                [
                    link(f"/collections/{m['id']}?f=html", m["id"]),
                    m["title"],
                    m["numberOfFeatures"],
                    "SYNTHETIC stand-in" if m["standin"] else "real",
                ]
                for m in metas
            ]
            body = table(["id", "title", "features", "data"], rows)
            return Response(
                page(
                    "Collections",
                    body,
                    attributions=service.store.attribution_lines(
                        {s for c in service.collections.values() for s in c.source_ids}
                    ),
                    standin=any(m["standin"] for m in metas),
                    nav=[("Home", "/")],
                ),
                media_type=HTML,
            )
        return json_response(
            {
                "links": self_and_alternates(request, "/collections", META_FORMATS, fmt),
                "collections": metas,
            }
        )

    for collection in service.collections.values():
        _register_collection(router, service, collection)

    @router.get("/collections/{collectionId}", include_in_schema=False)
    @router.get("/collections/{collectionId}/items", include_in_schema=False)
    @router.get("/collections/{collectionId}/queryables", include_in_schema=False)
    @router.get("/collections/{collectionId}/items/{featureId}", include_in_schema=False)
    async def unknown_collection(collectionId: str) -> Response:
        msg = f"no collection {collectionId!r}; see /collections"
        raise LayerNotFoundError(msg)

    app.include_router(router)


def _register_collection(router: APIRouter, service: Service, c: Collection) -> None:
    base = f"/collections/{c.id}"
    feature_404 = error_responses(400, 404)

    async def meta(request: Request) -> Response:
        return _collection_page(request, c)

    async def items(request: Request) -> Response:
        return _items(service, c, request)

    async def item(request: Request, featureId: str) -> Response:
        return _item(service, c, request, featureId)

    async def queryables(request: Request) -> Response:
        return _queryables(c, request)

    router.add_api_route(
        base,
        meta,
        methods=["GET"],
        summary=f"{c.title}: metadata",
        responses={**ok_response(JSON, HTML), **error_responses(400)},
        openapi_extra={"parameters": [F_PARAM]},
        operation_id=f"{c.id}_meta",
    )
    router.add_api_route(
        base + "/items",
        items,
        methods=["GET"],
        summary=f"{c.title}: features",
        responses={**ok_response(GEOJSON, HTML, CSV, GPKG), **error_responses(400)},
        openapi_extra={"parameters": _item_params(c, service.settings)},
        operation_id=f"{c.id}_items",
    )
    router.add_api_route(
        base + "/items/{featureId}",
        item,
        methods=["GET"],
        summary=f"{c.title}: one feature",
        responses={**ok_response(GEOJSON, HTML), **feature_404},
        openapi_extra={
            "parameters": [
                query_param(
                    "f", {"type": "string", "enum": ["json", "geojson", "html"]}, "Format."
                ),
                crs_parameter("crs", "CRS of the geometry (default CRS84)."),
            ]
        },
        operation_id=f"{c.id}_item",
    )
    router.add_api_route(
        base + "/queryables",
        queryables,
        methods=["GET"],
        summary=f"{c.title}: queryable properties",
        responses={**ok_response(SCHEMA_JSON), **error_responses(400)},
        operation_id=f"{c.id}_queryables",
    )
