"""The import orchestrator: one PDF → stored original + records, or a one-line reason why not."""
from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import index, store
from .errors import ArchiveError, DuplicateIssue, RefusedPDF
from .masthead import parse_date
from .model import Issue
from .parse import parse_pdf
from .pdf import inspect
from .units import Registry

MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class ImportOptions:
    replace: bool = False
    password: str | None = None
    publication: str | None = None
    year: int | None = None
    number: int | None = None
    date: str | None = None


@dataclass
class ImportResult:
    path: str
    status: str  # imported | replaced | already imported | refused
    issue_id: str | None = None
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "refused"

    def line(self) -> str:
        what = f" as {self.issue_id}" if self.issue_id and self.status != "refused" else ""
        why = f": {self.message}" if self.message else ""
        return f"{self.path}: {self.status}{what}{why}"


def pdf_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The PDFs named, and every PDF under the folders named (recursively, in a stable order)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() == ".pdf")
        else:
            yield p


def apply_overrides(issue: Issue, options: ImportOptions) -> None:
    """What the user supplies wins over what the parser read (for documents without a masthead)."""
    if options.publication:
        issue.publication = options.publication
    if options.year is not None:
        issue.year = options.year
    if options.number is not None:
        issue.number = options.number
    if options.date:
        issue.date = parse_date(options.date) or options.date
    if issue.year is not None and issue.number is not None:  # the user gave what the masthead lacked
        issue.review_reasons = [r for r in issue.review_reasons if not r.startswith("no masthead")]
        issue.needs_review = bool(issue.review_reasons)


def import_bytes(conn: sqlite3.Connection, data_dir: Path, data: bytes, name: str, registry: Registry,
                 options: ImportOptions) -> ImportResult:
    # 1. the same bytes again change nothing
    sha = hashlib.sha256(data).hexdigest()
    known = store.issue_for_sha(conn, sha)
    if known:
        return ImportResult(name, "already imported", known)
    # 2. refuse what is not a readable PDF before the expensive parse
    if len(data) > MAX_FILE_BYTES:
        raise RefusedPDF(f"file is {len(data) // 2**20} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    inspect(data, options.password)
    # 3. parse: layout, text repair, structure, attribution
    issue = parse_pdf(data, registry, options.password)
    apply_overrides(issue, options)
    issue_id = issue.issue_id(sha)
    # 4. another file already holds this issue: only --replace swaps it
    other = store.sha_for_issue(conn, issue_id)
    if other and not options.replace:
        raise DuplicateIssue(f"issue {issue_id} is already imported from another file "
                             f"(sha256 {other[:12]}); use --replace to swap it")
    # 5. the original, then the records in one transaction
    store.save_pdf(data_dir, sha, data)
    canonical = {name: registry.canonical_name(name) for s in issue.sections for it in s.items for name in it.units}
    store.write_issue(conn, issue_id, issue, sha, Path(name).name, canonical, replace=bool(other))
    index.index_issue(conn, data_dir, issue_id)  # derived; on failure it warns, `archive reindex` repairs
    note = "; needs review: " + "; ".join(issue.review_reasons) if issue.needs_review else ""
    return ImportResult(name, "replaced" if other else "imported", issue_id, note.lstrip("; "))


def import_file(conn: sqlite3.Connection, data_dir: Path, path: Path, registry: Registry,
                options: ImportOptions) -> ImportResult:
    """Import one file; every expected failure becomes a 'refused' result with its reason."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return ImportResult(str(path), "refused", message=f"cannot read file: {exc.strerror or exc}")
    try:
        return import_bytes(conn, data_dir, data, str(path), registry, options)
    except ArchiveError as exc:
        return ImportResult(str(path), "refused", message=str(exc))
    except Exception as exc:  # a parser bug must not stop a backlog: report it, go on with the next file
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        return ImportResult(str(path), "refused", message=f"internal error ({type(exc).__name__}: {detail});"
                                                           " nothing was stored, please report this file")
