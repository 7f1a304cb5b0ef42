"""What an indicator is: id, unit, polarity, sources and how it is computed from LSOA inputs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

import pandas as pd

from geo.areas import AREA_TYPES

Polarity = Literal["higher_is_worse", "higher_is_better", "neutral"]
Kind = Literal["count", "proportion", "mean", "published", "value"]

AGGREGATE_TYPES = ("ward", "neighbourhood", "borough")


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
    """One row per indicator, for the store's catalogue table (lists joined with ';')."""
    rows = []
    for d in defs:
        row = asdict(d)
        row["source_ids"] = ";".join(d.source_ids)
        row["area_types"] = ";".join(d.area_types)
        row["vintage"] = "; ".join(vintages.get(s, "") for s in d.source_ids)
        rows.append(row)
    return pd.DataFrame(rows)


def defs_from_catalogue(frame: pd.DataFrame) -> list[IndicatorDef]:
    """Rebuild indicator definitions from the store's catalogue table."""
    defs = []
    for row in frame.to_dict("records"):

        def text(key: str, row: dict[object, object] = row) -> str | None:
            value = row.get(key)
            return (
                None
                if value is None or (isinstance(value, float) and value != value)
                else str(value)
            )

        defs.append(
            IndicatorDef(
                id=str(row["id"]),
                title=str(row["title"]),
                theme=str(row["theme"]),
                unit=str(row["unit"]),
                polarity=row["polarity"],
                kind=row["kind"],
                source_ids=tuple(str(row["source_ids"]).split(";")),
                description=str(row["description"]),
                numerator=text("numerator"),
                denominator=text("denominator"),
                column=text("column"),
                decile_column=text("decile_column"),
                ci=bool(row["ci"]),
                area_types=tuple(str(row["area_types"]).split(";")),
                warning=text("warning") or "",
                standin=bool(row["standin"]),
            )
        )
    return defs
