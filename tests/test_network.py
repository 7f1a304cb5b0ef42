"""Distance along streets on a small synthetic grid, checked by hand."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from geo.build.network import network_distance, street_graph
from geo.build.pipeline import build_store
from geo.errors import SourceError
from geo.store import Store, load_store


def grid_streets(size: int = 4, spacing: float = 100.0) -> gpd.GeoSeries:
    """A size x size grid of junctions 100 m apart, one link per block side (links end at
    junctions, as OS Open Roads links do)."""
    lines = []
    for i in range(size):
        for j in range(size - 1):
            lines.append(
                shapely.LineString([(j * spacing, i * spacing), ((j + 1) * spacing, i * spacing)])
            )
            lines.append(
                shapely.LineString([(i * spacing, j * spacing), (i * spacing, (j + 1) * spacing)])
            )
    return gpd.GeoSeries(lines, crs=27700)


def test_a_bridge_does_not_meet_the_road_below() -> None:
    road = shapely.LineString([(0, 50), (100, 50)])
    bridge = shapely.LineString([(50, 0), (50, 100)])  # crosses with no shared vertex
    graph = street_graph(gpd.GeoSeries([road, bridge], crs=27700))
    service = gpd.GeoSeries([shapely.Point(100, 50)], crs=27700)
    assert np.isinf(network_distance(graph, np.array([[50.0, 0.0]]), service)[0])


def test_street_distance_is_the_manhattan_walk_not_the_crow_line() -> None:
    graph = street_graph(grid_streets())
    pharmacy = gpd.GeoSeries([shapely.Point(0, 0)], crs=27700)
    origins = np.array([[300.0, 300.0], [100.0, 0.0], [0.0, 0.0]])
    walked = network_distance(graph, origins, pharmacy)
    assert walked[1] == pytest.approx(100.0)
    assert walked[2] == pytest.approx(0.0, abs=1e-6)
    assert walked[0] == pytest.approx(600.0)  # 300 east + 300 north, not 424 m as the crow flies


def test_access_walks_are_added_and_the_nearest_service_wins() -> None:
    graph = street_graph(grid_streets())
    services = gpd.GeoSeries([shapely.Point(0, -20), shapely.Point(300, 320)], crs=27700)
    origin = np.array([[110.0, 0.0]])  # 10 m off the junction at (100, 0)
    # to the first: 10 (to the junction) + 100 along + 20 (junction to the door) = 130
    assert network_distance(graph, origin, services)[0] == pytest.approx(130.0)


def test_unconnected_streets_are_infinitely_far() -> None:
    streets = gpd.GeoSeries(
        [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(500, 0), (600, 0)])],
        crs=27700,
    )
    graph = street_graph(streets)
    service = gpd.GeoSeries([shapely.Point(600, 0)], crs=27700)
    assert np.isinf(network_distance(graph, np.array([[0.0, 0.0]]), service)[0])


def test_a_build_with_streets_walks_them(mirror_copy: Path, tmp_path: Path, store: Store) -> None:
    """With the optional street layer present, services reach is walked along it: never more
    residents within reach than in a straight line, and every figure says how it was measured."""
    lsoa = store.areas["lsoa"]
    minx, miny, maxx, maxy = (float(v) for v in lsoa.total_bounds)
    xs = np.arange(minx - 1000, maxx + 1000, 200.0)
    ys = np.arange(miny - 1000, maxy + 1000, 200.0)
    links = [shapely.LineString([(x, y), (x + 200, y)]) for x in xs[:-1] for y in ys] + [
        shapely.LineString([(x, y), (x, y + 200)]) for x in xs for y in ys[:-1]
    ]
    streets = gpd.GeoDataFrame({"id": range(len(links))}, geometry=links, crs=27700)
    target = mirror_copy / "network" / "os_open_roads_road_link.gpkg"
    target.parent.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(streets, target, layer="road_link")
    walked_path = tmp_path / "walked.gpkg"
    build_store(store_path=walked_path, mirror=mirror_copy)
    walked = load_store(walked_path)
    assert walked.info["services_distance"] == "along streets"
    assert store.info["services_distance"] == "straight line"
    ids = [f"share_residents_within_800m_{k}" for k in ("pharmacy", "library", "food_bank")]
    for indicator in ids:
        both = [
            s.values[(s.values["indicator_id"] == indicator)].set_index(["area_type", "area_code"])[
                "value"
            ]
            for s in (walked, store)
        ]
        assert (both[0] <= both[1] + 1e-9).all(), indicator
        assert (both[0] < both[1]).any(), indicator  # the grid's detours cost something
        text = walked.definitions[indicator].description
        assert (
            "along the street network" in text
            and "os_open_roads" in walked.definitions[indicator].source_ids
        )


def test_a_street_layer_of_polygons_is_refused(mirror_copy: Path, tmp_path: Path) -> None:
    blocks = gpd.GeoDataFrame(
        {"id": [1]}, geometry=[shapely.box(390_000, 388_000, 390_100, 388_100)], crs=27700
    )
    target = mirror_copy / "network" / "os_open_roads_road_link.gpkg"
    target.parent.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(blocks, target, layer="road_link")
    store_path = tmp_path / "store.gpkg"
    with pytest.raises(SourceError) as raised:
        build_store(store_path=store_path, mirror=mirror_copy)
    message = str(raised.value)
    assert "os_open_roads_road_link.gpkg" in message and "Polygon" in message
    assert not store_path.exists()
