"""The store's typed read model: what the query side, maps and the API read.

Lists stored as text cells are parsed once here, when the model is built, never again by
callers; the rules "which sources does this figure rest on" and "what attribution is owed" live
here and nowhere else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import IndicatorNotFoundError
from geo.indicators.catalogue import IndicatorDef, defs_from_catalogue
from geo.store.schema import BOUNDARY_SOURCES, split_list
from geo.vocabulary import BOROUGH_CODE


@dataclass
class StoreContent:
    """Everything a store holds, in memory."""

    areas: dict[str, gpd.GeoDataFrame]
    values: pd.DataFrame
    catalogue: pd.DataFrame
    provenance: pd.DataFrame
    weights: pd.DataFrame
    lsoa_inputs: pd.DataFrame
    """LSOA input columns (index: LSOA code) the indicators are computed from."""
    info: dict[str, str]
    features: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    comparators: pd.DataFrame = field(default_factory=pd.DataFrame)
    """England and Greater Manchester value of each comparable indicator (one row each)."""
    official_standing: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The borough's published IoD 2025 standing among England's local authorities."""

    @cached_property
    def definitions(self) -> dict[str, IndicatorDef]:
        """Indicator definitions by id, parsed once from the catalogue table."""
        return {d.id: d for d in defs_from_catalogue(self.catalogue)}

    @cached_property
    def apportionable_definitions(self) -> list[IndicatorDef]:
        """Indicators that can be recomputed for any LSOA weighting (e.g. a drawn area).

        Published LSOA values (ranks, deciles) and per-area values (raster statistics, the
        composite index) cannot be apportioned; every other indicator whose LSOA inputs the
        store holds can.
        """
        columns = set(self.lsoa_inputs.columns)
        return [
            d
            for d in self.definitions.values()
            if d.kind not in ("published", "value") and set(d.input_columns()) <= columns
        ]

    def indicator(self, indicator_id: str) -> IndicatorDef:
        """One indicator's definition; :class:`IndicatorNotFoundError` if there is none."""
        try:
            return self.definitions[indicator_id]
        except KeyError:
            msg = f"no indicator {indicator_id!r}; see /indicators"
            raise IndicatorNotFoundError(msg) from None

    @cached_property
    def indicator_licences(self) -> dict[str, tuple[str, str]]:
        """Indicator id -> (its sources' licences, their attribution lines), each as one text."""
        prov = self.provenance.set_index("source_id")
        result = {}
        for indicator_id, definition in self.definitions.items():
            known = sorted(s for s in definition.source_ids if s in prov.index)
            result[indicator_id] = (
                "; ".join(sorted({str(prov.at[s, "licence"]) for s in known})),
                " | ".join(sorted({str(prov.at[s, "attribution"]) for s in known})),
            )
        return result

    @cached_property
    def not_computable(self) -> dict[str, str]:
        """Indicators the data can't answer for any area (id -> reason), from the build."""
        text = self.info.get("not_computable")
        return {str(k): str(v) for k, v in json.loads(text).items()} if text else {}

    @cached_property
    def accessible_functions(self) -> list[str]:
        """The green space functions the build counted as accessible."""
        text = self.info.get("accessible_greenspace_functions")
        return [str(f) for f in json.loads(text)] if text else []

    @cached_property
    def vintages(self) -> dict[str, str]:
        """Source id -> vintage text."""
        prov = self.provenance
        return dict(zip(prov["source_id"], prov["vintage"], strict=True))

    @staticmethod
    def sources_of(records: pd.DataFrame) -> set[str]:
        """Ids of every source the given indicator records rest on."""
        column = "source_id" if "source_id" in records.columns else "source_ids"
        return {s for cell in records[column] for s in split_list(cell)}

    def attribution_for(
        self, source_ids: Iterable[str], *, boundaries: Iterable[str] = BOUNDARY_SOURCES
    ) -> list[str]:
        """Attribution lines owed for figures from `source_ids`, the boundaries always included."""
        return self.attribution_lines(set(source_ids) | set(boundaries))

    def attribution_lines(self, source_ids: Iterable[str] | None = None) -> list[str]:
        """Attribution lines of the given sources (default: every source the build read)."""
        prov = self.provenance
        chosen = (
            prov["used"].astype(bool)
            if source_ids is None
            else prov["source_id"].isin(set(source_ids))
        )
        return sorted({a for a in prov.loc[chosen, "attribution"] if isinstance(a, str) and a})

    def standin_sources(self) -> set[str]:
        """Ids of the sources that are synthetic stand-ins."""
        prov = self.provenance
        return set(prov.loc[prov["standin"].astype(bool), "source_id"])

    @cached_property
    def _value_positions(self) -> dict[tuple[str, str], list[int]]:
        """(area type, area code) -> row positions in :attr:`values`, grouped once: picking
        one area's rows by comparing every row's text was a third of a profile's time."""
        groups = self.values.groupby(["area_type", "area_code"], sort=False).indices
        return {(str(k[0]), str(k[1])): list(p) for k, p in groups.items()}  # type: ignore[index]

    def values_of(self, area_type: str, code: str) -> pd.DataFrame:
        """Every stored value of one area (all indicators and methods), in stored order."""
        return self.values.iloc[self._value_positions.get((area_type, code), [])]

    @cached_property
    def borough_values(self) -> pd.Series:
        """The borough's value of every indicator (index: indicator id)."""
        values = self.values
        borough = values[(values["area_type"] == "borough") & (values["area_code"] == BOROUGH_CODE)]
        return borough.drop_duplicates("indicator_id").set_index("indicator_id")["value"]


@dataclass
class Store(StoreContent):
    """A loaded store, with where it came from."""

    path: Path = Path()
    modified: float = 0.0
