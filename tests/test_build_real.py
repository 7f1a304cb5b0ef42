"""The foundation on the real data: counts, conservation, hand-computed indicators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.store import Store

CENSUS = "stockport_population_census2021_lsoa21.csv"
IOD25 = "stockport_iod2025_lsoa21.csv"
LOOKUP = "stockport_lsoa21_lookup.csv"


def values(store: Store, indicator: str, area_type: str, method: str) -> pd.Series:
    v = store.values
    rows = v[(v.indicator_id == indicator) & (v.area_type == area_type) & (v.method == method)]
    return rows.set_index("area_code")["value"]


@pytest.fixture(scope="module")
def lsoa_table(mirror: Path) -> pd.DataFrame:
    census = pd.read_csv(mirror / CENSUS)
    iod = pd.read_csv(mirror / IOD25)
    lookup = pd.read_csv(mirror / LOOKUP)
    return census.merge(iod, on="lsoa21cd").merge(lookup, left_on="lsoa21cd", right_on="LSOA21CD")


def test_area_counts(store: Store) -> None:
    assert len(store.areas["lsoa"]) == 191
    assert len(store.areas["ward"]) == 21
    assert len(store.areas["borough"]) == 1
    assert len(store.areas["neighbourhood"]) == 7
    assert store.areas["lsoa"].index.str.match(r"^E01\d{6}$").all()
    assert store.areas["ward"].index.str.match(r"^E05\d{6}$").all()


def test_every_ward_in_exactly_one_neighbourhood(store: Store) -> None:
    members = store.areas["neighbourhood"]["members"].str.split(";").explode()
    assert members.is_unique
    assert set(members) == set(store.areas["ward"].index)
    assert store.areas["ward"]["neighbourhood_id"].isin(store.areas["neighbourhood"].index).all()
    assert "working definition" in store.info["neighbourhood_basis"]


def test_borough_residents_equal_census_total(store: Store, mirror: Path) -> None:
    total = pd.read_csv(mirror / CENSUS)["total_usual_residents"].sum()
    assert total == 294_774
    assert values(store, "residents", "borough", "all_lsoas").item() == total


@pytest.mark.parametrize("method", ["best_fit", "area_weighted"])
@pytest.mark.parametrize(
    "indicator", ["residents", "residents_age_65_plus", "income_deprived_people"]
)
def test_counts_conserved_over_wards_and_neighbourhoods(
    store: Store, method: str, indicator: str
) -> None:
    borough = values(store, indicator, "borough", "all_lsoas").item()
    assert values(store, indicator, "ward", method).sum() == pytest.approx(borough, rel=1e-12)
    assert values(store, indicator, "neighbourhood", method).sum() == pytest.approx(
        borough, rel=1e-12
    )


def test_area_weighted_and_best_fit_differ_where_lsoas_straddle(store: Store) -> None:
    weights = store.weights[
        (store.weights.area_type == "ward") & (store.weights.method == "area_weighted")
    ]
    largest_share = weights.groupby("source")["weight"].max()
    # SOURCES.md: 49 of 191 LSOAs have less than 90% of their area in a single ward
    assert (largest_share < 0.9).sum() == 49
    assert np.allclose(weights.groupby("source")["weight"].sum(), 1.0)
    best = values(store, "residents", "ward", "best_fit")
    area = values(store, "residents", "ward", "area_weighted")
    assert not np.allclose(best, area.loc[best.index])


def test_ward_population_weighted_imd_by_hand(store: Store, lsoa_table: pd.DataFrame) -> None:
    edgeley = lsoa_table[lsoa_table["WD25CD_BESTFIT"] == "E05015023"]
    expected = (edgeley["total_usual_residents"] * edgeley["imd_score"]).sum() / edgeley[
        "total_usual_residents"
    ].sum()
    got = values(store, "imd2025_score_pop_weighted", "ward", "best_fit").loc["E05015023"]
    assert got == pytest.approx(expected, rel=1e-12)
    assert store.areas["ward"].at["E05015023", "imd2025_score_pop_weighted"] == pytest.approx(
        expected, rel=1e-12
    )


def test_neighbourhood_most_deprived_share_by_hand(
    store: Store, lsoa_table: pd.DataFrame, mirror: Path
) -> None:
    grouping = pd.read_csv(
        Path(__file__).parents[1] / "data/boundaries/neighbourhoods_working_definition.csv"
    )
    wards = grouping.loc[grouping["neighbourhood_name"] == "Central Stockport", "ward_code"]
    rows = lsoa_table[lsoa_table["WD25CD_BESTFIT"].isin(wards)]
    in_decile_1 = rows.loc[rows["imd_decile"] == 1, "total_usual_residents"].sum()
    expected = in_decile_1 / rows["total_usual_residents"].sum()
    got = values(
        store, "share_residents_imd2025_most_deprived_10pct", "neighbourhood", "best_fit"
    ).loc["central-stockport"]
    assert got == pytest.approx(expected, rel=1e-12)
    assert 0.3 < got < 0.35


def test_lsoas_per_decile_and_rank_among_wards(store: Store) -> None:
    decile_1 = values(store, "lsoas_in_imd2025_decile_1", "borough", "all_lsoas").item()
    assert decile_1 == 15  # MHCLG's Stockport summary: 15 of 191 LSOAs in decile 1
    counts = sum(
        values(store, f"lsoas_in_imd2025_decile_{k}", "borough", "all_lsoas").item()
        for k in range(1, 11)
    )
    assert counts == 191
    v = store.values
    imd = v[
        (v.indicator_id == "imd2025_score_pop_weighted")
        & (v.area_type == "ward")
        & (v.method == "best_fit")
    ].set_index("area_code")
    assert imd["rank_of"].eq(21).all()
    assert imd.loc[imd["value"].idxmax(), "rank"] == 1
    assert sorted(imd["rank"]) == list(range(1, 22))


def test_income_rate_has_wilson_interval(store: Store) -> None:
    v = store.values
    row = v[
        (v.indicator_id == "income_deprivation_rate")
        & (v.area_type == "ward")
        & (v.method == "best_fit")
        & (v.area_code == "E05015023")
    ].iloc[0]
    p, n, z = row.numerator / row.denominator, row.denominator, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert row.value == pytest.approx(p)
    assert (row.ci_low, row.ci_high) == pytest.approx((centre - half, centre + half))
    assert row.ci_low < row.value < row.ci_high


def test_records_carry_every_field(store: Store) -> None:
    required = {
        "indicator_id",
        "area_code",
        "value",
        "unit",
        "numerator",
        "denominator",
        "ci_low",
        "ci_high",
        "polarity",
        "source_id",
        "vintage",
        "method",
    }
    assert required <= set(store.values.columns)
    assert store.values["vintage"].str.len().gt(0).all()
    assert set(store.values["polarity"]) <= {"higher_is_worse", "higher_is_better", "neutral"}
    foundation = store.values[store.values["indicator_id"].str.contains("imd|iod|residents_age")]
    assert not foundation["standin"].any()  # deprivation and population use real data only


def test_iod2019_is_mapped_with_a_comparability_warning(store: Store) -> None:
    catalogue = store.catalogue.set_index("id")
    assert "NOT directly comparable" in catalogue.at["imd2019_rank", "warning"]
    decile = values(store, "imd2019_decile", "lsoa", "lsoa")
    assert decile.notna().all() and len(decile) == 191
    # E01005758 (2011) was split into E01033947 and E01033948: both inherit its decile
    assert decile.loc["E01033947"] == decile.loc["E01033948"]


def test_suppressed_numerators_are_marked(store: Store) -> None:
    lsoa = store.values[
        (store.values.indicator_id == "idaopi_older_people") & (store.values.area_type == "lsoa")
    ]
    assert lsoa["value"].isna().sum() == 7
    borough = store.values[
        (store.values.indicator_id == "idaopi_older_people") & (store.values.area_type == "borough")
    ].iloc[0]
    assert borough["value"] == lsoa["value"].sum()
    assert "lower bound" in borough["note"]


def test_provenance_has_licences_and_checksums(store: Store) -> None:
    prov = store.provenance.set_index("source_id")
    used = prov[prov["used"].astype(bool)]
    assert {"lsoa_2021", "wards_2023", "iod2025", "census2021_age"} <= set(used.index)
    assert used["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert "Open Government Licence" in used.at["iod2025", "attribution"]
    assert prov.loc["flood_zones", "standin"]
