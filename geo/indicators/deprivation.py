"""English Indices of Deprivation: IoD 2025 (LSOA 2021) and IoD 2019 mapped to 2021 LSOAs."""

from __future__ import annotations

import pandas as pd

from geo.errors import SourceError
from geo.indicators.catalogue import (
    AGGREGATE_TYPES,
    IndicatorDef,
    count_indicator,
    mean_indicator,
    published_indicator,
    share_indicator,
)
from geo.vocabulary import OLDER_VINTAGE_THEME

DOMAINS_2025 = {
    "imd": "Index of Multiple Deprivation",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing_and_services": "Barriers to Housing and Services",
    "environment": "Living Environment",
}
SUBDOMAINS_2025 = {
    "children_and_young_people": "Children and Young People (Education sub-domain)",
    "adult_skills": "Adult Skills (Education sub-domain)",
    "geographical_barriers": "Geographical Barriers (Barriers sub-domain)",
    "wider_barriers": "Wider Barriers (Barriers sub-domain)",
    "indoors": "Indoors (Living Environment sub-domain)",
    "outdoors": "Outdoors (Living Environment sub-domain)",
}
DOMAINS_2019 = {
    "imd": "Index of Multiple Deprivation",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "barriers": "Barriers to Housing and Services",
    "living_env": "Living Environment",
}
NUMERATORS_2025 = {
    "income_numerator": ("income_deprived_people", "People in income deprivation"),
    "employment_numerator": (
        "employment_deprived_people",
        "Working-age people in employment deprivation",
    ),
    "idaci_numerator": ("idaci_children", "Children (0-15) in income-deprived families (IDACI)"),
    "idaopi_numerator": ("idaopi_older_people", "People aged 60+ in income deprivation (IDAOPI)"),
}
LSOAS_2025 = 33_755
LSOAS_2019 = 32_844

IOD2025 = ("iod2025",)
IOD2025_AND_CENSUS = ("iod2025", "census2021_age")
IOD2019_AND_CENSUS = ("iod2019", "lsoa11_to_lsoa21", "census2021_age")

DENOMINATOR_CAVEAT = (
    "Denominator: Census 2021 usual residents. The IoD 2025 population denominators (mid-2022, "
    "excluding prisoners) are not in the mirror, and the published numerators are rounded to the "
    "nearest 5, so this rate differs slightly from MHCLG's shrunk domain score."
)
COMPARABILITY_2019 = (
    "IoD 2019 and IoD 2025 ranks are NOT directly comparable: the indicators changed, 2019 uses "
    "2011 LSOAs (32,844 in England) and 2025 uses 2021 LSOAs (33,755). 2019 values are mapped to "
    "2021 LSOAs through the derived 2011-to-2021 relationship (a split LSOA inherits its parent's "
    "rank)."
)


def map_iod2019_to_lsoa21(iod2019: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """IoD 2019 ranks and deciles on 2021 LSOA codes (index), via the 2011 -> 2021 relationship.

    Each 2021 LSOA takes the 2011 LSOA that covers the largest share of it.
    """
    best = (
        lookup.sort_values("share_of_lsoa21", ascending=False)
        .drop_duplicates("LSOA21CD")
        .set_index("LSOA21CD")["LSOA11CD"]
    )
    unknown = set(best) - set(iod2019["lsoa11cd"])
    if unknown:
        msg = (
            f"IoD 2019 has no row for 2011 LSOA(s) named in the 2011-2021 lookup: {sorted(unknown)}"
        )
        raise SourceError(msg)
    columns = ["imd_rank"] + [f"{d}_decile" for d in DOMAINS_2019]
    mapped = iod2019.set_index("lsoa11cd").loc[best.to_numpy(), columns]
    mapped.index = best.index
    return mapped.add_prefix("iod2019_").rename_axis(None)


def deprivation_inputs(
    iod2025: pd.DataFrame, residents: pd.Series, iod2019_mapped: pd.DataFrame
) -> pd.DataFrame:
    """LSOA input columns for the deprivation indicators, indexed by 2021 LSOA code."""
    iod = iod2025.set_index("lsoa21cd").rename_axis(None)
    columns: dict[str, pd.Series] = {}
    for domain in (*DOMAINS_2025, *SUBDOMAINS_2025):
        for part in ("score", "rank", "decile"):
            columns[f"{domain}_{part}"] = iod[f"{domain}_{part}"].astype(float)
        columns[f"popx_{domain}_score"] = residents * columns[f"{domain}_score"]
    for column in NUMERATORS_2025:
        columns[column] = iod[column].astype(float)
    decile = columns["imd_decile"]
    columns["pop_imd_decile_1"] = residents.where(decile == 1, 0.0)
    columns["pop_imd_decile_1_2"] = residents.where(decile <= 2, 0.0)
    for k in range(1, 11):
        columns[f"lsoa_imd_decile_{k}"] = (decile == k).astype(float)
    mapped = iod2019_mapped.astype(float).reindex(iod.index)
    decile19 = mapped["iod2019_imd_decile"]
    columns["pop_imd2019_decile_1"] = residents.where(decile19 == 1, 0.0)
    columns["pop_imd2019_decile_1_2"] = residents.where(decile19 <= 2, 0.0)
    frame = pd.concat([pd.DataFrame(columns, index=iod.index), mapped], axis=1)
    return frame


def _published(domain: str, label: str, *, subdomain: bool) -> list[IndicatorDef]:
    kind = "sub-domain" if subdomain else ("index" if domain == "imd" else "domain")
    prefix = "imd2025" if domain == "imd" else f"iod2025_{domain}"
    decile = f"{domain}_decile"
    return [
        published_indicator(
            f"{prefix}_score",
            f"{label}: score (IoD 2025)",
            theme="deprivation",
            unit="score",
            source_ids=IOD2025,
            column=f"{domain}_score",
            decile_column=decile,
            description=f"Published IoD 2025 {kind} score for the LSOA (higher = more deprived).",
            polarity="higher_is_worse",
            area_types=("lsoa",),
        ),
        published_indicator(
            f"{prefix}_rank",
            f"{label}: national rank (IoD 2025)",
            theme="deprivation",
            unit=f"rank of {LSOAS_2025:,}",
            source_ids=IOD2025,
            column=f"{domain}_rank",
            decile_column=decile,
            description=f"Rank among England's {LSOAS_2025:,} LSOAs; 1 = most deprived.",
            polarity="higher_is_better",
            area_types=("lsoa",),
        ),
        published_indicator(
            f"{prefix}_decile",
            f"{label}: national decile (IoD 2025)",
            theme="deprivation",
            unit="decile",
            source_ids=IOD2025,
            column=decile,
            decile_column=decile,
            description="National decile; 1 = England's most deprived 10% of LSOAs.",
            polarity="higher_is_better",
            area_types=("lsoa",),
        ),
    ]


def deprivation_indicators() -> list[IndicatorDef]:
    """IoD 2025 published values, their aggregates, and IoD 2019 as an older vintage."""
    defs: list[IndicatorDef] = []
    for domain, label in DOMAINS_2025.items():
        defs += _published(domain, label, subdomain=False)
    for domain, label in SUBDOMAINS_2025.items():
        defs += _published(domain, label, subdomain=True)
    for domain, label in DOMAINS_2025.items():
        prefix = "imd2025" if domain == "imd" else f"iod2025_{domain}"
        defs.append(
            mean_indicator(
                f"{prefix}_score_pop_weighted",
                f"{label}: population-weighted mean score (IoD 2025)",
                theme="deprivation",
                unit="score",
                source_ids=IOD2025_AND_CENSUS,
                numerator=f"popx_{domain}_score",
                denominator="residents",
                description=(
                    "Mean of the LSOA scores weighted by Census 2021 residents (MHCLG's "
                    "'average score' method for larger areas). Higher = more deprived."
                ),
                polarity="higher_is_worse",
                area_types=AGGREGATE_TYPES,
            )
        )
    defs += [
        share_indicator(
            "share_residents_imd2025_most_deprived_10pct",
            "Share of residents in England's most deprived 10% of LSOAs (IMD 2025)",
            theme="deprivation",
            source_ids=IOD2025_AND_CENSUS,
            numerator="pop_imd_decile_1",
            denominator="residents",
            description=(
                "Census 2021 residents of LSOAs in national IMD decile 1, over all "
                "residents. A count over whole LSOAs: no sampling interval."
            ),
            area_types=AGGREGATE_TYPES,
        ),
        share_indicator(
            "share_residents_imd2025_most_deprived_20pct",
            "Share of residents in England's most deprived 20% of LSOAs (IMD 2025)",
            theme="deprivation",
            source_ids=IOD2025_AND_CENSUS,
            numerator="pop_imd_decile_1_2",
            denominator="residents",
            description=(
                "Census 2021 residents of LSOAs in national IMD deciles 1-2, over all residents."
            ),
            area_types=AGGREGATE_TYPES,
        ),
    ]
    defs += [
        count_indicator(
            f"lsoas_in_imd2025_decile_{k}",
            f"LSOAs in national IMD decile {k} (2025)",
            theme="deprivation",
            source_ids=IOD2025,
            numerator=f"lsoa_imd_decile_{k}",
            description=(
                f"Number of LSOAs in national IMD decile {k} (1 = most deprived 10%). "
                "Fractional under area-weighted apportionment."
            ),
            unit="LSOAs",
            polarity="higher_is_worse" if k <= 2 else "neutral",
            area_types=AGGREGATE_TYPES,
        )
        for k in range(1, 11)
    ]
    defs.append(
        share_indicator(
            "income_deprivation_rate",
            "Income deprivation rate (IoD 2025 numerator)",
            theme="deprivation",
            source_ids=IOD2025_AND_CENSUS,
            numerator="income_numerator",
            denominator="residents",
            description=(
                "People in income deprivation (IoD 2025 numerator) over Census 2021 "
                "residents, with a 95% Wilson interval. " + DENOMINATOR_CAVEAT
            ),
            ci=True,
            warning=DENOMINATOR_CAVEAT,
        )
    )
    defs += [
        count_indicator(
            indicator_id,
            f"{title} (IoD 2025)",
            theme="deprivation",
            source_ids=IOD2025,
            numerator=column,
            description=(
                f"{title}: IoD 2025 numerator, rounded to the nearest 5 by MHCLG; blank "
                "where suppressed (aggregates then say they are a lower bound)."
            ),
        )
        for column, (indicator_id, title) in NUMERATORS_2025.items()
    ]
    defs += [
        published_indicator(
            "imd2019_rank",
            "IMD 2019 national rank (mapped to 2021 LSOAs)",
            theme=OLDER_VINTAGE_THEME,
            unit=f"rank of {LSOAS_2019:,}",
            source_ids=IOD2019_AND_CENSUS[:2],
            column="iod2019_imd_rank",
            decile_column="iod2019_imd_decile",
            description="IoD 2019 rank among 32,844 LSOAs (2011); 1 = most deprived.",
            polarity="higher_is_better",
            warning=COMPARABILITY_2019,
            area_types=("lsoa",),
        ),
    ]
    defs += [
        published_indicator(
            f"iod2019_{domain}_decile" if domain != "imd" else "imd2019_decile",
            f"{label}: national decile (IoD 2019, mapped to 2021 LSOAs)",
            theme=OLDER_VINTAGE_THEME,
            unit="decile",
            source_ids=IOD2019_AND_CENSUS[:2],
            column=f"iod2019_{domain}_decile",
            decile_column=f"iod2019_{domain}_decile",
            description="IoD 2019 national decile; 1 = most deprived 10%.",
            polarity="higher_is_better",
            warning=COMPARABILITY_2019,
            area_types=("lsoa",),
        )
        for domain, label in DOMAINS_2019.items()
    ]
    defs += [
        share_indicator(
            f"share_residents_imd2019_most_deprived_{pct}pct",
            f"Share of residents in England's most deprived {pct}% of LSOAs (IMD 2019)",
            theme=OLDER_VINTAGE_THEME,
            source_ids=IOD2019_AND_CENSUS,
            numerator=column,
            denominator="residents",
            description=(
                "As the 2025 indicator, with IoD 2019 deciles mapped to 2021 LSOAs and "
                "Census 2021 residents."
            ),
            warning=COMPARABILITY_2019,
            area_types=AGGREGATE_TYPES,
        )
        for pct, column in ((10, "pop_imd2019_decile_1"), (20, "pop_imd2019_decile_1_2"))
    ]
    return defs
