"""Local services near residents: shares within walking reach and distance to the nearest.

Residents come from a residents grid made only of real inputs (Census 2021 LSOA residents spread
over the 25 m cells of the borough, none on rivers or canals, few on farmland): unlike the
environment grid it does not take residents out of green space, because the green space layer is
a synthetic stand-in here. Distances are straight lines, which understate walking distance
(streets rarely run straight to a door: a walk is typically 20-40% longer).
"""

from __future__ import annotations

from geo.indicators.catalogue import IndicatorDef, share_indicator, value_indicator
from geo.vocabulary import ACCESS_SERVICE_KINDS, SERVICE_DISTANCES_M, SERVICE_KINDS

SERVICE_SOURCE_IDS = {
    "pharmacy": "services_pharmacies",
    "post_office": "services_post_offices",
    "library": "services_libraries",
    "food_bank": "services_food_banks",
    "dentist": "services_dentists",
    "hospital": "services_hospitals",
}
"""Service kind -> manifest source id."""

SERVICES_GRID_SOURCES = ("census2021_age", "lsoa_2021", "os_open_rivers", "alc_vector")
"""Sources of the services residents grid (all real)."""

SERVICES_GRID_NOTE = (
    " Residents from the 25 m residents grid of real inputs only (Census 2021 LSOA residents "
    "spread over land that is not river or canal, farmland weighted 0.05; green space is not "
    "taken out because that layer is a stand-in here), counted where a cell's centre lies and "
    "scaled to the area's one population."
)
STRAIGHT_LINE_NOTE = (
    " Straight-line distance, which understates the walk (streets rarely lead straight to the "
    "door). Services up to 1 km outside the borough count, so edge areas are not penalised."
)


STREET_NOTE = (
    " Distance walked along the street network (OS Open Roads), from the nearest junction to "
    "the home cell and to the service. Services up to 1 km outside the borough count."
)


def services_indicators(*, along_streets: bool = False) -> list[IndicatorDef]:
    """Shares of residents (and of residents 65+) within each reach of each service kind, and
    the distance from each area's population-weighted centre to the nearest one; measured
    along streets when `along_streets`, else in straight lines (and said so)."""
    how = STREET_NOTE if along_streets else STRAIGHT_LINE_NOTE
    line = "along streets" if along_streets else "straight line"
    sources_extra = ("os_open_roads",) if along_streets else ()
    defs: list[IndicatorDef] = []
    for kind in ACCESS_SERVICE_KINDS:
        singular, plural = SERVICE_KINDS[kind]
        sources = (SERVICE_SOURCE_IDS[kind], *SERVICES_GRID_SOURCES, *sources_extra)
        for distance in SERVICE_DISTANCES_M:
            for group, label, total in (
                ("residents", "Residents", "residents_services_grid"),
                ("aged_65_plus", "Residents aged 65+", "aged_65_plus_services_grid"),
            ):
                defs.append(
                    share_indicator(
                        f"share_{group}_within_{distance}m_{kind}",
                        f"{label} within {distance} m of a {singular}",
                        theme="services",
                        source_ids=sources,
                        numerator=f"services_{group}_{kind}_{distance}m",
                        denominator=total,
                        description=(
                            f"Share of {label.lower()} whose home grid cell is within "
                            f"{distance} m ({line}) of one of the {plural} in the data."
                            + how
                            + SERVICES_GRID_NOTE
                        ),
                        polarity="higher_is_better",
                    )
                )
        defs.append(
            value_indicator(
                f"distance_to_nearest_{kind}_m",
                f"Distance from the population-weighted centre to the nearest {singular}",
                theme="services",
                unit="m",
                source_ids=sources,
                column=f"distance_to_nearest_{kind}_m",
                description=(
                    f"Metres ({line}) from the area's population-weighted centre (from the "
                    f"services residents grid) to the nearest of the {plural}." + how
                ),
                polarity="higher_is_worse",
            )
        )
    return defs
