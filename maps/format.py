"""Numbers for people: units, proportions as percentages, ranks and confidence intervals."""

from __future__ import annotations

from geo.vocabulary import is_missing

missing = is_missing
"""True for None and NaN (:func:`geo.vocabulary.is_missing`)."""


def format_value(value: object, unit: str) -> str:
    """A value in its unit, e.g. 0.1893 proportion -> '18.9%', 12382 persons -> '12,382'."""
    if missing(value) or not isinstance(value, int | float):
        return "–"
    number = float(value)
    if unit == "proportion":
        return f"{number:.1%}"
    if unit in ("persons", "LSOAs", "decile") or unit.startswith("rank"):
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    if unit in ("ha", "km", "m"):
        return f"{number:,.1f} {unit}"
    return f"{number:,.2f}"


def format_ci(low: object, high: object, unit: str) -> str:
    """'17.2% to 19.1%' or '' when there is no interval."""
    if missing(low) or missing(high):
        return ""
    return f"{format_value(low, unit)} to {format_value(high, unit)}"


def format_rank(rank: object, of: object) -> str:
    """'3 of 21' (1 = most concern) or ''."""
    if missing(rank) or missing(of):
        return ""
    return f"{float(rank):.0f} of {float(of):.0f}"  # type: ignore[arg-type]


def one_in(share: float) -> str:
    """'1 in 5' for 0.2; rounded to a whole number."""
    if missing(share) or share <= 0:
        return "none"
    return f"1 in {max(1, round(1 / share))}"
