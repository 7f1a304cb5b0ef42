"""Green space, flood, cycling, canopy and ageing-well indicators (grid, overlay and zonal)."""

from __future__ import annotations

from geo.indicators.catalogue import (
    IndicatorDef,
    count_indicator,
    mean_indicator,
    share_indicator,
    value_indicator,
)
from geo.vocabulary import (
    ACCESSIBLE_GREENSPACE_FUNCTIONS,
    AGS_TIERS,
    CYCLE_CLASSES,
    GREENSPACE_FUNCTIONS,
    GRID_METHOD,
    RISK_BANDS,
    function_key,
)

GRID_SOURCES = ("census2021_age", "lsoa_2021", "greenspace_sites", "os_open_rivers", "alc_vector")
"""Sources of the dasymetric grid itself (green space and water get no residents)."""

GREEN = ("greenspace_sites", "greenspace_access_points")
FLOOD = ("flood_zones",)
SURFACE = ("surface_water",)
CYCLE = ("cycle_routes",)

GRID_NOTE = " Residents from the dasymetric grid: " + GRID_METHOD + "."
STRAIGHT_LINE = (
    " Distance is straight-line, to the site's access points where it has them, "
    "else to its edge; sites in the 1 km buffer around Stockport count, sites "
    "further away are not in the data."
)
ELEVATION_WARNING = (
    "Indicative only: interpolated from sparse OS Terrain 50 spot heights, errors "
    "of tens of metres; not an OS DEM."
)


def grid_indicators(
    *, accessible_functions: tuple[str, ...] = ACCESSIBLE_GREENSPACE_FUNCTIONS
) -> list[IndicatorDef]:
    """Resident-based indicators from the dasymetric grid (method `dasymetric_grid`);
    green space access counts sites of `accessible_functions` only (named in each text)."""
    counted = (
        " Counts only accessible green space: "
        + ", ".join(f.lower() for f in accessible_functions)
        + " (not golf courses, bowling greens, tennis courts, other sports facilities or "
        "allotments unless listed)."
    )
    defs = [
        share_indicator(
            f"share_residents_ags_{name}",
            f"Residents within {dist:,} m of a green space of {ha:g} ha or more "
            f"(AGS {name.replace('_', ' ')})",
            theme="green space",
            source_ids=(*GREEN, *GRID_SOURCES),
            numerator=f"residents_ags_{name}",
            denominator="residents_grid",
            description=(
                "Natural England Accessible Greenspace Standard."
                + counted
                + STRAIGHT_LINE
                + GRID_NOTE
            ),
            polarity="higher_is_better",
        )
        for name, dist, ha in AGS_TIERS
    ]
    defs += [
        count_indicator(
            "residents_no_greenspace_300m",
            "Residents with no green space within 300 m",
            theme="green space",
            source_ids=(*GREEN, *GRID_SOURCES),
            numerator="residents_no_greenspace_300m",
            description=(
                "Residents with no accessible green space site of any size within 300 m."
                + counted
                + STRAIGHT_LINE
                + GRID_NOTE
            ),
        ),
        share_indicator(
            "share_residents_no_greenspace_300m",
            "Share of residents with no green space within 300 m",
            theme="green space",
            source_ids=(*GREEN, *GRID_SOURCES),
            numerator="residents_no_greenspace_300m",
            denominator="residents_grid",
            description="As above, over all residents." + GRID_NOTE,
        ),
        mean_indicator(
            "greenspace_ha_per_1000_residents",
            "Green space per 1,000 residents",
            theme="green space",
            unit="ha per 1,000 residents",
            source_ids=(*GREEN, *GRID_SOURCES),
            numerator="accessible_greenspace_ha",
            denominator="residents_grid",
            description=(
                "Hectares of accessible green space sites inside the area per 1,000 residents "
                "(Natural England's capacity standard: at least 3 ha per 1,000)." + GRID_NOTE
            ),
            polarity="higher_is_better",
            scale=1000.0,
        ),
    ]
    for zone, label in (
        ("fz3", "Flood Zone 3"),
        ("fz2_only", "Flood Zone 2 only"),
        ("flood_extent", "the whole 0.1% flood extent (FZ2 + FZ3)"),
    ):
        defs += [
            count_indicator(
                f"residents_{zone}",
                f"Residents in {label}",
                theme="flood",
                source_ids=(*FLOOD, *GRID_SOURCES),
                numerator=f"residents_{zone}",
                description=(
                    f"Residents whose grid cell centre lies in {label} (rivers and sea, "
                    "defences ignored)." + GRID_NOTE
                ),
            ),
            count_indicator(
                f"residents_65_plus_{zone}",
                f"Residents aged 65+ in {label}",
                theme="flood",
                source_ids=(*FLOOD, *GRID_SOURCES),
                numerator=f"aged_65_plus_{zone}",
                description=f"Residents aged 65+ in {label}." + GRID_NOTE,
            ),
            count_indicator(
                f"deprived_residents_{zone}",
                f"Residents of IMD decile 1-2 LSOAs in {label}",
                theme="flood",
                source_ids=(*FLOOD, "iod2025", *GRID_SOURCES),
                numerator=f"deprived_residents_{zone}",
                description=(
                    f"Residents of LSOAs in England's most deprived 20% (IMD 2025) in "
                    f"{label}." + GRID_NOTE
                ),
            ),
        ]
    defs += [
        count_indicator(
            f"residents_surface_water_{band.lower()}",
            f"Residents in {band.lower()} surface-water risk",
            theme="flood",
            source_ids=(*SURFACE, *GRID_SOURCES),
            numerator=f"residents_sw_{band.lower()}",
            description=(
                f"Residents in the {band} risk band of Risk of Flooding from Surface "
                "Water (bands stored without overlap)." + GRID_NOTE
            ),
        )
        for band in RISK_BANDS
    ]
    defs += [
        share_indicator(
            f"share_residents_cycle_{dist}m",
            f"Residents within {dist} m of a cycle route",
            theme="cycling",
            source_ids=(*CYCLE, *GRID_SOURCES),
            numerator=f"residents_cycle_{dist}m",
            denominator="residents_grid",
            description="Straight-line distance to any mapped cycle infrastructure." + GRID_NOTE,
            polarity="higher_is_better",
        )
        for dist in (250, 400)
    ]
    defs += [
        mean_indicator(
            "cycle_km_per_1000_residents",
            "Cycle infrastructure per 1,000 residents",
            theme="cycling",
            unit="km per 1,000 residents",
            source_ids=(*CYCLE, *GRID_SOURCES),
            numerator="cycle_km_total",
            denominator="residents_grid",
            description=(
                "Kilometres of cycle infrastructure inside the area per 1,000 residents."
                + GRID_NOTE
            ),
            polarity="higher_is_better",
            scale=1000.0,
        ),
        share_indicator(
            "share_aged_65_plus_greenspace_300m",
            "Residents aged 65+ within 300 m of green space",
            theme="ageing well",
            source_ids=(*GREEN, *GRID_SOURCES),
            numerator="aged_65_plus_greenspace_300m",
            denominator="aged_65_plus_grid",
            description="Over all residents aged 65+." + STRAIGHT_LINE + GRID_NOTE,
            polarity="higher_is_better",
        ),
        share_indicator(
            "share_aged_65_plus_no_greenspace_300m",
            "Residents aged 65+ with no green space within 300 m",
            theme="ageing well",
            source_ids=(*GREEN, *GRID_SOURCES),
            numerator="aged_65_plus_no_greenspace_300m",
            denominator="aged_65_plus_grid",
            description="Over all residents aged 65+." + GRID_NOTE,
        ),
        share_indicator(
            "share_aged_65_plus_flood_extent",
            "Residents aged 65+ in the 0.1% flood extent",
            theme="ageing well",
            source_ids=(*FLOOD, *GRID_SOURCES),
            numerator="aged_65_plus_flood_extent",
            denominator="aged_65_plus_grid",
            description="Over all residents aged 65+." + GRID_NOTE,
        ),
    ]
    return defs


def overlay_indicators() -> list[IndicatorDef]:
    """Land areas and route lengths by exact overlay (method `direct_overlay`)."""
    defs = [
        count_indicator(
            "greenspace_ha",
            "Green space area",
            theme="green space",
            source_ids=GREEN,
            numerator="greenspace_ha",
            description=(
                "Hectares of OS Open Greenspace sites inside the area (overlaps counted once)."
            ),
            unit="ha",
            polarity="higher_is_better",
        ),
        share_indicator(
            "greenspace_share_of_land",
            "Share of land that is green space",
            theme="green space",
            source_ids=GREEN,
            numerator="greenspace_ha",
            denominator="land_ha",
            description="Green space hectares over the area's land hectares.",
            polarity="higher_is_better",
        ),
    ]
    defs += [
        count_indicator(
            f"greenspace_ha_{function_key(f)}",
            f"Green space area: {f}",
            theme="green space",
            source_ids=GREEN,
            numerator=f"greenspace_ha_{function_key(f)}",
            description=f"Hectares of sites whose OS function is '{f}'.",
            unit="ha",
            polarity="neutral",
        )
        for f in GREENSPACE_FUNCTIONS
    ]
    for zone, label in (
        ("fz3", "Flood Zone 3"),
        ("fz2_only", "Flood Zone 2 only"),
        ("flood_extent", "the whole 0.1% extent (FZ2 + FZ3)"),
    ):
        defs.append(
            share_indicator(
                f"{zone}_share_of_land",
                f"Share of land in {label}",
                theme="flood",
                source_ids=FLOOD,
                numerator=f"{zone}_ha",
                denominator="land_ha",
                description=(
                    f"Land in {label} over the area's land; EA 2025 zones do not overlap, "
                    "the retired schema's Flood Zone 2 (whole extent) is converted on load."
                ),
            )
        )
    defs += [
        share_indicator(
            f"surface_water_{band.lower()}_share_of_land",
            f"Share of land in {band.lower()} surface-water risk",
            theme="flood",
            source_ids=SURFACE,
            numerator=f"sw_{band.lower()}_ha",
            denominator="land_ha",
            description=f"Land in the {band} RoFSW band over the area's land.",
        )
        for band in RISK_BANDS
    ]
    defs += [
        count_indicator(
            f"cycle_km_{cls}",
            f"Cycle infrastructure: {cls.replace('_', ' ')}",
            theme="cycling",
            source_ids=CYCLE,
            numerator=f"cycle_km_{cls}",
            description="Kilometres inside the area (OSM tags; see the layer's classification).",
            unit="km",
            polarity="higher_is_better",
        )
        for cls in CYCLE_CLASSES
    ]
    defs += [
        count_indicator(
            "cycle_km_ncn",
            "National Cycle Network",
            theme="cycling",
            source_ids=CYCLE,
            numerator="cycle_km_ncn",
            description="Kilometres of NCN route inside the area.",
            unit="km",
            polarity="higher_is_better",
        ),
        count_indicator(
            "cycle_km_total",
            "Cycle infrastructure, all types",
            theme="cycling",
            source_ids=CYCLE,
            numerator="cycle_km_total",
            description=(
                "Kilometres of all classes (NCN not added again: it runs on the classes above)."
            ),
            unit="km",
            polarity="higher_is_better",
        ),
        mean_indicator(
            "cycle_km_per_km2",
            "Cycle infrastructure density",
            theme="cycling",
            unit="km per km²",
            source_ids=CYCLE,
            numerator="cycle_km_total",
            denominator="land_km2",
            description="Kilometres of cycle infrastructure per square kilometre of land.",
            polarity="higher_is_better",
        ),
    ]
    return defs


def zonal_indicators() -> list[IndicatorDef]:
    """Raster statistics per area (method `zonal`)."""
    canopy = ("tree_canopy",)
    return [
        value_indicator(
            "canopy_cover_mean",
            "Tree canopy cover, from the SYNTHETIC raster (area-weighted mean)",
            theme="trees",
            unit="proportion",
            source_ids=canopy,
            column="canopy_mean",
            description=(
                "Mean canopy fraction over the area, pixels weighted by the share of "
                "each 10 m pixel inside the area."
            ),
            polarity="higher_is_better",
        ),
        value_indicator(
            "canopy_share_above_20pct",
            "Share of land with canopy over 20%",
            theme="trees",
            unit="proportion",
            source_ids=canopy,
            column="canopy_share_above_20pct",
            description="Area share of 10 m pixels whose canopy fraction exceeds 0.2.",
            polarity="higher_is_better",
        ),
        value_indicator(
            "alc_share_agricultural",
            "Share of land graded agricultural (ALC 1-5)",
            theme="land",
            unit="proportion",
            source_ids=("alc_raster",),
            column="alc_share_agricultural",
            description="Provisional ALC (1:250,000), 25 m raster; strategic scale only.",
            polarity="neutral",
        ),
        value_indicator(
            "alc_share_urban",
            "Share of land classed urban (ALC)",
            theme="land",
            unit="proportion",
            source_ids=("alc_raster",),
            column="alc_share_urban",
            description="Provisional ALC 'Urban' class share.",
            polarity="neutral",
        ),
        value_indicator(
            "elevation_mean_m",
            "Mean elevation (indicative)",
            theme="land",
            unit="m",
            source_ids=("elevation_indicative",),
            column="elevation_mean",
            description=ELEVATION_WARNING,
            polarity="neutral",
            warning=ELEVATION_WARNING,
        ),
        value_indicator(
            "elevation_min_m",
            "Lowest elevation (indicative)",
            theme="land",
            unit="m",
            source_ids=("elevation_indicative",),
            column="elevation_min",
            description=ELEVATION_WARNING,
            polarity="neutral",
            warning=ELEVATION_WARNING,
        ),
        value_indicator(
            "elevation_max_m",
            "Highest elevation (indicative)",
            theme="land",
            unit="m",
            source_ids=("elevation_indicative",),
            column="elevation_max",
            description=ELEVATION_WARNING,
            polarity="neutral",
            warning=ELEVATION_WARNING,
        ),
        value_indicator(
            "elevation_share_above_150m",
            "Share of land above 150 m (indicative)",
            theme="land",
            unit="proportion",
            source_ids=("elevation_indicative",),
            column="elevation_share_above_150m",
            description=ELEVATION_WARNING,
            polarity="neutral",
            warning=ELEVATION_WARNING,
        ),
    ]


def river_indicator() -> IndicatorDef:
    """Distance from each LSOA's population-weighted centre to the nearest main river."""
    return value_indicator(
        "river_distance_m",
        "Distance from the population-weighted centre to a river",
        theme="flood",
        unit="m",
        source_ids=("os_open_rivers", *GRID_SOURCES),
        column="river_distance_m",
        description=(
            "Straight-line metres from the LSOA's population-weighted centre (from the "
            "dasymetric grid) to the nearest OS Open Rivers link named 'River ...' (the EA's main "
            "river designation is not in the open data)."
        ),
        polarity="neutral",
        area_types=("lsoa",),
    )


def age_friendly_indicators() -> list[IndicatorDef]:
    """Older people in income deprivation per 1,000 residents of all ages.

    The IDAOPI numerator counts people aged 60+; the mirror has no 60+ denominator (Census
    bands stop at 50-64 / 65+, and MHCLG's 60+ denominators are not in it), so no rate among
    older people is published: the count is (see the deprivation theme), and this density over
    all residents, whose denominator is real, feeds the age-friendly priority components.
    """
    return [
        mean_indicator(
            "idaopi_per_1000_residents",
            "People aged 60+ in income deprivation, per 1,000 residents of all ages",
            theme="ageing well",
            unit="per 1,000 residents",
            source_ids=("iod2025", "census2021_age"),
            numerator="idaopi_numerator",
            denominator="residents",
            description=(
                "IoD 2025 IDAOPI numerator (people aged 60+ in income-deprived households, "
                "rounded to 5 by MHCLG) per 1,000 Census 2021 usual residents of all ages. Not "
                "a rate among older people: no 60+ denominator from a named source is in the "
                "mirror."
            ),
            polarity="higher_is_worse",
            scale=1000.0,
        )
    ]
