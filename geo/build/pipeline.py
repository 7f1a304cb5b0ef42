"""The build pipeline: read and validate sources, compute indicators, write the store."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.apportion import area_weights, best_fit_weights, compose
from geo.build.areas import Grouping, build_areas, read_grouping
from geo.build.environment_step import (
    as_feature_layer,
    environment_records,
    feature_layers,
    load_layers,
)
from geo.build.services import (
    load_service_layers,
    load_streets,
    service_feature_layers,
    services_inputs,
    services_records,
)
from geo.errors import SourceError, SourceMissingError
from geo.indicators.catalogue import IndicatorDef, catalogue_frame
from geo.indicators.comparators import (
    comparator_table,
    england_percentiles,
    lsoa_inputs_from_tables,
    lsoa_values,
    official_standing,
)
from geo.indicators.deprivation import (
    deprivation_indicators,
    deprivation_inputs,
    map_iod2019_to_lsoa21,
)
from geo.indicators.engine import compute_records, select_methods
from geo.indicators.environment import age_friendly_indicators
from geo.indicators.output_areas import lsoa_ward_weights, output_area_inputs, ward_code_column
from geo.indicators.population import population_indicators, population_inputs
from geo.indicators.population_basis import calibrate_grid_records, population_table
from geo.indicators.real_environment import (
    REAL_ENVIRONMENT_SOURCES,
    intensive_weights_by_largest_share,
    postcode_weights,
    real_environment_indicators,
    real_environment_inputs,
)
from geo.sources.ingest import IngestReport, check_same_codes, read_table, read_vector
from geo.sources.manifest import Source, load_manifest, locate, project_data_dir
from geo.sources.open_names import read_open_names
from geo.store import STORE_VERSION, StoreContent, info_json, write_store
from geo.store.schema import split_list
from geo.vocabulary import (
    ACCESSIBLE_GREENSPACE_FUNCTIONS,
    BOROUGH_CODE,
    DEFAULT_METHOD,
    METHOD_LABELS,
)

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(step_name, step_number, step_count)`` before each step."""

STEPS = (
    "read boundaries",
    "read tables",
    "areas",
    "apportionment",
    "indicators",
    "read layers",
    "environment",
    "services",
    "one population",
    "comparators",
    "write store",
)


@dataclass
class BuildReport:
    """What a build did: step timings (seconds), ingest notes and headline counts."""

    store_path: Path
    timings: dict[str, float] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        """Sum of the step timings."""
        return sum(self.timings.values())


def default_grouping_path() -> Path:
    """The working-definition neighbourhood grouping shipped in `data/boundaries/`."""
    return project_data_dir() / "boundaries" / "neighbourhoods_working_definition.csv"


PROGRAMMES = project_data_dir() / "boundaries" / "age_friendly_programmes.csv"


def programme_status(period: str, *, year: int) -> str:
    """The period as published, with "ended" when its last year is before `year`
    ("Winter 2020 to 31 Dec 2021" in 2026 -> "ended: Winter 2020 to 31 Dec 2021")."""
    end = period.split(" to ")[-1] if " to " in period else ""
    years = re.findall(r"\b(?:19|20)\d\d\b", end)
    return f"ended: {period}" if years and int(years[-1]) < year else period


def programmes_by_ward(ward_codes: pd.Index, *, year: int) -> list[str]:
    """Named age-friendly programmes per ward with their dates, from
    `data/boundaries/age_friendly_programmes.csv` (ward codes there are inferred from place
    names, as the file says); a programme whose period ended before `year` says so."""
    table = pd.read_csv(PROGRAMMES, dtype="string")
    names: dict[str, list[str]] = {}
    for row in table.itertuples():
        when = programme_status(str(row.period), year=year)
        for code in split_list(row.ward_codes):
            names.setdefault(code, []).append(
                f"{row.programme} ({row.area_name}; {when}; ward inferred)"
            )
    return ["; ".join(names.get(code, [])) for code in ward_codes]


def check_best_fit_lookup(lsoa: pd.DataFrame, lookup: pd.DataFrame) -> None:
    """Stop unless the LSOA layer's best-fit ward columns agree with the ONS lookup."""
    layer = lsoa.set_index("LSOA21CD")["WD25CD_BESTFIT"].astype(str)
    table = lookup.set_index("LSOA21CD")["WD25CD_BESTFIT"].astype(str).reindex(layer.index)
    differ = layer.index[layer != table]
    if len(differ):
        msg = (
            f"the LSOA layer's best-fit wards disagree with the ONS lookup for {len(differ)} "
            f"LSOA(s), e.g. {differ[0]}: {layer[differ[0]]} vs {table[differ[0]]}"
        )
        raise SourceError(msg)


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


NAMES_SOURCE = "os_open_names"


def place_names(
    path_of: Callable[[str], tuple[Path, Source]], borough: gpd.GeoDataFrame
) -> dict[str, gpd.GeoDataFrame]:
    """The optional OS Open Names inside the borough as a feature layer (for the search), or
    nothing when the file is absent."""
    try:
        path, source = path_of(NAMES_SOURCE)
    except SourceMissingError:
        return {}
    frame = read_open_names(path, source, within=borough.geometry.iloc[0])
    return {NAMES_SOURCE: as_feature_layer(frame, NAMES_SOURCE)}


def output_area_weights(
    path_of: Callable[[str], tuple[Path, Source]], *, wards: set[str]
) -> pd.DataFrame | None:
    """LSOA -> ward weights from Output Areas, or None when the optional files are absent."""
    try:
        located = {sid: path_of(sid) for sid in OUTPUT_AREA_SOURCES}
    except SourceMissingError:
        return None
    tables = {sid: read_table(*found) for sid, found in located.items()}
    people = output_area_inputs(tables["census2021_oa_age"])["residents"]
    lsoa_of = tables["oa21_lsoa21_lookup"].set_index("OA21CD")["LSOA21CD"].astype(str)
    ward_lookup = tables["oa21_ward_lookup"]
    ward_of = ward_lookup.set_index("OA21CD")[ward_code_column(ward_lookup)].astype(str)
    return lsoa_ward_weights(people, lsoa_of, ward_of, wards=wards)


def _weights(
    areas: dict[str, gpd.GeoDataFrame],
    grouping: Grouping,
    output_areas: pd.DataFrame | None = None,
) -> dict[tuple[str, str], pd.DataFrame]:
    lsoa, ward = areas["lsoa"], areas["ward"]
    identity = pd.Series(lsoa.index, index=lsoa.index)
    weights = {
        ("lsoa", "lsoa"): best_fit_weights(identity),
        ("ward", "best_fit"): best_fit_weights(lsoa["ward_code_best_fit"]),
        ("ward", "area_weighted"): area_weights(lsoa, ward)[["source", "target", "weight"]],
    }
    methods = ["best_fit", "area_weighted"]
    if output_areas is not None:
        weights[("ward", "output_areas")] = output_areas
        methods.append("output_areas")
    if grouping.member_type == "ward":
        hood_of_ward = ward["neighbourhood_id"]
        for method in methods:
            weights[("neighbourhood", method)] = compose(weights[("ward", method)], hood_of_ward)
    else:
        weights[("neighbourhood", "lsoa_grouping")] = best_fit_weights(lsoa["neighbourhood_id"])
    weights[("borough", "all_lsoas")] = best_fit_weights(pd.Series(BOROUGH_CODE, index=lsoa.index))
    return weights


def _wide(records: pd.DataFrame, area_type: str) -> pd.DataFrame:
    """Indicator values of one area type as columns (one method per indicator)."""
    subset = select_methods(records[records["area_type"] == area_type])
    return subset.pivot(index="area_code", columns="indicator_id", values="value")


ROLES = {
    "lsoa21_ward_lookup": "read: checked against the best-fit ward columns of the LSOA layer",
    "iod2025_england": "read: England and Greater Manchester comparators",
    "census2021_england": "read: comparators (weights of England's means)",
    "iod2025_lad_summaries": "read: the borough's published standing",
    "gm_lsoa21_lookup": "read: which LSOAs make up Greater Manchester's boroughs",
    "services_hospitals": "read: a collection and a map layer (no walking reach measured)",
}
"""How a source is used, where it is more than "read: indicators"."""

UNUSED = {
    "os_open_greenspace_access_points": (
        "not read: the stand-in access points are these real points with synthetic site "
        "references (its attribution is carried by the stand-ins)"
    ),
    "aqma": "not read: no indicator uses air quality management areas yet",
}


def _provenance(
    sources: list[Source], paths: dict[str, Path], project_files: list[tuple[str, str, Path]]
) -> pd.DataFrame:
    """One row per source: who publishes it, its licence and attribution, whether the build
    read it (and how), the official URL and the URL of the file actually read, its checksum.

    `project_files`: (id, title, path) of the project's own inputs (neighbourhood grouping,
    programme list), listed too.
    """
    rows = []
    for s in sources:
        path = paths.get(s.id)
        if path is not None:
            role = ROLES.get(s.id, "read: comparators" if s.id.endswith("_england") else "read")
        elif s.optional:
            role = "optional, not present: " + (s.notes or "used when present")
        else:
            role = UNUSED.get(s.id, "not read")
        rows.append(
            {
                "source_id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "licence": s.licence,
                "attribution": s.attribution,
                "vintage": s.vintage,
                "standin": s.standin,
                "url": s.url,
                "url_confidence": s.url_confidence,
                "file": s.file,
                "read_url": path.resolve().as_uri() if path else "",
                "used": path is not None,
                "role": role,
                "sha256": sha256_of(path) if path else "",
                "bytes": path.stat().st_size if path else 0,
            }
        )
    for source_id, title, path in project_files:
        rows.append(
            {
                "source_id": source_id,
                "title": title,
                "publisher": "this project (data/boundaries/README.md)",
                "licence": "as the project",
                "attribution": "",
                "vintage": "",
                "standin": False,
                "url": "",
                "url_confidence": "",
                "file": path.name,
                "read_url": path.resolve().as_uri(),
                "used": True,
                "role": "read: a working definition written for this project, not a publication",
                "sha256": sha256_of(path),
                "bytes": path.stat().st_size,
            }
        )
    return pd.DataFrame(rows)


OUTPUT_AREA_SOURCES = ("census2021_oa_age", "oa21_lsoa21_lookup", "oa21_ward_lookup")
"""Optional: with all three, wards get exact resident totals (method `output_areas`)."""

ENGLAND_ENVIRONMENT = {sid: f"{sid}_england" for sid in REAL_ENVIRONMENT_SOURCES}


def _comparators(
    defs: list[IndicatorDef],
    records: pd.DataFrame,
    path_of: Callable[[str], tuple[Path, Source]],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """England and GM comparators, each record's England percentile and the official standing."""
    environment = {sid: read_table(*path_of(eng)) for sid, eng in ENGLAND_ENVIRONMENT.items()}
    england = lsoa_inputs_from_tables(
        census=read_table(*path_of("census2021_england")),
        iod2025=read_table(*path_of("iod2025_england")),
        environment=environment,
        environment_weights=postcode_weights(
            read_table(*path_of("lsoa11_to_lsoa21_postcodes_england"))
        ),
    )
    gm = read_table(*path_of("gm_lsoa21_lookup")).set_index("LSOA21CD")["LAD22CD"]
    table = comparator_table(
        defs, england, borough_of_gm_lsoa=gm.astype(str), borough_code=BOROUGH_CODE
    )
    percentiles = england_percentiles(records, lsoa_values(defs, england))
    borough = select_methods(records[records["area_type"] == "borough"])
    service = dict(zip(borough["indicator_id"], borough["value"].astype(float), strict=True))
    lsoas = sum(service.get(f"lsoas_in_imd2025_decile_{k}", 0.0) for k in range(1, 11))
    if lsoas:
        service["share_lsoas_imd2025_decile_1"] = (
            service.get("lsoas_in_imd2025_decile_1", float("nan")) / lsoas
        )
    summaries = read_table(*path_of("iod2025_lad_summaries"))
    standing = official_standing(summaries, borough_code=BOROUGH_CODE, service_values=service)
    return table, standing, percentiles


class _Steps:
    def __init__(self, report: BuildReport, progress: ProgressCallback | None) -> None:
        self.report, self.progress, self.number = report, progress, 0

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.number += 1
        if self.progress:
            self.progress(name, self.number, len(STEPS))
        start = time.perf_counter()
        yield
        self.report.timings[name] = time.perf_counter() - start


def build_store(
    *,
    store_path: Path,
    mirror: Path | None,
    cache: Path | None = None,
    grouping_path: Path | None = None,
    manifest_path: Path | None = None,
    progress: ProgressCallback | None = None,
    accessible_functions: tuple[str, ...] = ACCESSIBLE_GREENSPACE_FUNCTIONS,
) -> BuildReport:
    """Build the store from the cache or mirror folder; the old store survives any failure.

    Parameters
    ----------
    store_path
        The GeoPackage to (re)write atomically.
    mirror, cache
        Folders holding the source files (`file` of each manifest entry); the cache wins.
    grouping_path
        Neighbourhood grouping CSV (of wards or LSOAs); default: the working definition.
    accessible_functions
        OS Open Greenspace functions counted as accessible green space (default: parks and
        gardens, play spaces, playing fields, religious grounds and cemeteries).
    """
    manifest = load_manifest(manifest_path)
    report = BuildReport(store_path=Path(store_path))
    steps = _Steps(report, progress)
    ingest = IngestReport()
    paths: dict[str, Path] = {}

    def path_of(source_id: str) -> tuple[Path, Source]:
        source = manifest[source_id]
        paths[source_id] = locate(source, mirror=mirror, cache=cache)
        return paths[source_id], source

    with steps.step("read boundaries"):
        frames = {
            sid: read_vector(*path_of(sid), report=ingest)
            for sid in ("lsoa_2021", "wards_2023", "borough_2023")
        }
    with steps.step("read tables"):
        tables = {
            sid: read_table(*path_of(sid))
            for sid in ("iod2025", "census2021_age", "iod2019", "lsoa11_to_lsoa21")
        }
        lsoa_codes = frames["lsoa_2021"]["LSOA21CD"].astype(str)
        for sid, column in (("iod2025", "lsoa21cd"), ("census2021_age", "lsoa21cd")):
            check_same_codes(
                lsoa_codes,
                tables[sid][column].astype(str),
                expected_name="lsoa_2021",
                found_name=f"{paths[sid]}",
            )
        check_same_codes(
            lsoa_codes,
            tables["lsoa11_to_lsoa21"]["LSOA21CD"].unique(),
            expected_name="lsoa_2021",
            found_name=f"{paths['lsoa11_to_lsoa21']}",
        )
        check_best_fit_lookup(frames["lsoa_2021"], read_table(*path_of("lsoa21_ward_lookup")))
        lsoa11_codes = tables["lsoa11_to_lsoa21"]["LSOA11CD"].astype(str).unique()
        for sid in REAL_ENVIRONMENT_SOURCES:
            tables[sid] = read_table(*path_of(sid))
            check_same_codes(
                lsoa11_codes,
                tables[sid]["lsoa11cd"].astype(str),
                expected_name="the 2011 LSOAs of the 2011-2021 lookup",
                found_name=f"{paths[sid]}",
            )
    with steps.step("areas"):
        grouping_file = Path(grouping_path) if grouping_path else default_grouping_path()
        grouping = read_grouping(
            grouping_file,
            ward_codes=set(frames["wards_2023"]["WD23CD"].astype(str)),
            lsoa_codes=set(lsoa_codes),
        )
        areas = build_areas(
            lsoa=frames["lsoa_2021"],
            wards=frames["wards_2023"],
            borough=frames["borough_2023"],
            grouping=grouping,
        )
    with steps.step("apportionment"):
        output_areas = output_area_weights(path_of, wards=set(areas["ward"].index))
        weights = _weights(areas, grouping, output_areas)
    with steps.step("indicators"):
        population = population_inputs(tables["census2021_age"])
        iod2019 = map_iod2019_to_lsoa21(tables["iod2019"], tables["lsoa11_to_lsoa21"])
        deprivation = deprivation_inputs(tables["iod2025"], population["residents"], iod2019)
        env_weights = intensive_weights_by_largest_share(
            tables["lsoa11_to_lsoa21"],
            lsoa21="LSOA21CD",
            lsoa11="LSOA11CD",
            share_of_lsoa21="share_of_lsoa21",
            share_of_lsoa11="share_of_lsoa11",
        )
        real_env = real_environment_inputs(tables, env_weights, population["residents"])
        inputs = population.join(deprivation).join(real_env)
        defs: list[IndicatorDef] = (
            population_indicators()
            + deprivation_indicators()
            + real_environment_indicators()
            + age_friendly_indicators()
        )
        vintages = {s.id: s.vintage for s in manifest.values()}
        standins = {s.id for s in manifest.values() if s.standin}
        records = compute_records(
            defs, inputs, weights, vintages=vintages, standin_sources=standins
        )
    with steps.step("read layers"):
        minx, miny, maxx, maxy = (float(b) for b in areas["borough"].total_bounds)
        layers = load_layers(path_of, bounds=(minx, miny, maxx, maxy), report=ingest)
    with steps.step("environment"):
        deprived = set(inputs.index[inputs["imd_decile"] <= 2])
        env_records, env_defs, env_inputs, grid_totals, not_computable = environment_records(
            areas,
            layers,
            counts=inputs[["residents", "age_65_plus"]],
            deprived_lsoas=deprived,
            member_type=grouping.member_type,
            vintages=vintages,
            standins=standins,
            accessible_functions=accessible_functions,
            greenspace_reach_m=manifest["greenspace_sites"].reach_beyond_borough_m,
        )
        records = pd.concat([records, env_records], ignore_index=True)
        defs += env_defs
    with steps.step("services"):
        services = load_service_layers(path_of, report=ingest)
        streets = load_streets(path_of, report=ingest)
        service_tables = services_inputs(
            areas,
            layers,
            services,
            counts=inputs[["residents", "age_65_plus"]],
            member_type=grouping.member_type,
            streets=streets,
        )
        service_records, service_defs, service_totals = services_records(
            service_tables, vintages=vintages, standins=standins, along_streets=streets is not None
        )
        records = pd.concat([records, service_records], ignore_index=True)
        defs += service_defs
    with steps.step("one population"):
        grid_totals = grid_totals.join(service_totals)
        records = calibrate_grid_records(records, defs, grid_totals)
        populations = population_table(records, grid_totals)
        inputs = inputs.join(env_inputs).join(service_tables["lsoa"])
        for area_type, frame in areas.items():
            basis = populations.xs(area_type).reindex(frame.index)
            areas[area_type] = frame.join(basis).join(_wide(records, area_type), how="left")
        areas["ward"]["age_friendly_programmes"] = programmes_by_ward(
            areas["ward"].index, year=datetime.now(UTC).year
        )
    with steps.step("comparators"):
        comparators, standing, records["england_percentile"] = _comparators(defs, records, path_of)
    with steps.step("write store"):
        weight_table = pd.concat(
            [w.assign(area_type=a, method=m) for (a, m), w in weights.items() if a != "lsoa"],
            ignore_index=True,
        )
        info = {
            "store_version": STORE_VERSION,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "default_method": DEFAULT_METHOD.value,
            "method_labels": info_json(METHOD_LABELS),
            "neighbourhood_grouping": grouping_file.name,
            "accessible_greenspace_functions": info_json(list(accessible_functions)),
            "not_computable": info_json(not_computable),
            "services_distance": "along streets" if streets is not None else "straight line",
            "neighbourhood_member_type": grouping.member_type,
            "neighbourhood_basis": "; ".join(sorted(set(grouping.members["basis"]) - {""})),
            "ingest_messages": info_json(ingest.messages),
        }
        content = StoreContent(
            areas=areas,
            values=records,
            catalogue=catalogue_frame(defs, vintages=vintages, standin_sources=standins),
            provenance=_provenance(
                list(manifest.values()),
                paths,
                [
                    (
                        "neighbourhood_grouping",
                        "Neighbourhood grouping (working definition)",
                        grouping_file,
                    ),
                    ("age_friendly_programmes", "Named age-friendly programme areas", PROGRAMMES),
                ],
            ),
            weights=weight_table,
            lsoa_inputs=inputs,
            info=info,
            features={
                **feature_layers(layers),
                **service_feature_layers(services),
                **place_names(path_of, areas["borough"]),
            },
            comparators=comparators,
            official_standing=standing,
        )
        write_store(content, report.store_path)
    report.messages = ingest.messages
    report.counts = {f"{a}_areas": len(f) for a, f in areas.items()}
    report.counts["indicators"] = len(defs)
    report.counts["records"] = len(records)
    return report
