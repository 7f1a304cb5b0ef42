"""Build step for local services: residents within reach of each kind, distance to the nearest,
and the service layers stored for the API and maps."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.apportion import best_fit_weights
from geo.build.environment_step import as_feature_layer
from geo.build.grid import cell_points, nearest_distance, population_centres, within_distance
from geo.build.measures import Layers, assign_cells, residents_grid
from geo.build.network import StreetGraph, network_distance, street_graph
from geo.errors import SourceMissingError
from geo.indicators.catalogue import IndicatorDef
from geo.indicators.engine import compute_records
from geo.indicators.services import SERVICE_SOURCE_IDS, services_indicators
from geo.sources.ingest import IngestReport, check_geometry_types, read_vector
from geo.sources.manifest import Source
from geo.sources.services import load_services
from geo.vocabulary import ACCESS_SERVICE_KINDS, SERVICE_DISTANCES_M

Locate = Callable[[str], tuple[Path, Source]]

SERVICES_METHOD = "dasymetric_grid"
"""Services figures are grid figures: shown, and scaled to each area's one population, as such."""


def load_service_layers(path_of: Locate, *, report: IngestReport) -> dict[str, gpd.GeoDataFrame]:
    """Every service layer of the manifest, by kind (EPSG:27700, common schema)."""
    return {
        kind: load_services(*path_of(source_id), report=report)
        for kind, source_id in SERVICE_SOURCE_IDS.items()
    }


STREETS_SOURCE = "os_open_roads"
"""Optional street network: with it, services reach is walked along streets."""


def load_streets(path_of: Locate, *, report: IngestReport) -> StreetGraph | None:
    """The street graph from the optional OS Open Roads links, or None when they are absent."""
    try:
        path, source = path_of(STREETS_SOURCE)
    except SourceMissingError:
        return None
    frame = read_vector(path, source, report=report)
    check_geometry_types(frame, {"LineString", "MultiLineString"}, path=path)
    return street_graph(frame.geometry)


def service_cell_counts(
    cells: pd.DataFrame,
    services: Mapping[str, gpd.GeoDataFrame],
    *,
    streets: StreetGraph | None = None,
) -> pd.DataFrame:
    """Per grid cell: its residents and residents 65+, and those within each reach of each
    service kind (persons; metres from the cell centre: along `streets` when given, else in a
    straight line)."""
    points = cell_points(cells)
    origins = cells[["x", "y"]].to_numpy(dtype=float)
    residents = cells["residents"].to_numpy(dtype=float)
    older = cells["age_65_plus"].to_numpy(dtype=float)
    out = {"residents_services_grid": residents, "aged_65_plus_services_grid": older}
    for kind in ACCESS_SERVICE_KINDS:
        geometries = services[kind].geometry.to_numpy()
        walked = (
            network_distance(streets, origins, services[kind].geometry)
            if streets is not None
            else None
        )
        for distance in SERVICE_DISTANCES_M:
            near = (
                walked <= distance
                if walked is not None
                else within_distance(points, geometries, distance)
            )
            out[f"services_residents_{kind}_{distance}m"] = residents * near
            out[f"services_aged_65_plus_{kind}_{distance}m"] = older * near
    return pd.DataFrame(out, index=cells.index)


def services_inputs(
    areas: dict[str, gpd.GeoDataFrame],
    layers: Layers,
    services: Mapping[str, gpd.GeoDataFrame],
    *,
    counts: pd.DataFrame,
    member_type: str,
    cell_size: float = 25.0,
    streets: StreetGraph | None = None,
) -> dict[str, pd.DataFrame]:
    """Input tables of the services indicators per area type (index: area code).

    The grid is built from real inputs only (no green-space exclusion: see
    :mod:`geo.indicators.services`); `counts` holds Census 2021 `residents` and `age_65_plus`.
    With `streets`, distances are walked along them; else straight lines.
    """
    no_greenspace = gpd.GeoSeries([], crs=areas["lsoa"].crs)
    grid, cells = residents_grid(
        areas, layers, counts, cell_size=cell_size, greenspace=no_greenspace
    )
    per_cell = service_cell_counts(cells, services, streets=streets)
    owners = assign_cells(cells, grid, areas, member_type)
    inputs = {}
    for area_type, frame in areas.items():
        owner = owners[area_type]
        table = per_cell.groupby(owner).sum().reindex(frame.index, fill_value=0.0)
        centres = population_centres(cells, owner).reindex(frame.index.astype(str))
        for kind in ACCESS_SERVICE_KINDS:
            if streets is not None:
                xy = np.column_stack([centres.x.to_numpy(), centres.y.to_numpy()])
                walked = network_distance(streets, xy, services[kind].geometry)
                table[f"distance_to_nearest_{kind}_m"] = walked
            else:
                distance = nearest_distance(centres, services[kind].geometry)
                table[f"distance_to_nearest_{kind}_m"] = distance.to_numpy()
        inputs[area_type] = table
    return inputs


def services_records(
    inputs: Mapping[str, pd.DataFrame],
    *,
    vintages: dict[str, str],
    standins: set[str],
    along_streets: bool = False,
) -> tuple[pd.DataFrame, list[IndicatorDef], pd.DataFrame]:
    """Records of the services indicators for every area, their definitions, and the grid's
    resident totals per area (index: area type, area code)."""
    defs = services_indicators(along_streets=along_streets)
    parts = []
    for area_type, table in inputs.items():
        identity = best_fit_weights(
            pd.Series(table.index.astype(str), index=table.index.astype(str))
        )
        parts.append(
            compute_records(
                defs,
                table,
                {(area_type, SERVICES_METHOD): identity},
                vintages=vintages,
                standin_sources=standins,
            )
        )
    totals = pd.concat(
        {
            t: table[["residents_services_grid", "aged_65_plus_services_grid"]]
            for t, table in inputs.items()
        },
        names=["area_type", "area_code"],
    )
    return pd.concat(parts, ignore_index=True), defs, totals


def service_feature_layers(services: Mapping[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    """Service layers as stored feature layers, named by their source id."""
    return {
        SERVICE_SOURCE_IDS[kind]: as_feature_layer(frame, SERVICE_SOURCE_IDS[kind])
        for kind, frame in services.items()
    }
