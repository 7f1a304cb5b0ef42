"""One population per area: the headline resident count, its sensitivity range, and grid
figures calibrated to it.

Every area gets one resident figure, the shown `residents` record (Census 2021: the LSOA's own
count, wards and neighbourhoods by the ONS best fit, or exact Output Area sums when those files
are present). Counts modelled on the dasymetric grid are scaled so that the grid's residents in
the area equal that figure, and every grid share divides by it, so a profile never shows two
populations. The other estimates (area-weighted, grid) are kept as a range, and areas where
they differ by more than 10% are flagged.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo.indicators.catalogue import IndicatorDef
from geo.indicators.engine import select_methods
from geo.vocabulary import METHOD_LABELS

GRID_TOTALS = {
    "residents_grid": "residents",
    "aged_65_plus_grid": "residents_age_65_plus",
    "residents_services_grid": "residents",
    "aged_65_plus_services_grid": "residents_age_65_plus",
}
"""Grid total column -> the headline count indicator it is calibrated to."""

SPREAD_FLAG = 0.10
"""Flag an area when its resident estimates differ by more than this share of the lowest."""

POPULATION_COLUMNS = [
    "population",
    "population_method",
    "population_low",
    "population_high",
    "population_differs_by_method",
]


def headline_counts(records: pd.DataFrame) -> pd.DataFrame:
    """The shown residents and residents 65+ of every area (index: area type, area code)."""
    wanted = records[records["indicator_id"].isin(set(GRID_TOTALS.values()))]
    shown = select_methods(wanted)
    table = shown.pivot_table(
        index=["area_type", "area_code"], columns="indicator_id", values="value", aggfunc="first"
    )
    methods = shown[shown["indicator_id"] == "residents"].set_index(["area_type", "area_code"])
    table["method"] = methods["method"]
    return table


def population_table(records: pd.DataFrame, grid_totals: pd.DataFrame) -> pd.DataFrame:
    """Per area (index: area type, area code): the one population, its method in words, the
    range over every estimate (census by each method, and the grid) and the >10% flag.

    `grid_totals`: grid `residents_grid` per area, same index.
    """
    residents = records[records["indicator_id"] == "residents"]
    estimates = residents.pivot_table(
        index=["area_type", "area_code"], columns="method", values="value", aggfunc="first"
    )
    estimates["grid"] = grid_totals["residents_grid"].reindex(estimates.index)
    headline = headline_counts(records)
    low, high = estimates.min(axis=1), estimates.max(axis=1)
    method = headline["method"].reindex(estimates.index)
    return pd.DataFrame(
        {
            "population": headline["residents"].reindex(estimates.index),
            "population_method": [
                f"Census 2021 usual residents; {METHOD_LABELS.get(m, m)}" for m in method
            ],
            "population_low": low,
            "population_high": high,
            "population_differs_by_method": (high - low) > SPREAD_FLAG * low,
        },
        index=estimates.index,
    )


def calibrate_grid_records(
    records: pd.DataFrame, defs: Sequence[IndicatorDef], grid_totals: pd.DataFrame
) -> pd.DataFrame:
    """Grid-based records rescaled to each area's one population.

    For an indicator whose denominator is a grid total (`residents_grid`, `aged_65_plus_grid`)
    the share is kept and its numerator and denominator become share x population and the
    population; a grid count of residents (or of residents 65+) is scaled by population / grid
    total; a per-resident mean divides by the population instead of the grid total. The note
    says so. Returns a copy; records of other methods are untouched.
    """
    records = records.copy()
    headline = headline_counts(records)
    by_id = {d.id: d for d in defs}
    keys = pd.MultiIndex.from_arrays([records["area_type"], records["area_code"]])
    for total, indicator in GRID_TOTALS.items():
        population = headline[indicator].reindex(keys).to_numpy(dtype=float)
        grid = grid_totals[total].reindex(keys).to_numpy(dtype=float)
        factor = np.where(grid > 0, population / np.where(grid > 0, grid, 1.0), np.nan)
        for kind in ("proportion", "count", "mean"):
            ids = {i for i, d in by_id.items() if d.kind == kind and _base(d) == total}
            hit = (records["method"] == "dasymetric_grid") & records["indicator_id"].isin(ids)
            mask = hit.to_numpy()
            f = factor[mask]
            if kind == "proportion":
                records.loc[hit, "numerator"] = (
                    records.loc[hit, "value"].to_numpy() * population[mask]
                )
                records.loc[hit, "denominator"] = population[mask]
            elif kind == "count":
                records.loc[hit, "value"] = records.loc[hit, "value"].to_numpy() * f
                records.loc[hit, "numerator"] = records.loc[hit, "value"]
            else:
                records.loc[hit, "value"] = records.loc[hit, "value"].to_numpy() / f
                records.loc[hit, "denominator"] = population[mask]
            notes = records.loc[hit, "note"]
            records.loc[hit, "note"] = notes.where(notes == "", notes + "; ") + CALIBRATED_NOTE
    return records


CALIBRATED_NOTE = (
    "estimate: modelled on the 25 m residents grid, scaled to the area's one population"
)


def _base(definition: IndicatorDef) -> str | None:
    """The grid total an indicator rests on: its denominator, or for a grid count of people,
    the total its numerator is a part of."""
    if definition.denominator in GRID_TOTALS:
        return definition.denominator
    numerator = definition.numerator or ""
    if definition.kind == "count" and definition.unit == "persons":
        if numerator.startswith("aged_65_plus_"):
            return "aged_65_plus_grid"
        if numerator.startswith(("residents_", "deprived_residents_")):
            return "residents_grid"
    return None
