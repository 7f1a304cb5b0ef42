"""Exact ward populations from Census 2021 Output Areas, when those files are present.

Output Areas nest in 2023 wards (the ONS OA -> ward lookup), so summing them gives a ward's
exact Census count, where LSOAs (best fit or area-weighted) only approximate it. The files are
optional: `stockport-geo fetch` downloads them for users with internet; the mirror here has none.

Formats read (as published):
- Nomis API CSV of TS007A (dataset NM_2020_1, age in 5-year bands) for Output Areas, with
  ``select=geography_code,c2021_age_19,obs_value`` (Nomis writes the headers in capitals):
  ``GEOGRAPHY_CODE, C2021_AGE_19, OBS_VALUE``; age code 0 is the total, 14-18 are 65 and over.
- ONS OA (2021) to ward lookup CSV: ``OA21CD`` and a ward code column ``WD2?CD``.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.errors import SourceError

AGE_TOTAL = 0
AGE_65_PLUS = (14, 15, 16, 17, 18)


def output_area_inputs(nomis: pd.DataFrame) -> pd.DataFrame:
    """Residents and residents 65+ per Output Area (index: OA code) from the Nomis TS007A CSV."""
    columns = {c.upper(): c for c in nomis.columns}
    needed = ("GEOGRAPHY_CODE", "C2021_AGE_19", "OBS_VALUE")
    missing = [c for c in needed if c not in columns]
    if missing:
        msg = f"the Output Area age table lacks column(s) {missing} (Nomis NM_2020_1 CSV)"
        raise SourceError(msg)
    frame = nomis.rename(columns={columns[c]: c for c in needed})
    age = pd.to_numeric(frame["C2021_AGE_19"], errors="coerce")
    value = pd.to_numeric(frame["OBS_VALUE"], errors="coerce")
    bad = frame.index[age.isna() | value.isna() | (value < 0)]
    if len(bad):
        row = int(bad[0]) + 2  # header is line 1
        msg = f"the Output Area age table has a bad age code or count on line {row}"
        raise SourceError(msg)
    code = frame["GEOGRAPHY_CODE"].astype(str)
    total = value[age == AGE_TOTAL].groupby(code[age == AGE_TOTAL]).sum()
    older = value[age.isin(AGE_65_PLUS)].groupby(code[age.isin(AGE_65_PLUS)]).sum()
    table = pd.DataFrame({"residents": total, "age_65_plus": older}).fillna(0.0)
    return table.rename_axis(None).astype(float)


def ward_code_column(lookup: pd.DataFrame) -> str:
    """The newest ward code column (``WD23CD``, ``WD24CD``...) of an ONS lookup."""
    ward_columns = sorted(c for c in map(str, lookup.columns) if re.fullmatch(r"WD\d\dCD", c))
    if not ward_columns:
        msg = "the OA to ward lookup needs a ward code column such as WD23CD"
        raise SourceError(msg)
    return ward_columns[-1]


def lsoa_ward_weights(
    oa_residents: pd.Series, lsoa_of_oa: pd.Series, ward_of_oa: pd.Series, *, wards: set[str]
) -> pd.DataFrame:
    """LSOA -> ward weights from Output Areas: the share of each LSOA's residents living in the
    OAs of each ward (columns ``source, target, weight``; weights of an LSOA sum to 1).

    Output Areas nest in LSOAs and in wards, so apportioning LSOA counts with these weights
    gives every ward its exact Census resident total; other counts are split as residents are.
    """
    frame = pd.DataFrame({"residents": oa_residents})
    frame["lsoa"] = lsoa_of_oa.reindex(frame.index)
    frame["ward"] = ward_of_oa.reindex(frame.index)
    unmatched = frame.index[frame["lsoa"].isna() | frame["ward"].isna()]
    if len(unmatched):
        msg = f"{len(unmatched)} Output Area(s) missing from the lookups, e.g. {unmatched[0]}"
        raise SourceError(msg)
    frame = frame[frame["ward"].isin(wards)]
    missing = wards - set(frame["ward"])
    if missing:
        msg = f"the Output Area lookup has no Output Area in ward(s) {sorted(missing)}"
        raise SourceError(msg)
    sums = frame.groupby(["lsoa", "ward"])["residents"].sum()
    totals = sums.groupby(level="lsoa").transform("sum")
    weights = (sums / totals.where(totals > 0)).fillna(0.0).rename("weight").reset_index()
    return weights.rename(columns={"lsoa": "source", "ward": "target"})
