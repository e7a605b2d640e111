"""The search index: a Whoosh index in `<data>/whoosh`, derived from the SQLite records.

SQLite is the source of truth; the index can be thrown away and rebuilt at any time (Whoosh is not
crash-safe). Layout:

    <data>/whoosh            → symlink to the live index folder (whoosh-<stamp>)
    <data>/whoosh-<stamp>/   the live index (plus ARCHIVE_INDEX.json: our format version)
    <data>/whoosh.lock       held by a rebuild from start to swap

A rebuild writes a fresh folder, then swaps the symlink atomically (os.replace of a new link), so a
reader sees the old index or the new one, never a half-built one. Where symlinks are unavailable the
folder itself is renamed into place (a short window without an index).

One writer at a time: incremental writes take Whoosh's writer lock with a timeout; a rebuild holds
the live index's writer lock from before it reads SQLite until after the swap, so an import that
commits records meanwhile indexes its issue into the new index once the swap is done.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator

from .errors import ArchiveError

log = logging.getLogger("archive.index")

INDEX_VERSION = 4
VERSION_FILE = "ARCHIVE_INDEX.json"
WRITE_TIMEOUT = 60.0  # seconds to wait for another writer
REBUILD_LIMITMB = 512
# Whoosh Phrase queries need positions in `text`; search.SubstringQuery verifies against `mtext`
# instead, so they are not stored: a smaller index (-30 %), faster builds and queries.
STORE_POSITIONS = False
BATCH_ITEMS = 50000  # a rebuild commits once per this many items (whole issues)


class IndexUnavailable(ArchiveError):
    """The search index is missing, locked, or from another version."""


def index_link(data_dir: Path) -> Path:
    return Path(data_dir) / "whoosh"


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / "whoosh.lock"


def schema():
    """Fields: `text` (bigrams), `chars` (single characters) and `mtext` (the text as one folded
    string, see analysis.match_text: a column, to verify substring matches without positions);
    `date` as yyyymmdd (0 when unknown); `unit` holds canonical unit names; `section` and
    `heading` whole titles."""
    from whoosh import columns, fields

    from .analysis import BigramAnalyzer, UnigramAnalyzer
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        issue=fields.ID(stored=True),
        year=fields.NUMERIC(int, bits=32, signed=True),
        date=fields.NUMERIC(int, bits=32, signed=True, sortable=True),
        unit=fields.KEYWORD(commas=True, lowercase=False),
        section=fields.ID(),  # the whole title: `section:` picks the titles containing its value
        heading=fields.ID(),
        text=fields.TEXT(analyzer=BigramAnalyzer(), phrase=STORE_POSITIONS),
        chars=fields.TEXT(analyzer=UnigramAnalyzer(), phrase=False),  # candidates for 1-character words
        mtext=fields.COLUMN(columns.VarBytesColumn()),
    )
    # Whoosh 2.7 looks for a field-length column on every posting it writes and, where a field has
    # none (not scorable), asks the file system each time: 1 byte per document is far cheaper.
    for name in schema.names():
        if schema[name].indexed:
            schema[name].scorable = True
    return schema


# ---------------------------------------------------------------------------------------------
# documents from records

ITEM_SQL = """
SELECT i.id, i.issue_id, i.heading, i.text, s.title AS section, iss.year, iss.date
FROM items i JOIN issues iss ON iss.id = i.issue_id
LEFT JOIN sections s ON s.issue_id = i.issue_id AND s.seq = i.section_seq
"""


def date_number(iso: str | None) -> int:
    """2021-04-16 → 20210416 (0 when unknown or unreadable)."""
    try:
        return int((iso or "")[:10].replace("-", "")) if iso and len(iso) >= 10 else 0
    except ValueError:
        return 0


def item_docs(conn: sqlite3.Connection, issue_id: str | None = None, registry=None) -> Iterator[dict]:
    """One Whoosh document per item (of one issue, or of all), in item order."""
    from .analysis import match_text
    where, args = ("WHERE i.issue_id = ?", (issue_id,)) if issue_id else ("", ())
    units: dict[str, set[str]] = {}
    unit_sql = ("SELECT iu.item_id, iu.unit, iu.canonical FROM item_units iu"
                + (" JOIN items i ON i.id = iu.item_id WHERE i.issue_id = ?" if issue_id else ""))
    for r in conn.execute(unit_sql, args):
        names = units.setdefault(r[0], set())
        names.add(r[2])
        if registry is not None:  # the registry may have learnt an alias since the import
            names.add(registry.canonical_name(r[1]))
    for r in conn.execute(f"{ITEM_SQL} {where} ORDER BY i.id", args):
        text = r["text"] or ""
        doc = {"id": r["id"], "issue": r["issue_id"], "text": text, "chars": text,
               "mtext": match_text(text).encode("utf-8"), "date": date_number(r["date"])}
        if r["year"] is not None:
            doc["year"] = int(r["year"])
        if r["section"]:
            doc["section"] = r["section"]
        if r["heading"]:
            doc["heading"] = r["heading"]
        names = sorted(n.replace(",", " ") for n in units.get(r["id"], ()) if n)
        if names:
            doc["unit"] = ",".join(names)
        yield doc


def _registry():
    try:
        from .units import Registry
        return Registry.load()
    except Exception:  # the index can be built without the registry (stored canonical names)
        return None


# ---------------------------------------------------------------------------------------------
# opening

def race_safe(fn, attempts: int = 8):
    """Call fn(), again if a writer's commit replaced the index's table of contents while it was
    being read (Whoosh deletes the previous TOC file when it commits: FileNotFoundError)."""
    for attempt in range(attempts):
        try:
            return fn()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))


def exists(data_dir: Path) -> bool:
    from whoosh import index as windex
    link = index_link(data_dir)
    return link.is_dir() and race_safe(lambda: windex.exists_in(str(link)))


def read_version(folder: Path) -> int | None:
    try:
        return int(json.loads((Path(folder) / VERSION_FILE).read_text())["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def open_index(data_dir: Path):
    """The live index, or IndexUnavailable with what to do."""
    from whoosh import index as windex
    link = index_link(data_dir)
    if not exists(data_dir):
        raise IndexUnavailable(f"no search index in {link}: run `archive reindex`")
    version = read_version(link)
    if version != INDEX_VERSION:
        raise IndexUnavailable(f"the search index in {link} is format {version}, this version reads "
                               f"{INDEX_VERSION}: run `archive reindex`")
    try:
        return race_safe(lambda: windex.open_dir(str(link)))
    except Exception as exc:  # a damaged index: it is derived data, rebuild it
        raise IndexUnavailable(f"cannot open the search index in {link} ({type(exc).__name__}: {exc}): "
                               "run `archive reindex`") from exc


def _writer(ix, timeout: float = WRITE_TIMEOUT, **kwargs):
    from whoosh.index import LockError
    try:
        return ix.writer(timeout=timeout, **kwargs)
    except LockError as exc:
        raise IndexUnavailable(f"the search index is busy (another import or reindex holds it for over "
                               f"{timeout:.0f} s); try again") from exc


# ---------------------------------------------------------------------------------------------
# writing

def index_issue(conn: sqlite3.Connection, data_dir: Path, issue_id: str, timeout: float = WRITE_TIMEOUT) -> bool:
    """Index (or re-index) what the records hold for one issue: its old documents go, its items come
    in, one commit. Without an index yet, build the whole index (the folder may predate search).

    Called by the importer after the records are committed; a failure here must not undo an import,
    so it is logged (the records are safe; `archive check` reports it, `archive reindex` repairs it)
    and False is returned."""
    try:
        if not exists(data_dir) or read_version(index_link(data_dir)) != INDEX_VERSION:
            if conn.execute("SELECT COUNT(*) FROM issues").fetchone()[0] > 1:
                log.warning("note: building the search index from all records (none yet, or an older format)")
            rebuild(conn, data_dir)
            return True
        ix = open_index(data_dir)
        try:
            w = _writer(ix, timeout)
            try:
                w.delete_by_term("issue", issue_id)
                for doc in item_docs(conn, issue_id, _registry()):
                    w.update_document(**doc)
            except BaseException:
                w.cancel()
                raise
            w.commit()
        finally:
            ix.close()
        return True
    except Exception as exc:
        log.warning("warning: issue %s is stored but not indexed (%s); run `archive reindex`", issue_id,
                    str(exc) or type(exc).__name__)
        return False


class Batch:
    """One writer for a run of imports (a backlog): issues are added as their records commit, and the
    writer commits every `every` issues or `seconds`, and at the end. Committing per issue would
    cost a Whoosh commit (a segment write and merge) per file. Between commits the index lags the
    records; a crash there leaves items that `archive check` lists and `check --repair` (or the
    same import again, through `ensure`) puts back. Like index_issue, a failure never undoes an
    import: it is logged once and the rest of the run goes on unindexed."""

    def __init__(self, conn: sqlite3.Connection, data_dir: Path, every: int = 25, seconds: float = 10.0,
                 timeout: float = WRITE_TIMEOUT):
        self.conn, self.data_dir, self.every, self.seconds, self.timeout = conn, Path(data_dir), every, seconds, timeout
        self.ix = None
        self.writer = None
        self.pending = 0
        self.started = 0.0
        self.indexed: set[str] = set()
        self.failed = False

    def __enter__(self) -> "Batch":
        try:
            if not exists(self.data_dir) or read_version(index_link(self.data_dir)) != INDEX_VERSION:
                rebuild(self.conn, self.data_dir, self.timeout)
            self.ix = open_index(self.data_dir)
            with self.ix.reader() as reader:  # which issues the index holds (live documents), for ensure()
                self.indexed = {fields["issue"] for fields in reader.all_stored_fields()}
        except Exception as exc:
            self._fail(exc)
        return self

    def _fail(self, exc: BaseException, issue_id: str | None = None) -> None:
        what = f"issue {issue_id} is stored but not indexed" if issue_id else "the search index is not updated"
        log.warning("warning: %s (%s); run `archive reindex`", what, str(exc) or type(exc).__name__)
        self.failed = True
        if self.writer is not None:
            try:
                self.writer.cancel()
            except Exception:
                pass
            self.writer = None

    def add(self, issue_id: str) -> None:
        """Index (or re-index) one issue whose records are committed."""
        if self.failed:
            return
        try:
            if self.writer is None:
                self.writer = _writer(self.ix, self.timeout, limitmb=256)
                self.started = time.monotonic()
            self.writer.delete_by_term("issue", issue_id)
            for doc in item_docs(self.conn, issue_id, _registry()):
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


class _FileLock:
    def __init__(self, path: Path):
        from whoosh.util.filelock import FileLock
        self.lock = FileLock(str(path))

    def acquire(self, timeout: float) -> bool:
        from whoosh.util.filelock import try_for
        return try_for(self.lock.acquire, timeout=timeout, delay=0.2)

    def release(self) -> None:
        try:
            self.lock.release()
        except Exception:
            pass


def rebuild(conn: sqlite3.Connection, data_dir: Path, timeout: float = WRITE_TIMEOUT,
            progress=None) -> int:
    """Build a fresh index from the records in a new folder, then swap it in. Returns the item count.
    `progress(n_items_done)` is called after each batch."""
    from whoosh import index as windex

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    rlock = _FileLock(lock_path(data_dir))
    if not rlock.acquire(timeout):
        raise IndexUnavailable("another reindex is running on this data folder; try again later")
    old_writer_lock = None
    try:
        _remove_leftovers(data_dir)
        # Keep incremental writers out of the live index until the new one is in place.
        if exists(data_dir):
            from whoosh.filedb.filestore import FileStorage
            from whoosh.util.filelock import try_for
            lock = FileStorage(str(index_link(data_dir))).lock("MAIN_WRITELOCK")  # what ix.writer() takes
            if not try_for(lock.acquire, timeout=timeout, delay=0.2):
                raise IndexUnavailable(f"the search index is busy (a writer holds it for over {timeout:.0f} s); "
                                      "try again")
            old_writer_lock = lock
        new = Path(tempfile.mkdtemp(prefix=time.strftime("whoosh-%Y%m%dT%H%M%S-"), dir=data_dir))
        try:
            ix = windex.create_in(str(new), schema())
            registry = _registry()
            n = 0
            own_tx = not conn.in_transaction
            if own_tx:
                conn.execute("BEGIN")  # one consistent snapshot of the records
            try:
                w = ix.writer(limitmb=REBUILD_LIMITMB)
                batch = 0
                last_issue = None
                for doc in item_docs(conn, None, registry):
                    if batch >= BATCH_ITEMS and doc["issue"] != last_issue:
                        w.commit()
                        if progress:
                            progress(n)
                        w = ix.writer(limitmb=REBUILD_LIMITMB)
                        batch = 0
                    w.add_document(**doc)
                    n += 1
                    batch += 1
                    last_issue = doc["issue"]
                w.commit(optimize=True)
                if progress:
                    progress(n)
            finally:
                if own_tx:
                    conn.execute("COMMIT")
            ix.close()
            (new / VERSION_FILE).write_text(json.dumps({"version": INDEX_VERSION, "items": n}))
            _swap_in(data_dir, new)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        return n
    finally:
        if old_writer_lock is not None:
            try:
                old_writer_lock.release()
            except Exception:
                pass
        rlock.release()


def _swap_in(data_dir: Path, new: Path) -> None:
    link = index_link(data_dir)
    old_target = None
    if link.is_symlink():
        old_target = data_dir / os.readlink(link)
    tmp_link = data_dir / f"whoosh.link-{os.getpid()}"
    try:
        tmp_link.unlink(missing_ok=True)
        os.symlink(new.name, tmp_link, target_is_directory=True)
    except (OSError, NotImplementedError):
        tmp_link = None
    if tmp_link is not None and (link.is_symlink() or not link.exists()):
        os.replace(tmp_link, link)  # atomic
    else:
        if tmp_link is not None:
            tmp_link.unlink(missing_ok=True)
        # a plain folder (or no symlinks here): rename aside, rename in
        aside = None
        if link.exists() or link.is_symlink():
            aside = data_dir / f"whoosh-old-{os.getpid()}-{int(time.time())}"
            os.replace(link, aside)
        if tmp_link is None:
            os.replace(new, link)
        else:
            os.symlink(new.name, link, target_is_directory=True)
        old_target = aside
    if old_target is not None and old_target.exists() and old_target.resolve() != new.resolve():
        shutil.rmtree(old_target, ignore_errors=True)


def _remove_leftovers(data_dir: Path) -> None:
    """Folders of rebuilds that died before their swap (and stale temp links)."""
    link = index_link(data_dir)
    live = link.resolve() if link.exists() else None
    for p in data_dir.glob("whoosh-*"):
        if p.is_dir() and not p.is_symlink() and (live is None or p.resolve() != live):
            shutil.rmtree(p, ignore_errors=True)
    for p in data_dir.glob("whoosh.link-*"):
        if p.is_symlink():
            p.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# consistency

def indexed_ids(data_dir: Path) -> set[str]:
    ix = open_index(data_dir)
    try:
        with ix.searcher() as s:
            return {f["id"] for f in s.all_stored_fields()}
    finally:
        ix.close()


def check(conn: sqlite3.Connection, data_dir: Path, limit: int = 20) -> list[str]:
    """What is wrong between records, stored PDFs and the index (empty list: all agree)."""
    from . import store
    problems: list[str] = []

    def listed(label: str, names: Iterable[str]) -> None:
        names = sorted(names)
        if names:
            more = f" … and {len(names) - limit} more" if len(names) > limit else ""
            problems.append(f"{label} ({len(names)}): {', '.join(names[:limit])}{more}")

    rows = conn.execute("SELECT id, sha256 FROM issues ORDER BY id").fetchall()
    listed("issues without their stored PDF", [r["id"] for r in rows
                                                 if not store.pdf_path(data_dir, r["sha256"]).is_file()])
    item_ids = {r[0] for r in conn.execute("SELECT id FROM items")}
    try:
        in_index = indexed_ids(data_dir)
    except IndexUnavailable as exc:
        if item_ids or exists(data_dir):
            problems.append(str(exc))
        return problems
    listed("items missing from the search index", item_ids - in_index)
    listed("index documents without a record", in_index - item_ids)
    if (item_ids - in_index) or (in_index - item_ids):
        problems.append("run `archive reindex` to rebuild the index from the records")
    return problems


def orphan_pdfs(conn: sqlite3.Connection, data_dir: Path, min_age: float = 3600.0) -> list[Path]:
    """Stored PDFs no issue refers to, older than `min_age` seconds (a younger one may belong to an
    import whose records are being written right now)."""
    root = Path(data_dir) / "pdfs"
    if not root.is_dir():
        return []
    known = {r[0] for r in conn.execute("SELECT sha256 FROM issues")}
    now = time.time()
    out = []
    for p in root.glob("*/*"):
        if not p.is_file():
            continue
        sha = p.name.split(".")[0]
        if (p.suffix == ".part" or sha not in known) and now - p.stat().st_mtime >= min_age:
            out.append(p)
    return sorted(out)
