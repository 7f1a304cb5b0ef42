"""A short plain-English summary of an area, written from its indicator values."""

from __future__ import annotations

import pandas as pd

from maps.format import format_value, missing, one_in

AREA_WORDS = {
    "lsoa": "LSOA",
    "ward": "ward",
    "neighbourhood": "neighbourhood",
    "borough": "borough",
}


def summary_sentences(name: str, area_type: str, profile: pd.DataFrame) -> list[str]:
    """Sentences for a coordinator; every figure comes from `profile` (one row per indicator,
    with `value`, `borough_value`, `rank`, `rank_of`, `unit`, `standin`)."""
    rows = profile.set_index("indicator_id")

    def get(indicator: str, column: str = "value") -> float:
        if indicator not in rows.index:
            return float("nan")
        value = rows.at[indicator, column]
        return float("nan") if missing(value) else float(value)  # type: ignore[arg-type]

    sentences = []
    residents = get("residents")
    if not missing(residents):
        sentences.append(f"{name} is home to {residents:,.0f} residents (Census 2021).")
    decile_1 = get("lsoas_in_imd2025_decile_1")
    if area_type == "lsoa":
        decile = get("imd2025_decile")
        if not missing(decile):
            sentences.append(
                f"It is in national IMD decile {decile:.0f} of 10 (1 = England's "
                "most deprived 10%; IoD 2025)."
            )
    elif not missing(decile_1):
        lsoas = sum(get(f"lsoas_in_imd2025_decile_{k}") for k in range(1, 11))
        sentences.append(
            f"{name} has {decile_1:.0f} of its {lsoas:.0f} LSOAs among England's "
            "10% most deprived (IoD 2025, ONS best-fit LSOAs)."
        )
    older, older_borough = get("share_aged_65_plus"), get("share_aged_65_plus", "borough_value")
    if not missing(older):
        sentences.append(
            f"{one_in(older).capitalize()} residents is 65 or over "
            f"({format_value(older, 'proportion')}; borough "
            f"{format_value(older_borough, 'proportion')})."
        )
    score, rank, of = (
        get("imd2025_score_pop_weighted"),
        get("imd2025_score_pop_weighted", "rank"),
        get("imd2025_score_pop_weighted", "rank_of"),
    )
    if not missing(score) and not missing(rank):
        word = AREA_WORDS.get(area_type, area_type)
        sentences.append(
            f"Its population-weighted IMD score is {score:.1f} (borough "
            f"{get('imd2025_score_pop_weighted', 'borough_value'):.1f}), "
            f"{'the most deprived' if rank == 1 else f'ranked {rank:.0f}'} of "
            f"{of:.0f} {word}s."
        )
    income = get("income_deprivation_rate")
    if not missing(income):
        borough = format_value(get("income_deprivation_rate", "borough_value"), "proportion")
        sentences.append(
            f"{format_value(income, 'proportion')} of residents live in income "
            f"deprivation (borough {borough})."
        )
    percentile = get("imd2025_score_pop_weighted", "england_percentile")
    if not missing(percentile) and area_type != "borough":
        sentences.append(
            f"That score is worse than {percentile:.0f}% of England's 33,755 LSOAs "
            "(each LSOA counted once)."
        )
    real = []
    canopy = get("tree_canopy_share")
    if not missing(canopy):
        real.append(
            f"tree canopy covers {format_value(canopy, 'proportion')} of its land "
            f"(England {format_value(get('tree_canopy_share', 'england_value'), 'proportion')}; "
            "LiDAR, CC BY-NC)"
        )
    water = get("surface_water_1in100_share_of_land")
    if not missing(water):
        real.append(
            f"{format_value(water, 'proportion')} of its land is at 1 in 100 surface-water "
            "risk (pre-2025 EA map)"
        )
    local = get("households_gs_access_local")
    if not missing(local):
        real.append(
            f"{format_value(local, 'proportion')} of households can walk to a 2 ha green "
            "space within 300 m (Defra 2024)"
        )
    if real:
        sentences.append("Environment: " + "; ".join(real) + ".")
    near = [
        (label, get(f"share_residents_within_800m_{kind}"))
        for kind, label in (("pharmacy", "a pharmacy"), ("food_bank", "a food bank"))
    ]
    near = [(label, value) for label, value in near if not missing(value)]
    if near:
        sentences.append(
            "Help nearby: "
            + "; ".join(
                f"{format_value(value, 'proportion')} of residents live within 800 m "
                f"(straight line) of {label}"
                for label, value in near
            )
            + " (estimates from the residents grid)."
        )
    return sentences
