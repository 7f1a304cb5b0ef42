"""Turn the LSOA input table and weight tables into indicator records for every area."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from geo.apportion import apportion
from geo.indicators.catalogue import LIST_SEPARATOR, IndicatorDef
from geo.stats import wilson_interval
from geo.vocabulary import METHOD_PREFERENCE

RECORD_COLUMNS = [
    "indicator_id",
    "area_type",
    "area_code",
    "method",
    "value",
    "unit",
    "numerator",
    "denominator",
    "ci_low",
    "ci_high",
    "national_decile",
    "rank",
    "rank_of",
    "rank_tied",
    "england_percentile",
    "polarity",
    "source_id",
    "vintage",
    "standin",
    "note",
]
"""Columns of an indicator record, as stored and served."""


def _records_for(
    defs: Sequence[IndicatorDef],
    lsoa_inputs: pd.DataFrame,
    weights: pd.DataFrame,
    *,
    area_type: str,
    method: str,
) -> pd.DataFrame:
    wanted = [d for d in defs if area_type in d.area_types]
    columns = sorted(
        {c for d in wanted for c in d.input_columns() if d.kind not in ("published", "value")}
    )
    sums = apportion(lsoa_inputs[columns], weights) if columns else pd.DataFrame()
    frames = []
    for d in wanted:
        if d.kind in ("published", "value"):
            if d.kind == "published" and area_type != "lsoa":
                continue
            series = lsoa_inputs[d.column]
            frame = pd.DataFrame({"area_code": series.index, "value": series.to_numpy(dtype=float)})
            frame["note"] = np.where(frame["value"].isna(), "not published (suppressed)", "")
        else:
            assert d.numerator is not None
            num = sums[d.numerator]
            missing = sums[f"{d.numerator}__missing"]
            den = sums[d.denominator] if d.denominator else None
            if d.kind == "count":
                value = num
            else:
                assert den is not None
                value = num / den.where(den > 0)
            all_missing = missing >= sums["__weight"] - 1e-9
            value = value.where(~all_missing) * d.scale
            frame = pd.DataFrame({"area_code": sums.index, "value": value.to_numpy(dtype=float)})
            if d.kind in ("count", "proportion"):
                frame["numerator"] = num.where(~all_missing).to_numpy(dtype=float)
            if den is not None:
                frame["denominator"] = den.to_numpy(dtype=float)
            if d.ci and den is not None:
                low, high = wilson_interval(frame["numerator"], frame["denominator"])
                frame["ci_low"], frame["ci_high"] = low, high
            frame["note"] = [
                "suppressed (small count)"
                if gone
                else (
                    f"lower bound: suppressed counts in {part:.2f} LSOA(s) not included"
                    if part > 0
                    else ""
                )
                for gone, part in zip(all_missing, missing, strict=True)
            ]
        if d.decile_column and area_type == "lsoa":
            frame["national_decile"] = lsoa_inputs.loc[
                frame["area_code"], d.decile_column
            ].to_numpy()
        frame["indicator_id"] = d.id
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    result["area_type"] = area_type
    result["method"] = method
    return result


def _rank(records: pd.DataFrame, polarity: pd.Series, rankable: pd.Series) -> pd.DataFrame:
    """Rank areas among peers (same indicator, area type and method); 1 = most concern.

    Only where a higher value is better or worse (`rankable`): a neutral indicator, or a count
    that grows with the size of the area, gets no rank. Ties share the best rank ("=3").
    """
    concern = records["value"].where(polarity != "higher_is_better", -records["value"])
    keys = [records[c] for c in ("indicator_id", "area_type", "method")]
    records["rank"] = concern.groupby(keys).rank(ascending=False, method="min").where(rankable)
    records["rank_of"] = records["value"].groupby(keys).transform("count").where(rankable)
    same = records.groupby([*keys, records["rank"]])["value"].transform("size")
    records["rank_tied"] = (same > 1) & records["rank"].notna()
    return records


def is_rankable(definition: IndicatorDef) -> bool:
    """Whether areas can be ranked on an indicator: it has a direction and is not a count."""
    return definition.polarity != "neutral" and definition.kind != "count"


def compute_records(
    defs: Sequence[IndicatorDef],
    lsoa_inputs: pd.DataFrame,
    weights: Mapping[tuple[str, str], pd.DataFrame],
    *,
    vintages: Mapping[str, str],
    standin_sources: set[str],
) -> pd.DataFrame:
    """Compute every indicator for every (area type, method) weight table.

    Parameters
    ----------
    defs
        The indicators.
    lsoa_inputs
        One row per LSOA (index: LSOA code) holding every input column the indicators name.
    weights
        ``{(area_type, method): weight table}`` as made by :mod:`geo.apportion`; for LSOAs, an
        identity table.
    vintages
        Source id -> vintage text.
    standin_sources
        Ids of sources that are synthetic stand-ins; records built from one are flagged.
    """
    parts = [
        _records_for(defs, lsoa_inputs, table, area_type=area_type, method=method)
        for (area_type, method), table in weights.items()
    ]
    records = pd.concat(parts, ignore_index=True)
    by_id = {d.id: d for d in defs}
    records["unit"] = records["indicator_id"].map(lambda i: by_id[i].unit)
    records["polarity"] = records["indicator_id"].map(lambda i: by_id[i].polarity)
    records["source_id"] = records["indicator_id"].map(
        lambda i: LIST_SEPARATOR.join(by_id[i].source_ids)
    )
    records["vintage"] = records["indicator_id"].map(
        lambda i: "; ".join(vintages.get(s, "") for s in by_id[i].source_ids)
    )
    records["standin"] = records["indicator_id"].map(
        lambda i: by_id[i].standin or bool(set(by_id[i].source_ids) & standin_sources)
    )
    rankable = records["indicator_id"].map(lambda i: is_rankable(by_id[i])).astype(bool)
    records = _rank(records, records["polarity"], rankable)
    for column in RECORD_COLUMNS:
        if column not in records.columns:
            records[column] = np.nan
    records["note"] = records["note"].fillna("").astype(str)
    return records[RECORD_COLUMNS].sort_values(
        ["area_type", "method", "indicator_id", "area_code"], ignore_index=True
    )


def select_methods(records: pd.DataFrame, *, requested: str | None = None) -> pd.DataFrame:
    """Keep one record per (indicator, area type, area): the requested method if the
    indicator has it, else the first of :data:`METHOD_PREFERENCE`."""
    order = [requested] if requested else []
    order += [m.value for m in METHOD_PREFERENCE if m != requested]
    rank = records["method"].map({m: i for i, m in enumerate(order)}).fillna(len(order))
    chosen = records.assign(_rank=rank).sort_values("_rank", kind="stable")
    chosen = chosen.drop_duplicates(["indicator_id", "area_type", "area_code"])
    return chosen.drop(columns="_rank").sort_index()


def mark_not_computable(records: pd.DataFrame, reasons: Mapping[str, str]) -> pd.DataFrame:
    """Blank the value, numerator, interval and rank of `reasons`' indicators and say why
    (a figure the data can't answer is "not computable", never 0 ranked among peers)."""
    records = records.copy()
    hit = records["indicator_id"].isin(set(reasons))
    for column in ("value", "numerator", "ci_low", "ci_high", "rank", "rank_of"):
        if column in records.columns:
            records.loc[hit, column] = np.nan
    if "rank_tied" in records.columns:
        records.loc[hit, "rank_tied"] = False
    records.loc[hit, "note"] = records.loc[hit, "indicator_id"].map(dict(reasons))
    return records
