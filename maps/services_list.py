"""The "where to get help" section of a profile: services inside the area, with their vintage."""

from __future__ import annotations

from html import escape

from geo.query.services import service_layers, services_in_area
from geo.store import StoreContent
from geo.vocabulary import SERVICE_KINDS

SERVICES_CAVEAT = (
    "Lists from open data of different dates (pharmacies 2023-24, libraries November 2023, "
    "dental practices August 2019, food banks May 2018, post offices and hospital sites April "
    "2018): a service may have opened, moved or closed since; check before referring someone."
)


def address_of(address: str, postcode: str) -> str:
    """Address and postcode, or why there is none (OS functional sites carry no address)."""
    return ", ".join(p for p in (address, postcode) if p) or "no address in the open data"


def services_html(store: StoreContent, area_type: str, code: str) -> str:
    """Services inside the area as a table (the borough gets counts by kind instead: its list
    is the collections'). Empty when the store has no service layers."""
    if not service_layers(store):
        return ""
    listed = services_in_area(store, area_type, code)
    counts = listed["kind"].value_counts()
    summary = ", ".join(
        f"{counts.get(kind, 0)} {plural if counts.get(kind, 0) != 1 else singular}"
        for kind, (singular, plural) in SERVICE_KINDS.items()
    )
    head = (
        '<section class="services"><h2>Where to get help in this area</h2>'
        f"<p>Inside the area: {escape(summary)}. {escape(SERVICES_CAVEAT)}</p>"
    )
    if area_type == "borough":
        return head + (
            '<p>Every service is in the <a href="/collections">collections</a> '
            "(pharmacies, post offices, libraries, food banks, dental practices, hospital "
            "sites) and on the maps' layer menu.</p></section>"
        )
    if listed.empty:
        return head + "</section>"
    rows = "".join(
        "<tr>"
        f'<td data-label="Service">{escape(str(r.kind_label))}</td>'
        f'<th scope="row">{escape(str(r.name))}</th>'
        f'<td data-label="Address">{escape(address_of(str(r.address), str(r.postcode)))}</td>'
        f'<td data-label="Details">{escape(str(r.details))}</td>'
        "</tr>"
        for r in listed.itertuples()
    )
    compact = "".join(
        f"<p><strong>{escape(SERVICE_KINDS[str(kind)][1].capitalize())} ({len(group)}):</strong> "
        + "; ".join(
            escape(f"{n} ({p})" if p else str(n))
            for n, p in zip(group["name"], group["postcode"], strict=True)
        )
        + "</p>"
        for kind, group in listed.groupby("kind", sort=False)
    )
    return (
        head
        + f'<div class="print-only services-compact">{compact}</div>'
        + '<table class="services-table reflow"><thead><tr><th scope="col">Service</th>'
        '<th scope="col">Name</th><th scope="col">Address</th><th scope="col">Details</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></section>"
    )
