"""Find areas and services by name or code, forgiving case, punctuation and small typos.

The index holds every ward, neighbourhood, LSOA and the borough (by name and code) and every
named service (pharmacies, libraries, ...). Matching works on normalised words (lower case,
"&" as "and", apostrophes dropped, other punctuation as spaces): a code or a whole name that
matches exactly scores 100; otherwise each word of the query is matched to the closest word of
the name (rapidfuzz's edit-distance ratio, a prefix of three letters or more counting 95), the
mean is scaled by how much of the name the query covers, and services and LSOAs give way to
wards and neighbourhoods of the same score (people mostly look for their area).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from rapidfuzz import fuzz

from geo.query.services import service_layers
from geo.store import StoreContent
from geo.vocabulary import AREA_TYPE_LABELS, SERVICE_KINDS

STOPWORDS = frozenset({"and", "the", "of"})
MATCH_SCORE = 75.0
"""Scores from here up are results; lower ones are only offered as suggestions."""
SUGGESTION_SCORE = 50.0
KIND_WEIGHT = {
    "ward": 1.0,
    "neighbourhood": 1.0,
    "borough": 1.0,
    "place": 0.95,
    "lsoa": 0.97,
    "service": 0.9,
}
"""Fuzzy scores are multiplied by these, so areas win ties against services and LSOAs."""
ENTRY_COLUMNS = ["kind", "code", "name", "label", "path"]
KIND_ORDER = {"ward": 0, "neighbourhood": 1, "borough": 2, "place": 3, "service": 4, "lsoa": 5}
NAMES_LAYER = "os_open_names"
"""The optional OS Open Names layer: places, roads and postcode districts, each opening the
profile of the ward it lies in."""


def normalise(text: str) -> str:
    """Lower case, "&" as "and", apostrophes dropped, other punctuation as spaces."""
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"['’`]", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w not in STOPWORDS] or text.split()


@dataclass(frozen=True)
class SearchHit:
    """One match: what it is, its code, name, a short description, its page and its score."""

    kind: str
    code: str
    name: str
    label: str
    path: str
    score: float


class SearchIndex:
    """Names and codes of the store's areas and services, ready to search."""

    def __init__(self, entries: pd.DataFrame) -> None:
        """`entries`: columns kind, code, name, label, path (one row per findable thing)."""
        self.entries = entries.reset_index(drop=True)
        self._names = [normalise(str(n)) for n in self.entries["name"]]
        self._words = [_words(n) for n in self._names]
        self._codes = [str(c).casefold() for c in self.entries["code"]]

    @classmethod
    def empty(cls) -> SearchIndex:
        """An index that finds nothing."""
        return cls(pd.DataFrame(columns=ENTRY_COLUMNS))

    @classmethod
    def from_store(cls, store: StoreContent) -> SearchIndex:
        """Every area (profile pages) and every named service (its feature page)."""
        rows = []
        for area_type, frame in store.areas.items():
            for code, name in zip(frame["code"], frame["name"], strict=True):
                rows.append(
                    {
                        "kind": area_type,
                        "code": str(code),
                        "name": str(name),
                        "label": f"{AREA_TYPE_LABELS[area_type]} {code}",
                        "path": f"/profiles/{area_type}/{code}?f=html",
                    }
                )
        wards = store.areas["ward"]
        for layer_id, frame in service_layers(store).items():
            places = frame.geometry.representative_point()
            ward_of = _containing(wards, places)
            for position, (fid, kind, name) in enumerate(
                zip(frame["feature_id"], frame["kind"], frame["name"], strict=True)
            ):
                singular = SERVICE_KINDS.get(str(kind), (str(kind), ""))[0]
                if normalise(str(name)) == normalise(singular):
                    continue  # unnamed sites ("Post office") are found through their area
                where = ward_of[position]
                rows.append(
                    {
                        "kind": "service",
                        "code": str(fid),
                        "name": str(name),
                        "label": singular.capitalize() + (f" in {where} ward" if where else ""),
                        "path": f"/collections/{layer_id}/items/{fid}?f=html",
                    }
                )
        names = store.features.get(NAMES_LAYER)
        if names is not None and len(names):
            ward_codes = _containing(wards, names.geometry, column="code")
            ward_names = _containing(wards, names.geometry)
            for name, local_type, code, ward in zip(
                names["name"], names["local_type"], ward_codes, ward_names, strict=True
            ):
                if code:
                    rows.append(
                        {
                            "kind": "place",
                            "code": str(name),
                            "name": str(name),
                            "label": f"{local_type} in {ward} ward",
                            "path": f"/profiles/ward/{code}?f=html",
                        }
                    )
        entries = pd.DataFrame(rows, columns=ENTRY_COLUMNS)
        hospitals = entries["label"].str.startswith("Hospital")
        entries = pd.concat(
            [entries[~hospitals], entries[hospitals].drop_duplicates("name")], ignore_index=True
        )
        return cls(entries)

    def score(self, query: str) -> list[float]:
        """The score (0-100) of every entry for `query`."""
        wanted = normalise(query)
        if not wanted:
            return [0.0] * len(self.entries)
        words = _words(wanted)
        scores = []
        for name, name_words, code, kind in zip(
            self._names, self._words, self._codes, self.entries["kind"], strict=True
        ):
            if wanted in (code, name):
                scores.append(100.0)
                continue
            best = []
            covered = set()
            for word in words:
                ratios = [
                    95.0 if len(word) >= 3 and n.startswith(word) else fuzz.ratio(word, n)
                    for n in name_words
                ]
                top = max(ratios)
                best.append(top)
                if top >= 80:
                    covered.add(ratios.index(top))
            coverage = len(covered) / len(name_words)
            base = sum(best) / len(best)
            scores.append(base * (0.85 + 0.15 * coverage) * KIND_WEIGHT[str(kind)])
        return scores

    def search(
        self, query: str, *, limit: int = 10, minimum: float = MATCH_SCORE
    ) -> list[SearchHit]:
        """The best matches from `minimum` up, best first (areas before services on ties)."""
        scored = self.entries.assign(score=self.score(query))
        scored = scored[scored["score"] >= minimum]
        scored = scored.assign(
            _rounded=-scored["score"].round(1), _order=scored["kind"].map(KIND_ORDER)
        ).sort_values(["_rounded", "_order", "name"], kind="stable")
        top = scored.head(limit)
        return [
            SearchHit(kind=k, code=c, name=n, label=lab, path=p, score=round(float(v), 1))
            for k, c, n, lab, p, v in zip(
                top["kind"].astype(str),
                top["code"].astype(str),
                top["name"].astype(str),
                top["label"].astype(str),
                top["path"].astype(str),
                top["score"].to_numpy(dtype=float),
                strict=True,
            )
        ]

    def suggestions(self, query: str, *, limit: int = 5) -> list[SearchHit]:
        """Near misses for a query with no result (from :data:`SUGGESTION_SCORE` up)."""
        return self.search(query, limit=limit, minimum=SUGGESTION_SCORE)


def clear_winner(hits: list[SearchHit], *, margin: float = 3.0) -> SearchHit | None:
    """The hit a person surely meant: the only result, or the top one when it scores 80 or
    more and is `margin` ahead of the next."""
    if len(hits) == 1:
        return hits[0]
    if not hits or hits[0].score < 80:
        return None
    if len(hits) > 1 and hits[0].score - hits[1].score < margin:
        return None
    return hits[0]


def _containing(
    areas: gpd.GeoDataFrame, points: gpd.GeoSeries, *, column: str = "name"
) -> list[str]:
    """The `column` of the area holding each point ("" outside them all)."""
    frame = gpd.GeoDataFrame(geometry=areas.geometry.reset_index(drop=True), crs=areas.crs)
    names = areas[column].astype(str).to_numpy()
    found = [""] * len(points)
    hits = frame.sindex.query(gpd.GeoSeries(points.to_numpy(), crs=areas.crs), predicate="within")
    for point_position, area_position in zip(hits[0], hits[1], strict=True):
        found[int(point_position)] = str(names[int(area_position)])
    return found
