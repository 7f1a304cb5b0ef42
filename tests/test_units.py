"""Hand-checkable unit tests on tiny synthetic fixtures (no files)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.apportion import apportion, area_weights, best_fit_weights, compose
from geo.errors import SourceError
from geo.indicators.catalogue import IndicatorDef
from geo.indicators.engine import compute_records
from geo.stats import wilson_interval


def squares() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Two 100 m LSOA squares side by side; ward A covers the first and half the second."""
    lsoa = gpd.GeoDataFrame(
        geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)], index=["L1", "L2"], crs="EPSG:27700"
    )
    wards = gpd.GeoDataFrame(
        geometry=[box(0, 0, 150, 100), box(150, 0, 200, 100)], index=["A", "B"], crs="EPSG:27700"
    )
    return lsoa, wards


def test_wilson_interval_known_value() -> None:
    low, high = wilson_interval([10], [100])
    # Newcombe (1998), Table I: 10/100 -> 0.0552 to 0.1744
    assert low[0] == pytest.approx(0.0552, abs=5e-5)
    assert high[0] == pytest.approx(0.1744, abs=5e-5)
    low, high = wilson_interval([0, 5], [0, 5])
    assert np.isnan(low[0]) and high[1] == 1.0


def test_area_weights_split_by_area_share() -> None:
    lsoa, wards = squares()
    weights = area_weights(lsoa, wards).set_index(["source", "target"])["weight"]
    assert weights.loc[("L1", "A")] == pytest.approx(1.0)
    assert weights.loc[("L2", "A")] == pytest.approx(0.5)
    assert weights.loc[("L2", "B")] == pytest.approx(0.5)


def test_area_weights_refuse_geographic_crs() -> None:
    lsoa, wards = squares()
    with pytest.raises(SourceError, match="EPSG:27700"):
        area_weights(lsoa.set_crs("EPSG:4326", allow_override=True), wards)


def test_apportion_conserves_counts_and_recomputes_rates() -> None:
    lsoa, wards = squares()
    values = pd.DataFrame({"people": [100.0, 200.0], "poor": [10.0, np.nan]}, index=["L1", "L2"])
    sums = apportion(values, area_weights(lsoa, wards))
    assert sums.loc["A", "people"] == pytest.approx(200.0)
    assert sums.loc["B", "people"] == pytest.approx(100.0)
    assert sums["people"].sum() == pytest.approx(300.0)
    assert sums.loc["B", "poor__missing"] == pytest.approx(0.5)


def test_compose_chains_to_parents() -> None:
    weights = best_fit_weights(pd.Series(["A", "B"], index=["L1", "L2"]))
    chained = compose(weights, pd.Series({"A": "N", "B": "N"}))
    assert chained.groupby("target")["weight"].sum().to_dict() == {"N": 2.0}


def test_engine_rate_is_ratio_of_sums_not_mean_of_rates() -> None:
    inputs = pd.DataFrame({"people": [100.0, 300.0], "poor": [50.0, 30.0]}, index=["L1", "L2"])
    rate = IndicatorDef(
        id="rate",
        title="t",
        theme="x",
        unit="proportion",
        polarity="higher_is_worse",
        kind="proportion",
        source_ids=("s",),
        description="d",
        numerator="poor",
        denominator="people",
        ci=True,
    )
    weights = {
        ("borough", "all"): best_fit_weights(pd.Series(["B", "B"], index=["L1", "L2"])),
        ("lsoa", "lsoa"): best_fit_weights(pd.Series(["L1", "L2"], index=["L1", "L2"])),
    }
    records = compute_records(
        [rate], inputs, weights, vintages={"s": "2025"}, standin_sources={"s"}
    )
    borough = records[records.area_type == "borough"].iloc[0]
    assert borough["value"] == pytest.approx(80 / 400)  # not (0.5 + 0.1) / 2
    assert borough["standin"]
    lsoa = records[records.area_type == "lsoa"].set_index("area_code")
    assert lsoa.loc["L1", "rank"] == 1 and lsoa.loc["L2", "rank"] == 2
