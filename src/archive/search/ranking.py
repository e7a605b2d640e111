"""Ranking every match without walking Whoosh's matchers one document at a time: a matcher tree is
read as numpy arrays of docnums and scores (matcher_arrays) and ranked as Whoosh's collectors rank
(top_scored: TopCollector without block skipping; top_dated: SortingCollector).

The scores are computed with the very operations Whoosh's matchers use, in the same order, on
float64 (IEEE, as Python's floats): a term's BM25 as scoring.bm25 writes it, a union adds the first
side's score to the second's where both match, an intersection adds, an exclusion or Within keeps
the first side's, a boost multiplies. So the scores are equal to the last bit and ties fall as in
Whoosh (tests/test_search_arrays.py compares both over a query table). Any other matcher raises
Unsupported and the caller collects the ordinary way."""
from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import IntersectionMatcher, ListMatcher, UnionMatcher, WrappingMatcher
from whoosh.matching.combo import ArrayUnionMatcher
from whoosh.matching.mcore import NullMatcherClass
from whoosh.scoring import BM25FScorer

from .postings import ExcludeMatcher, FirstScoreMatcher, lengths_array, matcher_ids

EMPTY = (np.zeros(0, np.int64), np.zeros(0, np.float64))


class Unsupported(Exception):
    """A matcher matcher_arrays does not know."""


def matcher_arrays(m, reader) -> tuple[np.ndarray, np.ndarray]:
    """Every (docnum, score) a fresh matcher yields: docnums ascending (int64), scores (float64)."""
    from .matchers import ScoredIds
    kind = type(m)
    if isinstance(m, NullMatcherClass) or not m.is_active():
        return EMPTY
    if kind is ScoredIds:
        return np.asarray(m.ids[m.at:], np.int64), np.asarray(m.scores[m.at:], np.float64)
    if kind is ListMatcher:
        if m._weights is not None or m._scorer is not None:
            raise Unsupported(kind.__name__)
        ids = np.asarray(m._ids[m._i:], np.int64)
        return ids, np.full(len(ids), m.score(), np.float64)  # the one score every posting gets
    if kind is W3LeafMatcher:
        return leaf_arrays(m, reader)
    if kind is UnionMatcher:
        return union(matcher_arrays(m.a, reader), matcher_arrays(m.b, reader))
    if kind is IntersectionMatcher:
        (ia, sa), (ib, sb) = matcher_arrays(m.a, reader), matcher_arrays(m.b, reader)
        common, ka, kb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        return common, sa[ka] + sb[kb]
    if kind is FirstScoreMatcher or kind is ExcludeMatcher:  # their second side is unscored: its ids
        ids, scores = matcher_arrays(m.a, reader)
        other = np.asarray(matcher_ids(m.b), np.int64)
        keep = np.isin(ids, other, assume_unique=True, invert=kind is ExcludeMatcher)
        return ids[keep], scores[keep]
    if kind is ArrayUnionMatcher:
        return array_union(m, reader)
    if kind is WrappingMatcher:
        ids, scores = matcher_arrays(m.child, reader)
        return ids, scores * m.boost
    raise Unsupported(kind.__name__)


def leaf_arrays(m, reader) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings, scored as its BM25FScorer scores them (scoring.bm25's expression)."""
    scorer = m.scorer
    if type(scorer) is not BM25FScorer or m._byteids or reader.has_deletions():
        raise Unsupported("leaf")
    ids, tfs = [], []
    start = m._i
    while m.is_active():
        if m._data is None:
            m._read_data()
        deltas, weights = m._data[0], m._data[1]
        block = np.cumsum(np.asarray(deltas, np.int64))
        n = len(block)
        if weights is None:
            tf = np.ones(n, np.float64)
        elif isinstance(weights, float):
            tf = np.full(n, weights, np.float64)
        else:
            tf = np.asarray(weights, np.float64)
        ids.append(block[start:])
        tfs.append(tf[start:])
        start = 0
        m._next_block()
    if not ids:
        return EMPTY
    ids, tf = np.concatenate(ids), np.concatenate(tfs)
    fl = lengths_array(reader, m.term()[0])[ids]
    idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    return ids, idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))


def union(a, b) -> tuple[np.ndarray, np.ndarray]:
    (ia, sa), (ib, sb) = a, b
    if not len(ia):
        return b
    if not len(ib):
        return a
    ids = np.union1d(ia, ib)
    pa, pb = np.searchsorted(ids, ia), np.searchsorted(ids, ib)
    in_a, in_b = np.zeros(len(ids), bool), np.zeros(len(ids), bool)
    in_a[pa], in_b[pb] = True, True
    score_a, score_b = np.zeros(len(ids)), np.zeros(len(ids))
    score_a[pa], score_b[pb] = sa, sb
    return ids, np.where(in_a & in_b, score_a + score_b, np.where(in_a, score_a, score_b))


def array_union(m, reader) -> tuple[np.ndarray, np.ndarray]:
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
        sub_ids, sub_scores = matcher_arrays(sub, reader)
        for d, score in zip(sub_ids.tolist(), sub_scores.tolist()):
            rest[d] = rest.get(d, 0) + score * m._boost
    later = sorted(d for d, score in rest.items() if score > 0)
    return np.asarray(ids + later, np.int64), np.asarray(scores + [rest[d] for d in later], np.float64)


def top_scored(searcher, q, want: int) -> tuple[list[tuple[float, int]], int] | None:
    """What Whoosh's TopCollector (no block skipping) gives for `q`: the best `want` (score, docnum),
    score descending then docnum ascending, and how many match; None when some matcher is unknown."""
    if searcher.weighting.use_final:
        return None
    context = searcher.context()
    docs, scores = [], []
    for sub, offset in searcher.leaf_searchers():
        try:
            ids, sc = matcher_arrays(q.matcher(sub, context), sub.reader())
        except Unsupported:
            return None
        docs.append(ids + offset)
        scores.append(sc)
    if not docs:
        return [], 0
    docs, scores = np.concatenate(docs), np.concatenate(scores)
    order = np.lexsort((docs, -scores))[:want]
    return list(zip(scores[order].tolist(), docs[order].tolist())), len(docs)


def match_ids(m, reader) -> list[int]:
    """The docnums a fresh matcher yields, ascending (matcher_arrays where it knows the matcher)."""
    try:
        return matcher_arrays(m, reader)[0].tolist()
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
