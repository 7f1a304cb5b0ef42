"""OGC API - Features Parts 1 and 2 (and Part 3 queryables) over the store's collections."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response

from api.collection_docs import (
    SCHEMA_JSON,
    collection_metadata,
)
from api.collection_views import (
    collection_view,
    columns_view,
    item_view,
    items_view,
    queryables_view,
)
from api.links import self_and_alternates
from api.openapi import F_PARAM, error_responses, ok_response, query_param
from api.params import (
    crs_parameter,
    item_parameters,
    negotiate,
    reject_unknown,
)
from api.render import html_response
from api.responses import (
    CSV,
    GEOJSON,
    GPKG,
    HTML,
    JSON,
    META_FORMATS,
    json_response,
)
from api.service import Service
from geo.errors import LayerNotFoundError
from geo.query.collections import Collection
from maps.html import link, page, table


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
                    data_label(m),
                ]
                for m in metas
            ]
            body = table(["id", "title", "features", "data"], rows)
            return html_response(
                page(
                    "Collections",
                    body,
                    attributions=service.store.attribution_lines(
                        {s for c in service.collections.values() for s in c.source_ids}
                    ),
                    standin=any(m["standin"] for m in metas),
                    nav=[("Home", "/")],
                )
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


def data_label(meta: dict[str, Any]) -> str:
    """What a collection's data are, for the listing: a stand-in layer, or real areas with
    some stand-in properties (counted), or real."""
    flagged = len(meta["standinProperties"])
    if meta["standin"] and flagged >= meta.get("propertyCount", flagged + 1):
        return "SYNTHETIC stand-in layer"
    if flagged:
        return f"real; {flagged} of {meta['propertyCount']} properties from SYNTHETIC stand-ins"
    return "real"


def _register_collection(router: APIRouter, service: Service, c: Collection) -> None:
    base = f"/collections/{c.id}"
    feature_404 = error_responses(400, 404)

    async def meta(request: Request) -> Response:
        return collection_view(request, c)

    async def items(request: Request) -> Response:
        return items_view(service, c, request)

    async def item(request: Request, featureId: str) -> Response:
        return item_view(service, c, request, featureId)

    async def queryables(request: Request) -> Response:
        return queryables_view(c, request)

    async def columns(request: Request) -> Response:
        return columns_view(c, request)

    router.add_api_route(
        base + "/columns",
        columns,
        methods=["GET"],
        summary=f"{c.title}: per-property stand-in flag, licence and attribution",
        responses={**ok_response(JSON, CSV, HTML), **error_responses(400)},
        openapi_extra={
            "parameters": [
                query_param("f", {"type": "string", "enum": ["json", "csv", "html"]}, "Format.")
            ]
        },
        operation_id=f"{c.id}_columns",
    )

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
        openapi_extra={"parameters": item_parameters(c, service.settings)},
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
