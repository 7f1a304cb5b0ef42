"""The landing page and the conformance declaration (OGC API - Features, Part 1)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response

from api.links import self_and_alternates, url
from api.openapi import F_PARAM, error_responses, ok_response
from api.params import negotiate, reject_unknown
from api.render import html_response
from api.responses import HTML, JSON, META_FORMATS, OPENAPI, json_response
from api.service import Service
from maps.front_door import front_door_page
from maps.html import page

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
]


def register(app: FastAPI, service: Service) -> None:
    """Add the landing page (/) and /conformance."""
    router = APIRouter(tags=["OGC API - Features"])

    @router.get(
        "/conformance",
        responses={**ok_response(JSON, HTML), **error_responses(400)},
        openapi_extra={"parameters": [F_PARAM]},
    )
    async def conformance(request: Request) -> Response:
        """Conformance classes this API implements."""
        reject_unknown(request, {"f"})
        if negotiate(request, META_FORMATS, default="json") == "html":
            body = "<ul>" + "".join(f"<li>{c}</li>" for c in CONFORMANCE) + "</ul>"
            return html_response(page("Conformance", body, nav=[("Home", "/")]))
        return json_response({"conformsTo": CONFORMANCE})

    @router.get(
        "/",
        responses={**ok_response(JSON, HTML), **error_responses(400)},
        openapi_extra={"parameters": [F_PARAM]},
    )
    async def landing_page(request: Request) -> Response:
        """Landing page: links to the API definition, conformance, collections and profiles."""
        reject_unknown(request, {"f"})
        fmt = negotiate(request, META_FORMATS, default="json")
        links = [
            *self_and_alternates(request, "/", META_FORMATS, fmt),
            {
                "href": url(request, "/openapi.json"),
                "rel": "service-desc",
                "type": OPENAPI,
                "title": "OpenAPI definition",
            },
            {
                "href": url(request, "/docs"),
                "rel": "service-doc",
                "type": "text/html",
                "title": "API documentation",
            },
            {
                "href": url(request, "/conformance"),
                "rel": "conformance",
                "type": JSON,
                "title": "conformance classes",
            },
            {
                "href": url(request, "/collections"),
                "rel": "data",
                "type": JSON,
                "title": "collections",
            },
            {
                "href": url(request, "/indicators"),
                "rel": "related",
                "type": JSON,
                "title": "indicator catalogue",
            },
        ]
        title = "One Stockport Local geo service"
        description = (
            "Neighbourhood-level indicators for Stockport (E08000007): deprivation, population, "
            "green space, flood risk, cycling and ageing well, for LSOAs, wards, neighbourhoods "
            "and the borough."
        )
        if fmt == "html":  # a person: the front door (clients asking JSON get the OGC landing)
            return html_response(
                front_door_page(service.store, attributions=service.store.attribution_lines())
            )
        return json_response({"title": title, "description": description, "links": links})

    app.include_router(router)
