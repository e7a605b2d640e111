"""Warm searchers shared across requests, and the filter counts (facets) of a search.

A Searcher keeps its Whoosh searcher and SQLite connection open and refreshes itself before each
search (cheap when nothing changed; a new or rebuilt index is picked up), so requests never open
the index. Searchers are not thread-safe: a small pool hands each request one for its sole use."""
from __future__ import annotations

import os
import sqlite3
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app

from .. import store
from ..index import index_link
from ..search import QueryError, Searcher, build, options_leaves, parse
from ..units import Registry


def _connect(data_dir: Path) -> sqlite3.Connection:
    """A connection a pooled Searcher may use from whichever thread holds it (one at a time)."""
    store.connect(data_dir).close()  # creates the schema / checks the version once
    conn = sqlite3.connect(store.db_path(data_dir), timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


class SearchPool:
    """Searchers for the requests, each used by one request at a time.

    Works around Searcher.refresh() (search.py) closing the old Whoosh searcher after
    `whoosh.Searcher.refresh()` has handed its segment readers on to the new one, which leaves the
    new searcher with closed readers (ReaderClosed) after an incremental index commit (an import
    while the server runs): when the live index folder changed since a Searcher's last use, its
    index is closed so that it reopens the index instead of refreshing; a ReaderClosed that slips
    through (a commit between the check and the search) reopens and retries once."""

    def __init__(self, data_dir: Path, registry: Registry):
        self.data_dir = Path(data_dir)
        self.registry = registry
        self._free: list[Searcher] = []
        self._all: list[Searcher] = []
        self._seen: dict[int, tuple] = {}
        self._lock = threading.Lock()

    def _state(self) -> tuple:
        link = index_link(self.data_dir)
        try:
            return os.path.realpath(link), os.stat(link).st_mtime_ns
        except OSError:
            return None, None

    @contextmanager
    def searcher(self):
        with self._lock:
            s = self._free.pop() if self._free else None
        if s is None:
            s = Searcher(self.data_dir, _connect(self.data_dir), self.registry)
            with self._lock:
                self._all.append(s)
        state = self._state()
        if self._seen.get(id(s)) != state:
            _close_quietly(s)
            self._seen[id(s)] = state
        try:
            yield s
        finally:
            with self._lock:
                self._free.append(s)

    def run(self, fn):
        """fn(searcher) with a pooled searcher; reopened and retried once on ReaderClosed."""
        from whoosh.reading import ReaderClosed
        with self.searcher() as s:
            try:
                return fn(s)
            except ReaderClosed:
                _close_quietly(s)
                return fn(s)

    def close(self) -> None:
        with self._lock:
            for s in self._all:
                _close_quietly(s)
                s.conn.close()
            self._all.clear()
            self._free.clear()


def _close_quietly(s: Searcher) -> None:
    try:
        s.close_index()
    except Exception:  # readers already closed under it (see SearchPool)
        s._searcher = s._ix = s._target = None


def init_app(app: Flask) -> None:
    registry = Registry.load()
    app.extensions["archive.registry"] = registry
    app.extensions["archive.search"] = SearchPool(app.config["DATA_DIR"], registry)


def pool() -> SearchPool:
    return current_app.extensions["archive.search"]


def registry() -> Registry:
    return current_app.extensions["archive.registry"]


class FacetTable:
    """Per document of one index generation: its units, section and year, read once from the index
    (terms' posting lists and the date column), so a search's filter counts cost O(matches)."""

    def __init__(self, reader):
        self.units: dict[int, list[str]] = {}
        self.section: dict[int, str] = {}
        fields = set(reader.indexed_field_names())  # a generator on a MultiReader
        if "unit" in fields:
            for term in reader.field_terms("unit"):
                for d in reader.postings("unit", term).all_ids():
                    self.units.setdefault(d, []).append(term)
        if "section" in fields:
            for term in reader.field_terms("section"):
                for d in reader.postings("section", term).all_ids():
                    self.section[d] = term
        self.year: dict[int, int] = {}
        if reader.has_column("date"):
            dates = reader.column_reader("date")
            for d in range(reader.doc_count_all()):
                v = dates[d]
                if v:
                    self.year[d] = v // 10000


_tables: dict[tuple, FacetTable] = {}
_tables_lock = threading.Lock()


def facet_table(data_dir: Path, s) -> FacetTable:
    reader = s.reader()
    key = (os.path.realpath(index_link(data_dir)), reader.generation(), reader.doc_count_all())
    with _tables_lock:
        table = _tables.get(key)
        if table is None:
            table = FacetTable(reader)
            if len(_tables) > 8:
                _tables.clear()
            _tables[key] = table
    return table


def facets(searcher: Searcher, query: str, *, unit=None, section=None, year=None, date_from=None,
           date_to=None) -> dict[str, list[tuple[str, int]]]:
    """How many of the query's matches fall in each unit, year and section (most first)."""
    parsed = parse(query)
    parsed.groups.extend([leaf] for leaf in options_leaves(unit, section, year, date_from, date_to))
    q = build(parsed, searcher.registry)
    out = {"unit": [], "year": [], "section": []}
    if q is None:
        return out
    s = searcher.refresh()
    if s is None:
        return out
    docs = list(s.docs_for_query(q))
    if not docs:
        return out
    table = facet_table(searcher.data_dir, s)
    units, sections, years = Counter(), Counter(), Counter()
    for d in docs:
        units.update(table.units.get(d, ()))
        if d in table.section:
            sections[table.section[d]] += 1
        if d in table.year:
            years[str(table.year[d])] += 1
    out["unit"] = sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))
    out["section"] = sorted(sections.items(), key=lambda kv: (-kv[1], kv[0]))
    out["year"] = sorted(years.items(), reverse=True)
    return out


__all__ = ["SearchPool", "QueryError", "facets", "init_app", "pool", "registry"]
