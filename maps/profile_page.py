"""The one-page area profile: map, plain-English summary, indicator table, sources."""

from __future__ import annotations

from html import escape

import folium
import pandas as pd

from geo.query.profiles import area_profile, get_area
from geo.store import StoreContent
from geo.vocabulary import AREA_TYPE_LABELS, BOROUGH_CODE, METHOD_LABELS, OLDER_VINTAGE_THEME
from maps.format import england_position, format_ci, format_rank, format_value, missing
from maps.html import STANDIN_BADGE, STANDIN_MARK, attribution_footer
from maps.render import (
    Assets,
    Base,
    add_outlines,
    add_overlays,
    caption_html,
    geojson,
    new_map,
    page_root,
)
from maps.services_list import services_html
from maps.summary import summary_sentences

OLDER_VINTAGE_INTRO = (
    "IoD 2019 is an older edition on 2011 LSOAs with different indicators: it is shown for "
    "reference, not beside 2025, and the two must not be subtracted to make a trend."
)


def _cell(text: str, *, num: bool = False) -> str:
    return f'<td class="num">{escape(text)}</td>' if num else f"<td>{escape(text)}</td>"


def _row(r: pd.Series, area_type: str) -> str:
    unit = str(r["unit"])
    estimated = bool(r["estimated"])
    value = format_value(r["value"], unit, estimated=estimated, area_type=area_type)
    gm_rank = format_rank(r["gm_rank"], r["gm_rank_of"])
    return (
        "<tr>"
        f'<th scope="row">{escape(str(r["title"]))}'
        f"{' ' + STANDIN_MARK if r['standin'] else ''}</th>"
        + _cell(value, num=True)
        + _cell(format_value(r["borough_value"], unit, area_type="borough"), num=True)
        + _cell(format_value(r["gm_value"], unit, area_type="borough"), num=True)
        + _cell(format_value(r["england_value"], unit, area_type="borough"), num=True)
        + _cell(england_position(r["england_percentile"], str(r["polarity"])))
        + _cell(format_rank(r["rank"], r["rank_of"], tied=r["rank_tied"]))
        + _cell(f"Stockport {gm_rank} ({r['gm_rank_meaning']})" if gm_rank else "")
        + _cell(format_ci(r["ci_low"], r["ci_high"], unit))
        + _cell(str(r["vintage"]))
        + _cell(METHOD_LABELS.get(str(r["method"]), str(r["method"])))
        + "</tr>"
    )


def _table(profile: pd.DataFrame, area_type: str) -> str:
    parts = []
    for theme, rows in profile.groupby("theme", sort=False):
        body = "".join(_row(r, area_type) for _, r in rows.iterrows())
        intro = f"<p>{escape(OLDER_VINTAGE_INTRO)}</p>" if theme == OLDER_VINTAGE_THEME else ""
        parts.append(
            f"<h3>{escape(str(theme)[:1].upper() + str(theme)[1:])}</h3>{intro}<table><thead><tr>"
            '<th scope="col">Indicator</th><th scope="col">Value</th>'
            '<th scope="col">Stockport</th><th scope="col">Greater Manchester</th>'
            '<th scope="col">England</th><th scope="col">Against England\'s LSOAs</th>'
            '<th scope="col">Rank among peers</th><th scope="col">Stockport among GM\'s 10</th>'
            '<th scope="col">95% CI</th><th scope="col">Vintage</th>'
            f'<th scope="col">Method</th></tr></thead><tbody>{body}</tbody></table>'
        )
    return "".join(parts)


def population_html(store: StoreContent, area_type: str, code: str) -> str:
    """The area's one population, its method, and the range over other estimates."""
    row = store.areas[area_type].loc[code]
    if "population" not in row.index or missing(row["population"]):
        return ""
    text = (
        f"Population used for every share on this page: {row['population']:,.0f} residents "
        f"({row['population_method']})."
    )
    low, high = row["population_low"], row["population_high"]
    if not missing(low) and not missing(high) and round(high) != round(low):
        text += (
            f" Between {format_value(low, 'persons', area_type=area_type)} and "
            f"{format_value(high, 'persons', area_type=area_type)} depending on method "
            "(best fit, area-weighted, residents grid)."
        )
        if bool(row["population_differs_by_method"]):
            text += " The estimates differ by more than 10%: read counts here with care."
    return f'<p class="population">{escape(text)}</p>'


def standing_html(store: StoreContent) -> str:
    """Stockport's official IoD 2025 standing among England's local authorities."""
    table = store.official_standing
    if table.empty:
        return ""
    imd = table[table["domain"] == table["domain"].iloc[0]]
    rows = "".join(
        "<tr>"
        f'<th scope="row">{escape(str(r.measure))}</th>'
        + _cell(
            f"{r.published_value:.1%}"
            if "proportion" in str(r.measure)
            else f"{r.published_value:,.3f}",
            num=True,
        )
        + _cell(f"{r.published_rank:.0f} of {r.rank_of:.0f}")
        + _cell(
            ""
            if missing(r.service_value)
            else (
                f"{r.service_value:.1%}"
                if "proportion" in str(r.measure)
                else f"{r.service_value:,.3f}"
            )
        )
        + "</tr>"
        for r in imd.itertuples()
    )
    return (
        "<h2>Stockport among England's local authorities</h2>"
        f"<p>{escape(str(imd['note'].iloc[0]))}</p><table><thead><tr>"
        '<th scope="col">IMD 2025 measure</th><th scope="col">Published</th>'
        '<th scope="col">Rank (1 = most deprived)</th>'
        '<th scope="col">This service\'s recomputation</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def profile_page(
    store: StoreContent,
    area_type: str,
    code: str,
    *,
    method: str | None = None,
    assets: Assets = "url",
    base: Base = "osm",
    profile: pd.DataFrame | None = None,
) -> str:
    """The whole one-page profile as HTML.

    `profile` is the area's profile (:func:`geo.query.profiles.area_profile`), when the caller
    has it already (the API renders JSON, CSV and HTML from the same rows); else computed here.
    """
    ref = get_area(store, area_type, code)
    if profile is None:
        profile = area_profile(store, area_type, code, method=method)
    standin = bool(profile["standin"].any())
    label = AREA_TYPE_LABELS[area_type]
    title = f"{ref.name} – {label} profile"
    area = store.areas[area_type].loc[[code]]

    fmap = new_map(assets=assets, base=base, height="420px")
    folium.GeoJson(
        geojson(area[["code", "name", "geometry"]], ["name"], coverage=True),
        name=ref.name,
        style_function=lambda _f: {
            "color": "#b2182b",
            "weight": 3,
            "fillOpacity": 0.08,
            "className": "area-path",
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(fmap)
    if area_type in ("lsoa", "neighbourhood", "borough"):
        add_outlines(fmap, store, "ward", show=True, weight=1.2)
    if area_type != "neighbourhood":
        add_outlines(fmap, store, "neighbourhood", show=area_type == "borough", weight=2)
    overlay_lines = add_overlays(fmap, store)
    folium.LayerControl(collapsed=True).add_to(fmap)
    west, south, east, north = area.to_crs(4326).total_bounds
    fmap.fit_bounds([[south, west], [north, east]])

    attributions = store.attribution_for(store.sources_of(profile))
    if base == "osm":
        attributions.append("Base map © OpenStreetMap contributors (ODbL)")
    warnings = sorted({w for w in profile["warning"].fillna("") if w})
    details = []
    row = store.areas[area_type].loc[code]
    if "basis" in row.index and isinstance(row["basis"], str) and row["basis"]:
        details.append(f"Neighbourhood definition: {row['basis']}.")
    if (
        "age_friendly_programmes" in row.index
        and isinstance(row["age_friendly_programmes"], str)
        and row["age_friendly_programmes"]
    ):
        details.append(f"Age-friendly programmes: {row['age_friendly_programmes']}.")
    summary = " ".join(summary_sentences(ref.name, area_type, profile))
    borough_note = "" if code == BOROUGH_CODE else " (borough = Stockport, E08000007)"
    page = (
        '<div class="profile"><nav aria-label="Site"><a href="/maps">Maps and profiles</a>'
        f'<a href="/profiles/{area_type}/{code}?f=json">This profile as JSON</a>'
        f'<a href="/profiles/{area_type}/{code}?f=csv">CSV</a></nav>'
        f"<h1>{escape(title)}</h1><p>{escape(label)} {escape(code)}{borough_note}</p>"
        f"{STANDIN_BADGE if standin else ''}"
        f'<p class="summary">{escape(summary)}</p>'
        + population_html(store, area_type, code)
        + "".join(f"<p>{escape(d)}</p>" for d in details)
        + f'<div class="mapbox" role="img" aria-label="Map of {escape(ref.name)}; the same '
        'information is in the tables below">{map}</div>'
        + services_html(store, area_type, code)
        + "<h2>Indicators</h2><p>Rank 1 = most concern among areas of the same type; "
        "ties share a rank (=3). Neutral figures and counts are not ranked. People counts "
        "marked estimated are modelled and rounded (to 10 for LSOAs, 50 for larger areas). "
        "Greater Manchester and England are computed the same way as Stockport: scores as "
        "population-weighted means, rates and shares from summed counts, land shares from "
        "summed land areas. "
        + escape(METHOD_LABELS.get(str(method or "best_fit"), ""))
        + ".</p>"
        + _table(profile, area_type)
        + standing_html(store)
        + (
            "<h2>Caveats</h2><ul>" + "".join(f"<li>{escape(w)}</li>" for w in warnings) + "</ul>"
            if warnings
            else ""
        )
        + attribution_footer([*attributions, *overlay_lines])
        + "</div>"
    )
    root = page_root(fmap)
    root.header.add_child(folium.Element(f"<title>{escape(title)}</title>"))
    boundaries = [a for a in attributions if a.startswith("Source: Office for National")][:1]
    caption = caption_html(
        [*boundaries, "All sources and licences are listed below the tables."], standin=standin
    )
    before, after = page.split("{map}")
    # The page sits first in the body with the map inside it: folium renders the map's div under
    # the map's own name, so a placeholder of that name fixes where the div lands.
    root.html.add_child(_literal(before), name="profile_before", index=0)
    root.html.add_child(_literal(""), name=fmap.get_name(), index=1)
    root.html.add_child(_literal(caption + after), name="profile_after", index=2)
    return str(root.render())


def _literal(text: str) -> folium.Element:
    """An element whose text is never read as a Jinja template."""
    return folium.Element("{% raw %}" + text + "{% endraw %}")
