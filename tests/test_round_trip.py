"""The build -> store -> query round trip is lossless (issue 8, item 6)."""

from __future__ import annotations

import math
from dataclasses import fields

import pytest
import shapely
from fastapi.testclient import TestClient

from geo.indicators.catalogue import IndicatorDef, catalogue_frame, defs_from_catalogue
from geo.indicators.engine import select_methods
from geo.indicators.environment import grid_indicators
from geo.store import Store
from geo.vocabulary import METHOD_PREFERENCE, Method

WARD = "E05015023"


def test_catalogue_round_trip_is_exact(store: Store) -> None:
    defs = list(store.definitions.values())
    assert len(defs) == len(store.catalogue) > 100
    again = defs_from_catalogue(catalogue_frame(defs, vintages=store.vintages))
    assert again == defs


def test_catalogue_writes_every_field_of_a_definition(store: Store) -> None:
    names = {f.name for f in fields(IndicatorDef)}
    assert names <= set(store.catalogue.columns)


def test_scale_survives_the_store(store: Store) -> None:
    per_1000 = [d for d in grid_indicators() if d.scale != 1.0]
    assert per_1000, "the grid family has per-1,000 indicators"
    for d in per_1000:
        assert store.indicator(d.id).scale == d.scale == 1000.0


def test_environmental_inputs_are_stored_under_the_names_the_definitions_use(
    store: Store,
) -> None:
    columns = set(store.lsoa_inputs.columns)
    assert not [c for c in columns if c.startswith("env_")]
    assert {"residents_grid", "residents_fz3", "greenspace_ha"} <= columns


def test_every_method_has_a_label_and_a_place_in_the_preference() -> None:
    assert set(METHOD_PREFERENCE) == set(Method)
    for method in Method:
        assert method.label and method.label != method.value


# Drawn areas spread each LSOA's inputs by area share, so environmental figures (made per area
# from a 25 m grid or a direct overlay) are approximated: these are the stated tolerances.
COUNT_TOLERANCE_OF_BOROUGH = 0.05  # a count within 5% of the borough total
PROPORTION_TOLERANCE = 0.05  # a share within 5 percentage points
MEAN_RELATIVE_TOLERANCE = 0.5  # a mean (e.g. ha per 1,000 residents) within 50%
# Area-weighted ones agree within 0.1%: the polygon goes through CRS84 and back, and the stored
# ward weights drop slivers under 1e-6 of an LSOA before renormalising.
EXACT_RELATIVE_TOLERANCE = 1e-3


def test_a_drawn_ward_returns_every_indicator_the_ward_has(
    client: TestClient, store: Store
) -> None:
    ward = store.areas["ward"].loc[[WARD]].to_crs("OGC:CRS84")
    doc = client.post("/profiles/custom", json=shapely.geometry.mapping(ward.geometry.iloc[0]))
    assert doc.status_code == 200
    body = doc.json()
    drawn = {row["indicator_id"]: row for row in body["indicators"]}
    values = store.values
    own = select_methods(
        values[(values["area_type"] == "ward") & (values["area_code"] == WARD)],
        requested="area_weighted",
    ).set_index("indicator_id")
    unavailable = set(body["not_available_for_drawn_areas"]["indicators"])
    assert body["not_available_for_drawn_areas"]["reason"]
    # Every indicator of the ward is either returned or listed as unavailable, never dropped.
    assert set(own.index) <= set(drawn) | unavailable
    assert not set(drawn) & unavailable
    environmental = [
        i
        for i in drawn
        if store.indicator(i).theme in ("green space", "flood", "cycling", "land", "trees")
    ]
    assert len(environmental) > 40, "the environmental indicators reach drawn areas"
    assert len(drawn) > 80
    for indicator_id, row in drawn.items():
        definition = store.indicator(indicator_id)
        expected = float(own.loc[indicator_id, "value"])
        got = float("nan") if row["value"] is None else float(row["value"])
        if math.isnan(expected):  # not computable for the ward: not for the drawn ward either
            assert math.isnan(got), indicator_id
            assert row["note"].startswith("not computable"), indicator_id
        elif own.loc[indicator_id, "method"] == "area_weighted":
            assert got == pytest.approx(expected, rel=EXACT_RELATIVE_TOLERANCE, abs=1e-9)
        elif definition.kind == "count":
            borough = float(store.borough_values[indicator_id])
            assert abs(got - expected) <= COUNT_TOLERANCE_OF_BOROUGH * borough, indicator_id
        elif definition.kind == "proportion":
            assert abs(got - expected) <= PROPORTION_TOLERANCE, indicator_id
        else:
            assert abs(got - expected) <= MEAN_RELATIVE_TOLERANCE * abs(expected) + 1e-9, (
                indicator_id
            )
