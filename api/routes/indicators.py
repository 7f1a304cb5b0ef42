"""The indicator catalogue: /indicators and /indicators/{id}."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response

from api.links import url
from api.openapi import error_responses, ok_response, query_param
from api.params import negotiate, reject_unknown
from api.render import csv_response, html_response
from api.responses import CSV, HTML, JSON, json_response, records_json
from api.service import Service
from geo.errors import IndicatorNotFoundError
from geo.store.schema import split_list
from maps.html import page, table


def register(app: FastAPI, service: Service) -> None:
    """Add /indicators and /indicators/{indicator_id}."""
    router = APIRouter(tags=["Profiles and indicators"])
    store = service.store

    @router.get(
        "/indicators",
        responses={**ok_response(JSON, HTML, CSV), **error_responses(400)},
        openapi_extra={
            "parameters": [
                query_param("f", {"type": "string", "enum": ["json", "html", "csv"]}, "Format.")
            ]
        },
    )
    async def indicators(request: Request) -> Response:
        """The indicator catalogue with metadata and provenance."""
        reject_unknown(request, {"f"})
        fmt = negotiate(request, {"json": JSON, "html": HTML, "csv": CSV}, default="json")
        catalogue = store.catalogue
        if fmt == "csv":
            return csv_response(catalogue)
        prov = store.provenance.set_index("source_id")
        items = []
        for row in records_json(catalogue):
            ids = split_list(row["source_ids"])
            row["sources"] = [
                {
                    "id": s,
                    **{
                        k: prov.at[s, k]
                        for k in ("title", "publisher", "licence", "attribution", "vintage")
                    },
                    "standin": bool(prov.at[s, "standin"]),
                }
                for s in ids
                if s in prov.index
            ]
            row["standin"] = bool(row["standin"]) or any(s["standin"] for s in row["sources"])
            row["links"] = [
                {
                    "href": url(request, f"/maps/{t}/{row['id']}"),
                    "rel": "related",
                    "type": "text/html",
                    "title": f"map by {t}",
                }
                for t in split_list(row["area_types"])
                if t != "borough"
            ]
            items.append(row)
        if fmt == "html":
            body = table(
                ["id", "title", "unit", "polarity", "areas", "sources"],
                [
                    [
                        i["id"],
                        i["title"],
                        i["unit"],
                        i["polarity"],
                        i["area_types"],
                        i["source_ids"],
                    ]
                    for i in items
                ],
            )
            return html_response(
                page(
                    "Indicators",
                    body,
                    attributions=store.attribution_lines(),
                    nav=[("Home", "/")],
                )
            )
        return json_response({"indicators": items, "count": len(items)})

    @router.get(
        "/indicators/{indicator_id}", responses={**ok_response(JSON), **error_responses(400, 404)}
    )
    async def indicator(request: Request, indicator_id: str) -> Response:
        """One indicator's metadata and its values for every area and method."""
        reject_unknown(request, set())
        catalogue = store.catalogue.set_index("id")
        if indicator_id not in catalogue.index:
            msg = f"no indicator {indicator_id!r}; see /indicators"
            raise IndicatorNotFoundError(msg)
        meta = records_json(catalogue.loc[[indicator_id]].reset_index())[0]
        values = store.values[store.values["indicator_id"] == indicator_id]
        meta["values"] = records_json(values.drop(columns=["indicator_id"]))
        return json_response(meta)

    app.include_router(router)
