"""Profiles of drawn polygons: POST /profiles/custom (apportioned from LSOAs by area share)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.features.geojson_input import POLYGON_SCHEMA, polygon_from_geojson
from api.openapi import error_responses, ok_response, query_param
from api.params import negotiate, parse_crs, reject_unknown
from api.render import csv_response
from api.responses import (
    CSV,
    JSON,
    json_response,
    records_json,
)
from api.service import Service
from geo.crs import SUPPORTED_CRS
from geo.query.custom_area import (
    METHOD_LABEL,
    WHY_UNAVAILABLE,
    custom_profile,
    unavailable_for_drawn_areas,
)


def register(app: FastAPI, service: Service) -> None:
    """Add /profiles/custom (registered before /profiles/{area_type}, which would match it)."""
    router = APIRouter(tags=["Profiles and indicators"])
    store = service.store

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
        body = await request.body()
        records, coverage = await service.off_loop(
            lambda: custom_profile(store, polygon_from_geojson(body, crs))
        )
        if fmt == "csv":
            return csv_response(records, filename="profile_custom.csv")
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
                "indicators": records_json(records),
                "not_available_for_drawn_areas": {
                    "reason": WHY_UNAVAILABLE,
                    "indicators": unavailable_for_drawn_areas(store),
                },
            }
        )

    app.include_router(router)
