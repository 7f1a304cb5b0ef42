"""Distance along streets: the network path of the services measures.

Used when a street network is in the mirror or the fetch cache (OS Open Roads `road_link`, or
OpenStreetMap ways converted to lines); otherwise the services measures use straight lines.
The graph joins line vertices that fall within `snap_m` of each other, so links that meet
end to end become one junction (lines that cross without a shared vertex, such as a bridge
over a road, stay apart, as OS Open Roads and OpenStreetMap draw them); every origin and every
service is joined to its nearest junction by a straight walk, added to the distance. All in
EPSG:27700 metres.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree


@dataclass(frozen=True)
class StreetGraph:
    """Junctions (x, y) and the street lengths between them (a symmetric sparse matrix)."""

    nodes: np.ndarray
    lengths: csr_matrix
    tree: cKDTree


def street_graph(streets: gpd.GeoSeries, *, snap_m: float = 1.0) -> StreetGraph:
    """The walkable graph of street centrelines (EPSG:27700 lines)."""
    lines = shapely.get_parts(streets.to_numpy())
    coords, line_of = shapely.get_coordinates(lines, return_index=True)
    keys = np.round(coords / snap_m).astype(np.int64)
    unique, node_of = np.unique(keys, axis=0, return_inverse=True)
    node_of = node_of.ravel()
    nodes = np.zeros((len(unique), 2))
    np.add.at(nodes, node_of, coords)
    nodes /= np.bincount(node_of, minlength=len(unique))[:, None]
    same_line = line_of[1:] == line_of[:-1]
    a, b = node_of[:-1][same_line], node_of[1:][same_line]
    length = np.hypot(*(coords[1:][same_line] - coords[:-1][same_line]).T)
    keep = a != b
    a, b, length = a[keep], b[keep], length[keep]
    # Two links between the same junctions would add up in a sparse matrix: keep the shorter.
    matrix = _shortest_links(a, b, length, len(nodes))
    return StreetGraph(nodes=nodes, lengths=matrix, tree=cKDTree(nodes))


def _shortest_links(a: np.ndarray, b: np.ndarray, length: np.ndarray, size: int) -> csr_matrix:
    order = np.lexsort((length, np.minimum(a, b), np.maximum(a, b)))
    low, high, length = np.minimum(a, b)[order], np.maximum(a, b)[order], length[order]
    first = np.ones(len(low), dtype=bool)
    first[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    low, high, length = low[first], high[first], length[first]
    return coo_matrix(
        (
            np.concatenate([length, length]),
            (np.concatenate([low, high]), np.concatenate([high, low])),
        ),
        shape=(size, size),
    ).tocsr()


def network_distance(graph: StreetGraph, origins: np.ndarray, targets: gpd.GeoSeries) -> np.ndarray:
    """Metres from each origin (an (n, 2) array of x, y) to its nearest target along the
    streets: straight to the nearest junction, along streets, straight to the target (inf
    where no street connects them)."""
    places = targets.representative_point()
    target_xy = np.column_stack([places.x.to_numpy(), places.y.to_numpy()])
    if len(target_xy) == 0:
        return np.full(len(origins), np.inf)
    access, target_node = graph.tree.query(target_xy)
    # A virtual source joined to each target's junction by its access walk: one Dijkstra run
    # gives every junction its distance to the nearest target.
    size = len(graph.nodes)
    links = graph.lengths.tocoo()
    # Zero-length access walks would vanish from a sparse matrix: a nanometre keeps them.
    matrix = coo_matrix(
        (
            np.concatenate([links.data, access + 1e-9]),
            (
                np.concatenate([links.row, np.full(len(target_node), size)]),
                np.concatenate([links.col, target_node]),
            ),
        ),
        shape=(size + 1, size + 1),
    ).tocsr()
    along = dijkstra(matrix, directed=True, indices=size)[:size]
    offset, origin_node = graph.tree.query(origins)
    return np.asarray(along[origin_node] + offset)
