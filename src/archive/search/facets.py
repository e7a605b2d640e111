"""Filter counts (facets) of a search: how many of its matches fall in each unit, year, section and topic.

Each facet is a small class that says which values a document has; a FacetTable reads those
values once per index generation (terms' posting lists and the date column), so the counts of a
search cost O(matches)."""
from __future__ import annotations

import threading
from collections import Counter

from .searcher import Searcher, parse_spec
from .spec import SearchSpec

TABLES_KEPT = 8  # index generations whose tables are kept (old ones go when a commit makes more)


class FacetTable:
    """Per document of one index generation: its units, topics, section, year and collection."""

    def __init__(self, reader):
        self.units: dict[int, list[str]] = {}
        self.topics: dict[int, list[str]] = {}
        self.section: dict[int, str] = {}
        fields = set(reader.indexed_field_names())  # a generator on a MultiReader
        for name, table in (("unit", self.units), ("topic", self.topics)):
            if name in fields:
                for term in reader.field_terms(name):
                    for d in reader.postings(name, term).all_ids():
                        table.setdefault(d, []).append(term)
        if "section" in fields:
            for term in reader.field_terms("section"):
                for d in reader.postings("section", term).all_ids():
                    self.section[d] = term
        self.collection: dict[int, str] = {}
        if "collection" in fields:
            for term in reader.field_terms("collection"):
                for d in reader.postings("collection", term).all_ids():
                    self.collection[d] = term
        self.year: dict[int, int] = {}
        if reader.has_column("date"):
            dates = reader.column_reader("date")
            for d in range(reader.doc_count_all()):
                v = dates[d]
                if v:
                    self.year[d] = v // 10000


class Facet:
    name = ""

    def values(self, table: FacetTable, doc: int):
        raise NotImplementedError

    def order(self, counts: Counter) -> list[tuple[str, int]]:
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))  # most first


class UnitFacet(Facet):
    name = "unit"

    def values(self, table, doc):
        return table.units.get(doc, ())


class YearFacet(Facet):
    name = "year"

    def values(self, table, doc):
        return (str(table.year[doc]),) if doc in table.year else ()

    def order(self, counts):
        return sorted(counts.items(), reverse=True)  # newest first


class SectionFacet(Facet):
    name = "section"

    def values(self, table, doc):
        return (table.section[doc],) if doc in table.section else ()


class TopicFacet(Facet):
    name = "topic"

    def values(self, table, doc):
        return table.topics.get(doc, ())


class CollectionFacet(Facet):
    name = "collection"

    def values(self, table, doc):
        return (table.collection.get(doc, "bulletin"),)

    def order(self, counts):
        return sorted(counts.items(), key=lambda kv: kv[0] != "bulletin")  # the bulletin first


FACETS = (UnitFacet(), YearFacet(), SectionFacet(), TopicFacet(), CollectionFacet())

_tables: dict[tuple, FacetTable] = {}
_tables_lock = threading.Lock()


def facet_table(searcher: Searcher, s) -> FacetTable:
    reader = s.reader()
    key = (searcher.index_folder, reader.generation(), reader.doc_count_all())
    with _tables_lock:
        table = _tables.get(key)
        if table is None:
            table = FacetTable(reader)
            if len(_tables) > TABLES_KEPT:
                _tables.clear()
            _tables[key] = table
    return table


def facets(searcher: Searcher, spec: SearchSpec) -> dict[str, list[tuple[str, int]]]:
    """How many of the search's matches fall in each value of each facet (most first). Units are
    the registered ones only: a unit the parser discovered is a suggestion for editors (the review
    queue), not a filter for readers."""
    out: dict[str, list[tuple[str, int]]] = {f.name: [] for f in FACETS}
    q = searcher.whoosh_query(parse_spec(spec), synonyms=spec.synonyms)
    s = searcher.refresh()
    if s is None:
        return out
    docs = list(s.docs_for_query(q))
    if not docs:
        return out
    table = facet_table(searcher, s)
    for facet in FACETS:
        counts: Counter = Counter()
        for d in docs:
            counts.update(facet.values(table, d))
        if facet.name == "unit" and searcher.registry is not None:
            counts = Counter({u: n for u, n in counts.items() if searcher.registry.registered(u)})
        out[facet.name] = facet.order(counts)
    return out
