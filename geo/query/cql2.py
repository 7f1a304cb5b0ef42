"""Feature filters in CQL2 text (OGC 21-065, the Basic CQL2 class), evaluated on columns.

What is understood: comparisons of a queryable with a literal (``=``, ``<>``, ``<``, ``<=``,
``>``, ``>=``), ``IS [NOT] NULL``, ``[NOT] BETWEEN a AND b``, ``[NOT] IN (a, b)``, joined by
``AND``, ``OR``, ``NOT`` and parentheses. Literals are numbers, 'quoted text' ('' for a quote)
and TRUE/FALSE. Text comparisons ignore case, like the plain ``name=value`` filters; a missing
number never matches a comparison (only ``IS NULL``). The text is bounded (length and nesting)
so a filter costs at most a few column passes.
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from geo.errors import InvalidParameterError

MAX_FILTER_CHARS = 4_000
MAX_DEPTH = 32
MAX_IN_VALUES = 500

Literal = float | str | bool


@dataclass(frozen=True)
class Compare:
    """`prop op value`; op is one of = <> < <= > >=."""

    prop: str
    op: str
    value: Literal


@dataclass(frozen=True)
class IsNull:
    prop: str


@dataclass(frozen=True)
class Between:
    prop: str
    low: float
    high: float


@dataclass(frozen=True)
class In:
    prop: str
    values: tuple[Literal, ...]


@dataclass(frozen=True)
class Not:
    term: Expression


@dataclass(frozen=True)
class Logical:
    """`AND` or `OR` of two or more terms."""

    op: str
    terms: tuple[Expression, ...]


Expression = Compare | IsNull | Between | In | Not | Logical

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<number>[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    |'(?P<text>(?:[^']|'')*)'
    |"(?P<quoted>[^"]+)"
    |(?P<word>[A-Za-z_][A-Za-z0-9_.:-]*)
    |(?P<op><>|<=|>=|=|<|>)
    |(?P<punct>[(),])
    )""",
    re.VERBOSE | re.ASCII,
)
KEYWORDS = {"AND", "OR", "NOT", "IS", "NULL", "BETWEEN", "IN", "TRUE", "FALSE", "LIKE"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    at: int


def _tokens(text: str) -> list[_Token]:
    found, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            at = len(text) - len(text[position:].lstrip())
            msg = f"filter: cannot read {text[at : at + 12]!r} at character {at + 1}"
            raise InvalidParameterError(msg)
        group = kind = str(match.lastgroup)
        value = match.group(group)
        if kind == "word" and value.upper() in KEYWORDS:
            kind, value = "keyword", value.upper()
        elif kind == "quoted":
            kind = "word"
        elif kind == "text":
            value = value.replace("''", "'")
        quote = 1 if group in ("text", "quoted") else 0  # point at the opening quote
        found.append(_Token(kind, value, match.start(group) + 1 - quote))
        position = match.end()
    return found


class _Parser:
    def __init__(self, text: str, queryables: dict[str, str]) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.queryables = queryables
        self.depth = 0

    def peek(self, *texts: str) -> bool:
        token = self.tokens[self.at] if self.at < len(self.tokens) else None
        return (
            token is not None and token.kind in ("keyword", "op", "punct") and (token.text in texts)
        )

    def take(self, *texts: str) -> _Token:
        if not self.peek(*texts):
            self.fail(f"expected {' or '.join(texts)}")
        self.at += 1
        return self.tokens[self.at - 1]

    def fail(self, what: str) -> None:
        if self.at < len(self.tokens):
            token = self.tokens[self.at]
            msg = f"filter: {what} at character {token.at}, found {token.text!r}"
        else:
            msg = f"filter: {what} at the end of the filter"
        raise InvalidParameterError(msg)

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"nested more than {MAX_DEPTH} deep")

    def expression(self) -> Expression:
        self.deeper()
        terms = [self.conjunction()]
        while self.peek("OR"):
            self.at += 1
            terms.append(self.conjunction())
        self.depth -= 1
        return terms[0] if len(terms) == 1 else Logical("OR", tuple(terms))

    def conjunction(self) -> Expression:
        terms = [self.negation()]
        while self.peek("AND"):
            self.at += 1
            terms.append(self.negation())
        return terms[0] if len(terms) == 1 else Logical("AND", tuple(terms))

    def negation(self) -> Expression:
        if self.peek("NOT"):
            self.at += 1
            self.deeper()
            term = Not(self.negation())
            self.depth -= 1
            return term
        if self.peek("("):
            self.at += 1
            inner = self.expression()
            self.take(")")
            return inner
        return self.predicate()

    def prop(self) -> str:
        token = self.tokens[self.at] if self.at < len(self.tokens) else None
        if token is None or token.kind != "word":
            self.fail("expected a property name")
        assert token is not None
        if token.text not in self.queryables:
            raise InvalidParameterError(not_queryable("filter", token.text, self.queryables))
        self.at += 1
        return token.text

    def literal(self, prop: str) -> Literal:
        token = self.tokens[self.at] if self.at < len(self.tokens) else None
        if token is None or token.kind not in ("number", "text", "keyword"):
            self.fail("expected a number, 'text', TRUE or FALSE")
        assert token is not None
        if token.kind == "keyword" and token.text not in ("TRUE", "FALSE"):
            self.fail("expected a number, 'text', TRUE or FALSE")
        self.at += 1
        value: Literal = (
            float(token.text)
            if token.kind == "number"
            else token.text == "TRUE"
            if token.kind == "keyword"
            else token.text
        )
        kind = self.queryables[prop]
        numeric = kind in ("number", "integer")
        if numeric != (isinstance(value, float)) and kind != "boolean":
            wanted = "a number" if numeric else "'quoted text'"
            msg = f"filter: {prop} is compared with {wanted} (character {token.at})"
            raise InvalidParameterError(msg)
        return value

    def predicate(self) -> Expression:
        prop = self.prop()
        if self.peek("IS"):
            self.at += 1
            negated = self.peek("NOT")
            if negated:
                self.at += 1
            self.take("NULL")
            return Not(IsNull(prop)) if negated else IsNull(prop)
        negated = self.peek("NOT")
        if negated:
            self.at += 1
        if self.peek("BETWEEN"):
            self.at += 1
            low = self.literal(prop)
            self.take("AND")
            high = self.literal(prop)
            if not isinstance(low, float) or not isinstance(high, float):
                self.fail("BETWEEN takes numbers")
            term: Expression = Between(prop, float(low), float(high))
            return Not(term) if negated else term
        if self.peek("IN"):
            self.at += 1
            self.take("(")
            values = [self.literal(prop)]
            while self.peek(","):
                self.at += 1
                values.append(self.literal(prop))
                if len(values) > MAX_IN_VALUES:
                    self.fail(f"more than {MAX_IN_VALUES} values in IN")
            self.take(")")
            term = In(prop, tuple(values))
            return Not(term) if negated else term
        if negated:
            self.fail("expected BETWEEN or IN after NOT")
        if self.peek("LIKE"):
            self.fail("LIKE is not supported (Basic CQL2 only); use = or IN")
        op = self.take("=", "<>", "<", "<=", ">", ">=").text
        return Compare(prop, op, self.literal(prop))


def properties_of(expression: Expression) -> list[str]:
    """The properties a filter reads, in the order they first appear."""
    if isinstance(expression, Logical):
        names = [n for t in expression.terms for n in properties_of(t)]
    elif isinstance(expression, Not):
        names = properties_of(expression.term)
    else:
        names = [expression.prop]
    return list(dict.fromkeys(names))


def not_queryable(parameter: str, name: str, queryables: dict[str, str]) -> str:
    """The message for a property that is not a queryable, with the closest names."""
    close = difflib.get_close_matches(name, list(queryables), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return f"{parameter}: {name!r} is not a queryable of this collection (see /queryables).{hint}"


def parse_filter(text: str, queryables: dict[str, str]) -> Expression:
    """The CQL2 text `text` as an expression over `queryables` (name -> JSON Schema type);
    :class:`InvalidParameterError` naming the place of the first mistake."""
    if len(text) > MAX_FILTER_CHARS:
        msg = f"filter: longer than {MAX_FILTER_CHARS:,} characters"
        raise InvalidParameterError(msg)
    if not text.strip():
        msg = "filter: empty"
        raise InvalidParameterError(msg)
    parser = _Parser(text, queryables)
    expression = parser.expression()
    if parser.at < len(parser.tokens):
        parser.fail("expected AND, OR or the end")
    return expression


Column = Callable[[str], np.ndarray]
"""Values of a property for every feature: numbers as float (NaN when missing), text
case-folded (with missing as None)."""

_COMPARE = {
    "=": np.equal,
    "<>": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


_TEXT_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def evaluate(expression: Expression, column: Column, size: int) -> np.ndarray:
    """Which of `size` features match (a boolean array)."""
    if isinstance(expression, Logical):
        masks = [evaluate(t, column, size) for t in expression.terms]
        combine = np.logical_and if expression.op == "AND" else np.logical_or
        result = masks[0]
        for mask in masks[1:]:
            result = combine(result, mask)
        return result
    if isinstance(expression, Not):
        return ~evaluate(expression.term, column, size)
    values = column(expression.prop)
    if isinstance(expression, IsNull):
        return is_null(values)
    known = ~is_null(values)
    if isinstance(expression, Between):
        with np.errstate(invalid="ignore"):
            inside = (values >= expression.low) & (values <= expression.high)
        return np.asarray(known & inside, dtype=bool)
    if isinstance(expression, In):
        wanted = [_comparable(v) for v in expression.values]
        return np.asarray(known & np.isin(values, wanted), dtype=bool)
    value = _comparable(expression.value)
    if values.dtype == object:  # text: compared in Python, missing never matches
        compare = _TEXT_COMPARE[expression.op]
        return np.array([v is not None and compare(v, value) for v in values.tolist()], dtype=bool)
    with np.errstate(invalid="ignore"):
        return np.asarray(known & _COMPARE[expression.op](values, value), dtype=bool)


def _comparable(value: Literal) -> float | str:
    if isinstance(value, bool):
        return float(value)
    return value.casefold() if isinstance(value, str) else value


def is_null(values: np.ndarray) -> np.ndarray:
    """Which values of a :data:`Column` are missing (None for text, NaN for numbers)."""
    if values.dtype == object:
        return np.array([v is None for v in values], dtype=bool)
    return np.asarray(np.isnan(values), dtype=bool)
