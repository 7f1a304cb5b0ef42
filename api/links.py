"""Links and URLs: absolute URLs on this server, self/alternate links, the map base choice."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request

from geo.errors import InvalidParameterError
from maps.html import link


def url(request: Request, path: str, **query: object) -> str:
    """Absolute URL on this server, with query parameters (None values dropped)."""
    base = str(request.base_url).rstrip("/")
    params = {k: v for k, v in query.items() if v is not None}
    return base + path + (("?" + urlencode(params)) if params else "")


def self_and_alternates(
    request: Request, path: str, formats: dict[str, str], current: str, **query: object
) -> list[dict[str, str]]:
    """`self` link for the current format and `alternate` links for the others."""
    links = []
    seen = set()
    for name, media in formats.items():
        if media in seen and name != current:
            continue
        seen.add(media)
        links.append(
            {
                "href": url(request, path, **{**query, "f": name}),
                "rel": "self" if name == current else "alternate",
                "type": media.split(";")[0],
                "title": f"this document as {name}",
            }
        )
    return links


def links_html(links: list[dict[str, str]]) -> str:
    """A paragraph of links (escaped)."""
    return "<p>" + " ".join(link(x["href"], x["title"]) for x in links) + "</p>"


def base_of(request: Request) -> str:
    """The map pages' `base` parameter (osm by default)."""
    base = request.query_params.get("base", "osm")
    if base not in ("osm", "none"):
        msg = f"base must be osm or none; got {base!r}"
        raise InvalidParameterError(msg)
    return base


def paging_links(
    request: Request,
    path: str,
    query: dict[str, str],
    *,
    fmt: str,
    media: str,
    offset: int,
    limit: int,
    matched: int,
) -> list[dict[str, str]]:
    """`next` and `prev` links of one page of `limit` items starting at `offset`."""
    links = []
    if offset + limit < matched:
        links.append(
            {
                "href": url(
                    request, path, **{**query, "offset": offset + limit, "limit": limit, "f": fmt}
                ),
                "rel": "next",
                "type": media.split(";")[0],
                "title": "next page",
            }
        )
    if offset > 0:
        links.append(
            {
                "href": url(
                    request,
                    path,
                    **{**query, "offset": max(0, offset - limit), "limit": limit, "f": fmt},
                ),
                "rel": "prev",
                "type": media.split(";")[0],
                "title": "previous page",
            }
        )
    return links
