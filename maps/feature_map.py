"""A small static map of one feature (inline SVG in British National Grid): the feature over
the ward outlines around it, with a scale bar. No script or tiles: it shows offline, on a
phone and in print."""

from __future__ import annotations

from html import escape

import shapely
from shapely.geometry.base import BaseGeometry

from geo.store import StoreContent

WIDTH_PX = 320
HEIGHT_PX = 220
MARGIN_M = 250.0
"""Ground around the feature."""
POINT_MARGIN_M = 700.0
"""Ground around a point (a view about 2 km across, a few streets' worth)."""


def _path(geometry: BaseGeometry, to_px: tuple[float, float, float, float]) -> str:
    """SVG path data of a (multi)polygon or line, in pixels."""
    x0, y0, scale, height = to_px
    parts = []
    for part in getattr(geometry, "geoms", [geometry]):
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        for ring in rings:
            coords = shapely.get_coordinates(ring)
            if len(coords) < 2:
                continue
            points = " ".join(
                f"{(x - x0) * scale:.1f},{height - (y - y0) * scale:.1f}" for x, y in coords
            )
            closed = "Z" if part.geom_type == "Polygon" else ""
            parts.append(f"M{points}{closed}")
    return " ".join(parts)


def _scale_bar(metres_across: float, scale: float) -> tuple[float, str]:
    """A round length about a quarter of the view, in metres, and its label."""
    target = metres_across / 4
    length = 10.0
    for step in (10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if step <= target:
            length = float(step)
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:.0f} m"
    return length * scale, label


def feature_map_svg(store: StoreContent, geometry: BaseGeometry, *, label: str) -> str:
    """The feature (`geometry`, EPSG:27700) on a small map with the wards around it."""
    point = geometry.geom_type in ("Point", "MultiPoint")
    west, south, east, north = geometry.buffer(POINT_MARGIN_M if point else MARGIN_M).bounds
    span = max(east - west, (north - south) * WIDTH_PX / HEIGHT_PX)
    scale = WIDTH_PX / span
    x0 = (west + east) / 2 - span / 2
    y0 = (south + north) / 2 - (HEIGHT_PX / scale) / 2
    to_px = (x0, y0, scale, float(HEIGHT_PX))
    view = shapely.box(x0, y0, x0 + span, y0 + HEIGHT_PX / scale)
    wards = store.areas["ward"]
    near = wards.iloc[wards.sindex.query(view, predicate="intersects")]
    tolerance = 1.0 / scale  # about a pixel
    outlines = "".join(
        f'<path d="{_path(shapely.simplify(g.intersection(view.buffer(50)), tolerance), to_px)}"/>'
        for g in near.geometry
    )
    borough = "".join(
        f'<path d="{_path(shapely.simplify(g.intersection(view.buffer(50)), tolerance), to_px)}"/>'
        for g in store.areas["borough"].geometry
        if g.intersects(view)
    )
    if point:
        shape = "".join(
            f'<circle cx="{(p.x - x0) * scale:.1f}" cy="{HEIGHT_PX - (p.y - y0) * scale:.1f}" '
            'r="6" fill="#b2182b" stroke="#fff" stroke-width="2"/>'
            for p in getattr(geometry, "geoms", [geometry])
        )
    else:
        fill = "none" if "Line" in geometry.geom_type else "#b2182b"
        shape = (
            f'<path d="{_path(shapely.simplify(geometry, tolerance), to_px)}" fill="{fill}" '
            'fill-opacity="0.25" stroke="#b2182b" stroke-width="2.5" fill-rule="evenodd"/>'
        )
    bar_px, bar_label = _scale_bar(span, scale)
    names = ", ".join(str(n) for n in near["name"]) or "none"
    return (
        f'<figure class="feature-map"><svg width="{WIDTH_PX}" height="{HEIGHT_PX}" '
        f'viewBox="0 0 {WIDTH_PX} {HEIGHT_PX}" role="img" '
        f'aria-label="{escape(f"Map of {label}; wards around it: {names}")}">'
        f'<rect width="{WIDTH_PX}" height="{HEIGHT_PX}" fill="#f4f4f0"/>'
        f'<g fill="none" stroke="#777" stroke-width="1">{outlines}</g>'
        f'<g fill="none" stroke="#222" stroke-width="2.5">{borough}</g>{shape}'
        f'<g><rect x="8" y="{HEIGHT_PX - 26}" width="{bar_px + 8:.1f}" height="20" fill="#fff" '
        f'fill-opacity="0.85"/><line x1="12" y1="{HEIGHT_PX - 10}" x2="{12 + bar_px:.1f}" '
        f'y2="{HEIGHT_PX - 10}" stroke="#222" stroke-width="3"/><text x="12" '
        f'y="{HEIGHT_PX - 14}" font-size="11" fill="#222">{bar_label}</text></g></svg>'
        f"<figcaption>{escape(label)}: red; grey lines are Stockport's ward boundaries (May "
        "2023), the black line the borough's. "
        "British National Grid, north up.</figcaption></figure>"
    )
