"""The one HTML shell: one stylesheet, one stand-in badge, one footer with attribution.

Every page the service writes (API `f=html` pages, the index, profiles, map pages) takes its
CSS, badge and footer from here. Text is escaped; pages hold no scripts of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

STANDIN_BADGE = (
    '<span class="standin-badge" role="note">SYNTHETIC STAND-IN: invented data with the official '
    "schema, not an observation</span>"
)
"""The one stand-in marker, on every page that shows a figure built from a synthetic layer."""

STANDIN_MARK = '<span class="standin-badge">stand-in</span>'
"""The short per-row form of the badge, explained once on the page by :data:`STANDIN_BADGE`."""

STANDIN_NOTE = (
    f'<p class="standin-note">{STANDIN_BADGE} Some values on this page are built from '
    "synthetic stand-in layers, not observations: do not use them for decisions.</p>"
)

BADGE_CSS = """
.standin-badge{display:inline-block;background:#fff3cd;border:2px solid #b45309;color:#7c2d12;
font-weight:600;padding:2px 6px;margin:2px 0;font-size:12px}
"""

STYLESHEET = (
    # every page
    """
html,body{margin:0;font-family:system-ui,sans-serif;color:#1a1a1a}
.attribution{font-size:.8rem;color:#444}nav a{margin-right:1rem}@media print{nav{display:none}}
"""
    # plain pages (API f=html, the index): body class "page"
    """
body.page{margin:1.5rem auto;max-width:72rem;padding:0 1rem}
@media (max-width:640px){.page table{display:block;overflow-x:auto;max-width:100%}}
"""
    # the front door and search pages
    """
.search-form{margin:1rem 0 1.5rem}.search-form label{display:block;font-weight:600;
margin-bottom:.35rem}.search-form input{font-size:1.1rem;padding:.45rem .6rem;width:min(32rem,100%);
box-sizing:border-box;border:2px solid #555;border-radius:4px}.search-form button{font-size:1.05rem;
padding:.45rem 1rem;margin-top:.5rem;background:#0b5394;color:#fff;border:0;border-radius:4px}
.area-list{columns:16rem;padding-left:1.1rem}.hits li{margin:.35rem 0}

.feature-map{margin:0 0 1rem}.feature-map svg{max-width:100%;height:auto;border:1px solid #bbb}
.feature-map figcaption{font-size:.85rem;max-width:320px}
.page table{border-collapse:collapse;font-size:.9rem}.page th,.page td{border:1px solid #ccc;
padding:.25rem .5rem;text-align:left;vertical-align:top}.page th{background:#f2f2f2}
"""
    # map pages: legend and caption over the map
    """
.map-legend{position:absolute;bottom:24px;right:10px;z-index:1000;background:#fff;padding:8px 10px;
border:1px solid #999;border-radius:4px;font-size:12px;max-width:260px}
.overlay-key summary,.map-legend>summary{cursor:pointer;margin-top:4px}
.map-legend:not([open]){padding:4px 8px}.map-legend>strong{display:block}
.map-legend i{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;
border:1px solid #777}.map-caption{position:absolute;bottom:48px;left:10px;z-index:1000;
background:rgba(255,255,255,.92);padding:6px 8px;font-size:11px;max-width:60%;border:1px solid #bbb}
.map-header{position:absolute;top:10px;left:54px;right:60px;z-index:1000;background:#fff;
padding:4px 10px;border:1px solid #999;border-radius:4px;font-size:13px}
.map-header h1{display:inline;font-size:16px;margin:0 .4rem}.map-header a{margin-right:.4rem}
@media (max-width:640px){.map-header span{display:none}}
@media print{.leaflet-control-layers{display:none}}
"""
    # the one-page profile
    """
.profile{max-width:72rem;margin:0 auto;padding:1rem 1.25rem}
.profile table{border-collapse:collapse;font-size:.86rem;width:100%;margin-bottom:1rem}
.profile th,.profile td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;
vertical-align:top}.profile th{background:#f2f2f2}.profile td.num{text-align:right}
.profile .summary{font-size:1.05rem;line-height:1.5}.mapbox{position:relative;height:260px;
border:1px solid #bbb}
.profile td{overflow-wrap:break-word}
.profile nav button{font-size:1rem;padding:.2rem .8rem}
.profile details.theme>summary,.profile details.caveats>summary{cursor:pointer;padding:.3rem 0}
.profile details>summary h3,.profile details>summary h2{display:inline;margin:0}
.profile details.definition{font-size:.8rem;font-weight:400;color:#333}
.profile details.definition>summary{color:#0b5394;cursor:pointer}
.profile .src a{font-size:.75rem;font-weight:400}.profile .scale-key{font-size:.8rem}
.profile .headline table td:last-child div{font-size:.8rem}.print-only{display:none}
@media (max-width:640px){.profile{padding:.5rem}.profile table.reflow thead{display:none}
.profile table.reflow,.profile table.reflow tbody,.profile table.reflow tr,
.profile table.reflow th,.profile table.reflow td{display:block;width:auto}
.profile table.reflow tr{border:1px solid #bbb;margin-bottom:.5rem}
.profile table.reflow td{border:0;border-top:1px solid #eee}
.profile table.reflow td::before{content:attr(data-label) ": ";font-weight:600}
.profile table.reflow td.num{text-align:left}svg.scale{max-width:100%}.mapbox{height:320px}
.map-legend{font-size:10px;max-width:45%;bottom:16px}.mapbox{height:260px}}
@page{size:A4;margin:12mm}
@media print{.profile{max-width:none;padding:0}.profile nav,.leaflet-control-container,
details.theme,details.caveats,.profile details.definition,.profile .src,.print-button,
.map-caption{display:none}.print-only{display:block}.mapbox{height:260px;break-inside:avoid}
.profile table{font-size:8pt;margin-bottom:.4rem}.profile th,.profile td{padding:1px 4px}
.profile h1{font-size:16pt;margin:0 0 2pt}.profile h2{font-size:12pt;margin:6pt 0 2pt}
.profile p{margin:3pt 0;font-size:9pt}.profile .summary{font-size:9.5pt}tr{break-inside:avoid}
.sources{font-size:6.5pt}.sources li{margin:0}.sources ol{columns:2;margin:0}
.profile .sources p{font-size:6.5pt}.screen-only,.services-table,.standing{display:none}
.services-compact{columns:2;column-gap:1.5em}
.profile .services-compact p{font-size:7.5pt;margin:0 0 2pt}
.sources .about,.services-table td:last-child,.services-table th:last-child{display:none}
.mapbox>div{height:100%!important}.headline th[scope=row]{width:34%}
.headline td:last-child div{display:none}}
""" + BADGE_CSS
)
"""The one stylesheet of every page the service writes: plain pages, maps and profiles."""


def attribution_footer(attributions: Iterable[str]) -> str:
    """The footer listing every attribution owed for what the page shows."""
    lines = "".join(f"<li>{escape(a)}</li>" for a in attributions)
    if not lines:
        return ""
    return f'<footer class="attribution"><h2>Sources and licences</h2><ul>{lines}</ul></footer>'


def page(
    title: str,
    body: str,
    *,
    attributions: Iterable[str] = (),
    standin: bool = False,
    nav: Sequence[tuple[str, str]] = (),
    heading: str | None = None,
) -> str:
    """A whole HTML page; `body` must already be escaped HTML. `heading` defaults to `title`."""
    links = "".join(f'<a href="{escape(href)}">{escape(label)}</a>' for label, href in nav)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{STYLESHEET}</style></head>"
        '<body class="page">'
        f"<nav>{links}</nav><h1>{escape(heading or title)}</h1>"
        f"{STANDIN_NOTE if standin else ''}{body}"
        f"{attribution_footer(attributions)}"
        "</body></html>"
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, caption: str = "") -> str:
    """An HTML table; cells are escaped unless they are already `Markup`."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{cell if isinstance(cell, Markup) else escape(str(cell))}</td>" for cell in row
        )
        + "</tr>"
        for row in rows
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Markup(str):
    """A string of trusted HTML that `table` will not escape."""

    __slots__ = ()


def link(href: str, text: str) -> Markup:
    """An escaped link."""
    return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')
