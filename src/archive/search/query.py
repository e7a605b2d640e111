"""The query language: a user's query text → a ParsedQuery (words, phrases, OR, exclusions, filters).

    党史 安全            every word must match (a word matches as a substring: 党史 in 党史学习教育;
                         a unit's name also matches the unit's items, whichever name they print)
    "主题 党日" “党日”     a quoted phrase (straight or Chinese quotes)
    党课 OR 报告会         either (OR binds its neighbours: a b OR c d = a AND (b OR c) AND d)
    -安全                 exclusion (also for filters: -unit:中州铝业)
    unit:云南铝业          the unit (canonical name or any alias) among the item's units
    section:践·铝之行      the section title contains this
    heading:…             the heading contains this
    author:…              the signature's name contains this
    year:2021  year:2016..2018
    date:2021-04  date:2021-04-01..2021-06-30  date:..2021-06-30
    topic:党史学习教育     the topic (专题; any of its names) among the item's topics (store/topics.py)

Parsed here; user text never reaches Whoosh's own parser (matchers.build turns a ParsedQuery into
Whoosh queries)."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from ..errors import QueryError

# What one query may ask, checked before any Whoosh query is built: a query of 1,000 phrases made
# Whoosh recurse past Python's limit (a 500) or hold a server thread for seconds.
MAX_QUERY_CHARS = 300
MAX_TERMS = 32  # words, phrases and filters
MAX_PHRASES = 10
MAX_RANGES = 4  # year: and date: clauses
MAX_VALUE_CHARS = 100  # an option's value (unit, section, year, dates)


FIELDS = ("unit", "section", "heading", "author", "year", "date", "topic")
FIELD_RE = re.compile(r"(unit|section|heading|author|year|date|topic)[:：]", re.IGNORECASE)
QUOTES = {'"': '"', "“": "”", "＂": "＂", "「": "」"}
CLOSERS = {"”", "」"}


# parsing

@dataclass(frozen=True)
class Leaf:
    field: str | None  # None = free text
    value: str
    quoted: bool = False
    negated: bool = False


@dataclass
class ParsedQuery:
    groups: list[list[Leaf]] = field(default_factory=list)  # AND of ORs

    @property
    def positive_text(self) -> list[str]:
        """The text the user asked for (for highlighting): words and phrases not excluded."""
        return [leaf.value for g in self.groups for leaf in g if leaf.field is None and not leaf.negated]

    @property
    def has_text(self) -> bool:
        return any(leaf.field is None for g in self.groups for leaf in g)


def _lex(text: str) -> list[Leaf | str]:
    out: list[Leaf | str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in CLOSERS:
            raise QueryError(f"unbalanced quote: {c} at position {i + 1} closes nothing", "quote_closes_nothing",
                             quote=c, position=i + 1)
        start = i
        negated = False
        if c in "-－" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
        fname = None
        m = FIELD_RE.match(text, i)
        if m:
            fname = m.group(1).lower()
            i = m.end()
        if i < n and text[i] in QUOTES:
            close = QUOTES[text[i]]
            j = text.find(close, i + 1)
            if j < 0:
                raise QueryError(f"unbalanced quote: {text[i]} at position {i + 1} is never closed", "quote_unclosed",
                                 quote=text[i], position=i + 1)
            value, quoted, i = text[i + 1:j], True, j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in QUOTES and text[j] not in CLOSERS:
                j += 1
            value, quoted, i = text[i:j], False, j
        if fname and not value.strip():
            raise QueryError(f"{fname}: needs a value (at position {start + 1})", "field_empty", field=fname,
                             position=start + 1)
        if not fname and not quoted and not negated and value == "OR":
            out.append("OR")
            continue
        if not value.strip() and not fname:
            if negated:
                raise QueryError(f"nothing to exclude after - at position {start + 1}", "exclude_nothing",
                                 position=start + 1)
            continue
        out.append(Leaf(fname, value.strip(), quoted, negated))
    return out


def parse(text: str) -> ParsedQuery:
    """Words, phrases, OR, exclusions and field filters → ParsedQuery; QueryError when malformed
    or past the bounds (MAX_QUERY_CHARS, MAX_TERMS, MAX_PHRASES, MAX_RANGES)."""
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}", "query_too_long",
                         length=len(text), limit=MAX_QUERY_CHARS)
    tokens = _lex(text)
    leaves = [t for t in tokens if isinstance(t, Leaf)]
    check_counts(leaves)
    groups: list[list[Leaf]] = []
    expect_term = False
    for k, tok in enumerate(tokens):
        if tok == "OR":
            if not groups or expect_term or k == len(tokens) - 1:
                raise QueryError("OR needs a word, phrase or filter on each side", "or_alone")
            expect_term = True
            continue
        if expect_term:
            groups[-1].append(tok)
            expect_term = False
        else:
            groups.append([tok])
    for g in groups:
        for leaf in g:
            _validate(leaf)
    return ParsedQuery(groups)


def check_counts(leaves: list[Leaf]) -> None:
    phrases = sum(1 for leaf in leaves if leaf.quoted)
    ranges = sum(1 for leaf in leaves if leaf.field in ("year", "date"))
    for n, limit, kind, what in ((len(leaves), MAX_TERMS, "too_many_terms", "words, phrases and filters"),
                                 (phrases, MAX_PHRASES, "too_many_phrases", "phrases"),
                                 (ranges, MAX_RANGES, "too_many_ranges", "year: and date: filters")):
        if n > limit:
            raise QueryError(f"the query has {n} {what}; the limit is {limit}", kind, count=n, limit=limit)


def _validate(leaf: Leaf) -> None:
    if leaf.field == "year":
        year_range(leaf.value)
    elif leaf.field == "date":
        date_range(leaf.value)


YEAR_RE = re.compile(r"\d{4}")


def _year(v: str, whole: str) -> int:
    v = v.strip()
    if not YEAR_RE.fullmatch(v):
        raise QueryError(f"bad year {whole!r}: use a year like 2021 or a range like 2016..2018", "bad_year", value=whole)
    return int(v)


def year_range(value: str | int) -> tuple[int | None, int | None]:
    value = str(value).strip().rstrip("年")
    if ".." in value:
        a, b = value.split("..", 1)
        lo = _year(a, value) if a.strip() else None
        hi = _year(b, value) if b.strip() else None
        if lo is None and hi is None:
            raise QueryError(f"bad year {value!r}: use a year like 2021 or a range like 2016..2018", "bad_year",
                             value=value)
        if lo is not None and hi is not None and lo > hi:
            raise QueryError(f"bad year range {value!r}: it ends before it starts", "backwards", value=value)
        return lo, hi
    y = _year(value, value)
    return y, y


DATE_RE = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?")


def date_bounds(value: str) -> tuple[str, str]:
    """The first and last day a (partial) date covers: 2021 → 2021-01-01..2021-12-31."""
    v = value.strip()
    m = DATE_RE.fullmatch(v)
    if not m:
        raise QueryError(f"bad date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY (ranges: A..B)", "bad_date",
                         value=value)
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            day = dt.date(y, int(mo), int(d))
            return day.isoformat(), day.isoformat()
        if mo:
            first = dt.date(y, int(mo), 1)
            last = first.replace(day=calendar.monthrange(y, int(mo))[1])
            return first.isoformat(), last.isoformat()
        return dt.date(y, 1, 1).isoformat(), dt.date(y, 12, 31).isoformat()
    except ValueError:
        raise QueryError(f"bad date {value!r}: no such day", "no_such_day", value=value) from None


def date_range(value: str, start: str | None = None, end: str | None = None) -> tuple[str | None, str | None]:
    """`A..B` / `A..` / `..B` / `A` → (first day, last day), either side open."""
    value = value.strip()
    if ".." in value:
        a, b = value.split("..", 1)
        lo = date_bounds(a)[0] if a.strip() else None
        hi = date_bounds(b)[1] if b.strip() else None
        if lo is None and hi is None:
            raise QueryError(f"bad date range {value!r}: give a start, an end or both", "bad_date", value=value)
    else:
        lo, hi = date_bounds(value)
    if lo and hi and lo > hi:
        raise QueryError(f"bad date range {value!r}: it ends before it starts", "backwards", value=value)
    return lo, hi



COLLECTIONS = ("bulletin", "other")  # store.rows.COLLECTIONS: the bulletin, the other documents


def options_leaves(unit=None, section=None, year=None, date_from=None, date_to=None, collection=None,
                   topic=None) -> list[Leaf]:
    """The CLI/web filter options as leaves of the query."""
    if collection is not None and collection not in COLLECTIONS:
        raise QueryError(f"unknown collection {str(collection)[:40]!r}: bulletin or other", "bad_collection",
                         value=str(collection)[:40])
    for name, value in (("unit", unit), ("section", section), ("year", year), ("from", date_from), ("to", date_to),
                        ("topic", topic)):
        if value is not None and len(str(value)) > MAX_VALUE_CHARS:
            raise QueryError(f"{name} is longer than {MAX_VALUE_CHARS} characters", "value_too_long", name=name,
                             limit=MAX_VALUE_CHARS)
    leaves = []
    if unit:
        leaves.append(Leaf("unit", str(unit)))
    if section:
        leaves.append(Leaf("section", str(section)))
    if topic:
        leaves.append(Leaf("topic", str(topic)))
    if year is not None and str(year).strip():
        leaves.append(Leaf("year", str(year)))
    if date_from or date_to:
        lo = date_bounds(date_from)[0] if date_from else ""
        hi = date_bounds(date_to)[1] if date_to else ""
        if lo and hi and lo > hi:
            raise QueryError(f"--from {date_from} is after --to {date_to}", "from_after_to", start=date_from,
                             end=date_to)
        leaves.append(Leaf("date", f"{lo}..{hi}"))
    if collection:
        leaves.append(Leaf("collection", collection))
    for leaf in leaves:
        _validate(leaf)
    return leaves

