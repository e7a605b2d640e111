"""Reading matches fast, with the very results Whoosh's own matchers give: posting lists a block at
a time (matcher_ids), a segment's field lengths once (field_lengths), filters as id lists
(FilterQuery), one query's matches among another's (Within), and a whole matcher tree as arrays of
ids and scores (matcher_arrays) so that counting every match does not walk Whoosh's matchers one
document at a time (collect.py)."""
from __future__ import annotations

from array import array

from whoosh import query as Q
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25FScorer
from whoosh.matching import AndNotMatcher, IntersectionMatcher, ListMatcher, NullMatcher, UnionMatcher, WrappingMatcher
from whoosh.matching.combo import ArrayUnionMatcher
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
    block at a time (matcher_ids) instead of one by one."""

    def matcher(self, searcher, context=None):
        from whoosh.searching import SearchContext
        context = context or SearchContext()
        m = self.child.matcher(searcher, context)
        if context.needs_current or isinstance(m, NullMatcherClass):
            return m
        return ListMatcher(array("I", matcher_ids(m)), all_weights=self.score, term=m.term())


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


# --- a matcher tree as arrays ---------------------------------------------------------------------

class Unsupported(Exception):
    """A matcher matcher_arrays does not know: the caller walks it the ordinary way."""


def matcher_arrays(m, reader) -> tuple[list[int], list[float]]:
    """Every (docnum, score) a fresh matcher yields, as two lists in docnum order — the scores
    computed as the matcher's own score() would (the same operations in the same order, so equal to
    the last bit): unions add where both match, intersections add, an exclusion keeps the first
    side's, a boost multiplies. Raises Unsupported for any other matcher."""
    from .matchers import ScoredIds
    kind = type(m)
    if isinstance(m, NullMatcherClass) or not m.is_active():
        return [], []
    if kind is ScoredIds:
        return m.ids[m.at:], m.scores[m.at:]
    if kind is ListMatcher:
        if m._weights is not None or m._scorer is not None:
            raise Unsupported(kind.__name__)
        ids = list(m._ids[m._i:])
        return ids, [m.score()] * len(ids)  # the one score every posting gets
    if kind is W3LeafMatcher:
        return leaf_arrays(m, reader)
    if kind is UnionMatcher:
        return union(matcher_arrays(m.a, reader), matcher_arrays(m.b, reader))
    if kind is IntersectionMatcher:
        return intersection(matcher_arrays(m.a, reader), matcher_arrays(m.b, reader), add=True)
    if kind is FirstScoreMatcher:  # (its second side is unscored: only its ids count)
        ids, scores = matcher_arrays(m.a, reader)
        within = set(matcher_ids(m.b))
        keep = [k for k, d in enumerate(ids) if d in within]
        return [ids[k] for k in keep], [scores[k] for k in keep]
    if kind is ExcludeMatcher:
        ids, scores = matcher_arrays(m.a, reader)
        drop = set(matcher_ids(m.b))
        keep = [k for k, d in enumerate(ids) if d not in drop]
        return [ids[k] for k in keep], [scores[k] for k in keep]
    if kind is ArrayUnionMatcher:
        return array_union(m, reader)
    if kind is WrappingMatcher:
        ids, scores = matcher_arrays(m.child, reader)
        boost = m.boost
        return ids, [s * boost for s in scores]
    raise Unsupported(kind.__name__)


def leaf_arrays(m, reader) -> tuple[list[int], list[float]]:
    """A term's postings scored BM25 (its scorer's own formula) with the segment's field lengths."""
    scorer = m.scorer
    if type(scorer) is not BM25FScorer or m._byteids or reader.has_deletions():
        raise Unsupported("leaf")
    lengths = field_lengths(reader, m.term()[0])
    score = scorer._score
    ids, scores = [], []
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        block_ids, weights = m._ids, m._weights
        for k in range(m._i, len(block_ids)):
            d = block_ids[k]
            ids.append(d)
            scores.append(score(weights[k], lengths[d]))
        m._next_block()
    return ids, scores


def array_union(m, reader) -> tuple[list[int], list[float]]:
    """Whoosh's ArrayUnionMatcher (an OR of many parts, or in a small index): each document's scores
    added part by part (times the boost) from 0; a document whose sum is not above 0 is no match.
    The matcher has read its first stretch of documents already: that stretch comes from its array."""
    if not m._scored:
        raise Unsupported("unscored ArrayUnionMatcher")
    ids, scores = [], []
    for d in range(m._docnum, m._limit):
        score = m._a[d - m._offset]
        if score > 0:
            ids.append(d)
            scores.append(score)
    rest: dict[int, float] = {}
    for sub in m._submatchers:
        for d, score in zip(*matcher_arrays(sub, reader)):
            rest[d] = rest.get(d, 0) + score * m._boost
    later = sorted(d for d, score in rest.items() if score > 0)
    return ids + later, scores + [rest[d] for d in later]


def union(a, b) -> tuple[list[int], list[float]]:
    ids_a, sc_a = a
    ids_b, sc_b = b
    if not ids_a:
        return b
    if not ids_b:
        return a
    where_b = dict(zip(ids_b, sc_b))
    out = {}
    for d, s in zip(ids_a, sc_a):
        other = where_b.get(d)
        out[d] = s if other is None else s + other
    for d, s in where_b.items():
        if d not in out:
            out[d] = s
    ids = sorted(out)
    return ids, [out[d] for d in ids]


def intersection(a, b, add: bool) -> tuple[list[int], list[float]]:
    ids_a, sc_a = a
    where_b = dict(zip(*b))
    ids, scores = [], []
    for d, s in zip(ids_a, sc_a):
        other = where_b.get(d)
        if other is not None:
            ids.append(d)
            scores.append(s + other if add else s)
    return ids, scores


def top_scored(searcher, q, want: int) -> tuple[list[tuple[float, int]], int] | None:
    """What Whoosh's TopCollector (no block skipping) gives for `q`: the best `want` (score, docnum),
    score descending then docnum ascending, and how many match — from matcher_arrays; None when
    some matcher is not one it knows (then collect the ordinary way)."""
    from heapq import nsmallest
    context = searcher.context()
    if searcher.weighting.use_final:
        return None
    keys, total = [], 0
    for sub, offset in searcher.leaf_searchers():
        try:
            ids, scores = matcher_arrays(q.matcher(sub, context), sub.reader())
        except Unsupported:
            return None
        total += len(ids)
        keys.append(nsmallest(want, zip((-s for s in scores), (offset + d for d in ids))))
    best = nsmallest(want, (k for part in keys for k in part))
    return [(-s, d) for s, d in best], total


def match_ids(m, reader) -> list[int]:
    """The docnums a fresh matcher yields, ascending (matcher_arrays where it knows the matcher)."""
    try:
        return matcher_arrays(m, reader)[0]
    except Unsupported:
        return list(m.all_ids())


def top_dated(searcher, q, facet, want: int) -> tuple[list[tuple[object, int]], int] | None:
    """What Whoosh's SortingCollector(facet) gives for `q`: the first `want` (sort key, docnum) in
    key order, then docnum, and how many match; None when the facet needs the matcher at each match."""
    categorizer = facet.categorizer(searcher)
    if categorizer.needs_current:
        return None
    context = searcher.context()
    items = []
    for sub, offset in searcher.leaf_searchers():
        categorizer.set_searcher(sub, offset)
        key_for = categorizer.key_for
        items += [(key_for(None, d), offset + d) for d in match_ids(q.matcher(sub, context), sub.reader())]
    total = len(items)
    items.sort()
    return items[:want], total
