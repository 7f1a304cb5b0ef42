"""Minimal, accessible HTML pages for `f=html` (escaped text, print-friendly, no scripts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

STANDIN_BADGE = (
    '<p class="standin" role="note"><strong>SYNTHETIC STAND-IN DATA:</strong> some values on '
    "this page are built from invented layers with the official schemas, not observations. Do "
    "not use them for decisions.</p>"
)

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem;color:#1a1a1a}
table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f2f2f2}.standin{background:#fff3cd;
border:2px solid #b45309;padding:.5rem}.attribution{font-size:.8rem;color:#444}
nav a{margin-right:1rem}@media print{nav{display:none}}
"""


def page(
    title: str,
    body: str,
    *,
    attributions: Iterable[str] = (),
    standin: bool = False,
    nav: Sequence[tuple[str, str]] = (),
) -> str:
    """A whole HTML page; `body` must already be escaped HTML."""
    links = "".join(f'<a href="{escape(href)}">{escape(label)}</a>' for label, href in nav)
    lines = "".join(f"<li>{escape(a)}</li>" for a in attributions)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<nav>{links}</nav><h1>{escape(title)}</h1>"
        f"{STANDIN_BADGE if standin else ''}{body}"
        f'<footer class="attribution"><h2>Sources and licences</h2><ul>{lines}</ul></footer>'
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
