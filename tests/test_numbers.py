"""Numbers a coordinator can trust: real environment data, comparators, one population, honest
precision and flags, each recomputed here by hand from the files in ../shared."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from fastapi.testclient import TestClient

from geo.query.profiles import area_profile
from geo.store import Store

WARD = "E05015023"  # Edgeley: none of its LSOAs changed between 2011 and 2021
SPLIT_WARD = "E05015018"  # Brinnington & Stockport Central: holds the split 2011 LSOA
SPLIT_PARENT = "E01005758"
SPLIT_CHILDREN = ("E01033947", "E01033948")


def shown(store: Store, indicator: str, area_type: str, code: str) -> float:
    """The value a profile shows (default method)."""
    profile = area_profile(store, area_type, code).set_index("indicator_id")
    return float(profile.at[indicator, "value"])


def lsoas_of(mirror: Path, ward: str) -> list[str]:
    lookup = pd.read_csv(mirror / "stockport_lsoa21_lookup.csv", dtype=str)
    return list(lookup.loc[lookup["WD25CD_BESTFIT"] == ward, "LSOA21CD"])


def parent_of(code: str) -> str:
    return SPLIT_PARENT if code in SPLIT_CHILDREN else code


def residents(mirror: Path) -> pd.Series:
    census = pd.read_csv(mirror / "stockport_population_census2021_lsoa21.csv")
    return census.set_index("lsoa21cd")["total_usual_residents"].astype(float)


def real(mirror: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(mirror / "real_lsoa" / name).set_index("lsoa11cd")


def child_area_share(mirror: Path, code: str) -> float:
    """The share of its 2011 parent's area a 2021 LSOA takes (1 unless split)."""
    derived = pd.read_csv(mirror / "stockport_lsoa11_to_lsoa21_derived.csv")
    rows = derived[derived["LSOA11CD"] == parent_of(code)]
    return float(rows.loc[rows["LSOA21CD"] == code, "share_of_lsoa11"].iloc[0]) / float(
        rows["share_of_lsoa11"].sum()
    )


@pytest.mark.parametrize("ward", [WARD, SPLIT_WARD])
def test_real_environment_of_a_ward_recomputed_by_hand(
    store: Store, mirror: Path, ward: str
) -> None:
    codes = lsoas_of(mirror, ward)
    assert (ward == SPLIT_WARD) == any(c in SPLIT_CHILDREN for c in codes)
    canopy = real(mirror, "tree_canopy_lsoa11.csv")
    water = real(mirror, "surface_water_ufmfsw_lsoa11.csv")
    access = real(mirror, "greenspace_access_defra2024_lsoa11.csv")
    heat = real(mirror, "heat_tasmax_chess_scape_lsoa11.csv")
    people = residents(mirror)
    # Land areas: a split LSOA's children share the parent's areas by area; shares and
    # temperatures: the children inherit the parent's value.
    land = sum(canopy.at[parent_of(c), "lsoa_area_ha"] * child_area_share(mirror, c) for c in codes)
    trees = sum(
        canopy.at[parent_of(c), "canopy_area_ha"] * child_area_share(mirror, c) for c in codes
    )
    assert shown(store, "tree_canopy_share", "ward", ward) == pytest.approx(trees / land, rel=1e-9)
    for key, column in (("1in30", "ufmfsw_1in30_area_m2"), ("1in100", "ufmfsw_1in100_area_m2")):
        inside = sum(water.at[parent_of(c), column] * child_area_share(mirror, c) for c in codes)
        all_land = sum(
            water.at[parent_of(c), "lsoa_area_m2"] * child_area_share(mirror, c) for c in codes
        )
        got = shown(store, f"surface_water_{key}_share_of_land", "ward", ward)
        assert got == pytest.approx(inside / all_land, rel=1e-9)
    weights = people.loc[codes]
    local = sum(weights[c] * access.at[parent_of(c), "local_gs_access_pct"] for c in codes)
    assert shown(store, "households_gs_access_local", "ward", ward) == pytest.approx(
        local / weights.sum(), rel=1e-9
    )
    hot = sum(weights[c] * heat.at[parent_of(c), "tasmax_rcp85_2040_2060_c"] for c in codes)
    assert shown(store, "summer_max_temperature_rcp85_2040_2060", "ward", ward) == pytest.approx(
        hot / weights.sum(), rel=1e-9
    )


def test_real_environment_of_the_borough_recomputed_by_hand(store: Store, mirror: Path) -> None:
    canopy = real(mirror, "tree_canopy_lsoa11.csv")
    # SOURCES.md: borough canopy = sum(canopy_area_ha) / sum(lsoa_area_ha) over the 190 rows
    expected = canopy["canopy_area_ha"].sum() / canopy["lsoa_area_ha"].sum()
    assert shown(store, "tree_canopy_share", "borough", "E08000007") == pytest.approx(expected)
    water = real(mirror, "surface_water_ufmfsw_lsoa11.csv")
    expected = water["ufmfsw_1in100_area_m2"].sum() / water["lsoa_area_m2"].sum()
    got = shown(store, "surface_water_1in100_share_of_land", "borough", "E08000007")
    assert got == pytest.approx(expected)
    people = residents(mirror)
    access = real(mirror, "greenspace_access_defra2024_lsoa11.csv")["doorstep_gs_access_pct"]
    weighted = sum(people[c] * access[parent_of(c)] for c in people.index) / people.sum()
    got = shown(store, "households_gs_access_doorstep", "borough", "E08000007")
    assert got == pytest.approx(weighted)


def test_real_environment_sources_are_in_the_manifest_and_provenance(store: Store) -> None:
    prov = store.provenance.set_index("source_id")
    for source in ("tree_canopy_lsoa", "surface_water_lsoa", "greenspace_access_lsoa", "heat_lsoa"):
        assert prov.at[source, "used"], source
        assert not prov.at[source, "standin"], source
        assert prov.at[source, "read_url"].startswith("file://"), source
        assert prov.at[source, "vintage"], source
    assert "non-commercial" in prov.at["tree_canopy_lsoa", "licence"]
    assert "pre-2025" in prov.at["surface_water_lsoa", "attribution"]


def test_real_figures_lead_their_themes(store: Store) -> None:
    profile = area_profile(store, "ward", WARD)
    heads = profile[profile["headline"]].set_index("theme")["indicator_id"]
    assert heads["trees"] == "tree_canopy_share"
    assert heads["green space"] == "households_gs_access_any"
    assert heads["flood"] == "surface_water_1in30_share_of_land"
    themes = list(dict.fromkeys(profile["theme"]))
    assert themes[-1].startswith("IoD 2019"), "the older vintage sits in its own block, last"
    for _theme, rows in profile.groupby("theme", sort=False):
        flags = list(rows["standin"])
        assert flags == sorted(flags), "inside a theme, real figures come before stand-ins"


def england_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path).set_index("lsoa21cd")


def test_england_and_gm_comparators_recomputed_by_hand(store: Store, mirror: Path) -> None:
    shared = mirror.parent
    comparators = store.comparators.set_index("indicator_id")
    for folder, prefix, column in (
        ("england", "", "england_value"),
        ("greater_manchester", "gm_", "gm_value"),
    ):
        names = (
            ("iod2025_england_lsoa21.csv", "population_census2021_england_lsoa21.csv")
            if folder == "england"
            else (f"{prefix}iod2025_lsoa21.csv", f"{prefix}population_census2021_lsoa21.csv")
        )
        iod = england_table(shared / folder / names[0])
        census = england_table(shared / folder / names[1])
        people = census["total_usual_residents"]
        score = (iod.loc[people.index, "imd_score"] * people).sum() / people.sum()
        assert comparators.at["imd2025_score_pop_weighted", column] == pytest.approx(score)
        older = census["age_65_plus"].sum() / people.sum()
        assert comparators.at["share_aged_65_plus", column] == pytest.approx(older)
    # Stockport among the ten GM boroughs, 1 = most deprived
    gm = shared / "greater_manchester"
    lookup = pd.read_csv(gm / "gm_lsoa21_lookup.csv").set_index("LSOA21CD")["LAD22CD"]
    iod = england_table(gm / "gm_iod2025_lsoa21.csv")
    people = england_table(gm / "gm_population_census2021_lsoa21.csv")["total_usual_residents"]
    by_borough = (iod["imd_score"] * people).groupby(lookup).sum() / people.groupby(lookup).sum()
    rank = int(by_borough.rank(ascending=False)["E08000007"])
    assert comparators.at["imd2025_score_pop_weighted", "gm_rank"] == rank == 9
    assert comparators.at["imd2025_score_pop_weighted", "gm_rank_of"] == 10


def test_official_standing_is_published_beside_the_recomputation(store: Store) -> None:
    standing = store.official_standing
    row = standing[(standing["measure"] == "average score")].iloc[0]
    assert row["published_value"] == pytest.approx(18.404)
    assert row["published_rank"] == 158 and row["rank_of"] == 296
    borough = shown(store, "imd2025_score_pop_weighted", "borough", "E08000007")
    assert row["service_value"] == pytest.approx(borough)
    assert abs(borough - 18.404) < 0.05, "Census weights differ slightly from MHCLG's"
    assert "population denominators" in row["note"]


def test_england_percentile_of_an_lsoa_recomputed(store: Store, mirror: Path) -> None:
    iod = england_table(mirror.parent / "england" / "iod2025_england_lsoa21.csv")
    values = store.values
    row = values[
        (values["indicator_id"] == "imd2025_score") & (values["area_type"] == "lsoa")
    ].iloc[0]
    scores = iod["imd_score"]
    expected = ((scores < row["value"]).sum() + (scores == row["value"]).sum() / 2) / len(scores)
    assert row["england_percentile"] == pytest.approx(expected * 100)


def test_every_count_based_share_divides_by_the_one_population(store: Store) -> None:
    for area_type, code in (("ward", WARD), ("ward", SPLIT_WARD), ("lsoa", "E01005743")):
        profile = area_profile(store, area_type, code).set_index("indicator_id")
        population = float(store.areas[area_type].at[code, "population"])
        older = float(profile.at["residents_age_65_plus", "value"])
        assert float(profile.at["residents", "value"]) == population
        checked = 0
        for indicator_id, row in profile.iterrows():
            definition = store.indicator(str(indicator_id))
            if math.isnan(row["value"]):
                assert str(row["note"]).startswith("not computable"), indicator_id
                continue
            if definition.denominator in ("residents", "residents_grid"):
                assert row["denominator"] == pytest.approx(population), indicator_id
                checked += 1
            elif definition.denominator in ("age_65_plus", "aged_65_plus_grid"):
                assert row["denominator"] == pytest.approx(older), indicator_id
                checked += 1
            if definition.kind == "proportion" and definition.denominator in (
                "residents",
                "residents_grid",
            ):
                assert row["numerator"] / population == pytest.approx(row["value"]), indicator_id
        assert checked > 10


def test_the_population_range_and_its_flag(store: Store) -> None:
    wards = store.areas["ward"]
    brinnington = wards.loc[SPLIT_WARD]
    # the example: 12,454 by best fit against about 15,600 on the grid
    assert brinnington["population"] == 12_454
    assert brinnington["population_high"] == pytest.approx(15_602, abs=1)
    assert bool(brinnington["population_differs_by_method"])
    spread = (wards["population_high"] - wards["population_low"]) / wards["population_low"]
    assert (wards["population_differs_by_method"] == (spread > 0.10)).all()
    assert 6 <= int(wards["population_differs_by_method"].sum()) <= 9


def test_profile_page_names_the_population_and_its_range(client: TestClient) -> None:
    html = client.get(f"/profiles/ward/{SPLIT_WARD}?f=html&base=none").text
    assert "Population used for every share on this page: 12,454 residents" in html
    assert "depending on method" in html and "more than 10%" in html
    assert "Greater Manchester" in html and "England" in html
    assert "worse than" in html


def test_tiers_beyond_the_data_are_not_computable_and_unranked(client: TestClient) -> None:
    doc = client.get(f"/profiles/ward/{WARD}").json()
    rows = {r["indicator_id"]: r for r in doc["indicators"]}
    for tier in ("wider_neighbourhood", "district", "sub_regional"):
        row = rows[f"share_residents_ags_{tier}"]
        assert row["value"] is None and row["rank"] is None, tier
        assert row["note"].startswith("not computable"), tier
        assert "1,000 m beyond the borough" in row["note"]
    assert rows["share_residents_ags_local"]["value"] is not None


def test_no_rank_for_neutral_figures_or_counts_and_ties_are_ties(store: Store) -> None:
    values = store.values
    neutral = values[values["polarity"] == "neutral"]
    assert neutral["rank"].isna().all()
    counts = values[values["indicator_id"].isin(["residents", "income_deprived_people"])]
    assert counts["rank"].isna().all()
    ranked = values.dropna(subset=["rank"])
    group = ["indicator_id", "area_type", "method", "rank"]
    sizes = ranked.groupby(group)["value"].transform("size")
    assert (ranked["rank_tied"] == (sizes > 1)).all()
    assert ranked["rank_tied"].any()
    assert "canopy_cover_min" not in store.definitions
    assert "canopy_cover_max" not in store.definitions


def test_idaopi_has_no_rate_over_residents_aged_65(store: Store) -> None:
    assert "idaopi_per_resident_65_plus" not in store.definitions
    assert store.indicator("idaopi_older_people").kind == "count"
    density = store.indicator("idaopi_per_1000_residents")
    assert density.denominator == "residents" and "Not a rate among older people" in (
        density.description
    )


def test_people_are_whole_and_estimates_say_so(client: TestClient, store: Store) -> None:
    html = client.get(f"/profiles/ward/{WARD}?f=html&base=none").text
    assert "(estimated)" in html
    csv = pd.read_csv(io.StringIO(client.get(f"/profiles/ward/{WARD}?f=csv").text))
    people = csv[csv["unit"] == "persons"]
    assert (people["value"].dropna() % 1 == 0).all()
    grid = people[people["estimated"]]
    assert len(grid) > 10 and (grid["value"].dropna() % 50 == 0).all()
    people_based = csv["indicator_id"].map(
        lambda i: (
            store.indicator(i).unit == "persons"
            or store.indicator(i).denominator in ("residents", "residents_grid", "age_65_plus")
        )
    )
    assert people_based.sum() > 30
    for column in ("denominator", "numerator"):
        counted = csv.loc[people_based & (csv["unit"] != "score"), column].dropna()
        assert (counted % 1 == 0).all(), column
    doc = client.get(f"/profiles/ward/{WARD}").json()
    row = next(r for r in doc["indicators"] if r["indicator_id"] == "residents_fz3")
    assert row["value"] != row["display_value"] and row["display_value"] % 50 == 0


def test_csv_and_geopackage_carry_per_column_flags(client: TestClient, store: Store) -> None:
    response = client.get("/collections/ward/items?f=csv&limit=50")
    link = response.headers["link"]
    assert 'rel="describedby"' in link
    target = link.split(">")[0].lstrip("<").replace("http://testserver", "")
    columns = pd.read_csv(io.StringIO(client.get(target).text)).set_index("column")
    data = pd.read_csv(io.StringIO(response.text))
    assert len(data) == 21
    for column in data.columns:
        if column in ("geometry", "wkt", "geometry_wkt"):
            continue
        assert column in columns.index, column
        definition = store.definitions.get(column)
        if definition is not None:
            expected = bool(set(definition.source_ids) & store.standin_sources())
            assert bool(columns.at[column, "standin"]) == expected, column
            assert columns.at[column, "licence"], column
    assert bool(columns.at["fz3_share_of_land", "standin"])
    assert not bool(columns.at["tree_canopy_share", "standin"])
    gpkg = client.get("/collections/ward/items?f=gpkg").content
    path = Path("/tmp") / f"ward_{id(gpkg)}.gpkg"
    path.write_bytes(gpkg)
    try:
        meta = pyogrio.read_dataframe(path, layer="column_metadata").set_index("column")
    finally:
        path.unlink()
    assert bool(meta.at["fz3_share_of_land", "standin"])
    assert "CC-BY-NC" in meta.at["tree_canopy_share", "licence"]


def test_catalogue_flag_matches_every_record(store: Store) -> None:
    flags = store.values.groupby("indicator_id")["standin"].agg(["min", "max"])
    assert (flags["min"] == flags["max"]).all()
    catalogue = store.catalogue.set_index("id")["standin"].astype(bool)
    assert catalogue.sum() > 40
    assert (catalogue == flags["max"].reindex(catalogue.index)).all()


def test_collections_name_their_standin_properties(client: TestClient) -> None:
    html = client.get("/collections?f=html").text
    assert "SYNTHETIC stand-in layer" in html
    assert "properties from SYNTHETIC stand-ins" in html
    doc = client.get("/collections").json()
    by_id = {c["id"]: c for c in doc["collections"]}
    assert "fz3_share_of_land" in by_id["ward"]["standinProperties"]
    assert "imd2025_score_pop_weighted" not in by_id["ward"]["standinProperties"]


def test_provenance_describes_what_was_read(store: Store) -> None:
    prov = store.provenance.set_index("source_id")
    assert prov.at["neighbourhood_grouping", "used"]
    assert prov.at["age_friendly_programmes", "used"]
    assert prov.at["lsoa21_ward_lookup", "used"], "read and checked against the LSOA layer"
    assert "OS" in prov.at["flood_zones", "attribution"]
    assert "not Environment Agency data" in prov.at["flood_zones", "attribution"]
    assert "Historic England" in prov.at["greenspace_sites", "attribution"]
    assert "not OpenStreetMap data" in prov.at["cycle_routes", "attribution"]
    for source_id, row in prov.iterrows():
        assert bool(row["used"]) == bool(row["read_url"]), source_id
        assert row["role"], source_id
    assert prov.at["census2021_oa_age", "role"].startswith("optional, not present")


def test_age_friendly_weights_rerank_and_presets_explain_themselves(client: TestClient) -> None:
    equal = client.get("/age-friendly?area_type=ward").json()
    assert equal["weighting"] == "equal" and equal["rationale"]
    assert {c["id"] for c in equal["components"]} == {
        "share_aged_65_plus",
        "idaopi_per_1000_residents",
        "households_gs_access_local",
    }
    assert not any(c["standin"] for c in equal["components"])
    older_only = client.get("/age-friendly?area_type=ward&weights=share_aged_65_plus:1").json()
    top = older_only["areas"][0]
    assert top["share_aged_65_plus_scaled"] == pytest.approx(100)
    assert top["index"] == pytest.approx(100)
    assert [a["area_code"] for a in equal["areas"]] != [a["area_code"] for a in older_only["areas"]]
    bad = client.get("/age-friendly?weights=share_aged_65_plus:-1")
    assert bad.status_code == 400 and "weight" in bad.json()["description"]
    assert client.get("/age-friendly?preset=nonsense").status_code == 400
    assert client.get("/age-friendly?area_type=borough").status_code == 400


def test_priority_index_on_a_hand_fixture() -> None:
    from geo.query.priority import priority_index

    components = pd.DataFrame(
        {
            "share_aged_65_plus": [0.1, 0.2, 0.3],
            "idaopi_per_1000_residents": [30.0, 10.0, 20.0],
            "households_gs_access_local": [0.5, 0.0, 1.0],  # lower access = more priority
        },
        index=["a", "b", "c"],
    )
    weights = {"share_aged_65_plus": 1.0, "idaopi_per_1000_residents": 1.0}
    result = priority_index(components, weights=weights)
    # a: (0 + 100) / 2 = 50; b: (50 + 0) / 2 = 25; c: (100 + 50) / 2 = 75
    assert list(result["index"]) == pytest.approx([50.0, 25.0, 75.0])
    assert list(result["rank"]) == [2.0, 3.0, 1.0]
    assert list(result["households_gs_access_local_scaled"]) == [50.0, 100.0, 0.0]
    assert math.isclose(result.loc["c", "households_gs_access_local_contribution"], 0.0)


def test_only_accessible_green_space_counts_and_is_configurable(mirror: Path) -> None:
    import geopandas as gpd

    from geo.build.environment_step import uncomputable_tiers
    from geo.build.measures import accessible_sites
    from geo.indicators.environment import grid_indicators
    from geo.vocabulary import ACCESSIBLE_GREENSPACE_FUNCTIONS

    for private in ("Golf Course", "Bowling Green", "Tennis Court", "Other Sports Facility"):
        assert private not in ACCESSIBLE_GREENSPACE_FUNCTIONS
    sites = gpd.GeoDataFrame(
        {"function": ["Golf Course", "Public Park Or Garden"], "site_ha": [30.0, 1.0]},
        geometry=gpd.points_from_xy([0, 1], [0, 1]),
        crs=27700,
    )

    class FakeLayers:
        greenspace = sites

    accessible = accessible_sites(FakeLayers(), ACCESSIBLE_GREENSPACE_FUNCTIONS)  # type: ignore[arg-type]
    assert list(accessible["function"]) == ["Public Park Or Garden"]
    with_golf = accessible_sites(FakeLayers(), ("Golf Course",))  # type: ignore[arg-type]
    assert list(with_golf["function"]) == ["Golf Course"]
    # only a 1 ha park: the 2 ha local tier and larger ones can't be computed (no site large
    # enough); with a reach of 1 km the tiers looking further out can't either
    reasons = uncomputable_tiers(accessible, reach_m=1000.0)
    assert "share_residents_ags_doorstep" not in reasons
    assert "no accessible green space site of 2 ha" in reasons["share_residents_ags_local"]
    assert "2,000 m out" in reasons["share_residents_ags_wider_neighbourhood"]
    described = grid_indicators(accessible_functions=("Playing Field",))[0].description
    assert "playing field" in described and "public park" not in described


def test_build_refuses_an_unknown_green_space_function(mirror: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    result = CliRunner().invoke(
        app,
        [
            "build",
            "--mirror",
            str(mirror),
            "--store",
            str(tmp_path / "s.gpkg"),
            "--accessible-functions",
            "Public Park Or Garden; Moon Base",
        ],
    )
    assert result.exit_code == 2
    assert "Moon Base" in result.output
    assert not (tmp_path / "s.gpkg").exists()
