"""Warm searchers shared across requests.

A Searcher keeps its Whoosh searcher and records connection open and refreshes itself before each
search (cheap when nothing changed; a commit or a rebuilt index is picked up: see
Searcher.refresh), so requests never open the index. Searchers are not thread-safe: the pool
hands each request one for its sole use."""
from __future__ import annotations

import threading
from contextlib import contextmanager

from flask import Flask, current_app

from ..ingest.units import Registry
from ..search.searcher import Searcher
from ..store import DataDir


class SearchPool:
    """Searchers for the requests, each used by one request at a time, made as they are needed."""

    def __init__(self, datadir: DataDir, registry: Registry, stamp: tuple | None = None):
        self.datadir = datadir
        self.registry = registry
        self.stamp = stamp  # of the site's registry (store.site_units.registry_stamp) when last read
        self._free: list[Searcher] = []
        self._all: list[Searcher] = []
        self._lock = threading.Lock()

    def fresh_registry(self, records) -> Registry:
        """The shared registry, read again in place if the site's changed since (a change made on
        the command line while the server runs; the web's own changes replace it at once)."""
        from ..store.site_units import registry_stamp, site_registry
        try:
            stamp = registry_stamp(records)
        except Exception:  # noqa: BLE001 - an unreadable database: the page says so elsewhere
            return self.registry
        if stamp != self.stamp:
            with self._lock:
                if stamp != self.stamp:
                    self.registry.replace_with(site_registry(records))
                    self.stamp = stamp
        return self.registry

    @contextmanager
    def searcher(self):
        with self._lock:
            s = self._free.pop() if self._free else None
        if s is None:
            s = Searcher(self.datadir, self.datadir.records(shared=True), self.registry)
            with self._lock:
                self._all.append(s)
        self.fresh_registry(s.records)
        try:
            yield s
        finally:
            with self._lock:
                self._free.append(s)

    def run(self, fn):
        """fn(searcher) with a pooled searcher."""
        with self.searcher() as s:
            return fn(s)

    def close(self) -> None:
        with self._lock:
            for s in self._all:
                s.close()
                s.records.close()
            self._all.clear()
            self._free.clear()


def init_app(app: Flask) -> None:
    from ..store.site_units import registry_stamp, site_registry
    stamp = None
    try:  # the data folder's registry (shipped, with the site's changes)
        with app.extensions["archive.datadir"].records() as records:
            registry, stamp = site_registry(records), registry_stamp(records)
    except Exception:
        registry = Registry.load()
    app.extensions["archive.registry"] = registry
    app.extensions["archive.search"] = SearchPool(app.extensions["archive.datadir"], registry, stamp)


def pool() -> SearchPool:
    return current_app.extensions["archive.search"]


def registry() -> Registry:
    """The site's unit registry, as it is now."""
    from .db import get_db
    return pool().fresh_registry(get_db())
