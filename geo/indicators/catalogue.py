"""What an indicator is: id, unit, polarity, sources and how it is computed from LSOA inputs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Literal

import pandas as pd

from geo.vocabulary import AGGREGATE_TYPES, AREA_TYPES

LIST_SEPARATOR = ";"
"""How the catalogue (and the store, :mod:`geo.store.schema`) writes a list in one text cell."""

Polarity = Literal["higher_is_worse", "higher_is_better", "neutral"]
Kind = Literal["count", "proportion", "mean", "published", "value"]

__all__ = ["AGGREGATE_TYPES", "IndicatorDef", "catalogue_frame", "defs_from_catalogue"]


@dataclass(frozen=True)
class IndicatorDef:
    """An indicator and the recipe that computes it from columns of the LSOA input table.

    kind
        ``count``: the apportioned sum of `numerator`. ``proportion``: apportioned `numerator`
        divided by apportioned `denominator` (in [0, 1]), with a Wilson 95% interval when `ci`.
        ``mean``: a weighted mean, `numerator` holding weight x value and `denominator` the
        weight (e.g. residents). ``published``: the LSOA's own published value in `column`.
        ``value``: a value computed for each area directly (e.g. a zonal mean), in `column`.
        `scale` multiplies count, proportion and mean values (e.g. 1000 for "per 1,000").
    """

    id: str
    title: str
    theme: str
    unit: str
    polarity: Polarity
    kind: Kind
    source_ids: tuple[str, ...]
    description: str
    numerator: str | None = None
    denominator: str | None = None
    column: str | None = None
    decile_column: str | None = None
    ci: bool = False
    area_types: tuple[str, ...] = AREA_TYPES
    warning: str = ""
    standin: bool = False
    scale: float = 1.0

    def input_columns(self) -> list[str]:
        """LSOA input columns this indicator reads."""
        return [c for c in (self.numerator, self.denominator, self.column) if c]


def catalogue_frame(defs: Iterable[IndicatorDef], *, vintages: dict[str, str]) -> pd.DataFrame:
    """One row per indicator, for the store's catalogue table: every field of
    :class:`IndicatorDef`, tuples joined with the store's list separator, plus `vintage`."""
    rows = []
    for d in defs:
        row: dict[str, object] = {}
        for f in fields(IndicatorDef):
            value = getattr(d, f.name)
            row[f.name] = LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value
        row["vintage"] = "; ".join(vintages.get(s, "") for s in d.source_ids)
        rows.append(row)
    return pd.DataFrame(rows)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


_TUPLE_FIELDS = {"source_ids", "area_types"}
_OPTIONAL_TEXT_FIELDS = {"numerator", "denominator", "column", "decile_column"}


def defs_from_catalogue(frame: pd.DataFrame) -> list[IndicatorDef]:
    """Rebuild indicator definitions from the store's catalogue table, field by field.

    The inverse of :func:`catalogue_frame`: ``defs_from_catalogue(catalogue_frame(d)) == d``.
    A field missing from an older catalogue takes its default.
    """
    defs = []
    for row in frame.to_dict("records"):
        kwargs: dict[str, object] = {}
        for f in fields(IndicatorDef):
            if f.name not in row:
                continue
            value = row[f.name]
            if f.name in _TUPLE_FIELDS:
                kwargs[f.name] = tuple(p for p in str(value).split(LIST_SEPARATOR) if p)
            elif f.name in _OPTIONAL_TEXT_FIELDS:
                kwargs[f.name] = None if _is_missing(value) else str(value)
            elif f.name in ("ci", "standin"):
                kwargs[f.name] = bool(value)
            elif f.name == "scale":
                kwargs[f.name] = 1.0 if _is_missing(value) else float(str(value))
            elif f.name == "warning":
                kwargs[f.name] = "" if _is_missing(value) else str(value)
            else:
                kwargs[f.name] = str(value)
        defs.append(IndicatorDef(**kwargs))  # type: ignore[arg-type]
    return defs
