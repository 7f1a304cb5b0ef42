"""The profile's tables: the headline block of key figures, the themes (each figure with its
definition), and the numbered list of sources the rows point to."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

import pandas as pd

from geo.store import StoreContent
from geo.vocabulary import METHOD_LABELS, OLDER_VINTAGE_THEME
from maps.format import england_position, format_ci, format_rank, format_value, missing
from maps.html import STANDIN_MARK

Row = Mapping[Hashable, Any]
"""One profile row (a record of :func:`geo.query.profiles.area_profile`'s frame)."""

KEY_FIGURES: tuple[tuple[str, ...], ...] = (
    ("residents",),
    ("share_aged_65_plus",),
    ("imd2025_score_pop_weighted", "imd2025_score"),
    ("income_deprivation_rate",),
    ("share_residents_imd2025_most_deprived_10pct",),
    ("tree_canopy_share",),
    ("surface_water_1in100_share_of_land",),
    ("households_gs_access_local",),
    ("share_residents_within_800m_pharmacy",),
    ("share_residents_within_800m_food_bank",),
    ("summer_max_temperature_rcp85_2040_2060",),
)
"""The headline block: the first indicator of each tuple the profile has (an LSOA has its
published IMD score, larger areas a population-weighted one)."""

THEME_INTROS = {
    OLDER_VINTAGE_THEME: (
        "IoD 2019 is an older edition on 2011 LSOAs with different indicators: it is shown for "
        "reference, not beside 2025, and the two must not be subtracted to make a trend."
    ),
    "deprivation": (
        "English Indices of Deprivation 2025 (MHCLG). Scores: higher = more deprived. The "
        "income and employment scores are shares of people (0.15 = 15%); the other domain "
        "scores are relative measures with no unit, comparable only within their domain. "
        "Ranks are among England's 33,755 LSOAs (1 = most deprived); deciles split them in tens "
        "(1 = most deprived 10%). Ward and neighbourhood scores are population-weighted means "
        "of their LSOAs."
    ),
    "services": (
        "Straight-line distances from where residents live (the residents grid) to services in "
        "the open data: a walk is longer. Lists differ in date (see the services section)."
    ),
}


@dataclass
class SourceList:
    """Sources numbered in order of first mention, for short [n] labels and one list."""

    store: StoreContent
    numbers: dict[str, int] = field(default_factory=dict)
    printed: set[str] = field(default_factory=set)
    """Sources of what a printed page shows (the rest of the list is for the screen)."""

    def print_too(self, source_ids: Iterable[str] = ()) -> None:
        """Every source numbered so far, and `source_ids`, are cited on paper too."""
        self.printed |= set(self.numbers) | {s for s in source_ids if s}

    def labels(self, source_ids: str) -> str:
        """'[1] [4]' links for a row's `;`-separated source ids."""
        out = []
        for source_id in [s for s in str(source_ids).split(";") if s]:
            number = self.numbers.setdefault(source_id, len(self.numbers) + 1)
            out.append(f'<a href="#src-{escape(source_id)}">[{number}]</a>')
        return " ".join(out)

    def html(self, extra: list[str]) -> str:
        """The numbered list (title, publisher, vintage, licence, attribution) and `extra`
        attribution lines (map layers, base map)."""
        prov = self.store.provenance.set_index("source_id")
        items = []
        statements: dict[str, None] = {}
        for source_id, number in sorted(self.numbers.items(), key=lambda item: item[1]):
            if source_id not in prov.index:
                continue
            row = prov.loc[source_id]
            standin = f" {STANDIN_MARK}" if bool(row["standin"]) else ""
            screen = "" if source_id in self.printed else ' class="screen-only"'
            items.append(
                f'<li id="src-{escape(source_id)}" value="{number}"{screen}>'
                f"<strong>{escape(str(row['title']))}</strong>{standin} "
                f'({escape(str(row["licence"]))})<span class="about">. '
                f"{escape(str(row['publisher']))}; {escape(str(row['vintage']))}. "
                f"{escape(str(row['attribution']))}</span></li>"
            )
            if source_id in self.printed:
                statements.setdefault(str(row["attribution"]), None)
        more = "".join(f"<li>{escape(line)}</li>" for line in extra)
        # On paper the list keeps titles and licences; each attribution statement, once.
        for source_id in sorted(self.printed - set(self.numbers)):  # cited by the map or lists
            if source_id in prov.index:
                statements.setdefault(str(prov.at[source_id, "attribution"]), None)
        printed = " · ".join(escape(s) for s in [*statements, *extra] if s)
        return (
            '<footer class="attribution sources"><h2>Sources and licences</h2>'
            f'<ol>{"".join(items)}</ol><ul class="about">{more}</ul>'
            f'<p class="print-only">{printed}</p></footer>'
        )


def _td(text: str, label: str, *, num: bool = False, raw: bool = False) -> str:
    body = text if raw else escape(text)
    cls = ' class="num"' if num else ""
    return f'<td{cls} data-label="{escape(label)}">{body}</td>'


def _value(row: Row, column: str, area_type: str) -> str:
    estimated = bool(row["estimated"]) if column == "value" else False
    return format_value(row[column], str(row["unit"]), estimated=estimated, area_type=area_type)


def headline_rows(profile: pd.DataFrame) -> pd.DataFrame:
    """The profile rows of the headline block, in :data:`KEY_FIGURES` order."""
    by_id = profile.set_index("indicator_id")
    chosen = [next((i for i in ids if i in by_id.index), None) for ids in KEY_FIGURES]
    return by_id.loc[[c for c in chosen if c]].reset_index()


def scale_svg(row: Row, name: str) -> str:
    """A dot-on-a-line picture: this area (dark dot) against Stockport (ring) and England
    (bar), on a line from 0 to the largest of the three. Empty for counts."""
    if str(row["unit"]) == "persons":
        return ""
    values = {
        k: float(row[c])
        for k, c in (("area", "value"), ("borough", "borough_value"), ("england", "england_value"))
        if not missing(row[c])
    }
    if "area" not in values:
        return ""
    top = max(values.values())
    low = min(0.0, *values.values())
    span = (top - low) or 1.0

    def x(v: float) -> float:
        return 4 + 112 * (v - low) / span

    parts = ['<line x1="4" y1="8" x2="116" y2="8" stroke="#999" stroke-width="2"/>']
    if "england" in values:
        parts.append(
            f'<rect x="{x(values["england"]) - 1.5:.1f}" y="1" width="3" height="14" fill="#555"/>'
        )
    if "borough" in values:
        parts.append(
            f'<circle cx="{x(values["borough"]):.1f}" cy="8" r="5" fill="#fff" '
            'stroke="#555" stroke-width="2"/>'
        )
    parts.append(f'<circle cx="{x(values["area"]):.1f}" cy="8" r="5" fill="#0b5394"/>')
    words = ", ".join(
        f"{label} {format_value(values[k], str(row['unit']), area_type='borough')}"
        for k, label in (("area", name), ("borough", "Stockport"), ("england", "England"))
        if k in values
    )
    return (
        f'<svg class="scale" width="120" height="16" role="img" aria-label="{escape(words)}">'
        f"<title>{escape(words)}</title>{''.join(parts)}</svg>"
    )


def headline_html(profile: pd.DataFrame, area_type: str, name: str, sources: SourceList) -> str:
    """The one-minute block: about ten key figures beside Stockport, Greater Manchester and
    England, in words and as a dot on a line."""
    rows = headline_rows(profile)
    body = []
    for r in rows.to_dict("records"):
        words = england_position(r["england_percentile"], str(r["polarity"]))
        mark = f" {STANDIN_MARK}" if r["standin"] else ""
        body.append(
            "<tr>"
            f'<th scope="row">{escape(str(r["title"]))}{mark} '
            f'<span class="src">{sources.labels(str(r["source_id"]))}</span></th>'
            + _td(_value(r, "value", area_type), name, num=True)
            + _td(_value(r, "borough_value", "borough"), "Stockport", num=True)
            + _td(_value(r, "gm_value", "borough"), "Greater Manchester", num=True)
            + _td(_value(r, "england_value", "borough"), "England", num=True)
            + _td(
                scale_svg(r, name) + (f"<div>{escape(words)}</div>" if words else ""),
                "Compared",
                raw=True,
            )
            + "</tr>"
        )
    legend = (
        '<p class="scale-key">On the line: <svg width="12" height="12" aria-hidden="true">'
        '<circle cx="6" cy="6" r="5" fill="#0b5394"/></svg> this area, '
        '<svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="4" fill="#fff" '
        'stroke="#555" stroke-width="2"/></svg> Stockport, <svg width="6" height="12" '
        'aria-hidden="true"><rect x="1.5" y="0" width="3" height="12" fill="#555"/></svg> '
        "England; the line runs from 0 to the largest.</p>"
    )
    return (
        '<section class="headline"><h2>Key figures</h2><table class="reflow"><thead><tr>'
        f'<th scope="col">Figure</th><th scope="col">{escape(name)}</th>'
        '<th scope="col">Stockport</th><th scope="col">Greater Manchester</th>'
        '<th scope="col">England</th><th scope="col">Compared</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{legend}</section>"
    )


def _definition(row: Row, description: str) -> str:
    parts = [description]
    ci = format_ci(row["ci_low"], row["ci_high"], str(row["unit"]))
    if ci:
        parts.append(f"95% confidence interval: {ci}.")
    method = METHOD_LABELS.get(str(row["method"]), str(row["method"]))
    parts.append(f"Method: {method}. Vintage: {row['vintage']}.")
    if isinstance(row["note"], str) and row["note"]:
        parts.append(f"Note: {row['note']}.")
    return (
        '<details class="definition"><summary>Definition</summary>'
        f"{escape(' '.join(parts))}</details>"
    )


def theme_tables_html(
    store: StoreContent, profile: pd.DataFrame, area_type: str, sources: SourceList
) -> str:
    """Every theme as a collapsible table (closed by default; printed only as its title)."""
    descriptions = store.catalogue.set_index("id")["description"].astype(str).to_dict()
    parts = []
    themes: dict[str, list[Row]] = {}
    for record in profile.to_dict("records"):  # once: per-row pandas access was most of it
        themes.setdefault(str(record["theme"]), []).append(record)
    for theme, rows in themes.items():
        body = []
        for r in rows:
            gm_rank = format_rank(r["gm_rank"], r["gm_rank_of"])
            ranks = format_rank(r["rank"], r["rank_of"], tied=r["rank_tied"])
            if gm_rank:
                ranks += (
                    f"{'; ' if ranks else ''}Stockport {gm_rank} in GM ({r['gm_rank_meaning']})"
                )
            mark = f" {STANDIN_MARK}" if r["standin"] else ""
            body.append(
                "<tr>"
                f'<th scope="row">{escape(str(r["title"]))}{mark}'
                f"{_definition(r, descriptions.get(str(r['indicator_id']), ''))}</th>"
                + _td(_value(r, "value", area_type), "Value", num=True)
                + _td(_value(r, "borough_value", "borough"), "Stockport", num=True)
                + _td(_value(r, "gm_value", "borough"), "Greater Manchester", num=True)
                + _td(_value(r, "england_value", "borough"), "England", num=True)
                + _td(
                    england_position(r["england_percentile"], str(r["polarity"])),
                    "Against England's LSOAs",
                )
                + _td(ranks, "Rank (1 = most concern)")
                + _td(sources.labels(str(r["source_id"])), "Sources", raw=True)
                + "</tr>"
            )
        count = len(rows)
        standins = sum(bool(r["standin"]) for r in rows)
        label = str(theme)[:1].upper() + str(theme)[1:]
        extra = f", {standins} stand-in" if standins else ""
        intro = THEME_INTROS.get(str(theme), "")
        parts.append(
            f'<details class="theme"><summary><h3>{escape(label)}</h3> '
            f"<span>({count} figure{'s' if count != 1 else ''}{extra})</span></summary>"
            + (f"<p>{escape(intro)}</p>" if intro else "")
            + '<table class="reflow"><thead><tr><th scope="col">Indicator</th>'
            '<th scope="col">Value</th><th scope="col">Stockport</th>'
            '<th scope="col">Greater Manchester</th><th scope="col">England</th>'
            '<th scope="col">Against England\'s LSOAs</th>'
            '<th scope="col">Rank (1 = most concern)</th><th scope="col">Sources</th></tr>'
            f"</thead><tbody>{''.join(body)}</tbody></table></details>"
        )
    return "".join(parts)
