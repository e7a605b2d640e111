"""Stage 9, the import orchestrator: one PDF → stored original + the records of each issue it holds
(one; or each issue of a bound volume, 合订本, each a result of its own) + index, or a one-line
reason why not.

    1. the same bytes again change nothing           (Importer.seen_before)
    1b. a Word/WPS file is converted to PDF          (converting.to_pdf: LibreOffice, bounded, one at a time)
    2. check the file, parse it within a time limit  (parse_bytes → ingest.parse.parse_issues)
    3. apply what the user supplied                  (apply_overrides)
    4. keep the original (once), write the records   (Importer.store, for each issue; the issue is
                                                      queued for the index in the same transaction)
    5. index what is queued                          (the run's search.indexer.Indexer)

Failures are ImportResults with status "refused", never exceptions: a backlog goes on after a bad file."""
from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections import deque
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..children import end_with_parent
from ..errors import ArchiveError, DuplicateIssue, RefusedPDF
from . import logs
from .converting import is_office, to_pdf
from ..ingest.masthead import parse_date
from ..ingest.parse import parse_issues
from ..ingest.pdf import DEFAULT_READER, inspect, release
from ..ingest.units import Registry
from ..model import Issue, Review
from ..search.indexer import Indexer, drain
from ..store import DataDir, Records
from ..store.citation import import_name

MAX_FILE_BYTES = 512 * 1024 * 1024
TIME_BASE_S, TIME_PER_PAGE_S = 60.0, 20.0  # a file's parse may take this long (OCR is ~3 s a page)
IN_FLIGHT_PER_JOB = 2  # parallel imports: files parsed or waiting per worker (memory stays flat)


@dataclass
class ImportOptions:
    replace: bool = False
    password: str | None = None
    publication: str | None = None
    year: int | None = None
    number: int | None = None
    date: str | None = None
    reader: str | None = None  # the stage-1 reader (ingest.pdf.READERS; settings.pdf_reader), None: the default

    @classmethod
    def kept_from(cls, old: Issue, new: Issue) -> "ImportOptions":
        """What the user gave at import for a document without a masthead (held by its earlier
        parse, `old`), to apply again over a new parse that still finds none."""
        if new.has_masthead or not old.has_masthead:
            return cls()
        return cls(**{f: getattr(old, f) for f in ("publication", "year", "number", "date")
                      if getattr(new, f) is None})


@dataclass
class ImportResult:
    path: str
    status: str  # imported | replaced | already imported | refused
    issue_id: str | None = None
    message: str = ""  # why a file was refused
    reviews: list[Review] = field(default_factory=list)  # why an imported issue needs a person's look
    error: ArchiveError | None = None  # the refusal, for edges that word it themselves
    name: str = ""  # what the import is: 《中铝股份党群工作》2021年第5期…, or 其他文件《its title》
    collection: str = ""  # bulletin, or other (a document that is not the bulletin)
    source_pages: tuple[int, int] | None = None  # one of several issues of the file: its file pages
    ends_file: bool = True  # the last result of its file (a bound volume gives one per issue)

    @property
    def failed(self) -> bool:
        return self.status == "refused"


def importable(path: Path | str) -> bool:
    """A PDF, or a Word/WPS original (converted first), by its name."""
    return Path(path).suffix.lower() == ".pdf" or is_office(str(path))


def pdf_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and every PDF or Word/WPS file under the folders named (recursively, in a
    stable order)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and importable(f))
        else:
            yield p


def apply_overrides(issue: Issue, options: ImportOptions) -> None:
    """What the user supplies wins over what the parser read (for documents without a masthead;
    parse_bytes applies it to a file that holds one issue only)."""
    if options.publication:
        issue.publication = options.publication
    if options.year is not None:
        issue.year = options.year
    if options.number is not None:
        issue.number = options.number
    if options.date:
        issue.date = parse_date(options.date) or options.date
    if issue.year is not None and issue.number is not None:  # the user gave what the masthead lacked
        issue.unflag("no_masthead")


@contextmanager
def time_limit(seconds: float):
    """Refuse a file whose parse runs past `seconds` (a pathological content stream). Uses SIGALRM,
    so it applies in a process's main thread on POSIX (the CLI and its workers), not in web threads."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise RefusedPDF(f"gave up after {seconds:.0f} s: the file takes too long to read", "timeout",
                         seconds=round(seconds))
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_bytes(data: bytes, registry: Registry, options: ImportOptions, ocr_cache: Path | None = None,
                on_page: Callable[[str], None] | None = None, ocr_pool: Executor | None = None,
                on_pages: Callable[[int], None] | None = None) -> list[Issue]:
    """The expensive, pure part of an import (no database): it can run in a worker process. The
    issues the file holds, in file order. `on_pages(n)` is told the page count once the file has
    passed its checks."""
    # refuse what is not a readable PDF, or one out of bounds (ingest.limits), before the expensive parse
    if len(data) > MAX_FILE_BYTES:
        raise RefusedPDF(f"file is {len(data) // 2**20} MB; the limit is {MAX_FILE_BYTES // 2**20} MB", "too_large",
                         mb=len(data) // 2**20, limit=MAX_FILE_BYTES // 2**20)
    try:
        with time_limit(TIME_BASE_S):
            pages = inspect(data, options.password)
        if on_pages is not None:
            on_pages(pages)
        # layout, text repair, structure, attribution — within a time limit, so no file hangs a backlog
        with time_limit(TIME_BASE_S + TIME_PER_PAGE_S * pages):
            issues = parse_issues(data, registry, options.password, ocr_cache=ocr_cache, on_page=on_page,
                                  ocr_pool=ocr_pool, reader=options.reader or DEFAULT_READER)
    finally:
        release(data)  # what inspect() kept of the file, also when it was refused or ran out of time
    if len(issues) == 1:
        apply_overrides(issues[0], options)
    return issues


def out_of_memory(exc: BaseException | None, depth: int = 0) -> bool:
    """Was this failure a MemoryError, however wrapped (pdfplumber and our page reader wrap what
    pdfminer raises)?"""
    if exc is None or depth > 8:
        return False
    if isinstance(exc, MemoryError):
        return True
    inner = [exc.__cause__, exc.__context__] + [a for a in exc.args if isinstance(a, BaseException)]
    return any(out_of_memory(e, depth + 1) for e in inner)


def refusal(name: str, exc: Exception) -> ImportResult:
    """Every failure is one line: expected ones say why, a parser bug says so and names the file."""
    if out_of_memory(exc):  # past the memory cap of a bounded import (jobs.run_worker)
        exc = RefusedPDF("reading the file needs more memory than an import may use", "memory")
    if isinstance(exc, ArchiveError):
        return ImportResult(name, "refused", message=str(exc), error=exc)
    ref = logs.internal(exc, f"importing {name}")  # a parser bug: its traceback in the log, by reference
    error = ArchiveError(f"internal error ({type(exc).__name__}, reference {ref}); nothing was stored, please report"
                         " this file", "internal", ref=ref)
    return ImportResult(name, "refused", message=str(error), error=error)


def read_file(path: Path) -> bytes | ImportResult:
    """The file's bytes, or its refusal when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        error = RefusedPDF(f"cannot read file: {exc.strerror or exc}", "unreadable", detail=exc.strerror or "")
        return ImportResult(str(path), "refused", message=str(error), error=error)


class Importer:
    """Imports into one data folder with one set of options. `indexer` drains the index queue for
    a run (one writer); without it each issue is indexed at once. `on_pages(n)` is told a file's page
    count once it passed its checks and `on_page(method)` is called as each page is read (progress;
    how it was read: textlayer.METHODS); `ocr_pool` recognises a file's scanned pages in other processes. `keep_paths`: the name given
    is kept whole as the original's name (a web upload's path within its folder), not its last part."""
    keep_paths = False

    def __init__(self, records: Records, datadir: DataDir, options: ImportOptions | None = None,
                 *, on_page: Callable[[str], None] | None = None, ocr_pool: Executor | None = None,
                 on_pages: Callable[[int], None] | None = None):
        from ..store.site_units import site_registry
        self.records, self.datadir, self.registry = records, datadir, site_registry(records)
        self.options = options or ImportOptions()
        self.indexer: Indexer | None = None
        self.on_page, self.ocr_pool, self.on_pages = on_page, ocr_pool, on_pages
        self._originals: dict[str, tuple[str, bytes]] = {}  # sha → (suffix, bytes) of a converted original

    def import_file(self, path: Path) -> list[ImportResult]:
        """Import one file: a result for each issue it holds (a refusal is one result for the file)."""
        data = read_file(path)
        if isinstance(data, ImportResult):
            return [data]
        return self.import_bytes(data, str(path))

    def import_bytes(self, data: bytes, name: str) -> list[ImportResult]:
        try:
            sha, known = self.seen_before(data, name)
            if known:
                return known
            data = self.as_pdf(data, sha, name)
            issues = parse_bytes(data, self.registry, self.options, self.datadir.ocr_cache, self.on_page,
                                 self.ocr_pool, self.on_pages)
        except Exception as exc:  # a parser bug must not stop a backlog: report it, go on with the next file
            return [refusal(name, exc)]
        return self.store_all(data, sha, name, issues)

    def as_pdf(self, data: bytes, sha: str, name: str) -> bytes:
        """The PDF to read: the file itself, or the PDF LibreOffice makes of a Word/WPS original (the
        original kept for `store`, which files both under the original's hash: the same document
        imported again is known by its own bytes, whatever PDF a conversion makes of it)."""
        if not is_office(name):
            return data
        pdf = to_pdf(data, name, self.datadir.root)
        self._originals[sha] = (Path(name).suffix.lower(), data)
        return pdf

    def seen_before(self, data: bytes, name: str) -> tuple[str, list[ImportResult]]:
        """The file's SHA-256, and its results if these bytes are already imported (then nothing
        changes). With --replace, a volume some of whose issues were refused before is read again."""
        sha = hashlib.sha256(data).hexdigest()
        held = self.records.issues_for_sha(sha)
        if self.options.replace and any(source for _, source in held):
            return sha, []
        return sha, self.already(name, held)

    def already(self, name: str, held: list[tuple[str, tuple[int, int] | None]]) -> list[ImportResult]:
        """The same bytes again change nothing (an import killed before its index commit left its
        issue queued: the next drain indexes it)."""
        out = [self.named(ImportResult(name, "already imported", issue_id, source_pages=source, ends_file=False))
               for issue_id, source in held]
        if out:
            out[-1].ends_file = True
        return out

    def named(self, result: ImportResult) -> ImportResult:
        """The result with what it imported named: its title (or issue label) and collection."""
        row = self.records.issue_row(result.issue_id) if result.issue_id else None
        if row is not None:
            result.name, result.collection = import_name(row), row["collection"]
        return result

    def store_all(self, data: bytes, sha: str, name: str, issues: list[Issue]) -> list[ImportResult]:
        """Keep each issue of a file (a refusal of one, another file holding it, does not stop the others)."""
        out: list[ImportResult] = []
        for issue in issues:
            try:
                out.append(self.store(data, sha, name, issue, [r.issue_id for r in out if not r.failed]))
            except Exception as exc:
                out.append(refusal(name, exc))
            out[-1].source_pages, out[-1].ends_file = issue.source_pages, False
        out[-1].ends_file = True
        return out

    def store(self, data: bytes, sha: str, name: str, issue: Issue, taken: list[str] = ()) -> ImportResult:
        """Keep a parsed issue: the original (once, whatever number of issues it holds), the records
        in one transaction, then the index. `taken`: the ids the file's issues before it were stored
        under (a file printing one issue twice is refused the second)."""
        known = self.records.issue_at(sha, issue.source_pages)  # the same bytes twice in one batch
        if known:
            return self.named(ImportResult(name, "already imported", known))
        key = issue.issue_id(sha)  # the parser's id: what the issue's corrections are filed under
        stored = self.records.current_id(key) or key  # a corrected year or number moved it
        # another file (or another place of this one) already holds this issue: only --replace swaps it
        other = self.records.sha_for_issue(stored)
        if other and (not self.options.replace or stored in taken):
            raise DuplicateIssue(f"issue {stored} is already imported from another file "
                                 f"(sha256 {other[:12]}); use --replace to swap it", issue_id=stored, sha=other[:12])
        self.datadir.save_pdf(sha, data)
        if sha in self._originals:
            self.datadir.save_original(sha, *self._originals.pop(sha))
        # the parser's record is kept; what is written is it with the issue's corrections applied
        original = name if self.keep_paths else Path(name).name
        issue_id = self.records.store_parsed(key, issue, sha, original, self.registry, old_id=stored if other else None)
        if self.indexer is not None:
            self.indexer.poke()
        else:
            drain(self.records, self.datadir)  # derived; on failure it warns and the issue stays queued
        return self.named(ImportResult(name, "replaced" if other else "imported", issue_id, reviews=list(issue.reviews)))

    # --- many files ------------------------------------------------------------------------------

    def import_paths(self, paths: list[Path], jobs: int = 1) -> Iterator[ImportResult]:
        """Import files in order, one result each, indexing through one writer for the run. With
        jobs > 1, files are parsed in that many worker processes while this process alone writes
        (records, stored PDFs, index): results in input order, at most IN_FLIGHT_PER_JOB × jobs
        files in flight so memory stays flat over a long backlog. One file with jobs > 1: its
        scanned pages are OCR'd in that many processes instead."""
        with Indexer(self.records, self.datadir) as indexer:
            self.indexer = indexer
            try:
                if jobs <= 1 or len(paths) == 1:
                    yield from self._serial(paths, jobs)
                else:
                    yield from self._parallel(paths, jobs)
            finally:
                self.indexer = None

    def _serial(self, paths: list[Path], jobs: int) -> Iterator[ImportResult]:
        from ..ingest.ocr import OcrPool
        pool = OcrPool(jobs) if jobs > 1 else None
        self.ocr_pool = pool or self.ocr_pool
        try:
            for path in paths:
                yield from self.import_file(path)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    def _parallel(self, paths: list[Path], jobs: int) -> Iterator[ImportResult]:
        pending: deque = deque()  # (name, data, sha, its results | Future)

        def finish(entry) -> list[ImportResult]:
            name, data, sha, outcome = entry
            if isinstance(outcome, list):
                return outcome
            issues = outcome.result()
            if isinstance(issues, Exception):
                return [refusal(name, issues)]
            return self.store_all(data, sha, name, issues)

        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(self.registry, os.getpid())) as pool:
            for path in paths:
                name = str(path)
                data = read_file(path)
                if isinstance(data, ImportResult):
                    pending.append((name, None, None, [data]))
                    continue
                sha, known = self.seen_before(data, name)
                if not known and is_office(name):  # converted here, one at a time; parsed in the pool
                    try:
                        data = self.as_pdf(data, sha, name)
                    except Exception as exc:
                        known = [refusal(name, exc)]
                outcome = known or pool.submit(_parse_in_worker, data, self.options, self.datadir.ocr_cache)
                pending.append((name, data, sha, outcome))
                while len(pending) > IN_FLIGHT_PER_JOB * jobs:
                    yield from finish(pending.popleft())
            while pending:
                yield from finish(pending.popleft())


_worker_registry: Registry | None = None


def _init_worker(registry: Registry, parent: int) -> None:
    global _worker_registry
    end_with_parent(parent)
    _worker_registry = registry


def _parse_in_worker(data: bytes, options: ImportOptions, cache: Path) -> list[Issue] | Exception:
    try:
        return parse_bytes(data, _worker_registry, options, cache)
    except Exception as exc:  # returned, not raised: the main process turns it into a result line
        return exc if isinstance(exc, ArchiveError) else RuntimeError(f"{type(exc).__name__}: {exc}")
