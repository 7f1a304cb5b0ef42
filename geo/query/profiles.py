"""Area profiles read from the store: every indicator for one area beside the borough value."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.errors import AmbiguousAreaError, AreaNotFoundError, IndicatorNotFoundError
from geo.indicators.engine import select_methods
from geo.store import StoreContent
from geo.vocabulary import BOROUGH_CODE, parse_area_type, parse_method
from geo.vocabulary import method_label as method_label

PROFILE_COLUMNS = [
    "indicator_id",
    "title",
    "theme",
    "unit",
    "value",
    "ci_low",
    "ci_high",
    "numerator",
    "denominator",
    "borough_value",
    "rank",
    "rank_of",
    "national_decile",
    "polarity",
    "source_id",
    "vintage",
    "method",
    "standin",
    "note",
    "warning",
]


@dataclass(frozen=True)
class AreaRef:
    """An area's type, code and name."""

    area_type: str
    code: str
    name: str


def get_area(store: StoreContent, area_type: str, code: str) -> AreaRef:
    """Look an area up by type and code (neighbourhoods by id); raise if unknown."""
    frame = store.areas[parse_area_type(area_type)]
    if code not in frame.index:
        msg = f"no {area_type} with code {code!r}"
        raise AreaNotFoundError(msg)
    return AreaRef(area_type, code, str(frame.at[code, "name"]))


def find_area(store: StoreContent, query: str, *, area_type: str | None = None) -> AreaRef:
    """Find an area by code, neighbourhood id or name (case-insensitive, then partial match)."""
    types = [area_type] if area_type else ["ward", "neighbourhood", "borough", "lsoa"]
    wanted = query.strip().casefold()
    for matcher in (
        lambda code, _name: code.casefold() == wanted,
        lambda _code, name: name.casefold() == wanted,
        lambda _code, name: wanted in name.casefold(),
    ):
        hits = [
            get_area(store, t, str(code))
            for t in types
            for code, name in zip(store.areas[t]["code"], store.areas[t]["name"], strict=True)
            if matcher(str(code), str(name))
        ]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            listed = "; ".join(f"{h.area_type} {h.code} ({h.name})" for h in hits[:12])
            msg = f"{query!r} matches {len(hits)} areas: {listed}. Give a code or an area type."
            raise AmbiguousAreaError(msg)
    msg = f"no area matches {query!r} (try a ward name such as 'Edgeley' or an ONS code)"
    raise AreaNotFoundError(msg)


def methods_for(store: StoreContent, area_type: str) -> list[str]:
    """Apportionment methods with values for an area type."""
    values = store.values
    return sorted(values.loc[values["area_type"] == area_type, "method"].unique())


def area_profile(
    store: StoreContent, area_type: str, code: str, *, method: str | None = None
) -> pd.DataFrame:
    """Every indicator for one area, with the borough value, rank among peers and provenance.

    `method` is the preferred apportionment for wards and neighbourhoods (default best_fit);
    an indicator without it (LSOAs, the borough, grid, overlay and raster indicators) shows its
    own method, named in each row.
    """
    get_area(store, area_type, code)
    method = parse_method(method)
    values = store.values
    rows = select_methods(
        values[(values["area_type"] == area_type) & (values["area_code"] == code)],
        requested=method,
    )
    borough = values[(values["area_type"] == "borough") & (values["area_code"] == BOROUGH_CODE)]
    borough_value = borough.set_index("indicator_id")["value"].rename("borough_value")
    catalogue = store.catalogue.set_index("id")[["title", "theme", "warning"]]
    profile = rows.join(borough_value, on="indicator_id").join(catalogue, on="indicator_id")
    order = {i: n for n, i in enumerate(store.catalogue["id"])}
    profile = profile.sort_values("indicator_id", key=lambda s: s.map(order))
    return profile[PROFILE_COLUMNS].reset_index(drop=True)


def indicator_rows(
    store: StoreContent, area_type: str, indicator_id: str, *, area_types: tuple[str, ...]
) -> pd.DataFrame:
    """The shown record of an indicator for every area of a type (index: area code).

    `area_types` are the types the caller can show (maps draw LSOAs, wards, neighbourhoods).
    """
    if area_type not in area_types:
        msg = f"no maps for {area_type!r}: maps are drawn for {', '.join(area_types)}"
        raise AreaNotFoundError(msg)
    store.indicator(indicator_id)
    values = store.values
    rows = values[(values["indicator_id"] == indicator_id) & (values["area_type"] == area_type)]
    if rows.empty:
        msg = f"indicator {indicator_id!r} has no values for {area_type}"
        raise IndicatorNotFoundError(msg)
    return select_methods(rows).set_index("area_code")
