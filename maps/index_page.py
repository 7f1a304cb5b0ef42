"""The index: every indicator's maps and every area's profile."""

from __future__ import annotations

from html import escape

from geo.query.profiles import order_by_theme
from geo.store import StoreContent
from geo.store.schema import split_list
from geo.vocabulary import AREA_TYPE_LABELS
from maps import MAP_AREA_TYPES
from maps.html import STANDIN_BADGE, STANDIN_MARK, page


def index_page(store: StoreContent) -> str:
    """A plain HTML page listing every indicator (with map links) and every area."""
    catalogue = order_by_theme(
        store.catalogue.rename(columns={"id": "indicator_id"}).assign(
            standin=lambda f: f["standin"].astype(bool)
        ),
        list(store.catalogue["id"]),
    ).rename(columns={"indicator_id": "id"})
    standin_sources = store.standin_sources()
    rows = []
    for row in catalogue.itertuples():
        types = [t for t in split_list(row.area_types) if t in MAP_AREA_TYPES]
        links = " ".join(
            f'<a href="/maps/{t}/{escape(str(row.id))}">{escape(t)}</a>' for t in types
        )
        standin = bool(set(split_list(row.source_ids)) & standin_sources)
        badge = f" {STANDIN_MARK}" if standin else ""
        rows.append(
            f"<tr><td>{escape(str(row.theme))}</td><td>"
            + (f"<b>{escape(str(row.title))}</b>" if row.headline else escape(str(row.title)))
            + f"{badge}"
            f"</td><td>{escape(str(row.unit))}</td><td>{links}</td></tr>"
        )
    areas = []
    for area_type in ("ward", "neighbourhood", "borough"):
        frame = store.areas[area_type].sort_values("name")
        items = ", ".join(
            f'<a href="/profiles/{area_type}/{escape(str(c))}?f=html">{escape(str(n))}</a>'
            for c, n in zip(frame["code"], frame["name"], strict=True)
        )
        areas.append(f"<h3>{escape(AREA_TYPE_LABELS[area_type])} ({len(frame)})</h3><p>{items}</p>")
    lsoas, wards = store.areas["lsoa"], store.areas["ward"]
    grouped = []
    for ward_code, ward_name in zip(
        wards.sort_values("name")["code"], wards.sort_values("name")["name"], strict=True
    ):
        members = lsoas[lsoas["ward_code_best_fit"] == ward_code].sort_values("name")
        links = ", ".join(
            f'<a href="/profiles/lsoa/{escape(str(c))}?f=html">{escape(str(n))}</a>'
            for c, n in zip(members["code"], members["name"], strict=True)
        )
        grouped.append(f"<li><strong>{escape(str(ward_name))}</strong>: {links}</li>")
    areas.append(
        f"<h3>{escape(AREA_TYPE_LABELS['lsoa'])} ({len(lsoas)}), by ward (ONS best fit)</h3>"
        f"<ul>{''.join(grouped)}</ul>"
    )
    body = (
        f"<p>{STANDIN_MARK} marks indicators built from synthetic stand-in layers "
        f"({STANDIN_BADGE}). In bold: each theme's headline figure (real data first).</p>"
        '<p><a href="/">Home: search by name</a> · <a href="/maps/here">What is here? '
        "Click a map</a></p><h2>Area profiles</h2>"
        + "".join(areas)
        + "<h2>Indicators and maps</h2><table><thead><tr><th>Theme</th><th>Indicator</th>"
        "<th>Unit</th><th>Map by</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    return page(
        "Stockport maps and profiles",
        body,
        heading="One Stockport Local: maps and area profiles",
        attributions=store.attribution_lines(),
    )
