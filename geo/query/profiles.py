"""Area profiles read from the store: every indicator for one area beside the borough value."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.errors import AmbiguousAreaError, AreaNotFoundError, IndicatorNotFoundError
from geo.indicators.engine import select_methods
from geo.query.precision import display_count, is_estimated
from geo.query.search import SearchIndex, clear_winner, normalise
from geo.store import StoreContent
from geo.vocabulary import OLDER_VINTAGE_THEME, parse_area_type, parse_method
from geo.vocabulary import method_label as method_label

COMPARATOR_COLUMNS = [
    "gm_value",
    "england_value",
    "gm_rank",
    "gm_rank_of",
    "gm_rank_meaning",
    "comparator_basis",
]
"""Profile columns that come from the store's England and Greater Manchester comparators."""

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
    "rank_tied",
    "national_decile",
    "england_percentile",
    *COMPARATOR_COLUMNS,
    "display_value",
    "estimated",
    "polarity",
    "source_id",
    "vintage",
    "method",
    "standin",
    "headline",
    "licence",
    "attribution",
    "note",
    "warning",
]
"""Columns of a profile row. `display_value` is the value as shown to people (people counts
rounded, estimates rounded to 10 or 50); `headline` marks the figure that leads its theme (real
data before stand-ins)."""


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


def code_for_name(store: StoreContent, area_type: str, text: str) -> str | None:
    """The code of the one area of `area_type` whose name is `text` (forgiving case and
    punctuation: "heatons-north" is Heatons North), or None."""
    frame = store.areas[parse_area_type(area_type)]
    wanted = normalise(text.replace("_", " "))  # normalise already reads "-" as a space
    codes = [
        str(c)
        for c, n in zip(frame["code"], frame["name"], strict=True)
        if normalise(str(n)) == wanted
    ]
    return codes[0] if len(codes) == 1 else None


def find_area(store: StoreContent, query: str, *, area_type: str | None = None) -> AreaRef:
    """Find an area by code, neighbourhood id or name: exactly (forgiving case and punctuation,
    as the search does), then by part of a name, then the search's clear fuzzy winner
    ("brinington"); else :class:`AreaNotFoundError` with the closest names."""
    types = [area_type] if area_type else ["ward", "neighbourhood", "borough", "lsoa"]
    wanted = normalise(query)
    for matcher in (
        lambda code, _name: code.casefold() == query.strip().casefold(),
        lambda _code, name: normalise(name) == wanted,
        lambda _code, name: bool(wanted) and wanted in normalise(name),
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
    index = SearchIndex.from_store(store)
    areas = [h for h in index.search(query) if h.kind in types]
    winner = clear_winner(areas)
    if winner is not None:
        return get_area(store, winner.kind, winner.code)
    near = [h for h in index.suggestions(query, limit=10) if h.kind in types][:5]
    hint = (
        "; did you mean " + ", ".join(f"{h.name} ({h.kind} {h.code})" for h in near) + "?"
        if near
        else " (try a ward name such as 'Edgeley' or an ONS code)"
    )
    msg = f"no area matches {query!r}{hint}"
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
    rows = select_methods(store.values_of(area_type, code), requested=method)
    borough_value = store.borough_values.rename("borough_value")
    catalogue = store.catalogue.set_index("id")[["title", "theme", "warning"]]
    profile = rows.join(borough_value, on="indicator_id").join(catalogue, on="indicator_id")
    profile = profile.join(comparators_of(store), on="indicator_id")
    estimated = [
        is_estimated(str(i), str(u), str(m))
        for i, u, m in zip(profile["indicator_id"], profile["unit"], profile["method"], strict=True)
    ]
    profile["estimated"] = estimated
    profile["display_value"] = [
        display_count(v, area_type=area_type, estimated=e) if u == "persons" else v
        for v, u, e in zip(profile["value"], profile["unit"], estimated, strict=True)
    ]
    licences = store.indicator_licences
    profile["licence"] = profile["indicator_id"].map(lambda i: licences[i][0])
    profile["attribution"] = profile["indicator_id"].map(lambda i: licences[i][1])
    return order_by_theme(profile, list(store.catalogue["id"]))[PROFILE_COLUMNS]


def comparators_of(store: StoreContent) -> pd.DataFrame:
    """England and GM values per indicator (index: indicator id), as profile columns."""
    table = store.comparators
    columns = COMPARATOR_COLUMNS
    if table.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="indicator_id"))
    return table.rename(columns={"basis": "comparator_basis"}).set_index("indicator_id")[columns]


def order_by_theme(profile: pd.DataFrame, catalogue_order: list[str]) -> pd.DataFrame:
    """Themes in catalogue order (the older IoD 2019 vintage last); inside a theme, real
    figures before stand-ins. The first row of each theme is its headline."""
    order = {i: n for n, i in enumerate(catalogue_order)}
    position = profile["indicator_id"].map(order)
    first = position.groupby(profile["theme"]).transform("min")
    first = first.where(profile["theme"] != OLDER_VINTAGE_THEME, len(order) + 1)
    ordered = profile.assign(_theme=first, _pos=position).sort_values(
        ["_theme", "standin", "_pos"], kind="stable"
    )
    ordered["headline"] = ~ordered["theme"].duplicated()
    return ordered.drop(columns=["_theme", "_pos"]).reset_index(drop=True)


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


PEOPLE_DENOMINATORS = ("residents", "residents_grid", "age_65_plus", "aged_65_plus_grid")


def for_people(profile: pd.DataFrame, store: StoreContent, *, area_type: str) -> pd.DataFrame:
    """A profile for a table meant for people (CSV): people counts as shown (whole, estimates
    rounded), and the numerators and denominators that count people rounded the same way."""
    table = profile.copy()
    table["value"] = table["display_value"]
    for position, row in table.iterrows():
        definition = store.definitions.get(str(row["indicator_id"]))
        if definition is None:
            continue
        counts_people = definition.unit == "persons" or (
            definition.denominator in PEOPLE_DENOMINATORS
        )
        if not counts_people:
            continue
        for column in ("numerator", "denominator"):
            if definition.kind == "mean" and column == "numerator":
                continue  # weight x value, not a count of people
            table.at[position, column] = display_count(
                row[column], area_type=area_type, estimated=bool(row["estimated"])
            )
    return table.drop(columns=["display_value"])
