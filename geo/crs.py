"""CRS constants and helpers: compute in British National Grid, publish in CRS84 by default."""

from __future__ import annotations

import re
import threading

import pyproj

from geo.errors import InvalidParameterError

BNG = "EPSG:27700"
"""British National Grid: the CRS of every computation and of the store."""

WGS84 = "EPSG:4326"
"""WGS 84 with the EPSG axis order (latitude, longitude)."""

CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
BNG_URI = "http://www.opengis.net/def/crs/EPSG/0/27700"
WGS84_URI = "http://www.opengis.net/def/crs/EPSG/0/4326"
CRS84 = CRS84_URI

SUPPORTED_CRS = (CRS84_URI, BNG_URI, WGS84_URI)
"""CRS URIs the API accepts for `crs` and `bbox-crs` (OGC API - Features Part 2)."""

_PYPROJ = {CRS84_URI: "OGC:CRS84", BNG_URI: BNG, WGS84_URI: WGS84}
_SHORT = {
    "crs84": CRS84_URI,
    "ogc:crs84": CRS84_URI,
    "epsg:27700": BNG_URI,
    "epsg:4326": WGS84_URI,
}
_URI = re.compile(r"^https?://www\.opengis\.net/def/crs/(OGC/1\.3/CRS84|EPSG/0/(\d+))$")


def normalise_crs(text: str) -> str:
    """Return the canonical URI of a supported CRS given as URI, `EPSG:n` or `[EPSG:n]`.

    Raises
    ------
    InvalidParameterError
        For an unsupported or malformed CRS; the message lists the supported URIs.
    """
    value = text.strip().strip("[]")
    short = _SHORT.get(value.lower())
    if short:
        return short
    match = _URI.match(value.replace("https://", "http://"))
    if match:
        uri = "http://www.opengis.net/def/crs/" + match.group(1)
        if uri in SUPPORTED_CRS:
            return uri
    msg = f"unsupported CRS {text!r}; supported: {', '.join(SUPPORTED_CRS)}"
    raise InvalidParameterError(msg)


def lat_lon_order(uri: str) -> bool:
    """True when the CRS's first axis is latitude (EPSG:4326), as OGC API Part 2 requires."""
    return uri == WGS84_URI


_TRANSFORMERS = threading.local()
"""Transformers made so far, per thread: building one costs milliseconds (90% of an uncached
lon/lat request), and a pyproj Transformer must not be shared between threads."""


def transformer(from_uri: str, to_uri: str) -> pyproj.Transformer:
    """A transformer working in x/y (lon/lat) order regardless of the CRS's axis order, made
    once per thread and reused."""
    made: dict[tuple[str, str], pyproj.Transformer] | None = getattr(_TRANSFORMERS, "made", None)
    if made is None:
        made = _TRANSFORMERS.made = {}
    key = (from_uri, to_uri)
    found = made.get(key)
    if found is None:
        found = made[key] = pyproj.Transformer.from_crs(
            _PYPROJ[from_uri], _PYPROJ[to_uri], always_xy=True
        )
    return found


def pyproj_name(uri: str) -> str:
    """The pyproj/geopandas name for a supported CRS URI."""
    return _PYPROJ[uri]
