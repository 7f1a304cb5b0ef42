"""Build step for the environmental layers: load, compute records, prepare feature layers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.apportion import best_fit_weights
from geo.build.measures import Layers, environment_inputs
from geo.build.zonal import check_raster
from geo.crs import BNG
from geo.errors import SourceError
from geo.indicators.catalogue import IndicatorDef
from geo.indicators.engine import compute_records, select_methods
from geo.indicators.environment import (
    PRIORITY_WEIGHTS,
    grid_indicators,
    overlay_indicators,
    priority_index_indicator,
    river_indicator,
    zonal_indicators,
)
from geo.sources.ingest import IngestReport
from geo.sources.layers import (
    load_access_points,
    load_alc,
    load_cycle_routes,
    load_flood_zones,
    load_greenspace,
    load_rivers,
    load_surface_water,
)
from geo.sources.manifest import Source

Locate = Callable[[str], tuple[Path, Source]]

FEATURE_LAYERS = {
    "greenspace_sites": "greenspace",
    "flood_zones": "flood",
    "surface_water": "surface_water",
    "cycle_routes": "cycle",
}
"""Store feature layer id -> attribute of :class:`Layers`."""


def load_layers(
    path_of: Locate, *, bounds: tuple[float, float, float, float], report: IngestReport
) -> Layers:
    """Read and validate every environmental layer named in the manifest (rasters are checked
    for a CRS and overlap with `bounds`, EPSG:27700, here and read when used)."""
    rasters = {
        sid: path_of(sid)[0] for sid in ("tree_canopy", "alc_raster", "elevation_indicative")
    }
    for path in rasters.values():
        check_raster(path, bounds, BNG)
    return Layers(
        greenspace=load_greenspace(*path_of("greenspace_sites"), report=report),
        access_points=load_access_points(*path_of("greenspace_access_points"), report=report),
        flood=load_flood_zones(*path_of("flood_zones"), report=report),
        surface_water=load_surface_water(*path_of("surface_water"), report=report),
        cycle=load_cycle_routes(*path_of("cycle_routes"), report=report),
        rivers=load_rivers(*path_of("os_open_rivers"), report=report),
        alc=load_alc(*path_of("alc_vector"), report=report),
        canopy=rasters["tree_canopy"],
        alc_raster=rasters["alc_raster"],
        elevation=rasters["elevation_indicative"],
    )


def _identity(index: pd.Index) -> pd.DataFrame:
    return best_fit_weights(pd.Series(index.astype(str), index=index.astype(str)))


def environment_records(
    areas: dict[str, gpd.GeoDataFrame],
    layers: Layers,
    *,
    counts: pd.DataFrame,
    deprived_lsoas: set[str],
    member_type: str,
    vintages: dict[str, str],
    standins: set[str],
) -> tuple[pd.DataFrame, list[IndicatorDef], pd.DataFrame]:
    """Records of every environmental indicator for every area, their definitions, and the
    LSOA-level inputs (for custom-area profiles)."""
    inputs, _cells = environment_inputs(
        areas, layers, counts=counts, deprived_lsoas=deprived_lsoas, member_type=member_type
    )
    groups = {
        "dasymetric_grid": grid_indicators(),
        "direct_overlay": overlay_indicators(),
        "zonal": zonal_indicators(),
    }
    parts = []
    for area_type, table in inputs.items():
        for method, defs in groups.items():
            parts.append(
                compute_records(
                    defs,
                    table,
                    {(area_type, method): _identity(table.index)},
                    vintages=vintages,
                    standin_sources=standins,
                )
            )
    river = river_indicator()
    parts.append(
        compute_records(
            [river],
            inputs["lsoa"],
            {("lsoa", "dasymetric_grid"): _identity(inputs["lsoa"].index)},
            vintages=vintages,
            standin_sources=standins,
        )
    )
    records = pd.concat(parts, ignore_index=True)
    defs = [d for group in groups.values() for d in group] + [river]
    return records, defs, inputs["lsoa"]


def priority_index_records(
    records: pd.DataFrame, *, vintages: dict[str, str], standins: set[str]
) -> tuple[pd.DataFrame, IndicatorDef]:
    """The age-friendly priority index from its components' shown values, per area type."""
    definition = priority_index_indicator()
    shown = select_methods(records[records["indicator_id"].isin(PRIORITY_WEIGHTS)])
    parts = []
    for area_type in definition.area_types:
        wide = shown[shown["area_type"] == area_type].pivot(
            index="area_code", columns="indicator_id", values="value"
        )
        missing = set(PRIORITY_WEIGHTS) - set(wide.columns)
        if missing:
            msg = f"priority index: components missing for {area_type}: {sorted(missing)}"
            raise SourceError(msg)
        index = pd.Series(0.0, index=wide.index)
        for component, weight in PRIORITY_WEIGHTS.items():
            values = wide[component]
            span = values.max() - values.min()
            scaled = (values - values.min()) / span * 100 if span > 0 else values * 0.0
            index += weight * scaled.fillna(scaled.mean())
        table = pd.DataFrame({"age_friendly_priority_index": index})
        parts.append(
            compute_records(
                [definition],
                table,
                {(area_type, "composite"): _identity(table.index)},
                vintages=vintages,
                standin_sources=standins,
            )
        )
    return pd.concat(parts, ignore_index=True), definition


def feature_layers(layers: Layers) -> dict[str, gpd.GeoDataFrame]:
    """The feature layers stored for the API and maps, each with `feature_id` and provenance."""
    out = {}
    for layer_id, attribute in FEATURE_LAYERS.items():
        frame = getattr(layers, attribute).copy()
        frame.insert(0, "feature_id", [f"{layer_id}.{i + 1}" for i in range(len(frame))])
        if "id" in frame.columns:
            frame = frame.rename(columns={"id": "os_id"})
        for column in frame.columns:
            if frame[column].dtype == bool and column != "standin":
                frame[column] = frame[column].astype(np.int8)
        out[layer_id] = frame
    return out
