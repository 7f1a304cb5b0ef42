"""Load the real local-service layers (pharmacies, post offices, libraries, food banks,
dentists, hospitals) into one schema.

Each published file names its columns its own way (Trafford Data Lab's cuts of NHS, CQC, DCMS
and OS data); :data:`SERVICE_SCHEMAS` maps them explicitly, so a renamed column is a clear
error naming the file and the column. Every frame returned is in EPSG:27700 with the columns
`kind`, `name`, `address`, `postcode`, `details`, `website`, `in_borough`, `source_id`,
`standin` and the geometry as published (points, or OS building polygons for post offices and
hospitals).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import SourceError
from geo.sources.ingest import IngestReport, check_geometry_types, read_vector
from geo.sources.manifest import Source

POINTS_OR_POLYGONS = {"Point", "MultiPoint", "Polygon", "MultiPolygon"}


@dataclass(frozen=True)
class ServiceSchema:
    """Where a service file keeps each field (None: the file has no such field)."""

    kind: str
    name: str
    address: str | None
    postcode: str | None
    website: str | None
    details: tuple[tuple[str, str], ...] = ()
    """(column, label shown before its value)."""


SERVICE_SCHEMAS = {
    "services_pharmacies": ServiceSchema(
        "pharmacy",
        "pharmacy_name",
        "address",
        "postcode",
        None,
        (
            ("organisation_data_service_code", "NHS ODS code"),
            ("opening_hours_monday", "Monday"),
            ("opening_hours_saturday", "Saturday"),
            ("opening_hours_sunday", "Sunday"),
        ),
    ),
    "services_post_offices": ServiceSchema("post_office", "DISTNAME", None, None, None),
    "services_libraries": ServiceSchema(
        "library", "Name", "Address", "Postcode", "Website", (("Type", "Type"),)
    ),
    "services_food_banks": ServiceSchema(
        "food_bank",
        "Name",
        "Address",
        "Postcode",
        "Website",
        (("Referral method", "Referral"), ("Opening times", "Open")),
    ),
    "services_dentists": ServiceSchema("dentist", "name", "address", "postcode", "website"),
    "services_hospitals": ServiceSchema("hospital", "DISTNAME", None, None, None),
}
"""Manifest source id -> the file's column for each field."""

UNNAMED = {"", "Unknown", "nan", "<NA>"}
"""What the OS functional-site files write where a site has no name."""


def _text(frame: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").fillna("").str.strip()


def load_services(path: Path, source: Source, *, report: IngestReport) -> gpd.GeoDataFrame:
    """One service layer in the common schema (EPSG:27700); see the module docstring.

    A site without a name (OS post offices are all "Unknown") is named by its kind.
    """
    try:
        schema = SERVICE_SCHEMAS[source.id]
    except KeyError:
        msg = f"{source.id}: no service schema; expected one of {', '.join(SERVICE_SCHEMAS)}"
        raise SourceError(msg) from None
    frame = read_vector(path, source, report=report)
    wanted = [
        schema.name,
        schema.address,
        schema.postcode,
        schema.website,
        *(column for column, _label in schema.details),
    ]
    missing = [c for c in wanted if c is not None and c not in frame.columns]
    if missing or "in_borough" not in frame.columns:
        listed = ", ".join([*missing, *([] if "in_borough" in frame.columns else ["in_borough"])])
        msg = f"{path}: {source.id} (layer {source.layer!r}) has no column(s) {listed}"
        raise SourceError(msg)
    check_geometry_types(frame, POINTS_OR_POLYGONS, path=path)
    name = _text(frame, schema.name)
    label = schema.kind.replace("_", " ").capitalize()
    details = pd.Series("", index=frame.index, dtype="string")
    for column, shown in schema.details:
        value = _text(frame, column)
        part = (shown + ": " + value).where(value != "", "")
        details = (details + "; " + part).where((details != "") & (part != ""), details + part)
    out = gpd.GeoDataFrame(
        {
            "kind": schema.kind,
            "name": name.where(~name.isin(UNNAMED), label),
            "address": _text(frame, schema.address),
            "postcode": _text(frame, schema.postcode),
            "details": details,
            "website": _text(frame, schema.website),
            "in_borough": frame["in_borough"].astype(bool),
        },
        geometry=frame.geometry,
        crs=frame.crs,
    )
    out["source_id"] = source.id
    out["standin"] = bool(source.standin)
    return out
