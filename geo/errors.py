"""Domain exceptions. They carry no HTTP status: the API maps them in one table."""

from __future__ import annotations


class GeoError(Exception):
    """Base class of every error this package raises on purpose."""

    code = "GeoError"


class SourceError(GeoError):
    """An input dataset is missing, unreadable or fails validation; the message names the file."""

    code = "InvalidSource"


class SourceMissingError(SourceError):
    """A dataset is in neither the fetch cache nor the mirror folder."""

    code = "SourceMissing"


class FetchError(GeoError):
    """A download failed or returned something that is not the dataset."""

    code = "FetchFailed"


class NoNetworkError(FetchError):
    """A download host cannot be reached at all (no network, no DNS): nothing else will work."""


class StoreError(GeoError):
    """The store is missing, unreadable or from an incompatible build."""

    code = "StoreUnavailable"


class NotFoundError(GeoError):
    """A named thing (area, indicator, collection, feature) does not exist."""

    code = "NotFound"


class AreaNotFoundError(NotFoundError):
    """No area matches the code or name asked for."""


class AmbiguousAreaError(GeoError):
    """More than one area matches a name; the message lists them."""

    code = "AmbiguousArea"


class IndicatorNotFoundError(NotFoundError):
    """No indicator has this id."""


class LayerNotFoundError(NotFoundError):
    """No layer (collection) has this id."""


class FeatureNotFoundError(NotFoundError):
    """No feature has this id in the layer."""


class InvalidParameterError(GeoError):
    """A query value (bbox, CRS, polygon, option) is malformed or out of range."""

    code = "InvalidParameterValue"


class TooComplexError(GeoError):
    """An input (a drawn polygon) past the documented size limits: refused before any work."""

    code = "TooComplex"
