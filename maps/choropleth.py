"""Choropleth pages: one indicator for every LSOA, ward or neighbourhood."""

from __future__ import annotations

from html import escape

import folium

from geo.query.profiles import indicator_rows
from geo.store import StoreContent
from geo.vocabulary import AREA_TYPE_LABELS, METHOD_LABELS
from maps import MAP_AREA_TYPES
from maps.classify import classify
from maps.format import format_ci, format_rank, format_value
from maps.kept_layer import literal
from maps.render import (
    Assets,
    Base,
    add_outlines,
    add_overlays,
    caption_html,
    geojson,
    legend_html,
    map_header,
    new_map,
    overlay_key_html,
    page_root,
    render_page,
)


def choropleth_page(
    store: StoreContent,
    area_type: str,
    indicator_id: str,
    *,
    assets: Assets = "url",
    base: Base = "osm",
    link_prefix: str = "",
) -> str:
    """A whole HTML page: the choropleth with legend, tooltips, profile links and overlays."""
    rows = indicator_rows(store, area_type, indicator_id, area_types=MAP_AREA_TYPES)
    meta = store.catalogue.set_index("id").loc[indicator_id]
    unit, polarity = str(meta["unit"]), str(meta["polarity"])
    classes = classify(rows["value"], polarity=polarity, unit=unit)
    frame = store.areas[area_type][["code", "name", "geometry"]].copy()
    joined = frame.join(rows, how="left")
    frame["value_text"] = [format_value(v, unit) for v in joined["value"]]
    frame["ci_text"] = [
        format_ci(lo, hi, unit) or "–"
        for lo, hi in zip(joined["ci_low"], joined["ci_high"], strict=True)
    ]
    frame["rank_text"] = [
        format_rank(r, n) or "–" for r, n in zip(joined["rank"], joined["rank_of"], strict=True)
    ]
    frame["fill"] = [classes.colour(v) for v in joined["value"]]
    frame["profile"] = [
        f'<a href="{link_prefix}/profiles/{area_type}/{code}?f=html">Open the profile of {name}</a>'
        for code, name in zip(frame["code"], frame["name"], strict=True)
    ]
    standin = bool(rows["standin"].any())
    method = METHOD_LABELS.get(str(rows["method"].iloc[0]), str(rows["method"].iloc[0]))
    title = f"{meta['title']} by {AREA_TYPE_LABELS[area_type]}"

    fmap = new_map(assets=assets, base=base)
    data = geojson(
        frame,
        ["code", "name", "value_text", "ci_text", "rank_text", "fill", "profile"],
        coverage=True,
    )
    folium.GeoJson(
        data,
        name=title + (" (SYNTHETIC STAND-IN)" if standin else ""),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#555",
            "weight": 0.6,
            "fillOpacity": 0.78,
            "className": "area-path",
        },
        highlight_function=lambda _f: {"weight": 2.5, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "code", "value_text", "ci_text", "rank_text"],
            aliases=["Area", "Code", f"Value ({unit})", "95% CI", "Rank (1 = most concern)"],
        ),
        popup=folium.GeoJsonPopup(fields=["profile"], labels=False),
    ).add_to(fmap)
    if area_type != "ward":
        add_outlines(fmap, store, "ward", show=area_type == "lsoa", weight=1.6)
    add_outlines(fmap, store, "neighbourhood", show=area_type != "neighbourhood", weight=2.6)
    overlay_lines = add_overlays(fmap, store)
    folium.LayerControl(collapsed=True).add_to(fmap)
    west, south, east, north = frame.to_crs(4326).total_bounds
    fmap.fit_bounds([[south, west], [north, east]])
    attributions = store.attribution_for(store.sources_of(rows.iloc[:1]))
    if base == "osm":
        attributions.append("Base map © OpenStreetMap contributors (ODbL)")
    root = page_root(fmap)
    root.header.add_child(literal(f"<title>{escape(title)} – Stockport</title>"))
    root.html.add_child(literal(map_header(title)), name="map_header", index=0)
    root.html.add_child(
        literal(
            legend_html(
                title, unit, classes, method=method, standin=standin, key=overlay_key_html(store)
            )
        )
    )
    root.html.add_child(literal(caption_html([*attributions, *overlay_lines], standin=standin)))
    return render_page(root)
