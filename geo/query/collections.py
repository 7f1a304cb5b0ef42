"""Feature collections over the store: metadata, spatial index and queries (no HTTP here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.crs import CRS84_URI, pyproj_name
from geo.errors import FeatureNotFoundError, InvalidParameterError
from geo.query.cql2 import Expression, evaluate, is_null
from geo.store import StoreContent
from geo.vocabulary import AREA_TYPE_LABELS, AREA_TYPES, is_missing

AREA_QUERYABLES = {
    "lsoa": {
        "code": "string",
        "name": "string",
        "msoa_code": "string",
        "ward_code_best_fit": "string",
        "neighbourhood_id": "string",
    },
    "ward": {"code": "string", "name": "string", "neighbourhood_id": "string"},
    "neighbourhood": {"code": "string", "name": "string"},
    "borough": {"code": "string", "name": "string"},
}


@dataclass
class Collection:
    """One layer served as an OGC API - Features collection.

    `frame` is in EPSG:27700 and indexed by the feature id (text).
    """

    id: str
    title: str
    description: str
    frame: gpd.GeoDataFrame
    queryables: dict[str, str]
    attribution: list[str]
    licences: list[str]
    vintage: str
    source_ids: list[str]
    standin: bool
    standin_properties: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    columns: pd.DataFrame = field(default_factory=pd.DataFrame)
    """One row per property (column): its indicator, unit, stand-in flag, licence and
    attribution. Shipped inside GeoPackage downloads and linked from CSV downloads."""

    @cached_property
    def extent_crs84(self) -> list[float]:
        """Bounding box in CRS84 (lon/lat)."""
        bounds = self.frame.to_crs(pyproj_name(CRS84_URI)).total_bounds
        return [round(float(b), 6) for b in bounds]

    @cached_property
    def _columns(self) -> dict[str, np.ndarray]:
        return {}

    def column_values(self, name: str) -> np.ndarray:
        """A queryable's values for filters and sorting (:data:`geo.query.cql2.Column`):
        numbers as float with NaN when missing, text case-folded with None when missing.
        Made once per property (the frame does not change while it is served)."""
        found = self._columns.get(name)
        if found is None:
            column = self.frame[name]
            if self.queryables.get(name) == "string":
                found = np.array(
                    [None if is_missing(v) else str(v).casefold() for v in column], dtype=object
                )
            else:
                found = np.asarray(column.to_numpy(dtype=float, na_value=np.nan), dtype=float)
            self._columns[name] = found
        return found

    def order(self, positions: np.ndarray, sortby: Sequence[tuple[str, bool]]) -> np.ndarray:
        """`positions` sorted by the queryables in `sortby` ((name, ascending) pairs, first
        the most significant); missing values last, ties kept in stored order."""
        keys = []
        for name, ascending in reversed(sortby):  # np.lexsort: the last key is the primary
            values = self.column_values(name)[positions]
            absent = is_null(values)
            if values.dtype == object:
                ranks = pd.Series(values).rank(method="dense").to_numpy(dtype=float)
            else:
                ranks = values.astype(float)
            ranks = np.where(absent, 0.0, ranks if ascending else -ranks)
            keys += [ranks, absent]
        return positions[np.lexsort(keys)] if keys else positions

    def query(
        self,
        *,
        bbox: BaseGeometry | None = None,
        filters: dict[str, str] | None = None,
        where: Expression | None = None,
        sortby: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int = 0,
    ) -> tuple[np.ndarray, int]:
        """Positions of the matching features (page of `limit` from `offset`) and the match count.

        `bbox` is a polygon in EPSG:27700; features intersecting it match. `filters` compares
        queryable properties for equality (text ignoring case, numbers numerically); `where` is
        a CQL2 filter (:func:`geo.query.cql2.parse_filter`); `sortby` orders the matches
        (:meth:`order`) before the page is cut.
        """
        mask = np.ones(len(self.frame), dtype=bool)
        if bbox is not None:
            hits = (
                self.frame.sindex.query(bbox, predicate="intersects")
                if not bbox.is_empty
                else np.array([], dtype=int)
            )
            mask = np.zeros(len(self.frame), dtype=bool)
            mask[hits] = True
        for name, value in (filters or {}).items():
            kind = self.queryables.get(name)
            if kind is None:
                msg = f"{name!r} is not a queryable of {self.id}"
                raise InvalidParameterError(msg)
            if kind == "string":
                mask &= self.column_values(name) == value.casefold()
            else:
                try:
                    number = float(value)
                except ValueError:
                    msg = f"{name} must be a number; got {value!r}"
                    raise InvalidParameterError(msg) from None
                mask &= self.frame[name].to_numpy(dtype=float) == number
        if where is not None:
            mask &= evaluate(where, self.column_values, len(self.frame))
        positions = self.order(np.flatnonzero(mask), sortby)
        return positions[offset : offset + limit], len(positions)

    def position(self, feature_id: str) -> int:
        """Row position of a feature id."""
        try:
            return int(self.frame.index.get_loc(feature_id))
        except KeyError:
            msg = f"no feature {feature_id!r} in collection {self.id!r}"
            raise FeatureNotFoundError(msg) from None


COLUMN_METADATA = [
    "column",
    "indicator_id",
    "title",
    "unit",
    "standin",
    "licence",
    "attribution",
    "source_ids",
]


BASE_COLUMN_UNITS = {
    "population": "persons",
    "population_low": "persons",
    "population_high": "persons",
}
UNIT_SUFFIXES = {"_ha": "ha", "_m": "m", "_km": "km", "_km2": "km²"}


def base_column_unit(column: str) -> str:
    """The unit of a column that is not an indicator (area, people, distances), from its name."""
    if column in BASE_COLUMN_UNITS:
        return BASE_COLUMN_UNITS[column]
    return next((u for suffix, u in UNIT_SUFFIXES.items() if column.endswith(suffix)), "")


def column_metadata(
    store: StoreContent, columns: list[str], *, base_sources: set[str]
) -> pd.DataFrame:
    """Per column: what it is, whether it rests on a SYNTHETIC stand-in, and its licence and
    attribution (an indicator column names its own sources; others rest on `base_sources`)."""
    standins = store.standin_sources()
    prov = store.provenance.set_index("source_id")
    rows = []
    for column in columns:
        definition = store.definitions.get(column)
        sources = set(definition.source_ids) if definition else set(base_sources)
        known = sorted(s for s in sources if s in prov.index)
        rows.append(
            {
                "column": column,
                "indicator_id": definition.id if definition else "",
                "title": definition.title if definition else column,
                "unit": definition.unit if definition else base_column_unit(column),
                "standin": bool(sources & standins),
                "licence": "; ".join(sorted({str(prov.at[s, "licence"]) for s in known})),
                "attribution": " | ".join(sorted({str(prov.at[s, "attribution"]) for s in known})),
                "source_ids": ";".join(known),
            }
        )
    return pd.DataFrame(rows, columns=COLUMN_METADATA)


def numeric_queryables(frame: pd.DataFrame) -> dict[str, str]:
    """Every number column of a layer, queryable (comparisons and sorting) as "number"."""
    return {
        str(c): "number"
        for c in frame.columns
        if c != "geometry"
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    }


def area_collections(store: StoreContent) -> dict[str, Collection]:
    """One collection per area type, with default-method indicator values as properties."""
    sources_of = {i: list(d.source_ids) for i, d in store.definitions.items()}
    standin_sources = store.standin_sources()
    collections = {}
    for area_type in AREA_TYPES:
        frame = store.areas[area_type].copy()
        frame.index = frame.index.astype(str)
        indicator_columns = [str(c) for c in frame.columns if c in sources_of]
        sources = {s for c in indicator_columns for s in sources_of[c]}
        boundary = (
            {"lsoa_2021", "wards_2023", "borough_2023"} if area_type != "lsoa" else {"lsoa_2021"}
        )
        sources |= boundary
        standin_columns = [c for c in indicator_columns if set(sources_of[c]) & standin_sources]
        attribution = store.attribution_lines(sources)
        licences = sorted(
            set(store.provenance.loc[store.provenance["source_id"].isin(sources), "licence"])
        )
        label = AREA_TYPE_LABELS[area_type]
        description = (
            f"Stockport's {label} areas with {len(indicator_columns)} indicators as properties "
            "(one value per indicator: the ONS best fit for apportioned counts and rates; the "
            "grid, overlay or raster method for environmental ones; other methods in /profiles "
            "and /indicators/{id})."
        )
        if area_type == "neighbourhood":
            description += " " + store.info.get("neighbourhood_basis", "")
        if standin_columns:
            description += (
                f" {len(standin_columns)} properties are built from SYNTHETIC "
                "stand-in data: see standin_properties."
            )
        vintages = sorted(
            {
                v
                for s in sources
                for v in store.provenance.loc[store.provenance["source_id"] == s, "vintage"]
            }
        )
        collections[area_type] = Collection(
            id=area_type,
            title=f"{label}: Stockport",
            description=description,
            frame=frame,
            queryables={**AREA_QUERYABLES[area_type], **numeric_queryables(frame)},
            attribution=attribution,
            licences=licences,
            vintage="; ".join(vintages),
            source_ids=sorted(sources),
            standin=bool(standin_columns),
            standin_properties=standin_columns,
            keywords=["Stockport", "E08000007", area_type],
            columns=column_metadata(
                store,
                ["id", *(str(c) for c in frame.columns if c != "geometry")],
                base_sources=boundary | {"census2021_age"},
            ),
        )
    return collections


def feature_collections(store: StoreContent) -> dict[str, Collection]:
    """Collections for the feature layers in the store (green space, flood zones, ...)."""
    prov = store.provenance.set_index("source_id")
    collections = {}
    for layer_id, frame in store.features.items():
        frame = frame.copy()
        ids = (
            frame["feature_id"].astype(str)
            if "feature_id" in frame
            else pd.Series([str(i + 1) for i in range(len(frame))])
        )
        frame.index = pd.Index(ids.to_numpy(), dtype=str)
        source_id = str(frame["source_id"].iloc[0]) if "source_id" in frame else layer_id
        row = prov.loc[source_id] if source_id in prov.index else None
        standin = bool(row["standin"]) if row is not None else False
        title = str(row["title"]) if row is not None else layer_id
        queryables = {
            str(c): "string"
            for c in frame.columns
            if c not in ("geometry", "feature_id", "source_id")
            and (pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object)
        }
        queryables |= numeric_queryables(frame)
        columns = column_metadata(
            store,
            ["id", *(str(c) for c in frame.columns if c != "geometry")],
            base_sources={source_id},
        )
        collections[layer_id] = Collection(
            id=layer_id,
            title=title,
            description=(
                title
                + (
                    " — SYNTHETIC STAND-IN: not an observation; do not use for decisions."
                    if standin
                    else ""
                )
            ),
            frame=frame,
            queryables=queryables,
            attribution=[str(row["attribution"])] if row is not None else [],
            licences=[str(row["licence"])] if row is not None else [],
            vintage=str(row["vintage"]) if row is not None else "",
            source_ids=[source_id],
            standin=standin,
            standin_properties=list(columns.loc[columns["standin"], "column"]),
            keywords=["Stockport", layer_id],
            columns=columns,
        )
    return collections
