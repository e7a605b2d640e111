"""Whoosh queries for a ParsedQuery: words and phrases as substrings of the item text (verified
against the `mtext` column) — and, for a unit's name, that unit's items; with `titles`, of the
heading and section title too (`mtitles`) — titles, authors, units, years and dates as filters."""
from __future__ import annotations

from bisect import bisect_left
from math import log

import numpy as np

from whoosh import query as Q
from whoosh.matching import Matcher, NullMatcher

from .analysis import CJK_CHAR_RE, match_text, needle, query_tokens, tokens
from ..errors import QueryError
from .postings import Exclude, FilterQuery, Within, candidates, lengths_array, matcher_ids, per_reader
from .query import Leaf, ParsedQuery, date_range, year_range

# (bigram field, single-character field, match-text column) of what a plain word is looked for in
TEXT = ("text", "chars", "mtext")
TITLES = ("titles", "tchars", "mtitles")  # the item's heading and section title


def substring_query(value: str, fields: tuple[str, str, str] = TEXT):
    """A free-text word or phrase on the item text (or titles): a single index term stays a Whoosh
    Term (exact and fast); anything longer is a SubstringQuery. None when there is nothing searchable."""
    kind, toks = query_tokens(value)
    if not toks:
        return None
    if len(toks) == 1:
        return Q.Term(fields[0] if kind == "text" else fields[1], toks[0])
    return SubstringQuery(value, fields=fields)


K1, B = 1.2, 0.75  # BM25, as Whoosh's default weighting
RARE_TERMS = 3  # candidates: documents holding the word's 3 rarest index terms (the column check decides)


def term_count(searcher, q: Q.Term) -> int:
    """Live documents holding one term, without scoring them: the term's document frequency in each
    segment, counted from its postings only where the segment has deleted documents."""
    n = 0
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        if (q.fieldname, q.text) not in reader:
            continue
        if reader.has_deletions():
            n += sum(1 for _ in reader.postings(q.fieldname, q.text).all_ids())
        else:
            n += reader.doc_frequency(q.fieldname, q.text)
    return n


class ScoredIds(Matcher):
    """A matcher over sorted doc ids with precomputed scores (skip_to by bisection)."""

    def __init__(self, ids: list[int], scores: list[float], at: int = 0):
        self.ids, self.scores, self.at = ids, scores, at

    def is_active(self):
        return self.at < len(self.ids)

    def reset(self):
        self.at = 0

    def id(self):
        return self.ids[self.at]

    def next(self):
        self.at += 1

    def skip_to(self, id):
        if self.is_active() and id > self.ids[self.at]:
            self.at = bisect_left(self.ids, id, self.at)

    def all_ids(self):
        return iter(self.ids[self.at:])

    def score(self):
        return self.scores[self.at]

    weight = score

    def supports(self, astype):
        return False

    def supports_block_quality(self):
        return False

    def max_quality(self):
        """The best score still ahead (a compound matcher asks this of its parts)."""
        return max(self.scores[self.at:], default=0.0)

    def term(self):
        return None

    def copy(self):
        return ScoredIds(self.ids, self.scores, self.at)


class SubstringQuery(Q.Query):
    """Items whose text contains a query word as the index sees it (analysis.needle in
    analysis.match_text): candidates are the documents holding the word's rarest index terms
    (posting lists intersected as sets), verified against the `mtext` column, scored BM25 with
    the word's occurrences as term frequency. Equivalent to the phrase of the word's bigrams,
    without decoding positions (and stricter: no bigram chain across punctuation)."""

    def __init__(self, value: str, boost: float = 1.0, fields: tuple[str, str, str] = TEXT):
        self.value = value
        self.needle = needle(value)
        self.fields = fields
        bigrams = [t for t in tokens(value) if not (len(t) == 1 and CJK_CHAR_RE.match(t))]
        self.cands = [(fields[0], t) for t in dict.fromkeys(bigrams)] or \
            [(fields[1], t) for t in dict.fromkeys(tokens(value, unigrams=True))]
        self.boost = boost

    def __eq__(self, other):
        return (type(other) is type(self) and other.value == self.value and other.boost == self.boost
                and other.fields == self.fields)

    def __hash__(self):
        return hash((type(self).__name__, self.value, self.boost, self.fields))

    def __repr__(self):
        return f"SubstringQuery({self.value!r}{'' if self.fields == TEXT else ', ' + self.fields[0]})"

    def __unicode__(self):
        return f'"{self.value}"'

    __str__ = __unicode__

    def is_leaf(self):
        return True

    def field(self):
        return self.fields[0]

    def terms(self, phrases=False):
        return iter(self.cands)

    def estimate_size(self, ixreader):
        return min((ixreader.doc_frequency(f, t) for f, t in self.cands), default=0)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if not self.needle or any((f, t) not in reader for f, t in self.cands):
            return NullMatcher()
        top = searcher.get_parent() if hasattr(searcher, "get_parent") else searcher
        memo = getattr(top, "_archive_memo", None)  # one search's answers (Searcher.remembering)
        key = (self.value, self.boost, self.fields, id(reader))
        if memo is not None and key in memo:
            hits, weights = memo[key]
            return ScoredIds(hits, weights) if hits else NullMatcher()
        hits, weights = self._verified(reader, searcher, top, context)
        if memo is not None:
            memo[key] = (hits, weights)
        return ScoredIds(hits, weights) if hits else NullMatcher()

    def _verified(self, reader, searcher, top, context) -> tuple[list[int], list[float]]:
        """The documents of this segment whose text holds the word, and their BM25 weights."""
        rare = sorted(self.cands, key=lambda ft: reader.doc_frequency(*ft))[:RARE_TERMS]
        ids = candidates(reader, rare)
        if not ids:
            return [], []
        column, field = self.fields[2], self.fields[0]
        col = per_reader(reader, f"_archive_{column}", lambda: reader.column_reader(column, translate=False))
        n_docs = max(1, top.doc_count())
        df = min(top.doc_frequency(f, t) for f, t in self.cands)
        idf = log(1 + (n_docs - df + 0.5) / (df + 0.5))
        avgdl = top.avg_field_length(field) or 1.0
        nd = self.needle.encode("utf-8")  # UTF-8 matches only whole characters: the same count as in the text
        counts = [col[d].count(nd) for d in ids]  # ids ascending
        hits = [d for d, tf in zip(ids, counts) if tf]
        if not hits:
            return [], []
        tf = np.array([c for c in counts if c], np.int64)
        dl = lengths_array(reader, field)[hits]
        # BM25 with the word's occurrences as its frequency (numpy float64: Python's float operations, in this order)
        return hits, (self.boost * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))).tolist()


class TitleQuery(Q.Query):
    """Items whose title field (`section`, `heading`, `author`: whole strings as terms) contains the value, with
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
                ids.update(matcher_ids(reader.postings(self.fieldname, title)))
        if not ids:
            return NullMatcher()
        return ScoredIds(sorted(ids), [1.0] * len(ids))


def title_alternatives(parsed: ParsedQuery, topics=None, synonyms: bool = True):
    """The title alternatives build(titles=True) adds to the plain words (word_query), as one
    query: an item that matches none of them matches the text query exactly when it matches the
    text-or-title query. None when there are none."""
    alts = []
    for group in parsed.groups:
        for leaf in group:
            if leaf.field is None and not leaf.negated:
                words = [leaf.value, *synonyms_of(leaf, topics if synonyms else None)]
                alts += [q for q in (substring_query(w, TITLES) for w in words) if q is not None]
    alts = list(dict.fromkeys(alts))
    if not alts:
        return None
    return alts[0] if len(alts) == 1 else Q.Or(alts)


def title_only(qt, q, within):
    """The documents of the text-or-title query `qt` that the text query `q` does not match: only
    those a title alternative (`within`) matches can be such, so qt is walked among them."""
    return Exclude(Within(qt, within) if within is not None else qt, q)


def unit_names(value: str, registry=None) -> list[str]:
    if registry is None:
        from ..ingest.units import Registry
        registry = Registry.load()
    return sorted(set(registry.names_for(value.strip())) | {registry.canonical_name(value.strip())})


def synonyms_of(leaf: Leaf, topics) -> list[str]:
    """A topic's other names, where a plain word is one of its names (「含同义词」); [] for a quoted
    word, or with no topics."""
    if topics is None or leaf.quoted or leaf.field is not None:
        return []
    return [n for n in topics.names_for(leaf.value) if n != leaf.value]


def word_query(leaf: Leaf, registry=None, titles: bool = False, topics=None):
    """A plain word: in the item's text; where it is a unit's name (canonical or alias) also the
    items naming that unit however printed; where it is a topic's name (given `topics`), also its
    other names; with `titles`, also in its heading or section title (not for an exclusion). None
    when there is nothing searchable."""
    words = [leaf.value, *synonyms_of(leaf, topics)]
    alts = [q for q in map(substring_query, words) if q is not None]
    if titles and not leaf.negated:
        alts += [q for q in (substring_query(w, TITLES) for w in words) if q is not None]
    if registry is not None and not leaf.quoted and leaf.value in registry.canonical:
        alts.append(FilterQuery(Q.Term("unit", registry.canonical_name(leaf.value)), 1.0))
    if not alts:
        return None
    return alts[0] if len(alts) == 1 else Q.Or(alts)


def leaf_query(leaf: Leaf, registry=None, titles: bool = False, topics=None, synonyms: bool = True):
    if leaf.field is None:
        return word_query(leaf, registry, titles, topics if synonyms else None)
    if leaf.field in ("section", "heading", "author"):
        q = TitleQuery(leaf.field, leaf.value) if needle(leaf.value) else None
    elif leaf.field == "unit":
        q = Q.Or([Q.Term("unit", n) for n in unit_names(leaf.value, registry)])
    elif leaf.field == "collection":  # an option only (not in the query language)
        q = Q.Term("collection", leaf.value)
    elif leaf.field == "topic":
        names = topics.holders(leaf.value) if topics is not None else []
        q = Q.Or([Q.Term("topic", n) for n in names or [leaf.value.strip()]])
    elif leaf.field == "year":
        lo, hi = year_range(leaf.value)
        q = Q.NumericRange("year", lo, hi)
    elif leaf.field == "date":
        lo, hi = date_range(leaf.value)
        q = Q.NumericRange("date", int(lo.replace("-", "")) if lo else 1, int(hi.replace("-", "")) if hi else 99991231)
    else:  # pragma: no cover - the lexer only produces known fields
        raise QueryError(f"unknown field {leaf.field}:", "unknown_field", field=leaf.field)
    if q is None:
        return Q.NullQuery
    return FilterQuery(q, 0.0)  # filters select, they do not rank


def build(parsed: ParsedQuery, registry=None, titles: bool = False, topics=None, synonyms: bool = True):
    """ParsedQuery → one Whoosh query (None when it asks for nothing at all). `titles`: plain words
    may match in the heading or section title too; `topics`: what topic: filters name, and, with
    `synonyms`, a topic's name as a word finds its other names too."""
    must, must_not = [], []
    for group in parsed.groups:
        pos, neg = [], []
        for leaf in group:
            q = leaf_query(leaf, registry, titles, topics, synonyms)
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
        return Exclude(base, must_not[0] if len(must_not) == 1 else Q.Or(must_not))
    return base


