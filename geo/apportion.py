"""Apportion LSOA values to wards, neighbourhoods and the borough.

A *weight table* has the columns ``source`` (LSOA code), ``target`` (area code) and ``weight``
(the share of the source's values given to the target). Each source's weights sum to 1, so
counts are conserved: the sum over targets equals the sum over sources.

Two methods:

``best_fit`` (the default)
    ONS's best-fit lookup: each LSOA goes whole to the ward holding its population-weighted
    centroid. It is ONS's own published method for building ward figures from LSOAs, anyone can
    reproduce it from the ONS lookup, and it keeps each LSOA's deprivation rank and decile attached
    to a whole population instead of assuming people are spread evenly over fields and parks.
``area_weighted``
    Each LSOA is split by the share of its area in each ward (intersection in EPSG:27700,
    normalised over the LSOA's intersected area so that generalisation slivers lose nothing).
    It assumes residents are spread evenly over the LSOA. Stored beside best fit for every
    aggregate, so the sensitivity to the method is visible.

Rates are never averaged: numerators and denominators are apportioned and the rate recomputed.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.crs import BNG
from geo.errors import SourceError


def best_fit_weights(assignment: pd.Series) -> pd.DataFrame:
    """Weight table from a Series mapping each source code (index) to one target code."""
    return pd.DataFrame(
        {
            "source": assignment.index.astype(str),
            "target": assignment.astype(str).to_numpy(),
            "weight": 1.0,
        }
    )


def area_weights(
    sources: gpd.GeoDataFrame, targets: gpd.GeoDataFrame, *, min_share: float = 1e-6
) -> pd.DataFrame:
    """Weight table splitting each source polygon by its area share in each target polygon.

    Both frames are indexed by code and must be in EPSG:27700. Shares below `min_share`
    (generalisation slivers) are dropped before the weights are renormalised to sum to 1.
    """
    for frame, name in ((sources, "sources"), (targets, "targets")):
        if frame.crs is None or frame.crs.to_string() != BNG:
            msg = f"area_weights needs {name} in {BNG}, got {frame.crs}"
            raise SourceError(msg)
    left = gpd.GeoDataFrame(
        {"source": sources.index.astype(str)}, geometry=sources.geometry.values, crs=BNG
    )
    right = gpd.GeoDataFrame(
        {"target": targets.index.astype(str)}, geometry=targets.geometry.values, crs=BNG
    )
    pieces = gpd.overlay(left, right, how="intersection", keep_geom_type=True)
    pieces["overlap_m2"] = pieces.geometry.area
    table = pieces.groupby(["source", "target"], as_index=False)["overlap_m2"].sum()
    table["weight"] = table["overlap_m2"] / table.groupby("source")["overlap_m2"].transform("sum")
    table = table[table["weight"] >= min_share].copy()
    table["weight"] = table["weight"] / table.groupby("source")["weight"].transform("sum")
    unmatched = set(left["source"]) - set(table["source"])
    if unmatched:
        msg = f"area_weights: source polygons overlap no target: {sorted(unmatched)}"
        raise SourceError(msg)
    result: pd.DataFrame = table[["source", "target", "weight", "overlap_m2"]]
    return result.reset_index(drop=True)


def compose(weights: pd.DataFrame, parent_of: pd.Series) -> pd.DataFrame:
    """Chain a weight table with a target -> parent mapping (e.g. ward -> neighbourhood)."""
    chained = weights.assign(target=weights["target"].map(parent_of))
    if chained["target"].isna().any():
        missing = sorted(weights.loc[chained["target"].isna(), "target"].unique())
        msg = f"compose: no parent for target(s) {missing}"
        raise SourceError(msg)
    return chained.groupby(["source", "target"])["weight"].sum().reset_index()


def apportion(values: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Sum ``weight * value`` per target for every column of `values` (indexed by source).

    Missing values (suppressed small counts) count as zero in the sum; the column
    ``<name>__missing`` holds the weight of sources whose value was missing, so callers can say
    that a total is a lower bound; ``__weight`` holds the total weight (LSOA equivalents).
    """
    table = weights[["source", "target", "weight"]]
    unknown = set(table["source"]) - set(values.index)
    if unknown:
        msg = f"apportion: weight sources without values: {sorted(unknown)[:10]}"
        raise SourceError(msg)
    joined = table.join(values, on="source", how="left")
    weighted = joined[values.columns].fillna(0.0).mul(joined["weight"], axis=0)
    weighted["target"] = joined["target"]
    sums = weighted.groupby("target").sum()
    missing = joined[values.columns].isna().mul(joined["weight"], axis=0)
    missing["target"] = joined["target"]
    missing_sums = missing.groupby("target").sum().add_suffix("__missing")
    total_weight = joined.groupby("target")["weight"].sum().rename("__weight")
    return pd.concat([sums, missing_sums, total_weight], axis=1)
