"""Numbers for people: units, proportions as percentages, ranks and confidence intervals."""

from __future__ import annotations

from geo.query.precision import display_count, rounding_step
from geo.vocabulary import is_missing

missing = is_missing
"""True for None and NaN (:func:`geo.vocabulary.is_missing`)."""


PLAIN_UNITS = ("score", "ratio", "decile")
"""Units whose numbers are shown bare (the unit is in the indicator's title)."""


def format_value(
    value: object, unit: str, *, estimated: bool = False, area_type: str = "ward"
) -> str:
    """A value in its unit, e.g. 0.1893 proportion -> '18.9%', 12382 persons -> '12,382'.

    People are whole: an `estimated` count is rounded (to 10 for LSOAs, 50 for larger areas)
    and says "estimated"; a fractional count not flagged as estimated is still an estimate
    (a split of whole people) and is shown the same way.
    """
    if missing(value) or not isinstance(value, int | float):
        return "–"
    number = float(value)
    if unit == "proportion":
        return f"{number:.1%}"
    if unit == "persons":
        estimated = estimated or not number.is_integer()
        shown = display_count(number, area_type=area_type, estimated=estimated)
        if estimated and shown == 0 and number > 0:
            return f"fewer than {rounding_step(area_type) / 2:,.0f} (estimated)"
        return f"{shown:,.0f} (estimated)" if estimated else f"{shown:,.0f}"
    if unit in ("LSOAs", "decile") or unit.startswith("rank"):
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    if unit in ("ha", "km", "m"):
        return f"{number:,.1f} {unit}"
    if unit == "°C":
        return f"{number:,.1f} °C"
    if unit in PLAIN_UNITS or not unit:
        return f"{number:,.2f}"
    return f"{number:,.2f} {unit}"


def format_ci(low: object, high: object, unit: str) -> str:
    """'17.2% to 19.1%' or '' when there is no interval."""
    if missing(low) or missing(high):
        return ""
    return f"{format_value(low, unit)} to {format_value(high, unit)}"


def format_rank(rank: object, of: object, *, tied: object = False) -> str:
    """'3 of 21' (1 = most concern), '=3 of 21' when another area shares the rank, or ''."""
    if missing(rank) or missing(of):
        return ""
    mark = "=" if tied is True or (isinstance(tied, int | float) and bool(tied)) else ""
    return f"{mark}{float(rank):.0f} of {float(of):.0f}"  # type: ignore[arg-type]


def england_position(percentile: object, polarity: str) -> str:
    """Where a value sits among England's LSOAs, in words ('' without a percentile)."""
    if missing(percentile) or not isinstance(percentile, int | float):
        return ""
    share = float(percentile)
    if polarity == "higher_is_worse":
        return f"worse than {share:.0f}% of England's LSOAs"
    if polarity == "higher_is_better":
        return f"worse than {100 - share:.0f}% of England's LSOAs"
    return f"higher than {share:.0f}% of England's LSOAs"


def one_in(share: float) -> str:
    """'1 in 5' for 0.2; rounded to a whole number."""
    if missing(share) or share <= 0:
        return "none"
    return f"1 in {max(1, round(1 / share))}"
