"""The one path by which the search index follows the records.

Every write of an issue queues it in the same SQLite transaction (the triggers on `issues`,
store/schema.py). The indexer drains that queue: each queued issue's documents go from the index
and its items as the records hold them now come in, one Whoosh commit, and only then are the
queue's entries removed. So a crash anywhere leaves the queue holding what the index lacks, and
the next drain (the next import or correction, the server's start, `archive check --repair`)
mends it; nobody has to remember to.

    with Indexer(records, datadir) as ix:   # an import run: one writer for the run
        ...store an issue...
        ix.poke()                            # drains every `every` issues or `seconds`
    drain(records, datadir)                  # a correction, the server's start: at once

A failure to index never undoes what the records hold: it is logged, the entries stay queued."""
from __future__ import annotations

import logging
import time

from ..errors import IndexUnavailable
from ..store import DataDir, Records
from .index import BATCH_LIMITMB, WRITE_TIMEOUT, ensure_current, item_docs, open_index, open_writer

log = logging.getLogger("archive.index")
EVERY_ISSUES, EVERY_SECONDS = 100, 10.0  # an import run drains this often (a Whoosh commit each: 25 cost 3 % of the import)


class Indexer:
    """Drains the records' index queue into the live index. Used as a context for a run of writes
    (it drains what is queued on entry, every `every` pokes or `seconds`, and on exit)."""

    def __init__(self, records: Records, datadir: DataDir, *, every: int = EVERY_ISSUES,
                 seconds: float = EVERY_SECONDS, timeout: float = WRITE_TIMEOUT):
        self.records, self.datadir = records, datadir
        self.every, self.seconds, self.timeout = every, seconds, timeout
        self.pokes = 0
        self.last = time.monotonic()

    def drain(self) -> int:
        """Index every issue queued now, in one commit; how many issues. Without a current index,
        the whole index is built from the records (which empties the queue as far as it read)."""
        upto, issue_ids = self.records.index_queue()
        self.pokes, self.last = 0, time.monotonic()
        if not issue_ids:
            return 0
        try:
            if ensure_current(self.records, self.datadir, self.timeout):
                return len(issue_ids)
            self._write(issue_ids)
        except Exception as exc:  # the records are safe; the queue keeps what is not indexed
            log.warning("%d issue(s) stored but not yet searchable (%s); they stay queued: `archive check --repair`",
                        len(issue_ids), str(exc) or type(exc).__name__)
            return 0
        self.records.dequeue(upto)
        return len(issue_ids)

    def _write(self, issue_ids: list[str]) -> None:
        from ..store.site_topics import site_topics
        from ..store.site_units import site_registry
        registry, topics = site_registry(self.records), site_topics(self.records)
        ix = open_index(self.datadir)
        try:
            w = open_writer(ix, self.timeout, limitmb=BATCH_LIMITMB)
            try:
                for issue_id in issue_ids:
                    w.delete_by_term("issue", issue_id)
                    for doc in item_docs(self.records, issue_id, registry, topics):
                        w.add_document(**doc)
            except BaseException:
                w.cancel()
                raise
            w.commit()
        finally:
            ix.close()

    def poke(self) -> None:
        """An issue was written: drain when enough have been, or enough time has passed."""
        self.pokes += 1
        if self.pokes >= self.every or time.monotonic() - self.last >= self.seconds:
            self.drain()

    def __enter__(self) -> "Indexer":
        self.drain()  # what a killed run left queued
        return self

    def __exit__(self, *exc_info) -> None:
        self.drain()  # every issue written is committed in the records: index it, even after an error


def drain(records: Records, datadir: DataDir, timeout: float = WRITE_TIMEOUT) -> int:
    """Index what the records queued, now (after a correction; at the server's start)."""
    return Indexer(records, datadir, timeout=timeout).drain()


def stale_items(records: Records, datadir: DataDir) -> dict[str, list[str]]:
    """Where the index disagrees with the records: {"not_indexed": items it lacks, "not_in_records":
    documents of items the records lack, "stale": items whose document is of an older version,
    "issues": the issues concerned}. IndexUnavailable when there is no usable index."""
    from .index import indexed_versions
    want = records.item_versions()
    have = indexed_versions(datadir)
    out = {"not_indexed": sorted(want.keys() - have.keys()), "not_in_records": sorted(have.keys() - want.keys()),
           "stale": sorted(i for i in want.keys() & have.keys() if want[i][0] != have[i][0])}
    out["issues"] = sorted({want[i][1] for i in out["not_indexed"] + out["stale"]}
                           | {have[i][1] for i in out["not_in_records"]})
    return out


__all__ = ["Indexer", "drain", "stale_items", "IndexUnavailable"]
