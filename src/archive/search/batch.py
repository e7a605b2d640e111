"""Indexing a run of imports through one Whoosh writer (a backlog), committed in batches."""
from __future__ import annotations

import logging
import time

from ..store import DataDir, Records
from .index import BATCH_LIMITMB, WRITE_TIMEOUT, default_registry, ensure_current, open_writer, item_docs, open_index

log = logging.getLogger("archive.index")


class Batch:
    """One writer for a run of imports (a backlog): issues are added as their records commit, and the
    writer commits every `every` issues or `seconds`, and at the end. Committing per issue would
    cost a Whoosh commit (a segment write and merge) per file. Between commits the index lags the
    records; a crash there leaves items that `archive check` lists and `check --repair` (or the
    same import again, through `ensure`) puts back. Like index_issue, a failure never undoes an
    import: it is logged once and the rest of the run goes on unindexed."""

    def __init__(self, records: Records, datadir: DataDir, every: int = 25, seconds: float = 10.0,
                 timeout: float = WRITE_TIMEOUT, registry=None):
        self.records, self.datadir, self.every, self.seconds, self.timeout = records, datadir, every, seconds, timeout
        self.registry = registry
        self.ix = None
        self.writer = None
        self.pending = 0
        self.started = 0.0
        self.indexed: set[str] = set()
        self.failed = False

    def __enter__(self) -> "Batch":
        try:
            ensure_current(self.records, self.datadir, self.timeout)
            self.ix = open_index(self.datadir)
            with self.ix.reader() as reader:  # which issues the index holds (live documents), for ensure()
                self.indexed = {fields["issue"] for fields in reader.all_stored_fields()}
        except Exception as exc:
            self._fail(exc)
        return self

    def _fail(self, exc: BaseException, issue_id: str | None = None) -> None:
        what = f"issue {issue_id} is stored but not indexed" if issue_id else "the search index is not updated"
        log.warning("%s (%s); run `archive reindex`", what, str(exc) or type(exc).__name__)
        self.failed = True
        if self.writer is not None:
            try:
                self.writer.cancel()
            except Exception:
                pass
            self.writer = None

    def add(self, issue_id: str, gone: tuple[str, ...] = ()) -> None:
        """Index (or re-index) one issue whose records are committed (`gone`: ids it had before)."""
        if self.failed:
            return
        try:
            if self.writer is None:
                self.writer = open_writer(self.ix, self.timeout, limitmb=BATCH_LIMITMB)
                self.started = time.monotonic()
            for old in (issue_id, *gone):
                self.writer.delete_by_term("issue", old)
            if self.registry is None:
                self.registry = default_registry(self.records)
            for doc in item_docs(self.records, issue_id, self.registry):
                self.writer.add_document(**doc)
            self.indexed.add(issue_id)
            self.pending += 1
            if self.pending >= self.every or time.monotonic() - self.started >= self.seconds:
                self.commit()
        except Exception as exc:
            self._fail(exc, issue_id)

    def ensure(self, issue_id: str) -> None:
        """Index an issue the records hold but the index lacks (an import killed before its commit)."""
        if issue_id not in self.indexed:
            self.add(issue_id)

    def commit(self) -> None:
        if self.writer is not None and not self.failed:
            try:
                self.writer.commit()
            except Exception as exc:
                self._fail(exc)
        self.writer, self.pending = None, 0

    def __exit__(self, *exc_info) -> None:
        self.commit()  # the records of every added issue are committed: index them even after an error
        if self.ix is not None:
            self.ix.close()
