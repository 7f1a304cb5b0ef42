"""Compose folium maps: local Leaflet, optional base tiles, area layers, overlays, legend."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape
from typing import Any, Literal, cast

import folium
import geopandas as gpd
import orjson
import shapely
from branca.element import Figure

from geo.store import StoreContent
from geo.vocabulary import SERVICE_KINDS, json_safe
from maps.assets import LEAFLET_URL_PREFIX, leaflet_inline
from maps.classify import Classes
from maps.html import STANDIN_BADGE, STYLESHEET
from maps.kept_layer import KeptGeoJson, literal
from maps.simplify import simplify_coverage, simplify_features, to_display

SERVICE_LABELS = {kind: singular for kind, (singular, _plural) in SERVICE_KINDS.items()}

Assets = Literal["url", "inline"]
Base = Literal["osm", "none"]

OSM_ATTRIBUTION = (
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
OVERLAYS: dict[str, dict[str, Any]] = {
    "greenspace_sites": {
        "title": "Green space sites",
        "color": "#1b7837",
        "fill": "#5aae61",
    },
    "flood_zones": {
        "title": "Flood zones 2 and 3",
        "color": "#2166ac",
        "fill": "#67a9cf",
    },
    "surface_water": {
        "title": "Surface-water risk",
        "color": "#542788",
        "fill": "#998ec3",
    },
    "cycle_routes": {
        "title": "Cycle routes",
        "color": "#b35806",
        "fill": None,
    },
}


SERVICE_OVERLAYS: dict[str, tuple[str, str]] = {
    "services_pharmacies": ("Pharmacies", "#1b9e77"),
    "services_post_offices": ("Post offices", "#d95f02"),
    "services_libraries": ("Libraries", "#7570b3"),
    "services_food_banks": ("Food banks", "#e7298a"),
    "services_dentists": ("Dental practices", "#66a61e"),
    "services_hospitals": ("Hospital sites", "#a6761d"),
}
"""Service layer -> (map layer name, marker colour): points, one marker per service."""


FOLIUM_VIEWPORT = re.compile(
    r'<meta name="viewport" content="width=device-width,\s*initial-scale=1.0, '
    r'maximum-scale=1.0, user-scalable=no" />'
)
"""folium's own viewport tag, which forbids pinch-zoom (ours, which allows it, comes first)."""


FOLIUM_ID = re.compile(r"_([0-9a-f]{32})(?![0-9a-f])")
"""folium's element names end in a random 128-bit id."""


def render_page(root: Figure) -> str:
    """The whole page's HTML, declared English (folium's template has no `lang`), without
    folium's no-zoom viewport, and with folium's random element ids numbered in order of
    appearance: the same page is then the same bytes (and ETag) from every worker."""
    html = str(root.render()).replace("<html>", '<html lang="en">', 1)
    html = FOLIUM_VIEWPORT.sub("", html, count=1)
    numbers: dict[str, str] = {}
    return FOLIUM_ID.sub(lambda m: "_" + numbers.setdefault(m.group(1), f"e{len(numbers)}"), html)


SURFACE_WATER_BANDS = {
    "High": "more than 3.3% chance each year",
    "Medium": "between 1% and 3.3% chance each year",
    "Low": "between 0.1% and 1% chance each year",
}


def service_points(frame: gpd.GeoDataFrame, vintage: str) -> gpd.GeoDataFrame:
    """A service layer as one point per service (inside its building for OS sites), with
    the label its marker shows."""
    points = frame[["name", "kind", "geometry"]].copy()
    points["geometry"] = frame.geometry.representative_point()
    points["label"] = [
        f"{n} ({SERVICE_LABELS.get(k, k)}; data: {vintage})"
        for n, k in zip(points["name"], points["kind"], strict=True)
    ]
    return points


def overlay_tooltips(
    layer_id: str, frame: gpd.GeoDataFrame, accessible: Sequence[str]
) -> list[str]:
    """What each feature of an overlay is, in words (its tooltip), stand-ins said so."""
    synthetic = " (SYNTHETIC stand-in)" if bool(frame["standin"].all()) else ""
    if layer_id == "flood_zones":
        texts = [str(d) for d in frame["description"]]
    elif layer_id == "surface_water":
        texts = [
            f"Surface water risk {b}: {SURFACE_WATER_BANDS.get(str(b), '')}"
            for b in frame["risk_band"]
        ]
    elif layer_id == "greenspace_sites":
        texts = [
            f"{f}: {'accessible green space' if f in accessible else 'not counted as accessible'}"
            for f in frame["function"]
        ]
    elif layer_id == "cycle_routes":
        texts = [f"Cycle route: {str(i).replace('_', ' ')}" for i in frame["infrastructure"]]
    else:
        texts = [str(v) for v in frame.iloc[:, 0]]
    return [t + synthetic for t in texts]


def page_root(fmap: folium.Map) -> Figure:
    """The map's page (header, body html and script sections)."""
    return cast(Figure, fmap.get_root())


def new_map(*, assets: Assets, base: Base, height: str = "100%") -> folium.Map:
    """A folium map using Stockport's local Leaflet copy, with or without base tiles."""
    fmap = folium.Map(
        location=[53.39, -2.13], zoom_start=12, tiles=None, height=height, control_scale=True
    )
    fmap._id = "page"  # one map per page; kept layers' scripts name it (maps.kept_layer)
    if assets == "url":
        fmap.default_js = [("leaflet", f"{LEAFLET_URL_PREFIX}/leaflet.js")]
        fmap.default_css = [("leaflet_css", f"{LEAFLET_URL_PREFIX}/leaflet.css")]
    else:
        script, css = leaflet_inline()
        fmap.default_js, fmap.default_css = [], []
        header = page_root(fmap).header
        header.add_child(literal(f"<style>{css}</style>"), name="leaflet_css")
        header.add_child(literal(f"<script>{script}</script>"), name="leaflet_js")
    page_root(fmap).header.add_child(
        literal(
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="icon" href="data:,"><style>{STYLESHEET}</style>'
        ),
        name="page_css",
    )
    if base == "osm":
        # Tiles need the internet; without it the map still shows every layer.
        folium.TileLayer(
            "OpenStreetMap", name="Base map (OpenStreetMap)", attr=OSM_ATTRIBUTION, control=True
        ).add_to(fmap)
    return fmap


def geojson(
    frame: gpd.GeoDataFrame, properties: Sequence[str], *, coverage: bool
) -> dict[str, Any]:
    """Display GeoJSON (WGS84, simplified, rounded) with only the given properties."""
    simplified = simplify_coverage(frame) if coverage else simplify_features(frame)
    display = to_display(simplified)
    features = []
    for key, geometry in display.items():
        props = {p: json_safe(frame.at[key, p]) for p in properties}
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": orjson.loads(shapely.to_geojson(geometry)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


LAYER_GEOJSON: dict[tuple[str, float, str, tuple[str, ...]], dict[str, Any]] = {}
"""Display GeoJSON of whole store layers (outlines, overlays), made once per store file: every
map and profile page draws the same ones, and simplifying them was half of a page's time."""


def layer_key(
    store: StoreContent, key: str, properties: Sequence[str]
) -> tuple[str, float, str, tuple[str, ...]] | None:
    """What names a whole store layer's display GeoJSON: the store file and its version, the
    layer and its properties; None for a store built in memory (nothing of it is kept)."""
    path = str(getattr(store, "path", ""))
    if not path or path == ".":
        return None
    return (path, float(getattr(store, "modified", 0.0)), key, tuple(properties))


def store_layer(
    data: dict[str, Any], key: tuple[Any, ...] | None, **options: Any
) -> folium.GeoJson:
    """A whole store layer on a map: drawn once and kept (:class:`KeptGeoJson`) when `key`
    names it (:func:`layer_key` plus its style), else drawn on every page."""
    if key is None:
        return folium.GeoJson(data, **options)
    return KeptGeoJson(data, key=key, **options)


def layer_geojson(
    store: StoreContent,
    key: str,
    frame_of: Callable[[], gpd.GeoDataFrame],
    properties: Sequence[str],
    *,
    coverage: bool,
) -> dict[str, Any]:
    """:func:`geojson` of a whole store layer (made by `frame_of`, only when not kept yet),
    kept for the store file's life (a store built in memory, with no file, is not kept)."""
    cache_key = layer_key(store, key, properties)
    if cache_key is None:
        return geojson(frame_of(), properties, coverage=coverage)
    found = LAYER_GEOJSON.get(cache_key)
    if found is None:
        found = LAYER_GEOJSON[cache_key] = geojson(frame_of(), properties, coverage=coverage)
    return found


def add_outlines(
    fmap: folium.Map, store: StoreContent, area_type: str, *, show: bool, weight: float
) -> None:
    """Outlines of wards or neighbourhoods, as a toggleable overlay."""
    frame = store.areas[area_type]
    data = layer_geojson(store, f"outline:{area_type}", lambda: frame, ["name"], coverage=True)
    label = {"ward": "Ward outlines (May 2023)", "neighbourhood": "Neighbourhood outlines"}
    key = layer_key(store, f"outline:{area_type}", ["name"])
    store_layer(
        data,
        None if key is None else (*key, show, weight),
        name=label.get(area_type, area_type),
        show=show,
        control=True,
        style_function=lambda _f: {
            "color": "#222",
            "weight": weight,
            "fill": False,
            "className": f"outline-{area_type}",
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(fmap)


def add_overlays(fmap: folium.Map, store: StoreContent) -> list[str]:
    """Feature layers (off by default), each named with its stand-in status; returns their
    attribution lines."""
    lines = []
    prov = store.provenance.set_index("source_id")
    for layer_id, spec in OVERLAYS.items():
        frame = store.features.get(layer_id)
        if frame is None or frame.empty:
            continue
        source = str(frame["source_id"].iloc[0])
        standin = bool(frame["standin"].all())
        name = spec["title"] + (" (SYNTHETIC STAND-IN)" if standin else "")
        data = layer_geojson(
            store,
            layer_id,
            lambda f=frame, i=layer_id: f.assign(  # type: ignore[misc]
                tooltip=overlay_tooltips(i, f, store.accessible_functions)
            ),
            ["tooltip"],
            coverage=False,
        )
        style = _overlay_style(spec)
        key = layer_key(store, layer_id, ["tooltip"])
        store_layer(
            data,
            key,
            name=name,
            show=False,
            style_function=style,
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        ).add_to(fmap)
        attribution = str(prov.at[source, "attribution"]) if source in prov.index else ""
        lines.append(f"{name}: {attribution}")
    for layer_id, (title, colour) in SERVICE_OVERLAYS.items():
        frame = store.features.get(layer_id)
        if frame is None or frame.empty:
            continue
        vintage = str(prov.at[layer_id, "vintage"]) if layer_id in prov.index else ""
        store_layer(
            layer_geojson(
                store,
                layer_id,
                lambda f=frame, v=vintage: service_points(f, v),  # type: ignore[misc]
                ["label"],
                coverage=False,
            ),
            layer_key(store, layer_id, ["label"]),
            name=f"{title} ({vintage})",
            show=False,
            marker=folium.CircleMarker(
                radius=5, color="#222", weight=1, fill=True, fill_color=colour, fill_opacity=0.9
            ),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(fmap)
        attribution = str(prov.at[layer_id, "attribution"]) if layer_id in prov.index else ""
        lines.append(f"{title}: {attribution}")
    return lines


def _overlay_style(spec: dict[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """Leaflet path style of an overlay: filled polygons or lines."""
    if spec["fill"]:
        polygon = {
            "color": spec["color"],
            "weight": 1,
            "fillColor": spec["fill"],
            "fillOpacity": 0.45,
            "className": "overlay",
        }
        return lambda _feature: polygon
    line = {"color": spec["color"], "weight": 2.5, "className": "overlay"}
    return lambda _feature: line


FOLD_ON_PHONES = (
    "<script>if (window.matchMedia('(max-width: 640px)').matches) {"
    "document.querySelectorAll('details.map-legend').forEach(d => { d.open = false; });}"
    "</script>"
)
"""Legends start folded on phones (a tap opens them) so they never cover the map there."""


def legend_html(
    title: str, unit: str, classes: Classes, *, method: str, standin: bool, key: str = ""
) -> str:
    """A legend with class bounds, unit, scheme and what darker means; `key`: the overlay key
    (:func:`overlay_key_html`) placed under it. Collapsible: open on screens, folded on
    phones."""
    rows = "".join(
        f'<div><i style="background:{c}"></i>{escape(label)}</div>'
        for c, label in zip(classes.colours, classes.labels, strict=True)
    )
    direction = (
        "lower values are darker (higher is better)"
        if classes.reversed
        else "higher values are darker"
    )
    return (
        '<details class="map-legend" open><summary><strong>Legend</strong></summary>'
        f"<strong>{escape(title)}</strong><div>Unit: {escape(unit)}</div>{rows}"
        f'<div><i style="background:#d9d9d9"></i>no data</div>'
        f"<div>Classes: {escape(classes.scheme)}; darker = more concern ({direction}).</div>"
        f"<div>Method: {escape(method)}</div>{STANDIN_BADGE if standin else ''}{key}</details>"
        + FOLD_ON_PHONES
    )


def overlay_key_html(store: StoreContent) -> str:
    """The key to the map's optional layers (off until chosen in the layer menu): a swatch,
    a line or a dot each, stand-in layers said so. Collapsible, closed by default."""
    items = []
    for layer_id, spec in OVERLAYS.items():
        frame = store.features.get(layer_id)
        if frame is None or frame.empty:
            continue
        synthetic = " (SYNTHETIC stand-in)" if bool(frame["standin"].all()) else ""
        swatch = (
            f'<i style="background:{spec["fill"]};border-color:{spec["color"]}"></i>'
            if spec["fill"]
            else f'<i style="height:3px;background:{spec["color"]};border:0"></i>'
        )
        items.append(f"<div>{swatch}{escape(spec['title'])}{synthetic}</div>")
    for layer_id, (title, colour) in SERVICE_OVERLAYS.items():
        if layer_id in store.features:
            items.append(
                f'<div><i style="background:{colour};border-radius:50%"></i>{escape(title)}</div>'
            )
    if not items:
        return ""
    return (
        '<details class="overlay-key"><summary>Map layers key (turn layers on in the menu '
        f"at the top right)</summary>{''.join(items)}</details>"
    )


def map_header(title: str, note: str = "") -> str:
    """The heading over a full-screen map, with the way back (home and the index of maps)."""
    extra = f" <span>{escape(note)}</span>" if note else ""
    return (
        '<header class="map-header"><a href="/">Home</a><a href="/maps">All maps</a>'
        f"<h1>{escape(title)}</h1>{extra}</header>"
    )


def caption_html(attributions: Sequence[str], *, standin: bool) -> str:
    """Attribution lines shown on the map."""
    lines = "".join(f"<div>{escape(a)}</div>" for a in attributions)
    marker = " (includes SYNTHETIC stand-in data)" if standin else ""
    return (
        '<details class="map-caption" role="contentinfo"><summary>Map data sources'
        f"{marker}</summary>{STANDIN_BADGE if standin else ''}{lines}</details>"
    )
