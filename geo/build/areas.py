"""Stockport's areas: LSOAs (2021), wards (May 2023), neighbourhoods (groupings) and the borough.

Every area frame is indexed by its code and has the columns `code`, `name`, `area_type`,
`area_ha` (hectares, computed in EPSG:27700) and `geometry` (EPSG:27700).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from geo.crs import BNG
from geo.errors import SourceError
from geo.sources.ingest import check_same_codes
from geo.vocabulary import BOROUGH_CODE, BOROUGH_NAME


def slugify(name: str) -> str:
    """Make a neighbourhood id from its name: `Heatons & Reddish` -> `heatons-and-reddish`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", " and ")).strip("-")


@dataclass(frozen=True)
class Grouping:
    """Which wards (or LSOAs) form each neighbourhood, read from a small CSV file."""

    member_type: Literal["ward", "lsoa"]
    members: pd.DataFrame
    """Columns: member_code, neighbourhood_id, neighbourhood_name, basis."""
    path: Path


def read_grouping(path: Path, *, ward_codes: set[str], lsoa_codes: set[str]) -> Grouping:
    """Read a neighbourhood grouping of wards (`ward_code`) or of LSOAs (`lsoa_code`).

    Every ward (or LSOA) of Stockport must be in exactly one neighbourhood.
    """
    try:
        raw = pd.read_csv(path, dtype="string")
    except Exception as exc:  # pandas raises several types for unreadable files
        msg = f"{path}: cannot read the neighbourhood grouping: {exc}"
        raise SourceError(msg) from exc
    if "ward_code" in raw.columns:
        member_type: Literal["ward", "lsoa"] = "ward"
        key, expected = "ward_code", ward_codes
    elif "lsoa_code" in raw.columns:
        member_type, key, expected = "lsoa", "lsoa_code", lsoa_codes
    else:
        msg = f"{path}: a grouping needs a column ward_code or lsoa_code; found {list(raw.columns)}"
        raise SourceError(msg)
    if "neighbourhood_name" not in raw.columns:
        msg = f"{path}: missing required column neighbourhood_name"
        raise SourceError(msg)
    if raw["neighbourhood_name"].isna().any():
        rows = [str(i + 2) for i in raw.index[raw["neighbourhood_name"].isna()]]
        msg = f"{path}: empty neighbourhood_name on line(s) {', '.join(rows)}"
        raise SourceError(msg)
    check_same_codes(
        expected,
        raw[key].dropna(),
        expected_name=f"Stockport's {member_type}s",
        found_name=str(path),
    )
    ids = raw["neighbourhood_id"] if "neighbourhood_id" in raw.columns else None
    basis = raw["basis"] if "basis" in raw.columns else None
    members = pd.DataFrame(
        {
            "member_code": raw[key].astype(str),
            "neighbourhood_name": raw["neighbourhood_name"].astype(str),
            "neighbourhood_id": (
                ids.fillna(raw["neighbourhood_name"].map(slugify)).astype(str)
                if ids is not None
                else raw["neighbourhood_name"].map(slugify).astype(str)
            ),
            "basis": basis.fillna("").astype(str) if basis is not None else "",
        }
    )
    names_per_id = members.groupby("neighbourhood_id")["neighbourhood_name"].nunique()
    clash = names_per_id[names_per_id > 1].index.tolist()
    if clash:
        msg = f"{path}: neighbourhood id(s) {clash} are used for more than one name"
        raise SourceError(msg)
    return Grouping(member_type=member_type, members=members, path=path)


def _area_frame(
    codes: pd.Series, names: pd.Series, geometry: gpd.GeoSeries, area_type: str
) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"code": codes.astype(str).to_numpy(), "name": names.astype(str).to_numpy()},
        geometry=gpd.GeoSeries(geometry.to_numpy(), crs=BNG),
        crs=BNG,
    )
    frame.insert(2, "area_type", area_type)
    frame.insert(3, "area_ha", (frame.geometry.area / 10_000).round(4))
    return frame.set_index("code", drop=False).rename_axis(None)


def build_areas(
    *,
    lsoa: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    borough: gpd.GeoDataFrame,
    grouping: Grouping,
) -> dict[str, gpd.GeoDataFrame]:
    """Assemble the four area layers (EPSG:27700) from validated source frames.

    `lsoa` needs LSOA21CD, LSOA21NM, MSOA21CD, WD25CD_BESTFIT; `wards` WD23CD, WD23NM; `borough`
    one row. Neighbourhood geometries are unions of their member wards (or LSOAs).
    """
    lsoa_areas = _area_frame(lsoa["LSOA21CD"], lsoa["LSOA21NM"], lsoa.geometry, "lsoa")
    lsoa_areas["msoa_code"] = lsoa["MSOA21CD"].astype(str).to_numpy()
    lsoa_areas["ward_code_best_fit"] = lsoa["WD25CD_BESTFIT"].astype(str).to_numpy()
    ward_areas = _area_frame(wards["WD23CD"], wards["WD23NM"], wards.geometry, "ward")
    # A ward may receive no best-fit LSOA, so only unknown ward codes are an error.
    unknown = set(lsoa_areas["ward_code_best_fit"]) - set(ward_areas.index)
    if unknown:
        msg = f"LSOA best-fit lookup names ward code(s) not in wards_2023: {sorted(unknown)}"
        raise SourceError(msg)

    members = grouping.members.set_index("member_code")
    if grouping.member_type == "ward":
        ward_areas["neighbourhood_id"] = members.loc[
            ward_areas.index, "neighbourhood_id"
        ].to_numpy()
        lsoa_areas["neighbourhood_id"] = ward_areas.loc[
            lsoa_areas["ward_code_best_fit"], "neighbourhood_id"
        ].to_numpy()
        parts = ward_areas
    else:
        lsoa_areas["neighbourhood_id"] = members.loc[
            lsoa_areas.index, "neighbourhood_id"
        ].to_numpy()
        parts = lsoa_areas
    dissolved = parts[["neighbourhood_id", "geometry"]].dissolve(by="neighbourhood_id")
    info = grouping.members.drop_duplicates("neighbourhood_id").set_index("neighbourhood_id")
    member_lists = parts.groupby("neighbourhood_id")["code"].agg(lambda s: ";".join(sorted(s)))
    hood = _area_frame(
        pd.Series(dissolved.index),
        info.loc[dissolved.index, "neighbourhood_name"],
        dissolved.geometry,
        "neighbourhood",
    )
    hood["member_type"] = grouping.member_type
    hood["members"] = member_lists.loc[hood.index].to_numpy()
    hood["basis"] = info.loc[hood.index, "basis"].to_numpy()

    borough_areas = _area_frame(
        pd.Series([BOROUGH_CODE]), pd.Series([BOROUGH_NAME]), borough.geometry, "borough"
    )
    return {"lsoa": lsoa_areas, "ward": ward_areas, "neighbourhood": hood, "borough": borough_areas}
