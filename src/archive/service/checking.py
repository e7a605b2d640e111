"""Do records, stored originals and the search index agree? `check` lists what is wrong, as
problems with kinds; `repair` mends what can be mended. The edges word the problems."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IndexUnavailable
from ..search import index
from ..search.indexer import drain, stale_items
from ..store import DataDir, Records

ORPHAN_MIN_AGE_S = 3600.0  # a younger stored file may belong to an import writing its records now


@dataclass(frozen=True)
class Problem:
    kind: str  # see KINDS
    ids: tuple[str, ...] = ()  # the issues, items or files concerned
    detail: str = ""  # index_unavailable: why
    issues: tuple[str, ...] = ()  # not_indexed, stale, not_in_records: the issues to index again

    @property
    def about_index(self) -> bool:
        return self.kind in INDEX_KINDS


KINDS = ("missing_pdf", "orphan_file", "queued", "index_unavailable", "not_indexed", "stale", "not_in_records")
INDEX_KINDS = {"queued", "index_unavailable", "not_indexed", "stale", "not_in_records"}  # re-indexing mends these


@dataclass
class Repair:
    removed: list[Path] = field(default_factory=list)  # stored files no issue refers to
    rebuilt: int | None = None  # items indexed, when the index was rebuilt
    reindexed: int = 0  # issues indexed again


def orphan_files(records: Records, datadir: DataDir, min_age: float = ORPHAN_MIN_AGE_S) -> list[Path]:
    """Stored files no issue refers to (and temp files a killed write left), older than `min_age`."""
    known = {sha for _, sha in records.issue_shas()}
    now = time.time()
    return sorted(p for p in datadir.stored_files()
                  if (p.suffix == ".part" or p.name.split(".")[0] not in known) and now - p.stat().st_mtime >= min_age)


def check(records: Records, datadir: DataDir) -> list[Problem]:
    """What is wrong between records, stored PDFs and the index (an empty list: all agree)."""
    problems: list[Problem] = []
    missing = [issue_id for issue_id, sha in records.issue_shas() if not datadir.pdf_path(sha).is_file()]
    if missing:
        problems.append(Problem("missing_pdf", tuple(missing)))
    orphans = orphan_files(records, datadir)
    if orphans:
        problems.append(Problem("orphan_file", tuple(str(p) for p in orphans)))
    _, queued = records.index_queue()
    if queued:
        problems.append(Problem("queued", tuple(queued)))
    try:
        differ = stale_items(records, datadir)
    except IndexUnavailable as exc:
        if records.counts()[1] or index.exists(datadir):
            problems.append(Problem("index_unavailable", detail=str(exc)))
        return problems
    for kind in ("not_indexed", "stale", "not_in_records"):
        if differ[kind]:
            problems.append(Problem(kind, tuple(differ[kind]), issues=tuple(differ["issues"])))
    return problems


def repair(records: Records, datadir: DataDir, problems: list[Problem]) -> Repair:
    """Remove stored files no issue refers to; bring the index up to the records: the issues
    queued, and those of items missing, stale or left over, are indexed again (the whole index is
    rebuilt only when it cannot be opened). A missing original cannot be mended here (import the
    file again)."""
    done = Repair()
    for problem in problems:
        if problem.kind == "orphan_file":
            for name in problem.ids:
                Path(name).unlink(missing_ok=True)
                done.removed.append(Path(name))
    if any(p.kind == "index_unavailable" for p in problems):
        done.rebuilt = index.rebuild(records, datadir)
        return done
    issues = {i for p in problems for i in p.issues}
    if issues:
        records.enqueue(sorted(issues))
    if issues or any(p.kind == "queued" for p in problems):
        done.reindexed = drain(records, datadir)
    return done
