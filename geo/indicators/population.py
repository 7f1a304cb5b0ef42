"""Census 2021 population indicators: residents, six age bands and the share aged 65+."""

from __future__ import annotations

import pandas as pd

from geo.indicators.catalogue import IndicatorDef, count_indicator, share_indicator

AGE_BANDS = {
    "age_0_15": "0-15",
    "age_16_24": "16-24",
    "age_25_34": "25-34",
    "age_35_49": "35-49",
    "age_50_64": "50-64",
    "age_65_plus": "65 and over",
}
"""Census 2021 age bands: input column -> label."""

SOURCE = ("census2021_age",)


def population_inputs(census: pd.DataFrame) -> pd.DataFrame:
    """LSOA input columns (persons) from the Census 2021 table, indexed by LSOA code."""
    frame = census.set_index("lsoa21cd")[["total_usual_residents", *AGE_BANDS]].astype(float)
    return frame.rename(columns={"total_usual_residents": "residents"}).rename_axis(None)


def population_indicators() -> list[IndicatorDef]:
    """Residents, residents per age band and the share aged 65+."""
    defs = [
        count_indicator(
            "residents",
            "Usual residents",
            theme="population",
            source_ids=SOURCE,
            numerator="residents",
            description="Census 2021 usual residents (counts carry ONS disclosure control).",
            polarity="neutral",
        )
    ]
    defs += [
        count_indicator(
            f"residents_{column}",
            f"Residents aged {label}",
            theme="population",
            source_ids=SOURCE,
            numerator=column,
            description=f"Census 2021 usual residents aged {label}.",
            polarity="neutral",
        )
        for column, label in AGE_BANDS.items()
    ]
    defs.append(
        share_indicator(
            "share_aged_65_plus",
            "Share of residents aged 65 and over",
            theme="ageing well",
            source_ids=SOURCE,
            numerator="age_65_plus",
            denominator="residents",
            description=(
                "Census 2021 residents aged 65+ divided by all usual residents. A census "
                "count, not a sample: no confidence interval is given."
            ),
            polarity="neutral",
        )
    )
    return defs
