"""Warm searchers shared across requests.

A Searcher keeps its Whoosh searcher open and refreshes itself before each search (cheap when
nothing changed; a commit or a rebuilt index is picked up: see Searcher.refresh), so requests never
open the index. The records it reads hits from are the request's own (db.get_db: one connection
path), and so is the registry (store.site_units.site_registry, read again when it changed).
Searchers are not thread-safe: the pool hands each request one for its sole use."""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from flask import Flask, current_app

from ..errors import ArchiveError
from ..search.indexer import drain
from ..search.searcher import Searcher
from ..store import DataDir
from ..store.site_units import site_registry
from .db import get_db

log = logging.getLogger("archive.web")


class SearchPool:
    """Searchers for the requests, each used by one request at a time, made as they are needed."""

    def __init__(self, datadir: DataDir):
        self.datadir = datadir
        self._free: list[Searcher] = []
        self._all: list[Searcher] = []
        self._lock = threading.Lock()

    @contextmanager
    def searcher(self, records):
        """A searcher for the block, reading hits from `records` with the site's registry."""
        with self._lock:
            s = self._free.pop() if self._free else None
        if s is None:
            s = Searcher(self.datadir)
            with self._lock:
                self._all.append(s)
        s.use(records, site_registry(records))
        try:
            yield s
        finally:
            s.use(None, None)
            with self._lock:
                self._free.append(s)

    def close(self) -> None:
        with self._lock:
            for s in self._all:
                s.close()
            self._all.clear()
            self._free.clear()


def init_app(app: Flask) -> None:
    datadir = app.extensions["archive.datadir"]
    app.extensions["archive.search"] = SearchPool(datadir)
    try:  # what a crash left queued for the index is indexed before the first search
        with datadir.records() as records:
            drain(records, datadir)
    except ArchiveError as exc:  # a data folder that cannot be opened: its pages say so
        log.warning("search index not brought up to date at start: %s", exc)


def searcher():
    """A pooled searcher over the request's records (a context manager)."""
    return current_app.extensions["archive.search"].searcher(get_db())


def registry():
    """The site's unit registry, as it is now."""
    return site_registry(get_db())
