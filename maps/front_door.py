"""The front door for people (`/` in a browser) and the search result pages."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from geo.query.search import SearchHit
from geo.store import StoreContent
from maps.html import page

SEARCH_LABEL = "Find a ward, neighbourhood, LSOA or service (name or code)"


def search_form(query: str = "") -> str:
    """The one search box (GET /search?q=...)."""
    return (
        f'<form class="search-form" role="search" action="/search" method="get">'
        f'<label for="q">{escape(SEARCH_LABEL)}</label>'
        f'<input id="q" name="q" type="search" value="{escape(query)}" '
        'placeholder="e.g. Edgeley, Heatons North, Bramhall Library" autocomplete="off" required>'
        ' <button type="submit">Search</button></form>'
    )


def _area_links(store: StoreContent, area_type: str) -> str:
    frame = store.areas[area_type].sort_values("name")
    items = "".join(
        f'<li><a href="/profiles/{area_type}/{escape(str(c))}?f=html">{escape(str(n))}</a></li>'
        for c, n in zip(frame["code"], frame["name"], strict=True)
    )
    return f'<ul class="area-list">{items}</ul>'


def front_door_page(store: StoreContent, *, attributions: Sequence[str]) -> str:
    """Search, every ward and neighbourhood by name, and where to go next."""
    basis = store.info.get("neighbourhood_basis", "")
    body = (
        "<p>Profiles and maps of Stockport's wards, neighbourhoods and LSOAs: who lives there, "
        "deprivation (IoD 2025), green space, flood risk, trees, heat and where residents can "
        "get help (pharmacies, libraries, food banks, post offices, dentists).</p>"
        + search_form()
        + '<p class="here-link"><a href="/maps/here">Or click a map: what is at a place '
        "(its ward and neighbourhood, flood zone, nearest green space, pharmacy, library, "
        "food bank...)</a></p>"
        + "<h2>Wards</h2>"
        + _area_links(store, "ward")
        + "<h2>Neighbourhoods</h2>"
        + (f"<p>{escape(basis[:1].upper() + basis[1:])}.</p>" if basis else "")
        + _area_links(store, "neighbourhood")
        + "<h2>More</h2><ul>"
        '<li><a href="/maps">Maps of every indicator, and the LSOA profiles</a></li>'
        '<li><a href="/profiles/borough/E08000007?f=html">Stockport borough profile</a></li>'
        '<li><a href="/age-friendly?f=html">Age-friendly priorities</a></li>'
        '<li><a href="/collections?f=html">Data layers for GIS (OGC API - Features)</a></li>'
        '<li><a href="/docs">API documentation</a> · <a href="/?f=json">this page as JSON</a>'
        "</li></ul>"
    )
    return page(
        "One Stockport Local: neighbourhood profiles",
        body,
        attributions=attributions,
        heading="Stockport neighbourhood profiles",
    )


def _hit_list(hits: Sequence[SearchHit]) -> str:
    items = "".join(
        f'<li><a href="{escape(h.path)}">{escape(h.name)}</a> – {escape(h.label)}</li>'
        for h in hits
    )
    return f'<ul class="hits">{items}</ul>'


def results_page(query: str, hits: Sequence[SearchHit], *, attributions: Sequence[str]) -> str:
    """The matches of a search (when no single one is clearly meant)."""
    body = (
        search_form(query)
        + f"<p>{len(hits)} match{'es' if len(hits) != 1 else ''} for “{escape(query)}”:</p>"
        + _hit_list(hits)
    )
    return page(
        f"Search: {query}", body, attributions=attributions, nav=[("Home", "/")], heading="Search"
    )


def not_found_page(
    message: str, query: str, suggestions: Sequence[SearchHit], *, attributions: Sequence[str]
) -> str:
    """A friendly 404: what was not found, the closest names, and the search box."""
    body = f"<p>{escape(message)}</p>" + (
        "<p>Did you mean:</p>" + _hit_list(suggestions)
        if suggestions
        else "<p>No close names. Try a ward name such as Edgeley, or an ONS code.</p>"
    )
    return page(
        "Not found",
        body + search_form(query),
        attributions=attributions,
        nav=[("Home", "/")],
        heading="Not found",
    )
