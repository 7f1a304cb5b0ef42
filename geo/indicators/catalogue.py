"""What an indicator is: id, unit, polarity, sources and how it is computed from LSOA inputs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Literal, TypeVar

import pandas as pd

from geo.errors import StoreError
from geo.vocabulary import AGGREGATE_TYPES, AREA_TYPES, is_missing

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


def count_indicator(
    id: str,
    title: str,
    *,
    theme: str,
    source_ids: tuple[str, ...],
    numerator: str,
    description: str,
    unit: str = "persons",
    polarity: Polarity = "higher_is_worse",
    warning: str = "",
    area_types: tuple[str, ...] = AREA_TYPES,
) -> IndicatorDef:
    """A count: the apportioned sum of one LSOA input column (`unit` persons unless said)."""
    return IndicatorDef(
        id=id,
        title=title,
        theme=theme,
        unit=unit,
        polarity=polarity,
        kind="count",
        source_ids=source_ids,
        numerator=numerator,
        description=description,
        warning=warning,
        area_types=area_types,
    )


def share_indicator(
    id: str,
    title: str,
    *,
    theme: str,
    source_ids: tuple[str, ...],
    numerator: str,
    denominator: str,
    description: str,
    polarity: Polarity = "higher_is_worse",
    ci: bool = False,
    warning: str = "",
    area_types: tuple[str, ...] = AREA_TYPES,
) -> IndicatorDef:
    """A proportion in [0, 1]: apportioned `numerator` over apportioned `denominator`."""
    return IndicatorDef(
        id=id,
        title=title,
        theme=theme,
        unit="proportion",
        polarity=polarity,
        kind="proportion",
        source_ids=source_ids,
        numerator=numerator,
        denominator=denominator,
        description=description,
        ci=ci,
        warning=warning,
        area_types=area_types,
    )


def mean_indicator(
    id: str,
    title: str,
    *,
    theme: str,
    unit: str,
    source_ids: tuple[str, ...],
    numerator: str,
    denominator: str,
    description: str,
    polarity: Polarity,
    scale: float = 1.0,
    warning: str = "",
    area_types: tuple[str, ...] = AREA_TYPES,
) -> IndicatorDef:
    """A weighted mean: apportioned weight x value (`numerator`) over the weight (`denominator`)."""
    return IndicatorDef(
        id=id,
        title=title,
        theme=theme,
        unit=unit,
        polarity=polarity,
        kind="mean",
        source_ids=source_ids,
        numerator=numerator,
        denominator=denominator,
        description=description,
        scale=scale,
        warning=warning,
        area_types=area_types,
    )


def value_indicator(
    id: str,
    title: str,
    *,
    theme: str,
    unit: str,
    source_ids: tuple[str, ...],
    column: str,
    description: str,
    polarity: Polarity,
    warning: str = "",
    area_types: tuple[str, ...] = AREA_TYPES,
) -> IndicatorDef:
    """A value computed for each area directly (e.g. a zonal mean), read from `column`."""
    return IndicatorDef(
        id=id,
        title=title,
        theme=theme,
        unit=unit,
        polarity=polarity,
        kind="value",
        source_ids=source_ids,
        column=column,
        description=description,
        warning=warning,
        area_types=area_types,
    )


def published_indicator(
    id: str,
    title: str,
    *,
    theme: str,
    unit: str,
    source_ids: tuple[str, ...],
    column: str,
    decile_column: str,
    description: str,
    polarity: Polarity,
    warning: str = "",
    area_types: tuple[str, ...] = ("lsoa",),
) -> IndicatorDef:
    """An LSOA's own published value (`column`) with its published decile."""
    return IndicatorDef(
        id=id,
        title=title,
        theme=theme,
        unit=unit,
        polarity=polarity,
        kind="published",
        source_ids=source_ids,
        column=column,
        decile_column=decile_column,
        description=description,
        warning=warning,
        area_types=area_types,
    )


def catalogue_frame(
    defs: Iterable[IndicatorDef],
    *,
    vintages: dict[str, str],
    standin_sources: frozenset[str] | set[str] = frozenset(),
) -> pd.DataFrame:
    """One row per indicator, for the store's catalogue table: every field of
    :class:`IndicatorDef`, tuples joined with the store's list separator, plus `vintage`.

    `standin` is true when the definition says so or when any of its sources is one of
    `standin_sources` (the same rule as the records' flag)."""
    rows = []
    for d in defs:
        row: dict[str, object] = {}
        for f in fields(IndicatorDef):
            value = getattr(d, f.name)
            row[f.name] = LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value
        row["standin"] = d.standin or bool(set(d.source_ids) & set(standin_sources))
        row["vintage"] = "; ".join(vintages.get(s, "") for s in d.source_ids)
        rows.append(row)
    return pd.DataFrame(rows)


def _text(row: dict[str, object], key: str) -> str | None:
    value = row.get(key)
    return None if is_missing(value) else str(value)


def _items(row: dict[str, object], key: str) -> tuple[str, ...]:
    return tuple(p for p in (_text(row, key) or "").split(LIST_SEPARATOR) if p)


def defs_from_catalogue(frame: pd.DataFrame) -> list[IndicatorDef]:
    """Rebuild indicator definitions from the store's catalogue table, field by field.

    The inverse of :func:`catalogue_frame`: ``defs_from_catalogue(catalogue_frame(d)) == d``
    (tested, with a check that every field of :class:`IndicatorDef` is written). A field
    missing from an older catalogue takes its default.
    """
    defs = []
    for record in frame.to_dict("records"):
        row = {str(k): v for k, v in record.items()}
        scale = _text(row, "scale")
        defs.append(
            IndicatorDef(
                id=str(row["id"]),
                title=str(row["title"]),
                theme=str(row["theme"]),
                unit=str(row["unit"]),
                polarity=_polarity(row["polarity"]),
                kind=_kind(row["kind"]),
                source_ids=_items(row, "source_ids"),
                description=str(row["description"]),
                numerator=_text(row, "numerator"),
                denominator=_text(row, "denominator"),
                column=_text(row, "column"),
                decile_column=_text(row, "decile_column"),
                ci=bool(row.get("ci", False)),
                area_types=_items(row, "area_types") or AREA_TYPES,
                warning=_text(row, "warning") or "",
                standin=bool(row.get("standin", False)),
                scale=float(scale) if scale is not None else 1.0,
            )
        )
    return defs


_Choice = TypeVar("_Choice", bound=str)

_POLARITIES: tuple[Polarity, ...] = ("higher_is_worse", "higher_is_better", "neutral")
_KINDS: tuple[Kind, ...] = ("count", "proportion", "mean", "published", "value")


def _one_of(value: object, allowed: tuple[_Choice, ...], what: str) -> _Choice:
    for option in allowed:
        if value == option:
            return option
    msg = f"unknown {what} {value!r} in the indicator catalogue"
    raise StoreError(msg)


def _polarity(value: object) -> Polarity:
    return _one_of(value, _POLARITIES, "polarity")


def _kind(value: object) -> Kind:
    return _one_of(value, _KINDS, "kind")
