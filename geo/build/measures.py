"""Environmental inputs per area: green space, flood, cycling (grid and overlay) and rasters.

Produces, for each area type, a table indexed by area code whose columns are the inputs of the
environmental indicators. Residents come from the dasymetric grid (:mod:`geo.build.grid`); land
areas and route lengths from exact overlay of each area's polygon (EPSG:27700); raster
statistics from :func:`geo.build.zonal.zonal_stats`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.build.grid import (
    Grid,
    cell_points,
    make_grid,
    nearest_distance,
    population_cells,
    population_centres,
    sample,
    within_distance,
)
from geo.build.zonal import zonal_stats
from geo.vocabulary import (
    ACCESSIBLE_GREENSPACE_FUNCTIONS,
    AGS_TIERS,
    CYCLE_CLASSES,
    GREENSPACE_FUNCTIONS,
    RISK_BANDS,
    function_key,
)

CYCLE_DISTANCES = (250, 400)
CANOPY_THRESHOLD = 0.2
ELEVATION_THRESHOLD = 150.0
AGRICULTURAL_GRADES = ("Grade 1", "Grade 2", "Grade 3", "Grade 4", "Grade 5")


@dataclass
class Layers:
    """The validated environmental layers (EPSG:27700)."""

    greenspace: gpd.GeoDataFrame
    access_points: gpd.GeoDataFrame
    flood: gpd.GeoDataFrame
    surface_water: gpd.GeoDataFrame
    cycle: gpd.GeoDataFrame
    rivers: gpd.GeoDataFrame
    alc: gpd.GeoDataFrame
    canopy: Path
    alc_raster: Path
    elevation: Path


def greenspace_targets(
    sites: gpd.GeoDataFrame, points: gpd.GeoDataFrame, min_ha: float
) -> list[shapely.Geometry]:
    """Where to measure to, for sites of at least `min_ha`: their access points, else the edge."""
    big = sites[sites["site_ha"] >= min_ha]
    with_points = points[points["ref_to_greenspace_site"].isin(big["id"])]
    without = big[~big["id"].isin(with_points["ref_to_greenspace_site"])]
    return [*with_points.geometry.to_numpy(), *without.geometry.boundary.to_numpy()]


def assign_cells(
    cells: pd.DataFrame, grid: Grid, areas: dict[str, gpd.GeoDataFrame], member_type: str
) -> dict[str, np.ndarray]:
    """The area code of every cell for each area type (by cell centre; exact totals)."""
    lsoa, ward = areas["lsoa"], areas["ward"]
    burned = sample(
        cells,
        grid.burn(ward.geometry.to_numpy(), values=range(1, len(ward) + 1), dtype="int32"),
    )
    codes = ward.index.to_numpy().astype(str)
    # A centre in a generalisation sliver between ward polygons takes its LSOA's best-fit ward.
    fallback = lsoa.loc[cells["lsoa"], "ward_code_best_fit"].to_numpy().astype(str)
    ward_of = np.where(burned > 0, codes[np.maximum(burned - 1, 0)], fallback)
    if member_type == "ward":
        hood_of = ward["neighbourhood_id"].loc[ward_of].to_numpy().astype(str)
    else:
        hood_of = lsoa["neighbourhood_id"].loc[cells["lsoa"]].to_numpy().astype(str)
    return {
        "lsoa": cells["lsoa"].to_numpy().astype(str),
        "ward": ward_of,
        "neighbourhood": hood_of,
        "borough": np.full(len(cells), areas["borough"].index[0], dtype=object),
    }


def accessible_sites(
    layers: Layers, functions: tuple[str, ...] = ACCESSIBLE_GREENSPACE_FUNCTIONS
) -> gpd.GeoDataFrame:
    """The green space sites of the accessible `functions` (EPSG:27700)."""
    return layers.greenspace[layers.greenspace["function"].isin(functions)]


def cell_measures(
    cells: pd.DataFrame,
    grid: Grid,
    layers: Layers,
    deprived_lsoas: set[str],
    *,
    accessible_functions: tuple[str, ...] = ACCESSIBLE_GREENSPACE_FUNCTIONS,
) -> pd.DataFrame:
    """Resident counts per cell in every exposure and access class (persons); green space
    access counts only sites of `accessible_functions`."""
    points = cell_points(cells)
    residents = cells["residents"].to_numpy()
    older = cells["age_65_plus"].to_numpy()
    out = pd.DataFrame({"residents_grid": residents, "aged_65_plus_grid": older})
    zones = layers.flood.set_index("zone").geometry
    fz3 = sample(cells, grid.burn([zones["FZ3"]])).astype(bool)
    fz2 = sample(cells, grid.burn([zones["FZ2"]])).astype(bool)
    extent = fz3 | fz2
    deprived = cells["lsoa"].isin(deprived_lsoas).to_numpy()
    for name, mask in (("fz3", fz3), ("fz2_only", fz2), ("flood_extent", extent)):
        out[f"residents_{name}"] = residents * mask
        out[f"aged_65_plus_{name}"] = older * mask
        out[f"deprived_residents_{name}"] = residents * mask * deprived
    bands = layers.surface_water.set_index("risk_band").geometry
    for band in RISK_BANDS:
        mask = sample(cells, grid.burn([bands.get(band)])).astype(bool)
        out[f"residents_sw_{band.lower()}"] = residents * mask
    sites = accessible_sites(layers, accessible_functions)
    for name, distance, min_ha in AGS_TIERS:
        targets = greenspace_targets(sites, layers.access_points, min_ha)
        mask = within_distance(points, targets, distance)
        out[f"residents_ags_{name}"] = residents * mask
    any_300 = within_distance(points, greenspace_targets(sites, layers.access_points, 0.0), 300)
    out["residents_no_greenspace_300m"] = residents * ~any_300
    out["aged_65_plus_greenspace_300m"] = older * any_300
    out["aged_65_plus_no_greenspace_300m"] = older * ~any_300
    routes = layers.cycle.geometry.to_numpy()
    for distance in CYCLE_DISTANCES:
        out[f"residents_cycle_{distance}m"] = residents * within_distance(points, routes, distance)
    return out


def area_inside_ha(areas: gpd.GeoDataFrame, geometry: shapely.Geometry | None) -> pd.Series:
    """Hectares of `geometry` inside each area polygon (EPSG:27700), aligned to the index."""
    if geometry is None or geometry.is_empty:
        return pd.Series(0.0, index=areas.index)
    inside = shapely.area(shapely.intersection(areas.geometry.to_numpy(), geometry))
    return pd.Series(np.asarray(inside) / 10_000, index=areas.index)


def overlay_measures(
    areas: gpd.GeoDataFrame,
    layers: Layers,
    *,
    accessible_functions: tuple[str, ...] = ACCESSIBLE_GREENSPACE_FUNCTIONS,
) -> pd.DataFrame:
    """Land areas (ha) and route lengths (km) inside each area polygon, by exact overlay."""
    geoms = areas.geometry.to_numpy()
    out = pd.DataFrame(index=areas.index)
    out["land_ha"] = shapely.area(geoms) / 10_000
    out["land_km2"] = out["land_ha"] / 100

    def inside_ha(geometry: shapely.Geometry | None) -> np.ndarray:
        return area_inside_ha(areas, geometry).to_numpy()

    sites = layers.greenspace
    out["greenspace_ha"] = inside_ha(shapely.union_all(sites.geometry.to_numpy()))
    accessible = accessible_sites(layers, accessible_functions).geometry.to_numpy()
    out["accessible_greenspace_ha"] = inside_ha(shapely.union_all(accessible))
    for function in GREENSPACE_FUNCTIONS:
        part = sites.loc[sites["function"] == function, "geometry"].to_numpy()
        out[f"greenspace_ha_{function_key(function)}"] = inside_ha(shapely.union_all(part))
    zones = layers.flood.set_index("zone").geometry
    out["fz3_ha"] = inside_ha(zones["FZ3"])
    out["fz2_only_ha"] = inside_ha(zones["FZ2"])
    out["flood_extent_ha"] = out["fz3_ha"] + out["fz2_only_ha"]
    bands = layers.surface_water.set_index("risk_band").geometry
    for band in RISK_BANDS:
        out[f"sw_{band.lower()}_ha"] = inside_ha(bands.get(band))
    routes = layers.cycle
    for cls in CYCLE_CLASSES:
        lines = shapely.union_all(
            routes.loc[routes["infrastructure"] == cls, "geometry"].to_numpy()
        )
        out[f"cycle_km_{cls}"] = (
            np.asarray(shapely.length(shapely.intersection(geoms, lines))) / 1000
        )
    ncn = shapely.union_all(routes.loc[routes["ncn"], "geometry"].to_numpy())
    out["cycle_km_ncn"] = np.asarray(shapely.length(shapely.intersection(geoms, ncn))) / 1000
    out["cycle_km_total"] = out[[f"cycle_km_{c}" for c in CYCLE_CLASSES]].sum(axis=1)
    return out


def raster_measures(areas: gpd.GeoDataFrame, layers: Layers) -> pd.DataFrame:
    """Canopy, land classification and (indicative) elevation statistics per area."""
    canopy = zonal_stats(areas, layers.canopy, thresholds={"20pct": CANOPY_THRESHOLD})
    alc = zonal_stats(
        areas, layers.alc_raster, categories={"agricultural": [1, 2, 3, 4, 5], "urban": [7]}
    )
    elevation = zonal_stats(areas, layers.elevation, thresholds={"150m": ELEVATION_THRESHOLD})
    return pd.DataFrame(
        {
            "canopy_mean": canopy["mean"],
            "canopy_min": canopy["min"],
            "canopy_max": canopy["max"],
            "canopy_share_above_20pct": canopy["share_above_20pct"],
            "alc_share_agricultural": alc["share_agricultural"],
            "alc_share_urban": alc["share_urban"],
            "elevation_mean": elevation["mean"],
            "elevation_min": elevation["min"],
            "elevation_max": elevation["max"],
            "elevation_share_above_150m": elevation["share_above_150m"],
        },
        index=areas.index,
    )


def river_distance(
    lsoa: gpd.GeoDataFrame, cells: pd.DataFrame, rivers: gpd.GeoDataFrame
) -> pd.Series:
    """Metres from each LSOA's population-weighted centre to the nearest main river.

    Main rivers: OS Open Rivers links whose name starts with "River" (the Mersey, Tame, Goyt,
    Etherow...): the EA's statutory main-river designation is not in the open data.
    """
    centres = population_centres(cells, cells["lsoa"].to_numpy())
    main = rivers[rivers["name"].astype("string").fillna("").str.startswith("River")]
    return nearest_distance(centres, main.geometry).reindex(lsoa.index)


def residents_grid(
    areas: dict[str, gpd.GeoDataFrame],
    layers: Layers,
    counts: pd.DataFrame,
    *,
    cell_size: float,
    greenspace: gpd.GeoSeries,
) -> tuple[Grid, pd.DataFrame]:
    """The 25 m grid over the borough and its resident cells (`residents`, `age_65_plus`),
    with no residents on water or on `greenspace` and few on farmland (EPSG:27700)."""
    minx, miny, maxx, maxy = (float(b) for b in areas["borough"].total_bounds)
    grid = make_grid((minx, miny, maxx, maxy), cell=cell_size)
    agricultural = layers.alc.loc[layers.alc["grade"].isin(AGRICULTURAL_GRADES), "geometry"]
    water = layers.rivers.loc[
        layers.rivers["form"]
        .astype("string")
        .fillna("")
        .isin(["inland river", "tidal river", "canal", "inlandRiver", "tidalRiver"]),
        "geometry",
    ]
    cells = population_cells(
        areas["lsoa"],
        counts[["residents", "age_65_plus"]],
        grid=grid,
        greenspace=greenspace,
        water=water,
        agricultural=agricultural,
    )
    return grid, cells


def environment_inputs(
    areas: dict[str, gpd.GeoDataFrame],
    layers: Layers,
    *,
    counts: pd.DataFrame,
    deprived_lsoas: set[str],
    member_type: str,
    cell_size: float = 25.0,
    accessible_functions: tuple[str, ...] = ACCESSIBLE_GREENSPACE_FUNCTIONS,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Input tables per area type, and the population cells (for maps and checks).

    `counts` holds Census 2021 `residents` and `age_65_plus` per LSOA.
    """
    lsoa = areas["lsoa"]
    grid, cells = residents_grid(
        areas, layers, counts, cell_size=cell_size, greenspace=layers.greenspace.geometry
    )
    measures = cell_measures(
        cells, grid, layers, deprived_lsoas, accessible_functions=accessible_functions
    )
    owners = assign_cells(cells, grid, areas, member_type)
    # Every area type's polygons in one frame, so layer unions are built and rasters read once.
    stacked = gpd.GeoDataFrame(
        pd.concat([frame[["geometry"]] for frame in areas.values()]),
        crs=lsoa.crs,
    )
    stacked.index = pd.MultiIndex.from_arrays(
        [
            np.repeat(list(areas), [len(f) for f in areas.values()]),
            np.concatenate([f.index.to_numpy() for f in areas.values()]),
        ]
    )
    polygon_measures = pd.concat(
        [
            overlay_measures(stacked, layers, accessible_functions=accessible_functions),
            raster_measures(stacked, layers),
        ],
        axis=1,
    )
    inputs = {}
    for area_type, frame in areas.items():
        by_area = measures.groupby(owners[area_type]).sum().reindex(frame.index, fill_value=0.0)
        inputs[area_type] = pd.concat(
            [by_area, polygon_measures.xs(area_type).reindex(frame.index)], axis=1
        )
    inputs["lsoa"]["river_distance_m"] = river_distance(lsoa, cells, layers.rivers)
    return inputs, cells
