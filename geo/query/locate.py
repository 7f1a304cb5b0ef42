"""Which LSOA, ward and neighbourhood a point is in."""

from __future__ import annotations

from shapely.geometry import Point

from geo.errors import AreaNotFoundError
from geo.query.services import service_layers
from geo.store import StoreContent


def locate_point(store: StoreContent, x: float, y: float) -> dict[str, dict[str, str]]:
    """Areas containing a point given in EPSG:27700 (geometric containment, not best fit).

    The ward is the 2023 ward polygon holding the point; the neighbourhood is that ward's.
    """
    point = Point(x, y)
    found: dict[str, dict[str, str]] = {}
    for area_type in ("lsoa", "ward", "borough"):
        frame = store.areas[area_type]
        hits = frame.sindex.query(point, predicate="intersects")
        if len(hits):
            row = frame.iloc[int(hits[0])]
            found[area_type] = {"code": str(row["code"]), "name": str(row["name"])}
    if "lsoa" not in found and "ward" not in found:
        msg = f"the point ({x:.1f}, {y:.1f}) in EPSG:27700 is outside Stockport"
        raise AreaNotFoundError(msg)
    # Ward groupings give the neighbourhood of the containing ward; LSOA groupings that of the LSOA.
    wards, lsoas = store.areas["ward"], store.areas["lsoa"]
    hood_id = None
    if "ward" in found and "neighbourhood_id" in wards.columns:
        hood_id = str(wards.at[found["ward"]["code"], "neighbourhood_id"])
    elif "lsoa" in found:
        hood_id = str(lsoas.at[found["lsoa"]["code"], "neighbourhood_id"])
    hood = store.areas["neighbourhood"]
    if hood_id in hood.index:
        found["neighbourhood"] = {"code": str(hood_id), "name": str(hood.at[hood_id, "name"])}
    return found


FLOOD_ZONE_WORDS = {
    "FZ3": "Flood Zone 3: 1% or greater chance each year from rivers (or 0.5% from the sea)",
    "FZ2": "Flood Zone 2: between 0.1% and 1% chance each year from rivers",
}


def whats_here(store: StoreContent, x: float, y: float) -> dict[str, object]:
    """What lies at a point given in EPSG:27700: flood zone, surface-water band, the nearest
    accessible green space and the nearest service of each kind (straight-line metres), each
    saying whether it rests on a SYNTHETIC stand-in. The areas are :func:`locate_point`'s."""
    point = Point(x, y)
    here: dict[str, object] = {}
    zones = store.features.get("flood_zones")
    if zones is not None:
        hit = zones[zones.geometry.intersects(point)]
        zone = str(hit["zone"].iloc[0]) if len(hit) else ""
        here["flood_zone"] = {
            "zone": zone or "outside Flood Zones 2 and 3",
            "meaning": FLOOD_ZONE_WORDS.get(zone, "less than 0.1% chance each year from rivers"),
            "standin": bool(zones["standin"].all()),
        }
    water = store.features.get("surface_water")
    if water is not None:
        hit = water[water.geometry.intersects(point)]
        here["surface_water"] = {
            "risk_band": str(hit["risk_band"].iloc[0]) if len(hit) else "none mapped",
            "standin": bool(water["standin"].all()),
        }
    sites = store.features.get("greenspace_sites")
    accessible = store.accessible_functions
    if sites is not None and len(sites):
        open_sites = sites[sites["function"].isin(accessible)] if accessible else sites
        if len(open_sites):
            distance = open_sites.geometry.distance(point)
            nearest = open_sites.loc[distance.idxmin()]
            name = nearest.get("distinctive_name_1")
            here["nearest_green_space"] = {
                "name": str(name) if isinstance(name, str) and name else str(nearest["function"]),
                "function": str(nearest["function"]),
                "distance_m": round(float(distance.min())),
                "standin": bool(nearest["standin"]),
            }
    services = []
    for layer_id, frame in service_layers(store).items():
        if frame.empty:
            continue
        distance = frame.geometry.distance(point)
        nearest = frame.loc[distance.idxmin()]
        services.append(
            {
                "kind": str(nearest["kind"]),
                "name": str(nearest["name"]),
                "postcode": str(nearest["postcode"]),
                "distance_m": round(float(distance.min())),
                "feature": f"/collections/{layer_id}/items/{nearest['feature_id']}",
            }
        )
    here["nearest_services"] = sorted(services, key=lambda s: int(str(s["distance_m"])))
    here["distance_note"] = "straight-line metres, which understate the walk"
    return here
