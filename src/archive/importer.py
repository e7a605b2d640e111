"""The import orchestrator: one PDF → stored original + records, or a one-line reason why not."""
from __future__ import annotations

import hashlib
import signal
import sqlite3
import threading
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import index, store
from .errors import ArchiveError, DuplicateIssue, RefusedPDF
from .masthead import parse_date
from .model import Issue
from .parse import parse_pdf
from .pdf import inspect
from .units import Registry

MAX_FILE_BYTES = 512 * 1024 * 1024
TIME_BASE_S, TIME_PER_PAGE_S = 60.0, 20.0  # a file's parse may take this long (OCR is ~3 s a page)


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


@contextmanager
def time_limit(seconds: float):
    """Refuse a file whose parse runs past `seconds` (a pathological content stream). Uses SIGALRM,
    so it applies in a process's main thread on POSIX (the CLI and its workers), not in web threads."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise RefusedPDF(f"gave up after {seconds:.0f} s: the file takes too long to read")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_bytes(data: bytes, registry: Registry, options: ImportOptions, ocr_cache: Path | None = None,
                on_page: Callable[[], None] | None = None, ocr_pool: Executor | None = None) -> Issue:
    """The expensive, pure part of an import (no database): it can run in a worker process."""
    # refuse what is not a readable PDF before the expensive parse
    if len(data) > MAX_FILE_BYTES:
        raise RefusedPDF(f"file is {len(data) // 2**20} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    pages = inspect(data, options.password)
    # layout, text repair, structure, attribution — within a time limit, so no file hangs a backlog
    with time_limit(TIME_BASE_S + TIME_PER_PAGE_S * pages):
        issue = parse_pdf(data, registry, options.password, ocr_cache=ocr_cache, on_page=on_page, ocr_pool=ocr_pool)
    apply_overrides(issue, options)
    return issue


def store_issue(conn: sqlite3.Connection, data_dir: Path, data: bytes, sha: str, name: str, issue: Issue,
                registry: Registry, options: ImportOptions, batch: index.Batch | None = None) -> ImportResult:
    """Keep a parsed issue: the original, the records in one transaction, then the index (through
    the run's `batch`, or on its own)."""
    known = store.issue_for_sha(conn, sha)  # the same bytes twice in one batch
    if known:
        return already(name, known, batch)
    issue_id = issue.issue_id(sha)
    # another file already holds this issue: only --replace swaps it
    other = store.sha_for_issue(conn, issue_id)
    if other and not options.replace:
        raise DuplicateIssue(f"issue {issue_id} is already imported from another file "
                             f"(sha256 {other[:12]}); use --replace to swap it")
    store.save_pdf(data_dir, sha, data)
    canonical = {unit: registry.canonical_name(unit) for s in issue.sections for it in s.items for unit in it.units}
    store.write_issue(conn, issue_id, issue, sha, Path(name).name, canonical, replace=bool(other))
    if batch is not None:
        batch.add(issue_id)
    else:
        index.index_issue(conn, data_dir, issue_id)  # derived; on failure it warns, `archive reindex` repairs
    note = "; needs review: " + "; ".join(issue.review_reasons) if issue.needs_review else ""
    return ImportResult(name, "replaced" if other else "imported", issue_id, note.lstrip("; "))


def already(name: str, issue_id: str, batch: index.Batch | None) -> ImportResult:
    """The same bytes again change nothing, but an import killed before its index commit is finished."""
    if batch is not None:
        batch.ensure(issue_id)
    return ImportResult(name, "already imported", issue_id)


def seen_before(conn: sqlite3.Connection, data: bytes, name: str,
                batch: index.Batch | None) -> tuple[str, ImportResult | None]:
    """The file's SHA-256, and its result if these bytes are already imported (then nothing changes)."""
    sha = hashlib.sha256(data).hexdigest()
    known = store.issue_for_sha(conn, sha)
    return sha, already(name, known, batch) if known else None


def read_file(path: Path) -> bytes | ImportResult:
    """The file's bytes, or its refusal when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        return ImportResult(str(path), "refused", message=f"cannot read file: {exc.strerror or exc}")


def import_bytes(conn: sqlite3.Connection, data_dir: Path, data: bytes, name: str, registry: Registry,
                 options: ImportOptions, batch: index.Batch | None = None,
                 on_page: Callable[[], None] | None = None, ocr_pool: Executor | None = None) -> ImportResult:
    # 1. the same bytes again change nothing
    sha, result = seen_before(conn, data, name, batch)
    if result:
        return result
    # 2. parse, 3. store and index
    issue = parse_bytes(data, registry, options, ocr_cache(data_dir), on_page, ocr_pool)
    return store_issue(conn, data_dir, data, sha, name, issue, registry, options, batch)


def refusal(name: str, exc: Exception) -> ImportResult:
    """Every failure is one line: expected ones say why, a parser bug says so and names the file."""
    if isinstance(exc, ArchiveError):
        return ImportResult(name, "refused", message=str(exc))
    detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return ImportResult(name, "refused", message=f"internal error ({type(exc).__name__}: {detail});"
                                                 " nothing was stored, please report this file")


def import_file(conn: sqlite3.Connection, data_dir: Path, path: Path, registry: Registry,
                options: ImportOptions, batch: index.Batch | None = None,
                on_page: Callable[[], None] | None = None, ocr_pool: Executor | None = None) -> ImportResult:
    """Import one file; every failure becomes a 'refused' result with its reason."""
    data = read_file(path)
    if isinstance(data, ImportResult):
        return data
    try:
        return import_bytes(conn, data_dir, data, str(path), registry, options, batch, on_page, ocr_pool)
    except Exception as exc:  # a parser bug must not stop a backlog: report it, go on with the next file
        return refusal(str(path), exc)


_worker_registry: Registry | None = None


def _init_worker(registry: Registry) -> None:
    global _worker_registry
    _worker_registry = registry


def ocr_cache(data_dir: Path) -> Path:
    return Path(data_dir) / "ocr-cache"


def _parse_in_worker(data: bytes, options: ImportOptions, cache: Path) -> Issue | Exception:
    try:
        return parse_bytes(data, _worker_registry, options, cache)
    except Exception as exc:  # returned, not raised: the main process turns it into a result line
        return exc if isinstance(exc, ArchiveError) else RuntimeError(f"{type(exc).__name__}: {exc}")


def import_paths(conn: sqlite3.Connection, data_dir: Path, paths: list[Path], registry: Registry,
                 options: ImportOptions, jobs: int = 1,
                 on_page: Callable[[], None] | None = None) -> Iterator[ImportResult]:
    """Import files in order, one result each, indexing through one writer for the run. With
    jobs > 1, files are parsed in that many worker processes while this process alone writes
    (SQLite, stored PDFs, index): results in input order, at most 2 × jobs files in flight so
    memory stays flat over a long backlog. `on_page` is called as each page is read (one process only)."""
    with index.Batch(conn, data_dir) as batch:
        if jobs <= 1 or len(paths) == 1:
            # one file with jobs > 1: its scanned pages are OCR'd in that many processes instead
            from .ocr import make_pool
            pool = make_pool(jobs) if jobs > 1 else None
            try:
                for path in paths:
                    yield import_file(conn, data_dir, path, registry, options, batch, on_page, pool)
            finally:
                if pool is not None:
                    pool.shutdown(cancel_futures=True)
        else:
            yield from _import_parallel(conn, data_dir, paths, registry, options, jobs, batch)


def _import_parallel(conn: sqlite3.Connection, data_dir: Path, paths: list[Path], registry: Registry,
                     options: ImportOptions, jobs: int, batch: index.Batch) -> Iterator[ImportResult]:
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    pending: deque = deque()

    def finish(entry) -> ImportResult:
        name, data, sha, outcome = entry
        if isinstance(outcome, ImportResult):
            return outcome
        issue = outcome.result()
        if isinstance(issue, Exception):
            return refusal(name, issue)
        try:
            return store_issue(conn, data_dir, data, sha, name, issue, registry, options, batch)
        except Exception as exc:
            return refusal(name, exc)

    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(registry,)) as pool:
        for path in paths:
            name = str(path)
            data = read_file(path)
            if isinstance(data, ImportResult):
                pending.append((name, None, None, data))
                continue
            sha, result = seen_before(conn, data, name, batch)
            if result:
                pending.append((name, None, None, result))
            else:
                pending.append((name, data, sha, pool.submit(_parse_in_worker, data, options, ocr_cache(data_dir))))
            while len(pending) > 2 * jobs:
                yield finish(pending.popleft())
        while pending:
            yield finish(pending.popleft())
