"""The Output Area path: exact ward populations from Census OA tables in the official formats,
on a tiny hand-made fixture (two LSOAs, two wards, four Output Areas)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from geo.build.pipeline import output_area_weights
from geo.errors import SourceError, SourceMissingError
from geo.indicators.engine import compute_records
from geo.indicators.output_areas import lsoa_ward_weights, output_area_inputs, ward_code_column
from geo.indicators.population import population_indicators
from geo.sources.ingest import read_table
from geo.sources.manifest import Source, load_manifest

# Nomis API CSV (NM_2020_1, select=geography_code,c2021_age_19,obs_value): capital headers,
# age code 0 = total, 14-18 = 65 and over; other bands omitted here.
NOMIS = """GEOGRAPHY_CODE,C2021_AGE_19,OBS_VALUE
E00000001,0,300
E00000001,14,20
E00000001,18,10
E00000002,0,100
E00000002,15,40
E00000003,0,250
E00000003,16,50
E00000004,0,150
E00000004,17,0
"""
# ONS OA21 -> LSOA21 and OA21 -> WD23 lookups (their published column names)
OA_LSOA = """OA21CD,LSOA21CD,LSOA21NM
E00000001,E01000001,A 001A
E00000002,E01000001,A 001A
E00000003,E01000002,A 001B
E00000004,E01000002,A 001B
"""
OA_WARD = """OA21CD,WD23CD,WD23NM,LAD23CD,LAD23NM
E00000001,E05000001,North,E08000007,Stockport
E00000002,E05000002,South,E08000007,Stockport
E00000003,E05000002,South,E08000007,Stockport
E00000004,E05000002,South,E08000007,Stockport
"""


def test_output_area_inputs_read_the_nomis_layout() -> None:
    table = output_area_inputs(pd.read_csv(io.StringIO(NOMIS)))
    assert table.loc["E00000001"].to_dict() == {"residents": 300.0, "age_65_plus": 30.0}
    assert table.loc["E00000004"].to_dict() == {"residents": 150.0, "age_65_plus": 0.0}


def test_a_bad_count_names_its_line() -> None:
    bad = NOMIS.replace("E00000002,0,100", "E00000002,0,n/a")
    with pytest.raises(SourceError, match="line 5"):
        output_area_inputs(pd.read_csv(io.StringIO(bad)))


def test_weights_split_each_lsoa_by_its_output_areas_residents() -> None:
    people = output_area_inputs(pd.read_csv(io.StringIO(NOMIS)))["residents"]
    lsoa_of = pd.read_csv(io.StringIO(OA_LSOA)).set_index("OA21CD")["LSOA21CD"]
    ward_lookup = pd.read_csv(io.StringIO(OA_WARD))
    ward_of = ward_lookup.set_index("OA21CD")[ward_code_column(ward_lookup)]
    weights = lsoa_ward_weights(people, lsoa_of, ward_of, wards={"E05000001", "E05000002"})
    got = {(r.source, r.target): r.weight for r in weights.itertuples()}
    # LSOA 1: 300 of its 400 residents in North, 100 in South; LSOA 2 wholly South
    assert got == {
        ("E01000001", "E05000001"): 0.75,
        ("E01000001", "E05000002"): 0.25,
        ("E01000002", "E05000002"): 1.0,
    }
    # apportioned with these weights, the wards get their exact Output Area totals
    inputs = pd.DataFrame(
        {
            "residents": [400.0, 400.0],
            "age_65_plus": [70.0, 50.0],
            **{c: [0.0, 0.0] for c in ("age_0_15", "age_16_24", "age_25_34")},
            **{c: [0.0, 0.0] for c in ("age_35_49", "age_50_64")},
        },
        index=["E01000001", "E01000002"],
    )
    records = compute_records(
        population_indicators(),
        inputs,
        {("ward", "output_areas"): weights},
        vintages={},
        standin_sources=set(),
    )
    residents = records[records["indicator_id"] == "residents"].set_index("area_code")["value"]
    assert residents.to_dict() == {"E05000001": 300.0, "E05000002": 500.0}


def test_a_ward_without_output_areas_is_refused() -> None:
    people = pd.Series({"E00000001": 10.0})
    with pytest.raises(SourceError, match="E05000009"):
        lsoa_ward_weights(
            people,
            pd.Series({"E00000001": "E01000001"}),
            pd.Series({"E00000001": "E05000001"}),
            wards={"E05000001", "E05000009"},
        )


def test_the_build_uses_the_files_when_present_and_skips_them_when_absent(
    tmp_path: Path,
) -> None:
    manifest = load_manifest()
    files = {
        "census2021_oa_age": NOMIS,
        "oa21_lsoa21_lookup": OA_LSOA,
        "oa21_ward_lookup": OA_WARD,
    }

    def path_of(present: bool) -> Callable[[str], tuple[Path, Source]]:
        def locate(source_id: str) -> tuple[Path, Source]:
            source = manifest[source_id]
            path = tmp_path / source.file
            if not present:
                raise SourceMissingError(f"{source_id} not found")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(files[source_id])
            return path, source

        return locate

    assert output_area_weights(path_of(False), wards={"E05000001"}) is None
    weights = output_area_weights(path_of(True), wards={"E05000001", "E05000002"})
    assert weights is not None and len(weights) == 3
    for source_id in files:
        assert manifest[source_id].optional
        read_table(tmp_path / manifest[source_id].file, manifest[source_id])
