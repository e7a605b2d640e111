"""Search: the query language, its translation to Whoosh queries, hits with snippets and citations.

Query language (parsed here; user text never reaches Whoosh's own parser):

    党史 安全            every word must match (a word matches as a substring: 党史 in 党史学习教育)
    "主题 党日" “党日”     a quoted phrase (straight or Chinese quotes)
    党课 OR 报告会         either (OR binds its neighbours: a b OR c d = a AND (b OR c) AND d)
    -安全                 exclusion (also for filters: -unit:中州铝业)
    unit:云南铝业          the unit (canonical name or any alias) among the item's units
    section:践·铝之行      the section title contains this
    heading:…             the heading contains this
    year:2021  year:2016..2018
    date:2021-04  date:2021-04-01..2021-06-30  date:..2021-06-30

A query with filters only lists everything they select (newest first).
"""
from __future__ import annotations

import calendar
import datetime as dt
import html
import os
import re
import sqlite3
from bisect import bisect_left
from dataclasses import dataclass, field
from math import log
from pathlib import Path

from whoosh import collectors, sorting
from whoosh import query as Q
from whoosh.matching import ListMatcher, NullMatcher

from .analysis import CJK_CHAR_RE, match_text, needle, normalized, query_tokens, runs, tokens
from .errors import ArchiveError


class QueryError(ArchiveError):
    """The query cannot be understood (one-line message saying what and where)."""


FIELDS = ("unit", "section", "heading", "year", "date")
FIELD_RE = re.compile(r"(unit|section|heading|year|date)[:：]", re.IGNORECASE)
QUOTES = {'"': '"', "“": "”", "＂": "＂", "「": "」"}
CLOSERS = {"”", "」"}
SORTS = ("relevance", "date")
SNIPPET_WINDOW = 120
SNIPPET_WHOLE = 160  # texts up to this long are shown whole


# ---------------------------------------------------------------------------------------------
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
            raise QueryError(f"unbalanced quote: {c} at position {i + 1} closes nothing")
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
                raise QueryError(f"unbalanced quote: {text[i]} at position {i + 1} is never closed")
            value, quoted, i = text[i + 1:j], True, j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in QUOTES and text[j] not in CLOSERS:
                j += 1
            value, quoted, i = text[i:j], False, j
        if fname and not value.strip():
            raise QueryError(f"{fname}: needs a value (at position {start + 1})")
        if not fname and not quoted and not negated and value == "OR":
            out.append("OR")
            continue
        if not value.strip() and not fname:
            if negated:
                raise QueryError(f"nothing to exclude after - at position {start + 1}")
            continue
        out.append(Leaf(fname, value.strip(), quoted, negated))
    return out


def parse(text: str) -> ParsedQuery:
    """Words, phrases, OR, exclusions and field filters → ParsedQuery; QueryError when malformed."""
    tokens = _lex(text or "")
    groups: list[list[Leaf]] = []
    expect_term = False
    for k, tok in enumerate(tokens):
        if tok == "OR":
            if not groups or expect_term or k == len(tokens) - 1:
                raise QueryError("OR needs a word, phrase or filter on each side")
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


def _validate(leaf: Leaf) -> None:
    if leaf.field == "year":
        year_range(leaf.value)
    elif leaf.field == "date":
        date_range(leaf.value)


YEAR_RE = re.compile(r"\d{4}")


def _year(v: str, whole: str) -> int:
    v = v.strip()
    if not YEAR_RE.fullmatch(v):
        raise QueryError(f"bad year {whole!r}: use a year like 2021 or a range like 2016..2018")
    return int(v)


def year_range(value: str | int) -> tuple[int | None, int | None]:
    value = str(value).strip().rstrip("年")
    if ".." in value:
        a, b = value.split("..", 1)
        lo = _year(a, value) if a.strip() else None
        hi = _year(b, value) if b.strip() else None
        if lo is None and hi is None:
            raise QueryError(f"bad year {value!r}: use a year like 2021 or a range like 2016..2018")
        if lo is not None and hi is not None and lo > hi:
            raise QueryError(f"bad year range {value!r}: it ends before it starts")
        return lo, hi
    y = _year(value, value)
    return y, y


DATE_RE = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?")


def date_bounds(value: str) -> tuple[str, str]:
    """The first and last day a (partial) date covers: 2021 → 2021-01-01..2021-12-31."""
    v = value.strip()
    m = DATE_RE.fullmatch(v)
    if not m:
        raise QueryError(f"bad date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY (ranges: A..B)")
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
        raise QueryError(f"bad date {value!r}: no such day") from None


def date_range(value: str, start: str | None = None, end: str | None = None) -> tuple[str | None, str | None]:
    """`A..B` / `A..` / `..B` / `A` → (first day, last day), either side open."""
    value = value.strip()
    if ".." in value:
        a, b = value.split("..", 1)
        lo = date_bounds(a)[0] if a.strip() else None
        hi = date_bounds(b)[1] if b.strip() else None
        if lo is None and hi is None:
            raise QueryError(f"bad date range {value!r}: give a start, an end or both")
    else:
        lo, hi = date_bounds(value)
    if lo and hi and lo > hi:
        raise QueryError(f"bad date range {value!r}: it ends before it starts")
    return lo, hi


# ---------------------------------------------------------------------------------------------
# Whoosh queries

def substring_query(value: str):
    """A free-text word or phrase on the item text: a single index term stays a Whoosh Term (exact
    and fast); anything longer is a SubstringQuery. None when there is nothing searchable."""
    kind, toks = query_tokens(value)
    if not toks:
        return None
    if len(toks) == 1:
        return Q.Term(kind, toks[0])
    return SubstringQuery(value)


K1, B = 1.2, 0.75  # BM25, as Whoosh's default weighting


def _posting_ids(m) -> list[int]:
    """All doc ids of a posting list, a block at a time where the matcher allows (Whoosh 2.7's
    W3LeafMatcher), else one by one."""
    if not all(hasattr(m, a) for a in ("_read_ids", "_next_block", "_blocklength", "_atend")):
        return list(m.all_ids())
    out: list[int] = []
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        out.extend(m._ids[m._i:m._blocklength])
        m._i = m._blocklength
        m._next_block()
    return out


def _term_count(searcher, q) -> int:
    """Live documents holding one term (without scoring them)."""
    n = 0
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        if (q.fieldname, q.text) in reader:
            n += len(_posting_ids(reader.postings(q.fieldname, q.text)))
    return n


class SubstringMatcher(ListMatcher):
    """Sorted doc ids with precomputed scores (skip_to by bisection)."""

    def skip_to(self, id):
        if self._i < len(self._ids) and id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)

    def score(self):
        return self._weights[self._i]

    def block_max_weight(self):  # ListMatcher computes max() on every call
        if getattr(self, "_max", None) is None:
            self._max = max(self._weights)
        return self._max

    def copy(self):
        m = SubstringMatcher(self._ids, self._weights, position=self._i)
        m._max = getattr(self, "_max", None)
        return m


class SubstringQuery(Q.Query):
    """Items whose text contains a query word as the index sees it (analysis.needle in
    analysis.match_text): candidates are the documents holding the word's rarest index terms
    (posting lists intersected as sets), verified against the `mtext` column, scored BM25 with
    the word's occurrences as term frequency. Equivalent to the phrase of the word's bigrams,
    without decoding positions (and stricter: no bigram chain across punctuation)."""

    def __init__(self, value: str, boost: float = 1.0):
        self.value = value
        self.needle = needle(value)
        bigrams = [t for t in tokens(value) if not (len(t) == 1 and CJK_CHAR_RE.match(t))]
        self.cands = [("text", t) for t in dict.fromkeys(bigrams)] or \
            [("chars", t) for t in dict.fromkeys(tokens(value, unigrams=True))]
        self.boost = boost

    def __eq__(self, other):
        return type(other) is type(self) and other.value == self.value and other.boost == self.boost

    def __hash__(self):
        return hash((type(self).__name__, self.value, self.boost))

    def __repr__(self):
        return f"SubstringQuery({self.value!r})"

    def __unicode__(self):
        return f'"{self.value}"'

    __str__ = __unicode__

    def is_leaf(self):
        return True

    def field(self):
        return "text"

    def terms(self, phrases=False):
        return iter(self.cands)

    def estimate_size(self, ixreader):
        return min((ixreader.doc_frequency(f, t) for f, t in self.cands), default=0)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if not self.needle or any((f, t) not in reader for f, t in self.cands):
            return NullMatcher()
        top = searcher.get_parent() if hasattr(searcher, "get_parent") else searcher
        rare = sorted(self.cands, key=lambda ft: reader.doc_frequency(*ft))[:3]
        ids = None
        for f, t in rare:
            got = set(_posting_ids(reader.postings(f, t)))
            ids = got if ids is None else ids & got
            if not ids:
                return NullMatcher()
        col = getattr(reader, "_archive_mtext", None)
        if col is None:  # reading the column's offsets costs: once per segment reader
            col = reader.column_reader("mtext", translate=False)
            try:
                reader._archive_mtext = col
            except AttributeError:
                pass
        n_docs = max(1, top.doc_count())
        df = min(top.doc_frequency(f, t) for f, t in self.cands)
        idf = log(1 + (n_docs - df + 0.5) / (df + 0.5))
        avgdl = top.avg_field_length("text") or 1.0
        dfl = reader.doc_field_length
        hits, weights = [], []
        nd = self.needle
        for d in sorted(ids):
            tf = col[d].decode("utf-8").count(nd)
            if tf:
                dl = dfl(d, "text", 1)
                hits.append(d)
                weights.append(self.boost * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl)))
        if not hits:
            return NullMatcher()
        return SubstringMatcher(hits, weights, term=None)


class TitleQuery(Q.Query):
    """Items whose title field (`section`, `heading`: whole titles as terms) contains the value, with
    the same substring semantics as the text: the titles of each segment's lexicon are tested, the
    posting lists of those that match are merged. Titles are few, so this is cheap."""

    def __init__(self, fieldname: str, value: str):
        self.fieldname = fieldname
        self.value = value
        self.needle = needle(value)

    def __eq__(self, other):
        return type(other) is type(self) and (other.fieldname, other.value) == (self.fieldname, self.value)

    def __hash__(self):
        return hash((type(self).__name__, self.fieldname, self.value))

    def __repr__(self):
        return f"TitleQuery({self.fieldname!r}, {self.value!r})"

    def __unicode__(self):
        return f"{self.fieldname}:{self.value}"

    __str__ = __unicode__

    def is_leaf(self):
        return True

    def field(self):
        return self.fieldname

    def estimate_size(self, ixreader):
        return ixreader.doc_count()

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if not self.needle or self.fieldname not in reader.indexed_field_names():
            return NullMatcher()
        ids: set[int] = set()
        for title in reader.field_terms(self.fieldname):
            if self.needle in match_text(title):
                ids.update(_posting_ids(reader.postings(self.fieldname, title)))
        if not ids:
            return NullMatcher()
        return SubstringMatcher(sorted(ids), [1.0] * len(ids))


def unit_names(value: str, registry=None) -> list[str]:
    if registry is None:
        from .units import Registry
        registry = Registry.load()
    return sorted(set(registry.names_for(value.strip())) | {registry.canonical_name(value.strip())})


def leaf_query(leaf: Leaf, registry=None):
    if leaf.field is None:
        return substring_query(leaf.value)
    if leaf.field in ("section", "heading"):
        q = TitleQuery(leaf.field, leaf.value) if needle(leaf.value) else None
    elif leaf.field == "unit":
        q = Q.Or([Q.Term("unit", n) for n in unit_names(leaf.value, registry)])
    elif leaf.field == "year":
        lo, hi = year_range(leaf.value)
        q = Q.NumericRange("year", lo, hi)
    elif leaf.field == "date":
        lo, hi = date_range(leaf.value)
        q = Q.NumericRange("date", int(lo.replace("-", "")) if lo else 1, int(hi.replace("-", "")) if hi else 99991231)
    else:  # pragma: no cover - the lexer only produces known fields
        raise QueryError(f"unknown field {leaf.field}:")
    if q is None:
        return Q.NullQuery
    return Q.ConstantScoreQuery(q, 0.0)  # filters select, they do not rank


def build(parsed: ParsedQuery, registry=None):
    """ParsedQuery → one Whoosh query (None when it asks for nothing at all)."""
    must, must_not = [], []
    for group in parsed.groups:
        pos, neg = [], []
        for leaf in group:
            q = leaf_query(leaf, registry)
            if q is None:  # a word of punctuation only
                continue
            (neg if leaf.negated else pos).append(q)
        if len(group) == 1:
            must.extend(pos)
            must_not.extend(neg)
            continue
        alts = pos + [Q.Not(q) for q in neg]
        if alts:
            must.append(alts[0] if len(alts) == 1 else Q.Or(alts))
    if not must and not must_not:
        return None
    base = must[0] if len(must) == 1 else (Q.And(must) if must else Q.Every())
    if must_not:
        return Q.AndNot(base, must_not[0] if len(must_not) == 1 else Q.Or(must_not))
    return base


def options_leaves(unit=None, section=None, year=None, date_from=None, date_to=None) -> list[Leaf]:
    """The CLI/web filter options as leaves of the query."""
    leaves = []
    if unit:
        leaves.append(Leaf("unit", str(unit)))
    if section:
        leaves.append(Leaf("section", str(section)))
    if year is not None and str(year).strip():
        leaves.append(Leaf("year", str(year)))
    if date_from or date_to:
        lo = date_bounds(date_from)[0] if date_from else ""
        hi = date_bounds(date_to)[1] if date_to else ""
        if lo and hi and lo > hi:
            raise QueryError(f"--from {date_from} is after --to {date_to}")
        leaves.append(Leaf("date", f"{lo}..{hi}"))
    for leaf in leaves:
        _validate(leaf)
    return leaves


# ---------------------------------------------------------------------------------------------
# highlighting

def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where in `text` the query words occur, as (start, end) offsets: substring matches on the
    folded text (full-width = half-width, case-insensitive, spaces inside ignored). A word whose
    punctuation differs from the text's falls back to its runs (学史明理,学史增信)."""
    if not text or not terms:
        return []
    norm, where = normalized(text)
    spans = []

    def wordy(ch: str) -> bool:
        return ch.isalnum() and not CJK_CHAR_RE.match(ch)

    for term in terms:
        t = normalized(term)[0]
        if not t:
            continue
        pieces = [t] if t in norm else runs(term)
        for piece in pieces:
            if not piece:
                continue
            at = norm.find(piece)
            while at >= 0:
                end = at + len(piece)
                # a letter/digit word matches whole words only, as in the index (ERP ≠ interpret)
                if not ((wordy(piece[0]) and at > 0 and wordy(norm[at - 1]))
                        or (wordy(piece[-1]) and end < len(norm) and wordy(norm[end]))):
                    spans.append((where[at], where[end - 1] + 1))
                at = norm.find(piece, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def snippet(text: str, spans: list[tuple[int, int]], mark=("<mark>", "</mark>"), escape=html.escape,
            window: int = SNIPPET_WINDOW) -> str:
    """The text (or a window of it around the first match) with every match wrapped in `mark`."""
    text = text or ""
    if len(text) <= SNIPPET_WHOLE:
        start, end = 0, len(text)
    else:
        first = spans[0][0] if spans else 0
        start = max(0, first - window // 4)
        end = min(len(text), start + window)
        start = max(0, end - window)
        for s, e in spans:  # do not cut a match in two
            if s < end < e:
                end = e
            if s < start < e:
                start = s
    out = ["…" if start > 0 else ""]
    at = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[at:s]))
        out.append(mark[0] + escape(text[s:e]) + mark[1])
        at = e
    out.append(escape(text[at:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# the searcher

HIT_SQL = """
SELECT i.id, i.issue_id, i.heading, i.text, i.source, i.author, i.page_start, i.page_end,
       s.title AS section, iss.publication, iss.year, iss.number, iss.total_number, iss.date, iss.publisher
FROM items i JOIN issues iss ON iss.id = i.issue_id
LEFT JOIN sections s ON s.issue_id = i.issue_id AND s.seq = i.section_seq
WHERE i.id IN ({})
"""


@dataclass
class SearchResult:
    total: int
    hits: list[dict]
    spans: list[list[tuple[int, int]]]  # per hit: match offsets in hit["text"]
    sort: str
    query: str = ""

    def as_json(self) -> dict:
        return {"total": self.total, "hits": self.hits}


class Searcher:
    """One open Whoosh searcher over the data folder's index, refreshed before each search (cheap
    when nothing changed; a rebuilt index is picked up too). Hits come from the SQLite records.

    Not thread-safe: give each thread (or request worker) its own Searcher."""

    def __init__(self, data_dir: Path, conn: sqlite3.Connection | None = None, registry=None):
        self.data_dir = Path(data_dir)
        self._conn = conn
        self._registry = registry
        self._ix = None
        self._searcher = None
        self._target = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            from . import store
            self._conn = store.connect(self.data_dir)
        return self._conn

    @property
    def registry(self):
        if self._registry is None:
            from .units import Registry
            self._registry = Registry.load()
        return self._registry

    def _live_target(self) -> str | None:
        from .index import index_link
        try:
            return os.path.realpath(index_link(self.data_dir))
        except OSError:
            return None

    def refresh(self):
        """The current whoosh searcher, or None when there is no index and no records."""
        from . import index
        target = self._live_target()
        if self._searcher is not None and target == self._target:
            # Whoosh hands the unchanged segment readers on to the new searcher and closes the
            # rest itself: the old searcher must not be closed (nor used) after this.
            try:
                self._searcher = self._searcher.refresh()
                return self._searcher
            except FileNotFoundError:  # a commit replaced the TOC as we read it: open afresh below
                pass
        self.close_index()
        if not index.exists(self.data_dir):
            if self.conn.execute("SELECT 1 FROM items LIMIT 1").fetchone() is None:
                return None  # an empty data folder: nothing to find
        self._ix = index.open_index(self.data_dir)
        self._searcher = self._ix.searcher()
        self._target = target
        return self._searcher

    def search(self, query: str = "", *, unit=None, section=None, year=None, date_from=None, date_to=None,
               sort: str | None = None, limit: int = 20, offset: int = 0) -> SearchResult:
        parsed = parse(query)
        parsed.groups.extend([leaf] for leaf in options_leaves(unit, section, year, date_from, date_to))
        if sort is None:
            sort = "relevance" if parsed.has_text else "date"
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}: use relevance or date")
        if limit < 1 or offset < 0:
            raise QueryError("limit must be at least 1 and offset at least 0")
        q = build(parsed, self._registry_if_needed(parsed))
        if q is None:
            raise QueryError("empty query: give words to search for, or a filter (unit:, section:, year:, date:)")
        s = self.refresh()
        if s is None:
            return SearchResult(0, [], [], sort, query)
        want = offset + limit
        if sort == "date":
            facet = sorting.MultiFacet([sorting.FieldFacet("date", reverse=True), sorting.FieldFacet("id")])
            collector = collectors.SortingCollector(facet, limit=want)
        elif isinstance(q, Q.Term):  # one index term: top hits by block-max skipping, count from postings
            collector = collectors.TopCollector(limit=want, usequality=True)
        else:
            collector = collectors.TopCollector(limit=want, usequality=False)  # counts every match
        s.search_with_collector(q, collector)
        results = collector.results()
        total = collector.count() if collector.computes_count() else _term_count(s, q)
        page = []
        for n in range(offset, min(want, results.scored_length())):
            score = results.score(n) if sort == "relevance" else None
            page.append((s.stored_fields(results.docnum(n))["id"], score))
        records = self._records([i for i, _ in page])
        terms = parsed.positive_text
        hits, spans = [], []
        from .citation import for_hit
        for item_id, score in page:
            rec = records.get(item_id)
            if rec is None:  # the index is ahead of the records (see `archive check`)
                total -= 1
                continue
            sp = match_spans(rec["text"], terms)
            rec["snippet"] = snippet(rec["text"], sp)
            rec["citation"], rec["citation_gbt"] = for_hit(rec)
            rec["score"] = round(score, 4) if isinstance(score, float) else score
            rec.pop("publisher", None)
            hits.append(rec)
            spans.append(sp)
        return SearchResult(max(total, len(hits)), hits, spans, sort, query)

    def _registry_if_needed(self, parsed: ParsedQuery):
        if any(leaf.field == "unit" for g in parsed.groups for leaf in g):
            return self.registry
        return None

    def _records(self, ids: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(HIT_SQL.format(marks), chunk):
                out[r["id"]] = {
                    "id": r["id"], "issue": r["issue_id"], "publication": r["publication"], "year": r["year"],
                    "number": r["number"], "total_number": r["total_number"], "date": r["date"],
                    "section": r["section"], "heading": r["heading"], "text": r["text"], "units": [],
                    "author": r["author"], "source": r["source"], "page_start": r["page_start"],
                    "page_end": r["page_end"], "publisher": r["publisher"]}
            for r in self.conn.execute(f"SELECT item_id, unit FROM item_units WHERE item_id IN ({marks})"
                                       " ORDER BY item_id, seq", chunk):
                if r[0] in out:
                    out[r[0]]["units"].append(r[1])
        return out

    def close_index(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        if self._ix is not None:
            self._ix.close()
        self._searcher = self._ix = self._target = None

    def close(self) -> None:
        self.close_index()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
