"""Format -> response: every route renders CSV, GeoPackage and HTML through these three.

A route parses its parameters, calls `geo.query` and hands the result here, so the media type,
the download name and the encoding of each format are decided in one place.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from fastapi import Response

from api.features.encode import csv_bytes, geopackage_bytes
from api.responses import CSV, GPKG, HTML, bytes_response


def csv_response(
    frame: pd.DataFrame | gpd.GeoDataFrame,
    *,
    crs: str | None = None,
    filename: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A frame as CSV (geometry as WKT in `crs` when it has one); a download with `filename`."""
    return bytes_response(csv_bytes(frame, crs), media_type=CSV, headers=headers, filename=filename)


def geopackage_response(
    layers: dict[str, gpd.GeoDataFrame | pd.DataFrame],
    *,
    filename: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """Layers as one GeoPackage download."""
    return bytes_response(
        geopackage_bytes(layers), media_type=GPKG, headers=headers, filename=filename
    )


def html_response(
    text: str, *, headers: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    """A whole HTML page."""
    return Response(text, media_type=HTML, headers=headers, status_code=status_code)
