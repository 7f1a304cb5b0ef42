"""Build step for the environmental layers: load, compute records, prepare feature layers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.apportion import best_fit_weights
from geo.build.measures import Layers, accessible_sites, environment_inputs
from geo.build.zonal import check_raster
from geo.crs import BNG
from geo.indicators.catalogue import IndicatorDef
from geo.indicators.engine import compute_records, mark_not_computable
from geo.indicators.environment import (
    grid_indicators,
    overlay_indicators,
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
from geo.vocabulary import ACCESSIBLE_GREENSPACE_FUNCTIONS, AGS_TIERS

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
    accessible_functions: tuple[str, ...] = ACCESSIBLE_GREENSPACE_FUNCTIONS,
    greenspace_reach_m: float | None = None,
) -> tuple[pd.DataFrame, list[IndicatorDef], pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Records of every environmental indicator for every area, their definitions, the
    LSOA-level inputs (for custom-area profiles) and the grid's resident totals per area
    (index: area type, area code), and the indicators that are not computable, with why.

    `greenspace_reach_m`: how far beyond the borough the green space layer holds sites (None:
    everywhere); a standard's tier that needs sites further away is "not computable".
    """
    inputs, _cells = environment_inputs(
        areas,
        layers,
        counts=counts,
        deprived_lsoas=deprived_lsoas,
        member_type=member_type,
        accessible_functions=accessible_functions,
    )
    groups = {
        "dasymetric_grid": grid_indicators(accessible_functions=accessible_functions),
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
    sites = accessible_sites(layers, accessible_functions)
    reasons = uncomputable_tiers(sites, reach_m=greenspace_reach_m)
    records = mark_not_computable(records, reasons)
    defs = [d for group in groups.values() for d in group] + [river]
    totals = pd.concat(
        {t: table[["residents_grid", "aged_65_plus_grid"]] for t, table in inputs.items()},
        names=["area_type", "area_code"],
    )
    return records, defs, inputs["lsoa"], totals, reasons


def uncomputable_tiers(sites: gpd.GeoDataFrame, *, reach_m: float | None) -> dict[str, str]:
    """Accessible Greenspace Standard tiers the data can't answer: indicator id -> reason.

    A tier is not computable when no accessible site is large enough, or when its distance
    reaches further beyond the borough than the layer holds sites (`reach_m`, metres).
    """
    reasons = {}
    for name, distance, min_ha in AGS_TIERS:
        if reach_m is not None and distance > reach_m:
            reasons[f"share_residents_ags_{name}"] = (
                f"not computable: the standard looks {distance:,} m out, but the green space "
                f"data hold sites only up to {reach_m:,.0f} m beyond the borough"
            )
        elif not (sites["site_ha"] >= min_ha).any():
            reasons[f"share_residents_ags_{name}"] = (
                f"not computable: no accessible green space site of {min_ha:g} ha or more "
                "is in the data"
            )
    return reasons


def as_feature_layer(frame: gpd.GeoDataFrame, layer_id: str) -> gpd.GeoDataFrame:
    """A layer as the store keeps it: `feature_id` first (`<layer>.<n>`), a published `id`
    renamed `os_id`, true/false columns other than `standin` as 0/1 (for the GeoPackage)."""
    frame = frame.copy()
    frame.insert(0, "feature_id", [f"{layer_id}.{i + 1}" for i in range(len(frame))])
    if "id" in frame.columns:
        frame = frame.rename(columns={"id": "os_id"})
    for column in frame.columns:
        if frame[column].dtype == bool and column != "standin":
            frame[column] = frame[column].astype(np.int8)
    return frame


def feature_layers(layers: Layers) -> dict[str, gpd.GeoDataFrame]:
    """The feature layers stored for the API and maps, each with `feature_id` and provenance."""
    return {
        layer_id: as_feature_layer(getattr(layers, attribute), layer_id)
        for layer_id, attribute in FEATURE_LAYERS.items()
    }
