"""The collection views: parse a request, query the collection, render the negotiated format.

Plain functions of (service, collection, request), registered by :mod:`api.routes.collections`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import pandas as pd
from fastapi import Request, Response
from shapely.geometry.base import BaseGeometry

from api.collection_docs import (
    SCHEMA_JSON,
    collection_html,
    collection_link,
    collection_metadata,
)
from api.features.bbox import bbox_polygon_bng, parse_bbox
from api.features.encode import feature_collection_bytes
from api.links import links_html, paging_links, self_and_alternates, url
from api.params import (
    check_datetime,
    negotiate,
    parse_crs,
    parse_int,
    parse_limit,
    parse_sortby,
    parse_where,
    reject_unknown,
)
from api.render import csv_response, geopackage_response
from api.responses import (
    CSV,
    GEOJSON,
    HTML,
    ITEM_FORMATS,
    JSON,
    META_FORMATS,
    bytes_response,
    json_response,
    records_json,
)
from api.service import Service
from geo.crs import BNG_URI, CRS84_URI, pyproj_name
from geo.errors import AreaNotFoundError
from geo.query.collections import Collection
from geo.query.cql2 import Expression, properties_of
from geo.query.locate import locate_point
from maps.feature_map import feature_map_svg
from maps.format import format_value
from maps.html import link, table


@dataclass(frozen=True)
class ItemsQuery:
    """The parsed parameters of one /items request."""

    fmt: str
    crs: str
    limit: int
    offset: int
    area: BaseGeometry | None
    filters: dict[str, str]
    where: Expression | None
    sortby: list[tuple[str, bool]]


def _parse_items(service: Service, c: Collection, request: Request) -> ItemsQuery:
    settings = service.settings
    reject_unknown(
        request,
        {
            *("f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime"),
            *("filter", "filter-lang", "filter-crs", "sortby"),
            *c.queryables,
        },
    )
    fmt = negotiate(request, ITEM_FORMATS, default="json")
    download = fmt in ("csv", "gpkg")
    # A GeoPackage is for GIS: British National Grid unless another CRS is asked for.
    crs = (
        BNG_URI
        if fmt == "gpkg" and "crs" not in request.query_params
        else parse_crs(request, "crs")
    )
    bbox_crs = parse_crs(request, "bbox-crs")
    # A download is the whole selection unless a limit is given (a page is `default_limit`).
    limit = parse_limit(
        request,
        default=settings.max_limit if download else settings.default_limit,
        maximum=settings.max_limit,
    )
    offset = parse_int(request, "offset", default=0, minimum=0)
    check_datetime(request)
    bbox_text = request.query_params.get("bbox")
    area = bbox_polygon_bng(parse_bbox(bbox_text, crs=bbox_crs)) if bbox_text is not None else None
    filters = {k: v for k, v in request.query_params.items() if k in c.queryables}
    where = parse_where(request, c.queryables)
    sortby = parse_sortby(request, c.queryables)
    return ItemsQuery(fmt, crs, limit, offset, area, filters, where, sortby)


def items_view(service: Service, c: Collection, request: Request) -> Response:
    q = _parse_items(service, c, request)
    positions, matched = c.query(
        bbox=q.area,
        filters=q.filters,
        where=q.where,
        sortby=q.sortby,
        limit=q.limit,
        offset=q.offset,
    )
    headers = {"Content-Crs": f"<{q.crs}>"}
    if q.fmt == "csv":
        # The column metadata (stand-in flag, licence, attribution per column) is a sidecar,
        # linked the CSV on the Web way (W3C CSVW: Link rel="describedby").
        columns_url = url(request, f"/collections/{c.id}/columns", f="csv")
        headers["Link"] = f'<{columns_url}>; rel="describedby"; type="text/csv"'
        if c.standin_properties:
            headers["X-Standin-Columns"] = str(len(c.standin_properties))
        return csv_response(c.frame.iloc[positions], crs=q.crs, headers=headers)
    if q.fmt == "gpkg":
        # GeoPackage geometries are always x/y, so CRS84 is written as EPSG:4326 (lon/lat).
        crs = 4326 if q.crs == CRS84_URI else pyproj_name(q.crs)
        return geopackage_response(
            {c.id: c.frame.iloc[positions].to_crs(crs), "column_metadata": c.columns},
            filename=f"stockport_{c.id}.gpkg",
            headers=headers,
        )
    path = f"/collections/{c.id}/items"
    query = {k: v for k, v in request.query_params.items() if k != "f"}
    links = [
        *self_and_alternates(request, path, ITEM_FORMATS, q.fmt, **query),
        *paging_links(
            request,
            path,
            query,
            fmt=q.fmt,
            media=ITEM_FORMATS[q.fmt],
            offset=q.offset,
            limit=q.limit,
            matched=matched,
        ),
        collection_link(request, c),
    ]
    if q.fmt == "html":
        asked = [
            *(name for name, _ascending in q.sortby),
            *(properties_of(q.where) if q.where is not None else []),
            *q.filters,
        ]
        body = _items_table(request, c, positions, matched, path, asked) + links_html(links)
        return collection_html(c, body, headers=headers)
    features = service.encoded(c.id, q.crs)
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


_HTML_COLUMNS = ("code", "name", "area_type", "function", "flood_zone", "risk_band", "highway")


def _items_table(
    request: Request,
    c: Collection,
    positions: np.ndarray,
    matched: int,
    path: str,
    asked: list[str],
) -> str:
    """The page's features as a table: their id, name-like columns and the properties the
    request sorted or filtered by (a person sees why the rows are these, in this order)."""
    rows = c.frame.iloc[positions]
    shown = list(dict.fromkeys([*(col for col in _HTML_COLUMNS if col in rows.columns), *asked]))
    return f"<p>{len(positions)} of {matched} features. {c.description}</p>" + table(
        ["id", *shown],
        [
            [
                link(url(request, f"{path}/{fid}", f="html"), str(fid)),
                *[shown_value(c, col, rows.at[fid, col]) for col in shown],
            ]
            for fid in rows.index
        ],
    )


def where_html(service: Service, geometry: BaseGeometry) -> str:
    """Which ward and LSOA a feature lies in, linked to their profiles (by a point inside it)."""
    point = geometry.representative_point()
    try:
        found = locate_point(service.store, point.x, point.y)
    except AreaNotFoundError:
        return "<p>Outside Stockport (in the 1 km margin the data keep).</p>"
    parts = [
        str(link(f"/profiles/{t}/{found[t]['code']}?f=html", f"{found[t]['name']} ({t})"))
        for t in ("ward", "neighbourhood", "lsoa")
        if t in found
    ]
    return "<p>In " + ", ".join(parts) + ".</p>"


def _column_meta(c: Collection, key: str) -> tuple[str, str, bool]:
    """A property's unit, title and stand-in flag from the collection's column metadata."""
    meta = c.columns
    found = meta.loc[meta["column"] == key] if not meta.empty else meta
    if found.empty:
        return "", "", False
    first = found.iloc[0]
    return str(first["unit"]), str(first["title"]), bool(first["standin"])


def shown_value(c: Collection, key: str, value: object) -> str:
    """A property's value for people: numbers in their unit (people whole, shares as %)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_value(value, _column_meta(c, key)[0], area_type=c.id)
    return str(value)


def property_rows(c: Collection, row: pd.Series) -> list[list[str]]:
    """Every property of a feature for people: name, what it is, the value in its unit (people
    whole, shares as percentages), the unit, and whether it rests on a stand-in."""
    rows = []
    for key, value in row.items():
        if key == c.frame.geometry.name:
            continue
        unit, what, standin = _column_meta(c, str(key))
        rows.append(
            [
                str(key),
                "" if what == key else what,
                shown_value(c, str(key), value),
                unit,
                "SYNTHETIC stand-in" if standin else "real",
            ]
        )
    return rows


def item_view(service: Service, c: Collection, request: Request, feature_id: str) -> Response:
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
        name = row.get("name")
        label = str(name) if isinstance(name, str) and name else f"{c.title} {feature_id}"
        title = f"{name} – {c.title}" if label == name else f"{c.title}: {feature_id}"
        geometry = row[c.frame.geometry.name]
        body = (
            feature_map_svg(service.store, geometry, label=label)
            + where_html(service, geometry)
            + table(
                ["property", "what it is", "value", "unit", "data"],
                property_rows(c, row),
                caption=title,
            )
        )
        return collection_html(c, body, title=title)
    feature = service.encoded(c.id, crs)[position]
    payload = feature[:-1] + b',"links":' + orjson.dumps(links) + b"}"
    return bytes_response(payload, media_type=GEOJSON, headers=headers)


def _queryable(c: Collection, name: str, kind: str) -> dict[str, Any]:
    """A queryable's JSON Schema: type, title and (for numbers) unit."""
    schema: dict[str, Any] = {"type": kind, "title": name}
    meta = c.columns.loc[c.columns["column"] == name] if not c.columns.empty else c.columns
    if not meta.empty:
        row = meta.iloc[0]
        schema["title"] = str(row["title"]) or name
        if str(row["unit"]):
            schema["x-unit"] = str(row["unit"])
        if bool(row["standin"]):
            schema["x-standin"] = True
    return schema


def queryables_view(c: Collection, request: Request) -> Response:
    reject_unknown(request, set())
    return json_response(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": url(request, f"/collections/{c.id}/queryables"),
            "type": "object",
            "title": c.title,
            "description": (
                "Properties usable as name=value filters, in `filter` (CQL2 text) and in "
                "`sortby`; text compares ignoring case."
            ),
            "properties": {name: _queryable(c, name, kind) for name, kind in c.queryables.items()},
            "additionalProperties": False,
        },
        media_type=SCHEMA_JSON,
    )


def collection_view(request: Request, c: Collection) -> Response:
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


def columns_view(c: Collection, request: Request) -> Response:
    """Per-property metadata: indicator, unit, stand-in flag, licence and attribution."""
    reject_unknown(request, {"f"})
    fmt = negotiate(request, {"json": JSON, "csv": CSV, "html": HTML}, default="json")
    if fmt == "csv":
        return csv_response(c.columns, filename=f"stockport_{c.id}_columns.csv")
    if fmt == "html":
        rows = [
            [r.column, r.title, r.unit, "SYNTHETIC stand-in" if r.standin else "real", r.licence]
            for r in c.columns.itertuples()
        ]
        body = table(["property", "what", "unit", "data", "licence"], rows)
        return collection_html(c, body, title=f"{c.title}: properties")
    return json_response(
        {
            "collection": c.id,
            "standinProperties": c.standin_properties,
            "columns": records_json(c.columns),
        }
    )
