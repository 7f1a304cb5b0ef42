"""Encode features as GeoJSON, CSV and GeoPackage bytes in a requested CRS."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyogrio
import shapely

from geo.crs import BNG_URI, lat_lon_order, pyproj_name

PRECISION = {BNG_URI: 2}
"""Decimal places of output coordinates: 1 cm in British National Grid, ~1 cm in degrees."""
DEGREE_PRECISION = 7


def _geometries(frame: gpd.GeoDataFrame, crs_uri: str) -> np.ndarray:
    """Geometries reprojected to `crs_uri`, coordinates rounded, in the CRS's axis order."""
    geoms = frame.geometry.to_crs(pyproj_name(crs_uri)).to_numpy()
    decimals = PRECISION.get(crs_uri, DEGREE_PRECISION)
    swap = lat_lon_order(crs_uri)

    def round_coords(coords: np.ndarray) -> np.ndarray:
        rounded = np.round(coords, decimals)
        return rounded[:, ::-1] if swap else rounded

    rounded: np.ndarray = shapely.transform(geoms, round_coords)
    return rounded


def _json_safe(value: object) -> object:
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def properties_of(frame: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """Feature properties as plain JSON-safe dicts (NaN -> null)."""
    plain = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return [{str(k): _json_safe(v) for k, v in row.items()} for row in plain.to_dict("records")]


def feature_bytes(frame: gpd.GeoDataFrame, crs_uri: str) -> list[bytes]:
    """One encoded GeoJSON Feature per row (id = the frame's index), in `crs_uri`."""
    geometries = shapely.to_geojson(_geometries(frame, crs_uri))
    out = []
    for feature_id, geometry, props in zip(
        frame.index, geometries, properties_of(frame), strict=True
    ):
        out.append(
            b'{"type":"Feature","id":'
            + orjson.dumps(str(feature_id))
            + b',"geometry":'
            + geometry.encode()
            + b',"properties":'
            + orjson.dumps(props)
            + b"}"
        )
    return out


def feature_collection_bytes(
    features: Sequence[bytes], *, extra: dict[str, object] | None = None
) -> bytes:
    """Assemble pre-encoded features into a FeatureCollection with extra top-level members."""
    head = b'{"type":"FeatureCollection"'
    for key, value in (extra or {}).items():
        head += b"," + orjson.dumps(key) + b":" + orjson.dumps(value)
    return head + b',"features":[' + b",".join(features) + b"]}"


def csv_bytes(frame: gpd.GeoDataFrame | pd.DataFrame, crs_uri: str | None = None) -> bytes:
    """CSV with one row per feature; geometry as WKT in `crs_uri` when the frame has one."""
    if isinstance(frame, gpd.GeoDataFrame):
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        table.insert(0, "id", frame.index.astype(str))
        if crs_uri is not None:
            table["geometry_wkt"] = shapely.to_wkt(
                _geometries(frame, crs_uri), rounding_precision=-1
            )
    else:
        table = frame
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def geopackage_bytes(layers: dict[str, gpd.GeoDataFrame | pd.DataFrame]) -> bytes:
    """A GeoPackage holding the given layers (spatial ones keep their CRS) as bytes."""
    handle, path = tempfile.mkstemp(suffix=".gpkg")
    os.close(handle)
    os.unlink(path)
    try:
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        if os.path.exists(path):
            os.unlink(path)
