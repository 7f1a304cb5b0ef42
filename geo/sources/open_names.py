"""OS Open Names (places, roads, postcode districts) for the search, read in the official
format: CSV files with no header row and the 34 columns of `OS_Open_Names_Header.csv`, British
National Grid coordinates in GEOMETRY_X / GEOMETRY_Y. Optional: search works without it."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.errors import SourceError
from geo.sources.manifest import Source

OPEN_NAMES_COLUMNS = (
    "ID", "NAMES_URI", "NAME1", "NAME1_LANG", "NAME2", "NAME2_LANG", "TYPE", "LOCAL_TYPE",
    "GEOMETRY_X", "GEOMETRY_Y", "MOST_DETAIL_VIEW_RES", "LEAST_DETAIL_VIEW_RES", "MBR_XMIN",
    "MBR_YMIN", "MBR_XMAX", "MBR_YMAX", "POSTCODE_DISTRICT", "POSTCODE_DISTRICT_URI",
    "POPULATED_PLACE", "POPULATED_PLACE_URI", "POPULATED_PLACE_TYPE", "DISTRICT_BOROUGH",
    "DISTRICT_BOROUGH_URI", "DISTRICT_BOROUGH_TYPE", "COUNTY_UNITARY", "COUNTY_UNITARY_URI",
    "COUNTY_UNITARY_TYPE", "REGION", "REGION_URI", "COUNTRY", "COUNTRY_URI",
    "RELATED_SPATIAL_OBJECT", "SAME_AS_DBPEDIA", "SAME_AS_GEONAMES",
)  # fmt: skip
"""The product's columns, in order (the files carry no header)."""

SEARCHED_TYPES = {
    "City": "place",
    "Town": "place",
    "Village": "place",
    "Hamlet": "place",
    "Suburban Area": "place",
    "Other Settlement": "place",
    "Named Road": "road",
    "Postcode": "postcode district",
}
"""LOCAL_TYPE values the search keeps, and what a person calls them."""


def read_open_names(path: Path, source: Source, *, within: shapely.Geometry) -> gpd.GeoDataFrame:
    """Names inside `within` (EPSG:27700): `name`, `kind`, `local_type`, `postcode_district`,
    point geometry. A file that does not have the 34 columns is refused, naming the file."""
    try:
        raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    except Exception as exc:  # pandas raises several types for truncated or binary files
        msg = f"{path}: cannot read {source.id}: {exc}"
        raise SourceError(msg) from exc
    if raw.shape[1] != len(OPEN_NAMES_COLUMNS):
        msg = (
            f"{path}: {source.id} has {raw.shape[1]} columns; the OS Open Names format has "
            f"{len(OPEN_NAMES_COLUMNS)} (no header row)"
        )
        raise SourceError(msg)
    raw.columns = list(OPEN_NAMES_COLUMNS)
    kept = raw[raw["LOCAL_TYPE"].isin(SEARCHED_TYPES)].copy()
    try:
        x, y = kept["GEOMETRY_X"].astype(float), kept["GEOMETRY_Y"].astype(float)
    except ValueError as exc:
        msg = f"{path}: {source.id} has a GEOMETRY_X/Y that is not a number: {exc}"
        raise SourceError(msg) from exc
    frame = gpd.GeoDataFrame(
        {
            "name": kept["NAME1"].to_numpy(),
            "kind": kept["LOCAL_TYPE"].map(SEARCHED_TYPES).to_numpy(),
            "local_type": kept["LOCAL_TYPE"].to_numpy(),
            "postcode_district": kept["POSTCODE_DISTRICT"].to_numpy(),
        },
        geometry=shapely.points(x.to_numpy(), y.to_numpy()),
        crs="EPSG:27700",
    )
    frame = frame[frame.geometry.within(within)].drop_duplicates(["name", "local_type"])
    frame = frame.reset_index(drop=True)
    frame["source_id"] = source.id
    frame["standin"] = bool(source.standin)
    return frame
