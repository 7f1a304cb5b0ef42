"""Parse and transform bounding boxes (OGC API - Features `bbox` and `bbox-crs`).

Malformed boxes (not 4 or 6 finite numbers) are refused. Well-formed boxes are read as the
standard says, and forgivingly where it allows: in a geographic CRS a west edge east of the
east edge is a box crossing the antimeridian; coordinates beyond the CRS's domain are clamped
to it; corners given with the y values the wrong way round are put in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.crs import BNG_URI, CRS84_URI, lat_lon_order, transformer
from geo.errors import InvalidParameterError

_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_HUGE = 1e15
# Where the British National Grid is defined (EPSG:27700 area of use, rounded outwards).
_BNG_LON = (-9.0, 3.0)
_BNG_LAT = (49.0, 61.0)


@dataclass(frozen=True)
class BBox:
    """A validated box in x/y order (lon/lat in geographic CRSs); minx > maxx crosses 180°."""

    minx: float
    miny: float
    maxx: float
    maxy: float
    crs: str = CRS84_URI


def parse_bbox(text: str, *, crs: str = CRS84_URI) -> BBox:
    """Parse `minx,miny,maxx,maxy` (or 6 numbers with heights) in the axis order of `crs`.

    For EPSG:4326 the numbers are lat/lon (the CRS's axis order) and are swapped to x/y here.
    """
    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (4, 6):
        msg = (
            "bbox must be 4 numbers (minx,miny,maxx,maxy) or 6 with heights; "
            f"got {len(parts)} value(s)"
        )
        raise InvalidParameterError(msg)
    if not all(_NUMBER.match(p) for p in parts):
        msg = f"bbox values must be decimal numbers; got {text!r}"
        raise InvalidParameterError(msg)
    # A literal too large for a float (1e999) overflows to infinity and is clamped below.
    numbers = [max(-_HUGE, min(_HUGE, float(p))) for p in parts]
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    x0, y0, x1, y1 = numbers
    if lat_lon_order(crs):
        x0, y0, x1, y1 = y0, x0, y1, x1
    y0, y1 = min(y0, y1), max(y0, y1)
    if crs == BNG_URI:
        x0, x1 = min(x0, x1), max(x0, x1)
    else:
        x0, x1 = (max(-180.0, min(180.0, v)) for v in (x0, x1))
        y0, y1 = (max(-90.0, min(90.0, v)) for v in (y0, y1))
    return BBox(x0, y0, x1, y1, crs)


def _lonlat_ring(minx: float, miny: float, maxx: float, maxy: float, crs: str) -> BaseGeometry:
    minx, maxx = max(minx, _BNG_LON[0]), min(maxx, _BNG_LON[1])
    miny, maxy = max(miny, _BNG_LAT[0]), min(maxy, _BNG_LAT[1])
    if minx >= maxx or miny >= maxy:
        return Polygon()
    t = np.linspace(0, 1, 16)
    xs = np.concatenate(
        [
            minx + (maxx - minx) * t,
            np.full_like(t, maxx),
            maxx - (maxx - minx) * t,
            np.full_like(t, minx),
        ]
    )
    ys = np.concatenate(
        [
            np.full_like(t, miny),
            miny + (maxy - miny) * t,
            np.full_like(t, maxy),
            maxy - (maxy - miny) * t,
        ]
    )
    x, y = transformer(crs, BNG_URI).transform(xs, ys)
    return Polygon(zip(x, y, strict=True))


def bbox_polygon_bng(box: BBox) -> BaseGeometry:
    """The box as a geometry in EPSG:27700 (edges densified; empty if off the grid's domain)."""
    if box.crs == BNG_URI:
        return shapely.box(box.minx, box.miny, box.maxx, box.maxy)
    if box.minx > box.maxx:  # crosses the antimeridian: two boxes
        return shapely.union(
            _lonlat_ring(box.minx, box.miny, 180.0, box.maxy, box.crs),
            _lonlat_ring(-180.0, box.miny, box.maxx, box.maxy, box.crs),
        )
    return _lonlat_ring(box.minx, box.miny, box.maxx, box.maxy, box.crs)
