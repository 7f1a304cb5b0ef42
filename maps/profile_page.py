"""The one-page area profile: map, plain-English summary, indicator table, sources."""

from __future__ import annotations

from html import escape

import folium
import pandas as pd

from geo.query.profiles import area_profile, get_area
from geo.query.services import service_layers
from geo.store import StoreContent
from geo.store.schema import BOUNDARY_SOURCES
from geo.vocabulary import AREA_TYPE_LABELS, BOROUGH_CODE, METHOD_LABELS
from maps.format import format_value, missing
from maps.html import STANDIN_BADGE, STANDIN_MARK
from maps.kept_layer import literal
from maps.profile_tables import SourceList, headline_html, theme_tables_html
from maps.render import (
    Assets,
    Base,
    add_outlines,
    add_overlays,
    caption_html,
    geojson,
    new_map,
    page_root,
    render_page,
)
from maps.services_list import services_html
from maps.summary import summary_sentences


def _cell(text: str, label: str, *, num: bool = False) -> str:
    cls = ' class="num"' if num else ""
    return f'<td{cls} data-label="{escape(label)}">{escape(text)}</td>'


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
            "Published",
            num=True,
        )
        + _cell(f"{r.published_rank:.0f} of {r.rank_of:.0f}", "Rank (1 = most deprived)")
        + _cell(
            ""
            if missing(r.service_value)
            else (
                f"{r.service_value:.1%}"
                if "proportion" in str(r.measure)
                else f"{r.service_value:,.3f}"
            ),
            "This service's recomputation",
        )
        + "</tr>"
        for r in imd.itertuples()
    )
    return (
        '<section class="standing"><h2>Stockport among England\'s local authorities</h2>'
        f'<p>{escape(str(imd["note"].iloc[0]))}</p><table class="reflow"><thead><tr>'
        '<th scope="col">IMD 2025 measure</th><th scope="col">Published</th>'
        '<th scope="col">Rank (1 = most deprived)</th>'
        '<th scope="col">This service\'s recomputation</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
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

    fmap = new_map(assets=assets, base=base, height="260px")
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
    sources = SourceList(store)
    headline = headline_html(profile, area_type, ref.name, sources)
    sources.print_too([*BOUNDARY_SOURCES, *service_layers(store)])  # the map and the lists
    themes = theme_tables_html(store, profile, area_type, sources)
    stand_ins = int(profile["standin"].astype(bool).sum())
    here = f"/profiles/{area_type}/{code}"
    page = (
        '<div class="profile"><nav aria-label="Site"><a href="/">Home</a>'
        '<a href="/maps">Maps and profiles</a>'
        f'<a href="{here}?f=json">This profile as JSON</a><a href="{here}?f=csv">CSV</a>'
        '<button type="button" class="print-button" onclick="window.print()">Print</button>'
        f"</nav><h1>{escape(title)}</h1><p>{escape(label)} {escape(code)}{borough_note}</p>"
        + (
            f'<p class="standin-legend">{STANDIN_BADGE} {stand_ins} of {len(profile)} figures '
            "on this page are built from synthetic stand-in layers (made with the official "
            "schemas where this service could not download the real ones); each is marked "
            f"{STANDIN_MARK}. Real figures lead every theme.</p>"
            if standin
            else ""
        )
        + f'<p class="summary">{escape(summary)}</p>'
        + population_html(store, area_type, code)
        + "".join(f"<p>{escape(d)}</p>" for d in details)
        + headline
        + f'<div class="mapbox" role="region" aria-label="Map of {escape(ref.name)}; the same '
        'information is in the tables below">{map}</div>'
        + services_html(store, area_type, code)
        + '<h2>All figures by theme</h2><p class="screen-only">'
        "Open a theme to see its figures, each with its "
        "definition. Rank 1 = most concern among areas of the same type; ties share a rank "
        "(=3); neutral figures and counts are not ranked. People counts marked estimated are "
        "modelled and rounded (to 10 for LSOAs, 50 for larger areas). Greater Manchester and "
        "England are computed the same way as Stockport. "
        + escape(METHOD_LABELS.get(str(method or "best_fit"), ""))
        + ".</p>"
        + f'<p class="print-only">The {len(profile)} figures in '
        f"{profile['theme'].nunique()} themes, with definitions, are in the online profile "
        f"at {escape(here)}?f=html.</p>"
        + themes
        + standing_html(store)
        + (
            f'<details class="caveats"><summary><h2>Caveats ({len(warnings)})</h2></summary>'
            "<ul>" + "".join(f"<li>{escape(w)}</li>" for w in warnings) + "</ul></details>"
            if warnings
            else ""
        )
        + sources.html([*overlay_lines, *[a for a in attributions if a.startswith("Base map")]])
        + "</div>"
    )
    root = page_root(fmap)
    root.header.add_child(literal(f"<title>{escape(title)}</title>"))
    boundaries = [a for a in attributions if a.startswith("Source: Office for National")][:1]
    caption = caption_html(
        [*boundaries, "All sources and licences are listed below the tables."], standin=standin
    )
    before, after = page.split("{map}")
    # The page sits first in the body with the map inside it: folium renders the map's div under
    # the map's own name, so a placeholder of that name fixes where the div lands.
    root.html.add_child(literal(before), name="profile_before", index=0)
    root.html.add_child(literal(""), name=fmap.get_name(), index=1)
    root.html.add_child(literal(caption + after), name="profile_after", index=2)
    return render_page(root)
