"""Local services inside an area, read from the store's service layers (no HTTP here)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.store import StoreContent
from geo.vocabulary import SERVICE_KINDS

SERVICE_LAYER_PREFIX = "services_"
"""Store feature layers of local services are named `services_<file>` (their source id)."""

SERVICE_COLUMNS = ["kind", "kind_label", "name", "address", "postcode", "details", "feature_id"]


def service_layers(store: StoreContent) -> dict[str, pd.DataFrame]:
    """The store's service feature layers by layer id."""
    return {k: v for k, v in store.features.items() if k.startswith(SERVICE_LAYER_PREFIX)}


def services_in_area(store: StoreContent, area_type: str, code: str) -> pd.DataFrame:
    """Every service whose location (a point, or a point inside its building) is inside the
    area, ordered by kind and name. A hospital's several buildings are listed once, with the
    first building's feature id. Columns: :data:`SERVICE_COLUMNS`."""
    area = store.areas[area_type].geometry.loc[code]
    found = []
    kept = [c for c in SERVICE_COLUMNS if c != "kind_label"]
    for frame in service_layers(store).values():
        # Arrays, not frames: a few rows of a layer with many columns, picked per page.
        near = np.sort(frame.sindex.query(area, predicate="intersects"))
        where = shapely.point_on_surface(frame.geometry.to_numpy()[near])
        chosen = near[shapely.within(where, area)]
        found.append(pd.DataFrame({c: frame[c].to_numpy()[chosen] for c in kept}))
    if not found:
        return pd.DataFrame(columns=SERVICE_COLUMNS)
    listed = pd.concat(found, ignore_index=True)
    hospitals = listed["kind"] == "hospital"
    listed = pd.concat(
        [listed[~hospitals], listed[hospitals].drop_duplicates(["name"])], ignore_index=True
    )
    order = {kind: n for n, kind in enumerate(SERVICE_KINDS)}
    listed["kind_label"] = listed["kind"].map(lambda k: SERVICE_KINDS[k][0].capitalize())
    listed = listed.assign(_order=listed["kind"].map(order)).sort_values(
        ["_order", "name"], kind="stable"
    )
    return listed[SERVICE_COLUMNS].reset_index(drop=True)
