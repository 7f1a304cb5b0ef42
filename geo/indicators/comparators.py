"""England and Greater Manchester comparators, England percentiles and the official LA standing.

Comparators are computed with the same recipes as the borough's own figures (the engine), over
England's 33,755 LSOAs and Greater Manchester's 1,702: scores as population-weighted means of
LSOA scores (Census 2021 residents), rates and shares from summed numerators over summed
denominators, land shares from summed land areas. Counts are not compared (they grow with size).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from geo.apportion import best_fit_weights
from geo.indicators.catalogue import IndicatorDef
from geo.indicators.deprivation import DOMAINS_2019, deprivation_inputs
from geo.indicators.engine import compute_records
from geo.indicators.population import population_inputs
from geo.indicators.real_environment import real_environment_inputs

ENGLAND_CODE = "E92000001"
GM_CODE = "E47000001"
"""ONS codes: England; the Greater Manchester Combined Authority (its ten boroughs)."""

COMPARATOR_COLUMNS = [
    "indicator_id",
    "england_value",
    "gm_value",
    "gm_rank",
    "gm_rank_of",
    "gm_rank_meaning",
    "basis",
]

LA_DOMAINS = {
    "imd": ("Index of Multiple Deprivation", "imd2025"),
    "income": ("Income", "iod2025_income"),
    "employment": ("Employment", "iod2025_employment"),
    "education_skills_and_training": ("Education, Skills and Training", "iod2025_education"),
    "health_deprivation_and_disability": (
        "Health Deprivation and Disability",
        "iod2025_health",
    ),
    "crime": ("Crime", "iod2025_crime"),
    "barriers_to_housing_and_services": (
        "Barriers to Housing and Services",
        "iod2025_housing_and_services",
    ),
    "living_environment": ("Living Environment", "iod2025_environment"),
}
"""MHCLG File 10 domain prefix -> (label, the service's indicator id prefix)."""

STANDING_NOTE = (
    "As published by MHCLG (File 10), ranked among England's 296 local authorities, 1 = most "
    "deprived. The service's own average score weights LSOA scores by Census 2021 residents; "
    "MHCLG weights them by its own mid-2022 population denominators, so the two differ slightly."
)


def comparable(defs: Sequence[IndicatorDef], columns: pd.Index) -> list[IndicatorDef]:
    """Indicators with an England/GM comparator: shares, rates and means of real sources
    whose every input column the comparator inputs hold (no counts, no published values)."""
    held = set(columns)
    return [
        d
        for d in defs
        if d.kind in ("proportion", "mean")
        and not d.standin
        and "borough" in d.area_types
        and set(d.input_columns()) <= held
    ]


def basis_of(definition: IndicatorDef) -> str:
    """How a comparator aggregates LSOAs, in words."""
    if definition.kind == "mean" and definition.unit == "score":
        return "population-weighted mean of LSOA scores (Census 2021 residents)"
    if definition.kind == "mean":
        return "resident-weighted mean of LSOA values (Census 2021 residents)"
    if definition.denominator and definition.denominator.startswith("real_"):
        return "summed land areas: land inside over all land"
    return "summed numerators over summed denominators"


def lsoa_inputs_from_tables(
    *,
    census: pd.DataFrame,
    iod2025: pd.DataFrame,
    environment: Mapping[str, pd.DataFrame],
    environment_weights: pd.DataFrame,
) -> pd.DataFrame:
    """LSOA input columns for a set of LSOAs (England, GM), as the borough's build makes them."""
    population = population_inputs(census)
    no_2019 = pd.DataFrame(
        columns=["iod2019_imd_rank"] + [f"iod2019_{d}_decile" for d in DOMAINS_2019], dtype=float
    )
    deprivation = deprivation_inputs(iod2025, population["residents"], no_2019)
    kept = [c for c in deprivation.columns if not c.startswith(("iod2019_", "pop_imd2019_"))]
    env = real_environment_inputs(environment, environment_weights, population["residents"])
    return population.join(deprivation[kept]).join(env)


def comparator_table(
    defs: Sequence[IndicatorDef],
    england_inputs: pd.DataFrame,
    *,
    borough_of_gm_lsoa: pd.Series,
    borough_code: str,
) -> pd.DataFrame:
    """England and GM values of each comparable indicator, and the borough's rank among the GM
    boroughs (1 = most concern; for a neutral indicator, 1 = highest). One row per indicator.

    `borough_of_gm_lsoa`: LSOA code -> local authority code, for Greater Manchester's LSOAs.
    """
    chosen = comparable(defs, england_inputs.columns)
    index = england_inputs.index
    gm_lsoas = borough_of_gm_lsoa.index.intersection(index)
    weights = {
        # Computed as "borough"-type areas (every comparable indicator has that type), one
        # weight table per comparator, told apart by the method name.
        ("borough", "england"): best_fit_weights(pd.Series(ENGLAND_CODE, index=index)),
        ("borough", "gm"): best_fit_weights(pd.Series(GM_CODE, index=gm_lsoas)),
        ("borough", "gm_borough"): best_fit_weights(borough_of_gm_lsoa.loc[gm_lsoas]),
    }
    records = compute_records(chosen, england_inputs, weights, vintages={}, standin_sources=set())
    by_type = {m: records[records["method"] == m] for _, m in weights}
    ids = [d.id for d in chosen]
    rows = []
    for d in chosen:
        boroughs = by_type["gm_borough"]
        values = boroughs.loc[boroughs["indicator_id"] == d.id].set_index("area_code")["value"]
        concern = -values if d.polarity == "higher_is_better" else values
        ranks = concern.rank(ascending=False, method="min")
        rows.append(
            {
                "gm_rank": ranks.get(borough_code, np.nan),
                "gm_rank_of": float(values.notna().sum()),
                "gm_rank_meaning": "1 = highest value"
                if d.polarity == "neutral"
                else "1 = most concern",
            }
        )
    table = pd.DataFrame(rows)
    for name in ("england", "gm"):
        shown = by_type[name].set_index("indicator_id")["value"]
        table[f"{name}_value"] = shown.reindex(ids).to_numpy()
    table["indicator_id"] = ids
    table["basis"] = [basis_of(d) for d in chosen]
    return table[COMPARATOR_COLUMNS]


def lsoa_values(defs: Sequence[IndicatorDef], inputs: pd.DataFrame) -> pd.DataFrame:
    """Each comparable indicator's value for every LSOA (columns: indicator ids), and the
    published LSOA scores (e.g. the IMD score) the inputs hold."""
    columns = {
        d.id: inputs[d.column].astype(float)
        for d in defs
        if d.kind == "published" and d.column in inputs.columns and d.unit == "score"
    }
    for d in comparable(defs, inputs.columns):
        assert d.numerator is not None and d.denominator is not None
        denominator = inputs[d.denominator].where(inputs[d.denominator] > 0)
        columns[d.id] = inputs[d.numerator] / denominator * d.scale
    return pd.DataFrame(columns, index=inputs.index)


def england_percentiles(records: pd.DataFrame, england_lsoa_values: pd.DataFrame) -> pd.Series:
    """For each record, the share (0-100) of England's LSOAs with a lower value of the same
    indicator (ties count half); NaN where the indicator has no England distribution.

    The distribution is of LSOAs, each counted once (not weighted by residents), so a ward's
    figure reads "higher than X% of England's LSOAs". Aligned on `records`' index.
    """
    result = pd.Series(np.nan, index=records.index)
    for indicator_id, rows in records.groupby("indicator_id"):
        if indicator_id not in england_lsoa_values.columns:
            continue
        ordered = np.sort(england_lsoa_values[indicator_id].dropna().to_numpy())
        if not len(ordered):
            continue
        values = rows["value"].to_numpy(dtype=float)
        below = np.searchsorted(ordered, values, side="left")
        upto = np.searchsorted(ordered, values, side="right")
        share = (below + (upto - below) / 2) / len(ordered) * 100
        result.loc[rows.index] = np.where(np.isnan(values), np.nan, share)
    return result


def official_standing(
    summaries: pd.DataFrame, *, borough_code: str, service_values: Mapping[str, float]
) -> pd.DataFrame:
    """The borough's published IoD 2025 standing among England's local authorities, beside the
    service's own recomputation where it makes one (`service_values`: indicator id -> value)."""
    row = summaries.set_index("ltla24_code").loc[borough_code].to_dict()
    of = len(summaries)
    rows = []
    for prefix, (label, service_prefix) in LA_DOMAINS.items():
        rows.append(
            {
                "domain": label,
                "measure": "average score",
                "published_value": float(row[f"{prefix}_average_score"]),
                "published_rank": float(row[f"{prefix}_rank_of_average_score"]),
                "rank_of": of,
                "service_value": service_values.get(f"{service_prefix}_score_pop_weighted"),
                "note": STANDING_NOTE,
            }
        )
        share = f"{prefix}_proportion_of_lsoas_in_most_deprived_10_percent_nationally"
        rows.append(
            {
                "domain": label,
                "measure": "proportion of LSOAs in the most deprived 10% nationally",
                "published_value": float(row[share]),
                "published_rank": float(
                    row[
                        f"{prefix}_rank_of_proportion_of_lsoas_in_most_deprived_10_percent_nationally"
                    ]
                ),
                "rank_of": of,
                "service_value": service_values.get("share_lsoas_imd2025_decile_1")
                if prefix == "imd"
                else None,
                "note": "As published by MHCLG (File 10); 1 = most deprived.",
            }
        )
    for measure, column in (
        ("extent", "imd25_extent"),
        ("local concentration", "imd25_local_concentration"),
    ):
        rows.append(
            {
                "domain": LA_DOMAINS["imd"][0],
                "measure": measure,
                "published_value": float(row[column]),
                "published_rank": float(row[column.replace("imd25_", "imd25_rank_of_")]),
                "rank_of": of,
                "service_value": None,
                "note": "As published by MHCLG (File 10); 1 = most deprived.",
            }
        )
    return pd.DataFrame(rows)
