"""Reading matches fast, with the very results Whoosh's own matchers give: posting lists a block at
a time (matcher_ids), a segment's field lengths once (field_lengths), filters as id lists
(FilterQuery), one query's matches among another's (Within), and a whole matcher tree as arrays of
ids and scores (matcher_arrays) so that counting every match does not walk Whoosh's matchers one
document at a time (collect.py)."""
from __future__ import annotations

from array import array

import numpy as np

from whoosh import query as Q
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import AndNotMatcher, IntersectionMatcher, ListMatcher, NullMatcher, UnionMatcher
from whoosh.matching.mcore import NullMatcherClass


def per_reader(reader, name: str, make):
    """`make()`, kept on the segment reader under `name` (computed once per reader)."""
    value = getattr(reader, name, None)
    if value is None:
        value = make()
        try:
            setattr(reader, name, value)
        except AttributeError:
            pass
    return value


def field_lengths(reader, field: str):
    """Each document's length in `field` as reader.doc_field_length(docnum, field, 1) gives it
    (1 where it has none), read once per segment reader."""
    def read():
        dfl = reader.doc_field_length
        return [dfl(d, field, 1) for d in range(reader.doc_count_all())]
    return per_reader(reader, f"_archive_lengths_{field}", read)


def lengths_array(reader, field: str) -> np.ndarray:
    """field_lengths as float64 (0 where a document has no length byte: it holds no term there)."""
    return per_reader(reader, f"_archive_flengths_{field}",
                      lambda: np.array([v or 0 for v in field_lengths(reader, field)], np.float64))


def matcher_ids(m) -> list[int]:
    """The ids a fresh matcher yields, ascending: a plain posting list (no deletions) or a union of
    them is read a block at a time; any other matcher is walked."""
    if isinstance(m, NullMatcherClass):
        return []
    if type(m) is W3LeafMatcher and not m._byteids:
        out = []
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            out.extend(m._ids[m._i:])
            m._next_block()
        return out
    if type(m) is UnionMatcher:
        return sorted(set(matcher_ids(m.a)).union(matcher_ids(m.b)))
    return list(m.all_ids())


def candidates(reader, terms: list[tuple[str, str]]) -> list[int]:
    """The live documents holding every one of the terms, ascending."""
    lists = sorted((matcher_ids(reader.postings(f, t)) for f, t in terms), key=len)
    if not lists or not lists[0]:
        return []
    if len(lists) == 1:
        return lists[0]
    common = set(lists[0]).intersection(*lists[1:])
    return [d for d in lists[0] if d in common]


class FilterQuery(Q.ConstantScoreQuery):
    """Q.ConstantScoreQuery (a filter: every match scores `score`), reading its child's matches a
    block at a time (matcher_ids) instead of one by one, once per search (the text query, the
    title query and its exclusion of the text query all hold the same filters)."""

    def matcher(self, searcher, context=None):
        from whoosh.searching import SearchContext
        context = context or SearchContext()
        if context.needs_current:
            return self.child.matcher(searcher, context)
        top = searcher.get_parent() if hasattr(searcher, "get_parent") else searcher
        memo = getattr(top, "_archive_memo", None)  # one search's answers (Searcher.remembering)
        key = ("filter", self.child, id(searcher.reader()))
        if memo is not None and key in memo:
            ids, term = memo[key]
        else:
            m = self.child.matcher(searcher, context)
            ids, term = (None, None) if isinstance(m, NullMatcherClass) else (array("I", matcher_ids(m)), m.term())
            if memo is not None:
                memo[key] = (ids, term)
        if ids is None:
            return NullMatcher()
        return ListMatcher(ids, all_weights=self.score, term=term)


class FirstScoreMatcher(IntersectionMatcher):
    """The documents both matchers match, scored (and weighted) as the first one alone."""

    def score(self):
        return self.a.score()

    def weight(self):
        return self.a.weight()

    def supports_block_quality(self):
        return False

    def max_quality(self):
        return self.a.max_quality()

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()

    def copy(self):
        return FirstScoreMatcher(self.a.copy(), self.b.copy())


class Within(Q.Query):
    """`query`'s matches among the documents `within` matches, scored as `query` alone (adding
    `within`'s score, even 0.0, could reorder exact ties). Walks the rarer side with skip_to: the
    title-only hits are the text-or-title matches among the few items a title alternative matches
    (title_alternatives), instead of every text match tested against the text query."""

    def __init__(self, query, within):
        self.query, self.within = query, within

    def __eq__(self, other):
        return type(other) is type(self) and (other.query, other.within) == (self.query, self.within)

    def __hash__(self):
        return hash((type(self).__name__, self.query, self.within))

    def __repr__(self):
        return f"Within({self.query!r}, {self.within!r})"

    def children(self):
        return [self.query, self.within]

    def is_leaf(self):
        return False

    def estimate_size(self, ixreader):
        return min(self.query.estimate_size(ixreader), self.within.estimate_size(ixreader))

    def matcher(self, searcher, context=None):
        m = self.query.matcher(searcher, context)
        if not m.is_active():
            return NullMatcher()
        w = self.within.matcher(searcher, searcher.boolean_context())
        if not w.is_active():
            return NullMatcher()
        return FirstScoreMatcher(m, w)


class ExcludeMatcher(AndNotMatcher):
    """Whoosh's AndNotMatcher, mended: it let the first match through unchecked when the excluded
    side's first match came before it (党史 -安全 found an item holding 安全)."""

    def _find_first(self):
        a, b = self.a, self.b
        if a.is_active() and b.is_active() and b.id() < a.id():
            b.skip_to(a.id())
        if a.is_active() and b.is_active() and a.id() == b.id():
            self._find_next()


class Exclude(Q.AndNot):
    """Q.AndNot with ExcludeMatcher: `a`'s matches (scored as `a`) that `b` does not match."""

    def matcher(self, searcher, context=None):
        return ExcludeMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))
