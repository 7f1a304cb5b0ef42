"""Point location: which LSOA, ward, neighbourhood and borough a point is in."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response

from api.links import url
from api.openapi import error_responses, ok_response, query_param
from api.params import parse_number, reject_unknown
from api.responses import JSON, json_response
from api.service import Service
from geo.crs import BNG_URI, CRS84_URI, transformer
from geo.errors import InvalidParameterError
from geo.query.locate import locate_point, whats_here


def register(app: FastAPI, service: Service) -> None:
    """Add /locate (CRS84) and /locate/bng (EPSG:27700)."""
    router = APIRouter(tags=["Profiles and indicators"])
    store = service.store

    def located(request: Request, x: float, y: float) -> Response:
        found = locate_point(store, x, y)
        for area_type, ref in found.items():
            ref["profile"] = url(request, f"/profiles/{area_type}/{ref['code']}")
        here = whats_here(store, x, y)
        return json_response(
            {"x": round(x, 2), "y": round(y, 2), "crs": BNG_URI, **found, "here": here}
        )

    @router.get(
        "/locate",
        responses={**ok_response(JSON), **error_responses(400, 404)},
        openapi_extra={
            "parameters": [
                query_param(
                    "lon",
                    {"type": "number", "minimum": -180, "maximum": 180},
                    "Longitude (CRS84).",
                    required=True,
                ),
                query_param(
                    "lat",
                    {"type": "number", "minimum": -90, "maximum": 90},
                    "Latitude (CRS84).",
                    required=True,
                ),
            ]
        },
    )
    async def locate(request: Request) -> Response:
        """Which LSOA, ward, neighbourhood and borough a lon/lat point is in, and what is there:
        flood zone, surface-water band, the nearest accessible green space and services."""
        reject_unknown(request, {"lon", "lat"})
        q = request.query_params
        if not {"lon", "lat"} <= set(q):
            msg = "give lon and lat (CRS84); for British National Grid use /locate/bng?x=&y="
            raise InvalidParameterError(msg)
        lon, lat = parse_number(q["lon"], "lon", -180, 180), parse_number(q["lat"], "lat", -90, 90)
        x, y = transformer(CRS84_URI, BNG_URI).transform(lon, lat)
        return located(request, x, y)

    @router.get(
        "/locate/bng",
        responses={**ok_response(JSON), **error_responses(400, 404)},
        openapi_extra={
            "parameters": [
                query_param("x", {"type": "number"}, "Easting (EPSG:27700).", required=True),
                query_param("y", {"type": "number"}, "Northing (EPSG:27700).", required=True),
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
        return located(request, parse_number(q["x"], "x"), parse_number(q["y"], "y"))

    app.include_router(router)
