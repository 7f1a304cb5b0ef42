"""Area profiles of the stored areas: /profiles/{area_type} and /profiles/{area_type}/{code}."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import pandas as pd
from fastapi import APIRouter, FastAPI, Path, Request, Response
from fastapi.responses import RedirectResponse

from api.features.encode import feature_bytes
from api.links import base_of, url
from api.openapi import error_responses, ok_response, query_param
from api.params import negotiate, reject_unknown
from api.render import csv_response, geopackage_response, html_response
from api.responses import (
    CSV,
    GEOJSON,
    GPKG,
    HTML,
    JSON,
    json_response,
    records_json,
)
from api.service import Service
from geo.crs import CRS84_URI
from geo.query.profiles import (
    area_profile,
    code_for_name,
    for_people,
    get_area,
    methods_for,
)
from geo.query.services import services_in_area
from geo.vocabulary import (
    APPORTIONMENT_METHODS,
    AREA_TYPES,
    METHOD_LABELS,
    json_safe,
    parse_area_type,
    parse_method,
)
from maps.html import link, page, table

AreaType = Annotated[str, Path(json_schema_extra={"enum": list(AREA_TYPES)})]
AreaCode = Annotated[str, Path(json_schema_extra={"examples": ["E05015023"]})]
PROFILE_FORMATS = {"json": JSON, "geojson": GEOJSON, "html": HTML, "csv": CSV, "gpkg": GPKG}
METHOD_ENUM = [m.value for m in APPORTIONMENT_METHODS]


def profile_document(
    service: Service, request: Request, area_type: str, code: str, rows: pd.DataFrame
) -> dict[str, Any]:
    """The JSON profile of one area from its profile rows (:func:`area_profile`)."""
    store = service.store
    ref = get_area(store, area_type, code)
    used = str(rows["method"].iloc[0]) if len(rows) else ""
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
            "population",
            "population_method",
            "population_low",
            "population_high",
            "population_differs_by_method",
        )
        if k in area.index
    }
    return {
        "area": {
            "type": area_type,
            "code": ref.code,
            "name": ref.name,
            **{k: json_safe(v) for k, v in details.items()},
        },
        "method": used,
        "method_label": METHOD_LABELS.get(used, used),
        "available_methods": methods_for(store, area_type),
        "standin": bool(rows["standin"].any()),
        "warnings": sorted({w for w in rows["warning"].fillna("") if w}),
        "attribution": store.attribution_for(store.sources_of(rows)),
        "indicators": records_json(rows),
        "comparators": {
            "england": "England: all 33,755 LSOAs (IoD 2025, Census 2021, real environment tables)",
            "gm": "Greater Manchester: the ten boroughs' 1,702 LSOAs",
            "england_percentile": (
                "share (0-100) of England's LSOAs with a lower value, each LSOA counted once"
            ),
        },
        "borough_standing": records_json(store.official_standing),
        "services_in_area": records_json(services_in_area(store, area_type, code)),
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
    """Add /profiles/{area_type} and /profiles/{area_type}/{code}."""
    router = APIRouter(tags=["Profiles and indicators"])
    store = service.store

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
        frame = store.areas[parse_area_type(area_type)]
        listed = [
            {"code": c, "name": n, "profile": url(request, f"/profiles/{area_type}/{c}")}
            for c, n in zip(frame["code"], frame["name"], strict=True)
        ]
        if negotiate(request, {"json": JSON, "html": HTML}, default="json") == "html":
            body = table(
                ["code", "name"],
                [[link(a["profile"] + "?f=html", a["code"]), a["name"]] for a in listed],
            )
            return html_response(page(f"Areas: {area_type}", body, nav=[("Home", "/")]))
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
        if code not in store.areas[parse_area_type(area_type)].index:
            named = code_for_name(store, area_type, code)  # /profiles/ward/Edgeley
            if named is not None:
                target = f"/profiles/{area_type}/{named}"
                query = request.url.query
                return RedirectResponse(target + (f"?{query}" if query else ""), status_code=307)
        fmt = negotiate(request, PROFILE_FORMATS, default="json")
        method = parse_method(request.query_params.get("method"))  # before the area: a 400
        rows = await service.off_loop(lambda: area_profile(store, area_type, code, method=method))
        if fmt == "html":
            from maps.profile_page import profile_page  # folium loads with the first page

            base = base_of(request)
            page_html = await service.off_loop(
                lambda: profile_page(
                    store,
                    area_type,
                    code,
                    method=method,
                    base=base,  # type: ignore[arg-type]
                    profile=rows,
                )
            )
            return html_response(page_html)
        if fmt == "csv":
            people = for_people(rows, store, area_type=area_type)
            return csv_response(people, filename=f"profile_{area_type}_{code}.csv")
        if fmt == "gpkg":
            shape_frame = store.areas[area_type].loc[[code], ["code", "name", "geometry"]]
            return geopackage_response(
                {"area": shape_frame, "profile": rows}, filename=f"profile_{area_type}_{code}.gpkg"
            )
        doc = profile_document(service, request, area_type, code, rows)
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

    app.include_router(router)
