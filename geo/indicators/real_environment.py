"""Real area-level environment indicators: tree canopy, surface water, green-space access, heat.

The published tables are on 2011 LSOAs; :func:`to_lsoa21` moves them to 2021 LSOAs. A 2021
LSOA takes the value of the 2011 LSOA(s) it came from, weighted by `intensive` weights (shares
and temperatures: in Stockport one 2011 LSOA split in two, and both halves inherit its value);
land areas are split by `extensive` weights (the share of the 2011 LSOA in each 2021 LSOA), so
areas add up to the published totals. Aggregation to wards, neighbourhoods, the borough and
England then follows the catalogue: land shares from summed areas, household and resident
shares and temperatures as resident-weighted means.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo.errors import SourceError
from geo.indicators.catalogue import IndicatorDef, mean_indicator, share_indicator

CANOPY = "tree_canopy_lsoa"
SURFACE_WATER = "surface_water_lsoa"
GREENSPACE_ACCESS = "greenspace_access_lsoa"
HEAT = "heat_lsoa"
REAL_ENVIRONMENT_SOURCES = (CANOPY, SURFACE_WATER, GREENSPACE_ACCESS, HEAT)
"""Manifest ids of the four real per-LSOA (2011) environment tables."""

LAND_COLUMNS = {
    CANOPY: {"lsoa_area_ha": "real_land_ha", "canopy_area_ha": "real_canopy_ha"},
    SURFACE_WATER: {
        "lsoa_area_m2": "real_sw_land_m2",
        "ufmfsw_1in30_area_m2": "real_sw_1in30_m2",
        "ufmfsw_1in100_area_m2": "real_sw_1in100_m2",
    },
}
"""Land areas (extensive) per table: published column -> LSOA input column."""

ACCESS_SCENARIOS = {
    "all_gs_access_pct": ("any", "any accessible green space within 1 km"),
    "doorstep_gs_access_pct": ("doorstep", "a green space of 0.5 ha or more within 200 m"),
    "local_gs_access_pct": ("local", "a green space of 2 ha or more within 300 m"),
    "neighbourhood_gs_access_pct": (
        "neighbourhood",
        "a green space of 10 ha or more within 1 km",
    ),
    "combined_std_gs_access_pct": (
        "all_three",
        "all three standards (doorstep, local and "
        "neighbourhood; Defra's combined column, mapping unverified)",
    ),
}
"""Defra 2024 scenarios used: published column -> (key, what the household can reach on foot)."""

HEAT_COLUMNS = {
    "tasmax_rcp45_2020_2040_c": ("rcp45_2020_2040", "RCP 4.5, 2020-2040"),
    "tasmax_rcp45_2040_2060_c": ("rcp45_2040_2060", "RCP 4.5, 2040-2060"),
    "tasmax_rcp85_2020_2040_c": ("rcp85_2020_2040", "RCP 8.5, 2020-2040"),
    "tasmax_rcp85_2040_2060_c": ("rcp85_2040_2060", "RCP 8.5, 2040-2060"),
}
"""Heat projections used: published column -> (key, scenario label)."""

RESIDENT_WEIGHTED = (
    " Aggregated as a mean weighted by Census 2021 usual residents of each 2021 LSOA; for the "
    "household share this approximates the household-weighted share (household counts per LSOA "
    "are not in the mirror)."
)
CANOPY_LICENCE = (
    "Licence: Creative Commons non-commercial, attribution (CC BY-NC), no warranty; "
    "non-commercial use only."
)
SURFACE_WATER_VINTAGE = (
    "From the Environment Agency's updated Flood Map for Surface Water (about 2013-2015), "
    "pre-2025: the EA's 2025 surface-water maps (NaFRA2) differ."
)
HEAT_NOTE = (
    "Modelled near-surface air temperature, not land surface temperature: the mean of "
    "monthly mean daily maxima over 20 years (UKCEH CHESS-SCAPE, 1 km, from UKCP18)."
)


def intensive_weights_by_largest_share(
    lookup: pd.DataFrame, *, lsoa21: str, lsoa11: str, share_of_lsoa21: str, share_of_lsoa11: str
) -> pd.DataFrame:
    """Weights from an area-based 2011 -> 2021 relationship (one row per 2021 LSOA and parent).

    Returns columns ``lsoa21, lsoa11, intensive, extensive``: `intensive` is 1 for the parent
    covering the largest share of each 2021 LSOA (its value is inherited), `extensive` is the
    parent's area share, normalised to sum to 1 over each 2011 LSOA's children.
    """
    frame = lookup[[lsoa21, lsoa11, share_of_lsoa21, share_of_lsoa11]].copy()
    frame.columns = pd.Index(["lsoa21", "lsoa11", "s21", "s11"])
    best = frame.sort_values("s21", ascending=False).drop_duplicates("lsoa21").index
    frame["intensive"] = 0.0
    frame.loc[best, "intensive"] = 1.0
    frame["extensive"] = frame["s11"] / frame.groupby("lsoa11")["s11"].transform("sum")
    return frame[["lsoa21", "lsoa11", "intensive", "extensive"]].reset_index(drop=True)


def postcode_weights(lookup: pd.DataFrame) -> pd.DataFrame:
    """Weights from the postcode-count lookup (``LSOA21CD, LSOA11CD, postcode_count``).

    `intensive`: the share of the 2021 LSOA's postcodes in each 2011 LSOA; `extensive`: the
    share of the 2011 LSOA's postcodes in each 2021 LSOA (so 2011 areas are conserved).
    """
    frame = pd.DataFrame(
        {
            "lsoa21": lookup["LSOA21CD"].astype(str),
            "lsoa11": lookup["LSOA11CD"].astype(str),
            "count": lookup["postcode_count"].astype(float),
        }
    )
    frame["intensive"] = frame["count"] / frame.groupby("lsoa21")["count"].transform("sum")
    frame["extensive"] = frame["count"] / frame.groupby("lsoa11")["count"].transform("sum")
    return frame[["lsoa21", "lsoa11", "intensive", "extensive"]]


def to_lsoa21(
    table: pd.DataFrame,
    weights: pd.DataFrame,
    *,
    intensive: list[str],
    extensive: list[str],
) -> pd.DataFrame:
    """Move 2011-LSOA columns (`table` indexed by 2011 code) to 2021 LSOAs (index).

    `intensive` columns (shares, temperatures) become weighted means over the parents;
    `extensive` columns (areas) are split among the children. A parent missing from `table`
    leaves its children without a value (NaN), never a zero.
    """
    joined = weights.join(table[intensive + extensive], on="lsoa11")
    parts = {}
    for column in intensive:
        present = joined[column].notna()
        weighted = (joined[column] * joined["intensive"]).where(present)
        total = joined["intensive"].where(present).groupby(joined["lsoa21"]).sum(min_count=1)
        parts[column] = weighted.groupby(joined["lsoa21"]).sum(min_count=1) / total
    for column in extensive:
        share = joined[column] * joined["extensive"]
        parts[column] = share.groupby(joined["lsoa21"]).sum(min_count=1)
    return pd.DataFrame(parts).rename_axis(None)


def real_environment_inputs(
    tables: Mapping[str, pd.DataFrame], weights: pd.DataFrame, residents: pd.Series
) -> pd.DataFrame:
    """LSOA input columns (index: 2021 LSOA code, aligned on `residents`) for the real
    environment indicators: land areas (ha, m2) and resident x value products."""
    columns: dict[str, pd.Series] = {}
    for source_id, renames in LAND_COLUMNS.items():
        table = tables[source_id].set_index("lsoa11cd")
        mapped = to_lsoa21(table, weights, intensive=[], extensive=list(renames))
        for published, name in renames.items():
            columns[name] = mapped[published]
    intensive = {GREENSPACE_ACCESS: ACCESS_SCENARIOS, HEAT: HEAT_COLUMNS}
    for source_id, spec in intensive.items():
        table = tables[source_id].set_index("lsoa11cd")
        mapped = to_lsoa21(table, weights, intensive=list(spec), extensive=[])
        prefix = "gs_access" if source_id == GREENSPACE_ACCESS else "tasmax"
        for published, (key, _label) in spec.items():
            columns[f"popx_{prefix}_{key}"] = residents * mapped[published].reindex(residents.index)
            columns[f"pop_{prefix}_{key}"] = residents.where(mapped[published].notna())
    frame = pd.DataFrame(columns).reindex(residents.index)
    unmatched = frame.index[frame.isna().all(axis=1)]
    if len(unmatched) and len(unmatched) == len(frame):
        msg = "no 2021 LSOA received a real environment value: check the 2011-2021 lookup"
        raise SourceError(msg)
    return frame


def real_environment_indicators() -> list[IndicatorDef]:
    """The real environment indicators (themes: tree canopy, flood, green space, heat)."""
    defs = [
        share_indicator(
            "tree_canopy_share",
            "Tree canopy cover (share of land)",
            theme="trees",
            source_ids=(CANOPY,),
            numerator="real_canopy_ha",
            denominator="real_land_ha",
            description=(
                "Canopy area over land area, both summed over the area's 2021 LSOAs (ha), from "
                "1 m LiDAR (EA National LiDAR Programme, gaps filled with the Forestry "
                "Commission NFI 2020; Terra Sulis Research CIC for Friends of the Earth, 2022). "
                + CANOPY_LICENCE
            ),
            polarity="higher_is_better",
            warning=CANOPY_LICENCE,
        )
    ]
    for key, label in (("1in30", "1 in 30 (3.3% a year)"), ("1in100", "1 in 100 (1% a year)")):
        defs.append(
            share_indicator(
                f"surface_water_{key}_share_of_land",
                f"Land at surface-water risk, {label} extent (pre-2025 map)",
                theme="flood",
                source_ids=(SURFACE_WATER,),
                numerator=f"real_sw_{key}_m2",
                denominator="real_sw_land_m2",
                description=(
                    f"Land inside the {label} surface-water extent over all land, both summed "
                    "over the area's 2021 LSOAs (m2). " + SURFACE_WATER_VINTAGE
                ),
                warning=SURFACE_WATER_VINTAGE,
            )
        )
    for _column, (key, reach) in ACCESS_SCENARIOS.items():
        defs.append(
            mean_indicator(
                f"households_gs_access_{key}",
                f"Households that can walk to {reach}",
                theme="green space",
                unit="proportion",
                source_ids=(GREENSPACE_ACCESS, "census2021_age"),
                numerator=f"popx_gs_access_{key}",
                denominator=f"pop_gs_access_{key}",
                description=(
                    f"Share of households within walking (network) distance of {reach} "
                    "(Defra, Access to green space in England 2024, official statistics in "
                    "development, on Natural England's Green Infrastructure map)."
                    + RESIDENT_WEIGHTED
                ),
                polarity="higher_is_better",
            )
        )
    for _column, (key, label) in HEAT_COLUMNS.items():
        defs.append(
            mean_indicator(
                f"summer_max_temperature_{key}",
                f"Projected mean daily maximum air temperature, {label}",
                theme="heat",
                unit="°C",
                source_ids=(HEAT, "census2021_age"),
                numerator=f"popx_tasmax_{key}",
                denominator=f"pop_tasmax_{key}",
                description=HEAT_NOTE + " Aggregated as a resident-weighted mean.",
                polarity="higher_is_worse",
                warning="Modelled projection (" + label + "), not an observation.",
            )
        )
    return defs
