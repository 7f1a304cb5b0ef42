"""Which LSOA, ward and neighbourhood a point is in."""

from __future__ import annotations

from shapely.geometry import Point

from geo.errors import AreaNotFoundError
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
