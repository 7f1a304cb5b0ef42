"""Load and validate the environmental feature layers (official schemas; real or stand-in).

Each loader reads the official product's schema, so a real download dropped into the mirror or
cache replaces a synthetic stand-in with no code change. Every frame returned is in EPSG:27700
and carries `source_id` and `standin` columns.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.crs import BNG
from geo.errors import SourceError
from geo.sources.ingest import IngestReport, check_geometry_types, read_vector
from geo.sources.manifest import Source
from geo.vocabulary import GREENSPACE_FUNCTIONS, RISK_BANDS

POLYGONS = {"Polygon", "MultiPolygon"}
LINES = {"LineString", "MultiLineString"}
POINTS = {"Point", "MultiPoint"}

FLOOD_2025_VALUES = {"FZ2", "FZ3"}
FLOOD_LEGACY_VALUES = {"Flood Zone 2", "Flood Zone 3"}


def _tag(frame: gpd.GeoDataFrame, source: Source) -> gpd.GeoDataFrame:
    frame = frame.copy()
    frame["source_id"] = source.id
    frame["standin"] = bool(source.standin)
    return frame


def _check_values(frame: pd.DataFrame, column: str, allowed: set[str], *, path: Path) -> None:
    found = set(frame[column].dropna().astype(str))
    unknown = found - allowed
    if unknown or frame[column].isna().any():
        listed = ", ".join(sorted(unknown)[:10]) or "empty values"
        msg = (
            f"{path}: field {column} has unknown value(s) {listed}; expected one of "
            f"{', '.join(sorted(allowed))}"
        )
        raise SourceError(msg)


def load_greenspace(path: Path, source: Source, *, report: IngestReport) -> gpd.GeoDataFrame:
    """OS Open Greenspace sites: `id`, `function`, `distinctive_name_1`, polygons."""
    frame = read_vector(path, source, report=report)
    check_geometry_types(frame, POLYGONS, path=path)
    _check_values(frame, "function", set(GREENSPACE_FUNCTIONS), path=path)
    keep = ["id", "function"] + [c for c in ("distinctive_name_1",) if c in frame.columns]
    frame = frame[[*keep, "geometry"]]
    frame["site_ha"] = frame.geometry.area / 10_000
    return _tag(frame, source)


def load_access_points(path: Path, source: Source, *, report: IngestReport) -> gpd.GeoDataFrame:
    """OS Open Greenspace access points with their site reference."""
    frame = read_vector(path, source, report=report)
    check_geometry_types(frame, POINTS, path=path)
    return _tag(frame[["id", "access_type", "ref_to_greenspace_site", "geometry"]], source)


def load_flood_zones(path: Path, source: Source, *, report: IngestReport) -> gpd.GeoDataFrame:
    """Flood Zones 2 and 3 from either EA schema, normalised to non-overlapping zones.

    The 2025 product (layer `Flood_Zones_2_3_Rivers_and_Sea`, field `flood_zone` = FZ2/FZ3)
    stores the zones without overlap. The retired datasets (field `layer` = "Flood Zone 2" /
    "Flood Zone 3") stored Flood Zone 2 as the whole 0.1% extent, overlapping Flood Zone 3.
    Returns one dissolved row per zone: `FZ3` and `FZ2` (the 0.1% extent minus FZ3).
    """
    layers = {str(name) for name, _ in _list_layers(path)}
    layer = source.layer if source.layer in layers else sorted(layers)[0]
    try:
        fields = set(pyogrio.read_info(path, layer=layer)["fields"])
    except Exception as exc:  # GDAL errors on unreadable files
        msg = f"{path}: cannot read layer {layer!r}: {exc}"
        raise SourceError(msg) from exc
    if "flood_zone" in fields:
        schema, field = "2025", "flood_zone"
        spec = Source(**{**source.__dict__, "layer": layer, "required_columns": ("flood_zone",)})
    elif "layer" in fields:
        schema, field = "legacy", "layer"
        spec = Source(**{**source.__dict__, "layer": layer, "required_columns": ("layer",)})
    else:
        msg = (
            f"{path}: layer {layer!r} has neither a flood_zone field (2025 EA schema) nor a "
            f"layer field (retired schema); fields: {', '.join(sorted(fields))}"
        )
        raise SourceError(msg)
    frame = read_vector(path, spec, report=report)
    check_geometry_types(frame, POLYGONS, path=path)
    allowed = FLOOD_2025_VALUES if schema == "2025" else FLOOD_LEGACY_VALUES
    _check_values(frame, field, allowed, path=path)
    zone3 = frame.loc[frame[field].isin(["FZ3", "Flood Zone 3"]), "geometry"]
    zone2 = frame.loc[frame[field].isin(["FZ2", "Flood Zone 2"]), "geometry"]
    fz3 = shapely.union_all(zone3.to_numpy())
    extent = shapely.union_all([*zone2.to_numpy(), fz3])
    # Differences can leave zero-area slivers as lines: keep the polygonal parts only.
    fz2_only = shapely.MultiPolygon(
        [
            p
            for p in shapely.get_parts(shapely.difference(extent, fz3))
            if p.geom_type == "Polygon" and not p.is_empty
        ]
    )
    out = gpd.GeoDataFrame(
        {
            "zone": ["FZ3", "FZ2"],
            "description": [
                "Flood Zone 3: at least 1% (rivers) or 0.5% (sea) annual chance, defences ignored",
                "Flood Zone 2 only: 0.1-1% (rivers), 0.1-0.5% (sea) a year, defences ignored",
            ],
            "schema": schema,
        },
        geometry=[fz3, fz2_only],
        crs=BNG,
    )
    report.note(f"{source.id}: read the {schema} EA flood-zone schema from layer {layer!r}")
    return _tag(out, source)


def load_surface_water(path: Path, source: Source, *, report: IngestReport) -> gpd.GeoDataFrame:
    """RoFSW risk-band polygons (High / Medium / Low), dissolved per band."""
    frame = read_vector(path, source, report=report)
    check_geometry_types(frame, POLYGONS, path=path)
    _check_values(frame, "risk_band", set(RISK_BANDS), path=path)
    dissolved = frame[["risk_band", "geometry"]].dissolve(by="risk_band").reset_index()
    return _tag(dissolved, source)


def load_cycle_routes(path: Path, source: Source, *, report: IngestReport) -> gpd.GeoDataFrame:
    """Cycle infrastructure ways with an infrastructure class and an NCN flag."""
    frame = read_vector(path, source, report=report)
    check_geometry_types(frame, LINES, path=path)
    frame["infrastructure"] = classify_cycleways(frame)
    network = frame["network"].astype("string").fillna("")
    ref = frame["route_ref"].astype("string").fillna("") if "route_ref" in frame else ""
    frame["ncn"] = network.str.contains("ncn") | ((network == "") & (ref != ""))
    keep = [
        c
        for c in (
            "osm_id",
            "highway",
            "cycleway",
            "bicycle",
            "name",
            "route_ref",
            "network",
            "infrastructure",
            "ncn",
        )
        if c in frame.columns
    ]
    return _tag(frame[[*keep, "geometry"]], source)


def classify_cycleways(frame: pd.DataFrame) -> pd.Series:
    """`off_road_path`, `on_road_lane` or `quiet_or_permitted_route` from OSM tags.

    Off-road: ``highway=cycleway``, or a path/footway/bridleway/track with
    ``bicycle=designated``. On-road: a road with ``cycleway`` = lane, track, shared_lane,
    share_busway or a contraflow value. Anything else in the layer (signed quiet routes on roads,
    paths where cycling is only permitted) is a quiet or permitted route.
    """
    highway = frame["highway"].astype("string").fillna("")
    cycleway = frame["cycleway"].astype("string").fillna("")
    bicycle = frame["bicycle"].astype("string").fillna("") if "bicycle" in frame else ""
    lane_values = {
        "lane",
        "track",
        "shared_lane",
        "share_busway",
        "opposite_lane",
        "opposite_track",
    }
    off_road = (highway == "cycleway") | (
        highway.isin(["path", "footway", "bridleway", "track"]) & (bicycle == "designated")
    )
    on_road = cycleway.isin(lane_values) & ~off_road
    return pd.Series(
        [
            "off_road_path" if o else "on_road_lane" if r else "quiet_or_permitted_route"
            for o, r in zip(off_road, on_road, strict=True)
        ],
        index=frame.index,
    )


def load_rivers(path: Path, source: Source, *, report: IngestReport) -> gpd.GeoDataFrame:
    """OS Open Rivers watercourse centrelines."""
    frame = read_vector(path, source, report=report)
    check_geometry_types(frame, LINES, path=path)
    return _tag(frame[["name", "form", "geometry"]], source)


def load_alc(path: Path, source: Source, *, report: IngestReport) -> gpd.GeoDataFrame:
    """Provisional Agricultural Land Classification polygons with `grade`."""
    frame = read_vector(path, source, report=report)
    check_geometry_types(frame, POLYGONS, path=path)
    return _tag(frame[["grade", "geometry"]], source)


def _list_layers(path: Path) -> list[tuple[str, str]]:
    try:
        return [(str(a), str(b)) for a, b in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL errors on truncated or foreign files
        msg = f"{path}: cannot read: {exc}"
        raise SourceError(msg) from exc
