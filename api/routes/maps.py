"""Map pages: the index, choropleths and Leaflet's static files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Request, Response
from fastapi.staticfiles import StaticFiles

from api.links import base_of
from api.openapi import error_responses, ok_response, query_param
from api.params import reject_unknown
from api.render import html_response
from api.responses import HTML
from api.service import Service
from maps import MAP_AREA_TYPES
from maps.assets import LEAFLET_URL_PREFIX, leaflet_dir

MapAreaType = Annotated[str, Path(json_schema_extra={"enum": list(MAP_AREA_TYPES)})]
IndicatorId = Annotated[str, Path(json_schema_extra={"examples": ["imd2025_score"]})]
BASE_PARAM = query_param(
    "base", {"type": "string", "enum": ["osm", "none"]}, "Base map: osm (needs internet) or none."
)


def register(app: FastAPI, service: Service) -> None:
    """Add /maps routes and mount Leaflet under /static/leaflet."""
    router = APIRouter(tags=["Maps"])
    app.mount(LEAFLET_URL_PREFIX, StaticFiles(directory=leaflet_dir()), name="leaflet")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        """No icon: an empty answer, so browsers do not log a 404."""
        return Response(status_code=204)

    @router.get("/maps", responses={**ok_response(HTML), **error_responses(400)})
    async def maps_index(request: Request) -> Response:
        """Every indicator's maps and every area's profile."""
        reject_unknown(request, set())
        from maps.index_page import index_page  # folium loads with the first page, not at start

        return html_response(await service.off_loop(lambda: index_page(service.store)))

    @router.get(
        "/maps/here",
        responses={**ok_response(HTML), **error_responses(400)},
        openapi_extra={"parameters": [BASE_PARAM]},
    )
    async def here_map(request: Request) -> Response:
        """The borough map to click: what is at a point (areas, flood zone, nearest accessible
        green space and services)."""
        reject_unknown(request, {"base"})
        from maps.here_page import here_page  # folium loads with the first page

        base = base_of(request)
        return html_response(
            await service.off_loop(lambda: here_page(service.store, base=base))  # type: ignore[arg-type]
        )

    @router.get(
        "/maps/{area_type}/{indicator_id}",
        responses={**ok_response(HTML), **error_responses(400, 404)},
        openapi_extra={"parameters": [BASE_PARAM]},
    )
    async def choropleth(
        request: Request,
        area_type: MapAreaType,
        indicator_id: IndicatorId,
    ) -> Response:
        """A choropleth of one indicator by LSOA, ward or neighbourhood."""
        reject_unknown(request, {"base"})
        from maps.choropleth import choropleth_page  # folium loads with the first page

        base = base_of(request)
        html = await service.off_loop(
            lambda: choropleth_page(service.store, area_type, indicator_id, base=base)  # type: ignore[arg-type]
        )
        return html_response(html)

    app.include_router(router)
