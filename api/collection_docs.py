"""Documents about collections: their metadata, HTML shell, links and /items parameters.

Shared by the collection routes; free of route registration."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from api.links import url
from api.render import html_response
from api.responses import (
    GEOJSON,
    GPKG,
    JSON,
)
from geo.crs import BNG_URI, CRS84_URI, SUPPORTED_CRS
from geo.query.collections import Collection
from maps.html import page

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
    return html_response(html, headers=headers)


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
        "propertyCount": len(c.columns),
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
                "rel": "enclosure",
                "type": "text/csv",
                "title": f"all {len(c.frame):,} features as CSV (geometry as WKT, CRS84)",
            },
            {
                "href": url(request, base + "/items", f="gpkg"),
                "rel": "enclosure",
                "type": GPKG,
                "title": f"all {len(c.frame):,} features as a GeoPackage (EPSG:27700)",
            },
            {
                "href": url(request, base + "/queryables"),
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "type": SCHEMA_JSON,
                "title": "queryables",
            },
        ],
    }
