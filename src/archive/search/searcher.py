"""The searcher: a query and filters → hits from the records, with snippets and citations."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator
from dataclasses import dataclass, field

from whoosh import collectors, sorting
from whoosh import query as Q

from ..store import DataDir, Records
from ..store.citation import for_hit
from ..store.rows import HIT_FIELDS
from . import index
from .focus import focus, focus_snippet
from .highlight import match_spans
from .ranking import top_dated, top_scored
from .matchers import build, synonyms_of, term_count, title_alternatives, title_only
from ..errors import QueryError
from .query import ParsedQuery, options_leaves, parse
from .spec import SearchSpec

SORTS = ("relevance", "date")
DATE_ORDER = sorting.MultiFacet([sorting.FieldFacet("date", reverse=True), sorting.FieldFacet("id")])  # newest first


@dataclass
class SearchResult:
    """`total` and `hits`: the items that match in their text (a unit's name: or name the unit).
    `title_total` and `title_hits`: those that match only with a word found in their heading or
    section title instead — shown after the others, set apart. The window (limit, offset) runs
    over the text matches, then the title matches. `terms`: what to mark in a hit's text and titles."""
    total: int
    hits: list[dict]
    spans: list[list[tuple[int, int]]]  # per hit: match offsets in hit["text"]
    sort: str
    query: str = ""
    title_total: int = 0
    title_hits: list[dict] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)  # a topic's other names the words also found (含同义词)
    units: list[str] = field(default_factory=list)  # the units asked for (the hits point at their sentences)

    def as_json(self) -> dict:
        out = {"total": self.total, "hits": self.hits, "title_total": self.title_total, "title_hits": self.title_hits}
        return {**out, "synonyms": self.synonyms} if self.synonyms else out


def parse_spec(spec: SearchSpec) -> ParsedQuery:
    """The query text and the filter options (--unit, ?year=…) as one ParsedQuery."""
    parsed = parse(spec.query)
    parsed.groups.extend([leaf] for leaf in options_leaves(**spec.filters))
    return parsed


def deletions_since(ix, searcher) -> bool:
    """Were documents deleted, since `searcher` was opened, from a segment it still reads?"""
    try:
        now = {seg.segment_id(): seg.deleted_count() for seg in ix._segments()}
        for reader, _ in searcher.reader().leaf_readers():
            seg = reader.segment()
            if seg is not None and now.get(seg.segment_id(), seg.deleted_count()) != seg.deleted_count():
                return True
        return False
    except FileNotFoundError:
        raise
    except Exception:  # Whoosh's internals moved: always the safe way
        return True


def hit_of(item: dict, registry=None, pages: list[int] | None = None, **extra) -> dict:
    """An item as a search hit: its HIT_FIELDS (its units: the registered ones, with a registry),
    then `extra` (a snippet), `match_pages` and both citations — of those pages when given (the
    pages of the words the search matched), else of the item's span."""
    hit = {k: item[k] for k in HIT_FIELDS}
    if registry is not None:
        hit["units"] = [u for u in item["units"] if registry.registered(u)]
    hit.update(extra)
    if pages:
        hit["match_pages"] = pages
    hit["citation"], hit["citation_gbt"] = for_hit(item, (min(pages), max(pages)) if pages else None)
    return hit


def focus_units(parsed: ParsedQuery, spec: SearchSpec, registry) -> list[str]:
    """The units a search asks for, by canonical name: the unit filter, `unit:` in the query, and a
    registered unit's name typed as a word (its hits point at that unit's own sentences)."""
    names = [spec.unit] if spec.unit else []
    for g in parsed.groups:
        for leaf in g:
            if len(g) == 1 and not leaf.negated and (leaf.field == "unit" or (
                    leaf.field is None and not leaf.quoted and registry is not None and leaf.value in registry.canonical)):
                names.append(leaf.value)
    if registry is None:
        return list(dict.fromkeys(names))
    return list(dict.fromkeys(registry.canonical_name(n.strip()) for n in names))


def highlight_terms(parsed: ParsedQuery, registry, topics=None) -> list[str]:
    """What to mark: the words and phrases asked for, for a unit's name every name of that unit,
    and (given `topics`: synonyms on) for a topic's name its other names."""
    terms = list(parsed.positive_text)
    for g in parsed.groups:
        for leaf in g:
            if leaf.field is None and not leaf.negated and not leaf.quoted and leaf.value in registry.canonical:
                terms += registry.names_for(leaf.value)
            if not leaf.negated:
                terms += synonyms_of(leaf, topics)
    return list(dict.fromkeys(terms))


def synonyms_found(parsed: ParsedQuery, topics) -> list[str]:
    """The topics' other names the query's plain words stand for (「含同义词」), in order."""
    return list(dict.fromkeys(n for g in parsed.groups for leaf in g if not leaf.negated
                              for n in synonyms_of(leaf, topics)))


def title_match(item: dict, terms: list[str]) -> bool:
    """Does any of the terms occur in the item's text, heading or section title?"""
    return bool(terms) and any(match_spans(item.get(k) or "", terms) for k in ("text", "heading", "section"))


class Searcher:
    """One open Whoosh searcher over the data folder's index, refreshed before each search (cheap
    when nothing changed; a commit or a rebuilt index is picked up). Hits come from the records.

    Not thread-safe: give each thread (or request worker) its own Searcher."""

    def __init__(self, datadir: DataDir, records: Records | None = None, registry=None, topics=None):
        self.datadir = datadir
        self.use(records, registry, topics)
        self._ix = None
        self._searcher = None
        self._target = None

    def use(self, records: Records | None, registry=None, topics=None) -> None:
        """Read hits from these records (the caller's connection), with this registry and these
        topics (else the data folder's: store.site_units.site_registry, store.site_topics.site_topics)."""
        if records is not None and registry is None:
            from ..store.site_units import site_registry
            registry = site_registry(records)
        if records is not None and topics is None:
            from ..store.site_topics import site_topics
            topics = site_topics(records)
        self.records, self.registry, self.topics = records, registry, topics

    @property
    def index_folder(self) -> str | None:
        """The index folder the current searcher reads (another after a rebuild)."""
        return self._target

    def _live_target(self) -> str | None:
        try:
            return str(self.datadir.index_link.resolve())
        except OSError:
            return None

    def refresh(self):
        """The current Whoosh searcher, or None when there is no index and no records.

        The same index folder, changed: Whoosh's own refresh, which hands the unchanged segment
        readers on to the new searcher and closes the rest, unless documents of a segment it reads
        were deleted since (it hands a reader on by its segment's id, deletions or not: an issue
        re-indexed after a correction would still be found as it was) — then a new searcher.
        Another folder (a rebuild swapped in): the index is opened afresh."""
        target = self._live_target()
        if self._searcher is not None and target == self._target:
            try:
                if not index.race_safe(self._searcher.up_to_date):
                    if index.race_safe(lambda: deletions_since(self._ix, self._searcher)):
                        fresh = index.race_safe(self._ix.searcher)
                        self._searcher.close()
                        self._searcher = fresh
                    else:
                        self._searcher = index.race_safe(self._searcher.refresh)
                return self._searcher
            except FileNotFoundError:  # commits kept replacing the TOC: open afresh below
                pass
        self.close_index()
        if not index.exists(self.datadir) and self.records.counts()[1] == 0:
            return None  # an empty data folder: nothing to find
        self._ix = index.open_index(self.datadir)
        self._searcher = self._ix.searcher()
        self._target = target
        return self._searcher

    def search(self, spec: SearchSpec, *, limit: int = 20, offset: int = 0, titles: bool = True) -> SearchResult:
        parsed = parse_spec(spec)
        query = spec.query
        sort = spec.sort or ("relevance" if parsed.has_text else "date")
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}: use relevance or date", "bad_sort", sort=sort)
        if limit < 1 or offset < 0:
            raise QueryError("limit must be at least 1 and offset at least 0", "bad_paging")
        q = self.whoosh_query(parsed, synonyms=spec.synonyms)
        qt = self.whoosh_query(parsed, titles=True, synonyms=spec.synonyms) if titles and parsed.has_text else None
        terms = self.highlight_terms(parsed, spec.synonyms)
        units = focus_units(parsed, spec, self.registry)
        with self.remembering() as s:
            if s is None:
                return SearchResult(0, [], [], sort, query, terms=terms, units=units)
            page, total = self._collect(s, q, sort, offset, limit)
            result = self._hits(page, total, terms, sort, query, units)
            if qt is not None and qt != q:  # then the items that match only with their titles' help
                room = offset + limit - max(offset, total)
                tq = title_only(qt, q, title_alternatives(parsed, self.topics, spec.synonyms))
                tpage, ttotal = self._collect(s, tq, sort, max(0, offset - total), max(room, 1))
                also = self._hits(tpage if room > 0 else [], ttotal, terms, sort, query, units)
                result.title_total, result.title_hits = also.total, also.hits
        result.synonyms = synonyms_found(parsed, self.topics) if spec.synonyms else []
        return result

    def iter_hits(self, spec: SearchSpec, *, titles: bool = True, batch: int = 500) -> tuple[int, Iterator[dict]]:
        """Every hit of a search, in its order (the text matches, then the title matches): (how
        many, an iterator of hits with both citations). Only the ids are held; the items are read
        from the records `batch` at a time as the iterator is consumed (a report of 10,000 hits)."""
        parsed = parse_spec(spec)
        sort = spec.sort or ("relevance" if parsed.has_text else "date")
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}: use relevance or date", "bad_sort", sort=sort)
        q = self.whoosh_query(parsed, synonyms=spec.synonyms)
        qt = self.whoosh_query(parsed, titles=True, synonyms=spec.synonyms) if titles and parsed.has_text else None
        with self.remembering() as s:
            if s is None:
                return 0, iter(())
            everything = max(1, s.doc_count_all())
            ids = [i for i, _ in self._collect(s, q, sort, 0, everything)[0]]
            if qt is not None and qt != q:
                tq = title_only(qt, q, title_alternatives(parsed, self.topics, spec.synonyms))
                ids += [i for i, _ in self._collect(s, tq, sort, 0, everything)[0]]

        terms, units = self.highlight_terms(parsed, spec.synonyms), focus_units(parsed, spec, self.registry)
        names = self.unit_names(units)

        def hits() -> Iterator[dict]:
            for k in range(0, len(ids), batch):
                chunk = ids[k:k + batch]
                items = self.records.items_by_id(chunk)
                acts = self.records.item_activities(chunk) if units else {}
                for item_id in chunk:
                    item = items.get(item_id)
                    if item is not None:
                        f = self.focus(item, terms, units, acts.get(item_id, []), names)
                        yield hit_of(item, self.registry, f.pages(item), publisher=item["publisher"],
                                     original_name=item["original_name"], excerpt=f.excerpt_text(item["text"]),
                                     excerpt_pages=f.excerpt_pages(item))
        return len(ids), hits()

    @contextmanager
    def remembering(self):
        """The current Whoosh searcher (or None), with the words' verified matches remembered for
        the block: the text query, the title query that contains it, the exclusion of the first
        from the second and the filter counts of the same request verify each word once."""
        s = self.refresh()
        if s is None or getattr(s, "_archive_memo", None) is not None:  # none, or an outer block's
            yield s
            return
        s._archive_memo = {}
        try:
            yield s
        finally:
            s._archive_memo = None

    def whoosh_query(self, parsed: ParsedQuery, titles: bool = False, synonyms: bool = True):
        q = build(parsed, self.registry, titles, self.topics, synonyms)
        if q is None:
            raise QueryError("empty query: give words to search for, or a filter (unit:, section:, year:, date:)",
                             "empty_query")
        return q

    def highlight_terms(self, parsed: ParsedQuery, synonyms: bool = True) -> list[str]:
        return highlight_terms(parsed, self.registry, self.topics if synonyms else None)

    @staticmethod
    def _collect(s, q, sort: str, offset: int, limit: int) -> tuple[list[tuple[str, float | None]], int]:
        """The ids (and scores) of hits offset..offset+limit, and how many match in all."""
        want = offset + limit
        # the ranked matches from arrays of ids and scores (ranking.py), as Whoosh's collectors rank them
        fast = top_dated(s, q, DATE_ORDER, want) if sort == "date" else top_scored(s, q, want)
        if fast is not None:
            best, total = fast
            return [(s.stored_fields(d)["id"], score if sort == "relevance" else None) for score, d in best[offset:]], total
        if sort == "date":
            collector = collectors.SortingCollector(DATE_ORDER, limit=want)
        elif isinstance(q, Q.Term):  # one index term: top hits by block-max skipping, count from postings
            collector = collectors.TopCollector(limit=want, usequality=True)
        else:  # counts every match: no matcher may be swapped for one that skips what cannot make the page
            collector = collectors.TopCollector(limit=want, usequality=False, replace=0)
        s.search_with_collector(q, collector)
        results = collector.results()
        total = collector.count() if collector.computes_count() else term_count(s, q)
        page = [(s.stored_fields(results.docnum(n))["id"], results.score(n) if sort == "relevance" else None)
                for n in range(offset, min(want, results.scored_length()))]
        return page, total

    def focus(self, item: dict, terms: list[str], units: list[str], activities: list[dict],
              names: list[str] | None = None):
        """What a hit of `item` points at (search.focus): its matched sentences and words.
        `names`: every name of the units (unit_names), when the caller made them already."""
        return focus(item, terms, units, activities, self.unit_names(units) if names is None else names)

    def unit_names(self, units: list[str]) -> list[str]:
        """Every name the units are printed under."""
        return [n for u in units for n in (self.registry.names_for(u) if self.registry is not None else [u])]

    def _hits(self, page, total: int, terms: list[str], sort: str, query: str, units: list[str] = ()) -> SearchResult:
        """Hits from the records: each with its matched sentences as the snippet (the asked-for
        unit's own, if one is), the pages of its matched words and both citations of them."""
        ids = [item_id for item_id, _ in page]
        items = self.records.items_by_id(ids)
        acts = self.records.item_activities(ids) if units else {}
        names = self.unit_names(list(units))
        hits, spans = [], []
        for item_id, score in page:
            item = items.get(item_id)
            if item is None:  # the index is ahead of the records (see `archive check`)
                total -= 1
                continue
            f = self.focus(item, terms, list(units), acts.get(item_id, []), names)
            hit = hit_of(item, self.registry, f.pages(item), snippet=focus_snippet(item["text"], f))
            hit["score"] = round(score, 4) if isinstance(score, float) else score
            hits.append(hit)
            spans.append(f.marks)
        return SearchResult(max(total, len(hits)), hits, spans, sort, query, terms=terms, units=list(units))

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
