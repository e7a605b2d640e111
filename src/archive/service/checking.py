"""Do records, stored originals and the search index agree? `check` lists what is wrong, as
problems with kinds; `repair` mends what can be mended. The edges word the problems."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..search import index
from ..store import DataDir, Records

ORPHAN_MIN_AGE_S = 3600.0  # a younger stored file may belong to an import writing its records now


@dataclass(frozen=True)
class Problem:
    kind: str  # see KINDS
    ids: tuple[str, ...] = ()  # the issues, items or files concerned
    detail: str = ""  # index_unavailable: why

    @property
    def about_index(self) -> bool:
        return self.kind in INDEX_KINDS


KINDS = ("missing_pdf", "index_unavailable", "not_indexed", "not_in_records", "orphan_file")
INDEX_KINDS = {"index_unavailable", "not_indexed", "not_in_records"}  # a rebuild from the records mends these


@dataclass
class Repair:
    removed: list[Path] = field(default_factory=list)  # stored files no issue refers to
    rebuilt: int | None = None  # items indexed, when the index was rebuilt


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
    item_ids = records.item_ids()
    try:
        in_index = index.indexed_ids(datadir)
    except index.IndexUnavailable as exc:
        if item_ids or index.exists(datadir):
            problems.append(Problem("index_unavailable", detail=str(exc)))
        return problems
    if item_ids - in_index:
        problems.append(Problem("not_indexed", tuple(sorted(item_ids - in_index))))
    if in_index - item_ids:
        problems.append(Problem("not_in_records", tuple(sorted(in_index - item_ids))))
    return problems


def repair(records: Records, datadir: DataDir, problems: list[Problem]) -> Repair:
    """Remove stored files no issue refers to; rebuild the index where it disagrees with the records.
    A missing original cannot be mended here (import the file again)."""
    done = Repair()
    for problem in problems:
        if problem.kind == "orphan_file":
            for name in problem.ids:
                Path(name).unlink(missing_ok=True)
                done.removed.append(Path(name))
    if any(p.about_index for p in problems):
        done.rebuilt = index.rebuild(records, datadir)
    return done
