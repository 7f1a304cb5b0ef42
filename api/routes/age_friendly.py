"""The age-friendly priority index with the user's weights: /age-friendly."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response

from api.openapi import error_responses, ok_response, query_param
from api.params import negotiate, reject_unknown
from api.render import csv_response, html_response
from api.responses import CSV, HTML, JSON, json_response, records_json
from api.service import Service
from geo.query.priority import (
    PRESETS,
    PRIORITY_COMPONENTS,
    WEIGHTS_PATTERN,
    area_priorities,
    parse_weights,
)
from maps.format import format_value
from maps.html import page, table


def register(app: FastAPI, service: Service) -> None:
    """Add /age-friendly."""
    router = APIRouter(tags=["Profiles and indicators"])
    store = service.store
    weight_help = (
        "Custom weights as component:weight pairs, comma separated, e.g. "
        "share_aged_65_plus:2,idaopi_per_1000_residents:1,households_gs_access_local:1 "
        "(overrides preset)."
    )

    @router.get(
        "/age-friendly",
        responses={**ok_response(JSON, HTML, CSV), **error_responses(400, 404)},
        openapi_extra={
            "parameters": [
                query_param(
                    "area_type",
                    {"type": "string", "enum": ["lsoa", "ward", "neighbourhood"]},
                    "Areas to compare (default ward).",
                ),
                query_param(
                    "preset", {"type": "string", "enum": list(PRESETS)}, "Named weighting."
                ),
                query_param("weights", {"type": "string", "pattern": WEIGHTS_PATTERN}, weight_help),
                query_param("f", {"type": "string", "enum": ["json", "html", "csv"]}, "Format."),
            ]
        },
    )
    async def age_friendly(request: Request) -> Response:
        """Age-friendly priority: real components side by side and an index from your weights."""
        reject_unknown(request, {"area_type", "preset", "weights", "f"})
        fmt = negotiate(request, {"json": JSON, "html": HTML, "csv": CSV}, default="json")
        area_type = request.query_params.get("area_type", "ward")
        label, weights = parse_weights(
            request.query_params.get("weights"), preset=request.query_params.get("preset")
        )
        frame = area_priorities(store, area_type, weights=weights)
        sources = {s for c in PRIORITY_COMPONENTS for s in store.indicator(c).source_ids}
        attribution = store.attribution_for(sources)
        rationale = PRESETS[label].rationale if label in PRESETS else "Weights set by the user."
        if fmt == "csv":
            return csv_response(frame.rename_axis("area_code").reset_index())
        if fmt == "html":
            rows = [
                [
                    f"{rank:.0f}",
                    str(row["name"]),
                    *(format_value(row[c], store.indicator(c).unit) for c in PRIORITY_COMPONENTS),
                    f"{row['index']:.0f} of 100",
                ]
                for rank, (_, row) in zip(frame["rank"], frame.iterrows(), strict=True)
            ]
            weights_text = ", ".join(
                f"{what}: {weights[c]:g}" for c, (_, what) in PRIORITY_COMPONENTS.items()
            )
            body = (
                f"<p>Weighting <b>{label}</b> ({rationale}) Weights: {weights_text}. "
                "Each component is scaled 0-100 among the areas (100 = most priority); the "
                "index is their weighted mean. Other presets: "
                + ", ".join(
                    f'<a href="?area_type={area_type}&amp;preset={p}&amp;f=html">{p}</a>'
                    for p in PRESETS
                )
                + ".</p>"
                + table(
                    [
                        "rank",
                        "area",
                        *(store.indicator(c).title for c in PRIORITY_COMPONENTS),
                        "index",
                    ],
                    rows,
                )
            )
            return html_response(
                page("Age-friendly priority", body, attributions=attribution, nav=[("Home", "/")])
            )
        return json_response(
            {
                "area_type": area_type,
                "weighting": label,
                "rationale": rationale,
                "weights": weights,
                "presets": {
                    k: {"weights": dict(p.weights), "rationale": p.rationale}
                    for k, p in PRESETS.items()
                },
                "components": [
                    {
                        "id": c,
                        "title": store.indicator(c).title,
                        "unit": store.indicator(c).unit,
                        "higher_means_more_priority": higher,
                        "what": what,
                        "standin": bool(store.catalogue.set_index("id").at[c, "standin"]),
                    }
                    for c, (higher, what) in PRIORITY_COMPONENTS.items()
                ],
                "method": (
                    "Each component scaled 0-100 among the areas by min-max (100 = most "
                    "priority); index = weighted mean of the scaled components; rank 1 = "
                    "most priority, ties share a rank."
                ),
                "areas": records_json(frame.rename_axis("area_code").reset_index()),
                "attribution": attribution,
            }
        )

    app.include_router(router)
