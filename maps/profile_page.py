"""The one-page area profile: map, plain-English summary, indicator table, sources."""

from __future__ import annotations

from html import escape

import folium
import pandas as pd

from geo.query.profiles import area_profile, get_area
from geo.store import StoreContent
from geo.vocabulary import AREA_TYPE_LABELS, BOROUGH_CODE, METHOD_LABELS
from maps.format import format_ci, format_rank, format_value
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
from maps.summary import summary_sentences


def _table(profile: pd.DataFrame) -> str:
    parts = []
    for theme, rows in profile.groupby("theme", sort=False):
        body = "".join(
            "<tr>"
            f'<th scope="row">{escape(str(r.title))}'
            f"{' ' + STANDIN_MARK if r.standin else ''}</th>"
            f'<td class="num">{escape(format_value(r.value, str(r.unit)))}</td>'
            f'<td class="num">{escape(format_value(r.borough_value, str(r.unit)))}</td>'
            f"<td>{escape(format_rank(r.rank, r.rank_of))}</td>"
            f"<td>{escape(format_value(r.national_decile, 'decile'))}</td>"
            f"<td>{escape(format_ci(r.ci_low, r.ci_high, str(r.unit)))}</td>"
            f"<td>{escape(str(r.source_id))}</td><td>{escape(str(r.vintage))}</td>"
            f"<td>{escape(METHOD_LABELS.get(str(r.method), str(r.method)))}</td></tr>"
            for r in rows.itertuples()
        )
        parts.append(
            f"<h3>{escape(str(theme).capitalize())}</h3><table><thead><tr>"
            '<th scope="col">Indicator</th><th scope="col">Value</th>'
            '<th scope="col">Borough</th><th scope="col">Rank among peers</th>'
            '<th scope="col">National decile</th><th scope="col">95% CI</th>'
            '<th scope="col">Source</th><th scope="col">Vintage</th>'
            f'<th scope="col">Method</th></tr></thead><tbody>{body}</tbody></table>'
        )
    return "".join(parts)


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
    catalogue = store.catalogue.set_index("id")
    profile = profile.assign(
        order=profile["indicator_id"].map({i: n for n, i in enumerate(catalogue.index)})
    )
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
        + "".join(f"<p>{escape(d)}</p>" for d in details)
        + f'<div class="mapbox" role="img" aria-label="Map of {escape(ref.name)}; the same '
        'information is in the tables below">{map}</div>'
        + "<h2>Indicators</h2><p>Rank 1 = most concern among areas of the same type. "
        + escape(METHOD_LABELS.get(str(method or "best_fit"), ""))
        + ".</p>"
        + _table(profile.sort_values("order"))
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
