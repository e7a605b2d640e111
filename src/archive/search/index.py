"""The search index: a Whoosh index in the data folder, derived from the records.

The records are the source of truth; the index can be thrown away and rebuilt at any time (Whoosh
is not crash-safe). Layout (see DataDir):

    <data>/whoosh            → symlink to the live index folder (whoosh-<stamp>)
    <data>/whoosh-<stamp>/   the live index (plus ARCHIVE_INDEX.json: our format version)
    <data>/whoosh.lock       held by a rebuild from start to swap

A rebuild writes a fresh folder, then swaps the symlink atomically (os.replace of a new link), so a
reader sees the old index or the new one, never a half-built one. Where symlinks are unavailable the
folder itself is renamed into place (a short window without an index).

One writer at a time: incremental writes take Whoosh's writer lock with a timeout; a rebuild holds
the live index's writer lock from before it reads the records until after the swap, so an import
that commits records meanwhile indexes its issue into the new index once the swap is done.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import IndexUnavailable
from ..store import DataDir, Records

log = logging.getLogger("archive.index")

# 5: the analyzers moved to archive.search.analysis (their import path is pickled in the schema).
# 6: `titles`/`tchars`/`mtitles` (heading and section title, for plain words) and `author`.
# 7: `version`, each item's content version as the records had it when it was indexed.
# 8: `collection`, the bulletin's or the other documents' (store.rows.COLLECTIONS).
# 9: `topic`, the topics (store/topics.py) an item's heading and text are about.
INDEX_VERSION = 9
VERSION_FILE = "ARCHIVE_INDEX.json"
WRITE_TIMEOUT = 60.0  # seconds to wait for another writer
REBUILD_MIN_MB, REBUILD_MAX_MB = 512, 2048  # a rebuild's writer buffers postings up to this (rebuild_limit_mb)
REBUILD_RAM_SHARE = 8  # ...an eighth of the machine's memory, a quarter of an address-space cap at most
BATCH_LIMITMB = 256  # an import run's writer: less, since it shares the machine with parsing
# Whoosh Phrase queries need positions in `text`; matchers.SubstringQuery verifies against `mtext`
# instead, so they are not stored: a smaller index (-30 %), faster builds and queries.
STORE_POSITIONS = False
# A rebuild commits once per this many items (whole issues). One segment: merging segments at the end
# rewrote every posting (100,009 items: 197 s in two batches of 50,000 merged, 138 s in one).
BATCH_ITEMS = 1_000_000
PROGRESS_ITEMS = 5000  # a rebuild tells its progress this often (items)
RACE_ATTEMPTS = 8  # opening the index again after a commit replaced its table of contents


TITLE_SEPARATOR = " | "  # between heading and section title: no bigram, and no needle, spans it


def schema():
    """Fields: `text` (bigrams), `chars` (single characters) and `mtext` (the text as one folded
    string, see analysis.match_text: a column, to verify substring matches without positions);
    `titles`, `tchars`, `mtitles` the same for the item's heading and section title together (a
    plain word may match there); `date` as yyyymmdd (0 when unknown); `unit` holds canonical unit
    names, `topic` the item's topics; `section`, `heading` and `author` whole strings (the filters);
    `collection` the issue's (bulletin or other)."""
    from whoosh import columns, fields

    from .analysis import BigramAnalyzer, UnigramAnalyzer
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        issue=fields.ID(stored=True),
        version=fields.STORED(),
        year=fields.NUMERIC(int, bits=32, signed=True),
        date=fields.NUMERIC(int, bits=32, signed=True, sortable=True),
        unit=fields.KEYWORD(commas=True, lowercase=False),
        collection=fields.ID(),
        topic=fields.KEYWORD(commas=True, lowercase=False),
        section=fields.ID(),  # the whole title: `section:` picks the titles containing its value
        heading=fields.ID(),
        author=fields.ID(),
        text=fields.TEXT(analyzer=BigramAnalyzer(), phrase=STORE_POSITIONS),
        chars=fields.TEXT(analyzer=UnigramAnalyzer(), phrase=False),  # candidates for 1-character words
        mtext=fields.COLUMN(columns.VarBytesColumn()),
        titles=fields.TEXT(analyzer=BigramAnalyzer(), phrase=False),
        tchars=fields.TEXT(analyzer=UnigramAnalyzer(), phrase=False),
        mtitles=fields.COLUMN(columns.VarBytesColumn()),
    )
    # Whoosh 2.7 looks for a field-length column on every posting it writes and, where a field has
    # none (not scorable), asks the file system each time: 1 byte per document is far cheaper.
    for name in schema.names():
        if schema[name].indexed:
            schema[name].scorable = True
    return schema


# ---------------------------------------------------------------------------------------------
# documents from records

def date_number(iso: str | None) -> int:
    """2021-04-16 → 20210416; a month without a day, 2021-04 → 20210401 (so date filters and sorting
    place it in its month); 0 when unknown or unreadable."""
    try:
        if iso and len(iso) >= 10:
            return int(iso[:10].replace("-", ""))
        if iso and len(iso) == 7:
            return int(iso.replace("-", "")) * 100 + 1
    except ValueError:
        pass
    return 0


def item_doc(item: dict, registry=None, topics=None) -> dict:
    """One Whoosh document for an item of the records (`topics`: the vocabulary its topics are
    told by, on its heading and text at its issue's date)."""
    from .analysis import match_text
    text = item["text"] or ""
    doc = {"id": item["id"], "issue": item["issue"], "version": item["version"], "text": text, "chars": text,
           "mtext": match_text(text).encode("utf-8"), "date": date_number(item["date"]),
           "collection": item.get("collection") or "bulletin"}
    if item["year"] is not None:
        doc["year"] = int(item["year"])
    if item["section"]:
        doc["section"] = item["section"]
    if item["heading"]:
        doc["heading"] = item["heading"]
    if item.get("author"):
        doc["author"] = item["author"]
    titles = TITLE_SEPARATOR.join(t for t in (item["heading"], item["section"]) if t)
    if titles:
        doc["titles"] = doc["tchars"] = titles
    doc["mtitles"] = "|".join(match_text(t) for t in (item["heading"], item["section"]) if t).encode("utf-8")
    names = set(item["canonical_units"])
    if registry is not None:  # the registry may have learnt an alias since the import
        names.update(registry.canonical_name(u) for u in item["units"])
    names = sorted(n.replace(",", " ") for n in names if n)
    if names:
        doc["unit"] = ",".join(names)
    tags = topics.tag(text, item["date"], item["heading"] or "") if topics is not None else []
    if tags:
        doc["topic"] = ",".join(t.replace(",", " ") for t in tags)
    return doc


def item_docs(records: Records, issue_id: str | None, registry, topics=None) -> Iterator[dict]:
    """One Whoosh document per item (of one issue, or of all), in item order."""
    if topics is None:
        from ..store.site_topics import site_topics
        topics = site_topics(records)
    for item in records.iter_items(issue_id):
        yield item_doc(item, registry, topics)


# ---------------------------------------------------------------------------------------------
# opening

def race_safe(fn, attempts: int = RACE_ATTEMPTS):
    """Call fn(), again if a writer's commit replaced the index's table of contents while it was
    being read (Whoosh deletes the previous TOC file when it commits: FileNotFoundError)."""
    for attempt in range(attempts):
        try:
            return fn()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))


def exists(datadir: DataDir) -> bool:
    """Is there an index (of any format)? Told from its table-of-contents file's name, without
    reading it: an index of another format may not unpickle (its analyzers' module moved)."""
    link = datadir.index_link
    return link.is_dir() and any(link.glob("_MAIN_*.toc"))


def read_version(folder: Path) -> int | None:
    try:
        return int(json.loads((Path(folder) / VERSION_FILE).read_text())["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_current(datadir: DataDir) -> bool:
    """Is there an index, in the format this version reads?"""
    return exists(datadir) and read_version(datadir.index_link) == INDEX_VERSION


def open_index(datadir: DataDir):
    """The live index, or IndexUnavailable with what to do."""
    from whoosh import index as windex
    link = datadir.index_link
    if not exists(datadir):
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


def ensure_current(records: Records, datadir: DataDir, timeout: float = WRITE_TIMEOUT) -> bool:
    """Build the index from the records when there is none, or it is of another format (an index
    written by an older version). True when it was (re)built."""
    if is_current(datadir):
        return False
    if records.counts()[0] > 1:
        log.warning("building the search index from all records (none yet, or an older format)")
    rebuild(records, datadir, timeout)
    return True


def open_writer(ix, timeout: float = WRITE_TIMEOUT, **kwargs):
    """The index's writer (writer.FastWriter: Whoosh's, writing the same index faster)."""
    from whoosh.index import LockError

    from .writer import FastWriter
    try:
        return FastWriter(ix, timeout=timeout, **kwargs)
    except LockError as exc:
        raise IndexUnavailable(f"the search index is busy (another import or reindex holds it for over "
                               f"{timeout:.0f} s); try again") from exc


# ---------------------------------------------------------------------------------------------
# rebuilding

@contextmanager
def _file_lock(path: Path, timeout: float, busy: str):
    """Hold a Whoosh file lock for the block, or raise IndexUnavailable(busy) after `timeout`."""
    from whoosh.util.filelock import FileLock, try_for
    lock = FileLock(str(path))
    if not try_for(lock.acquire, timeout=timeout, delay=0.2):
        raise IndexUnavailable(busy)
    try:
        yield
    finally:
        try:
            lock.release()
        except Exception:
            pass


@contextmanager
def _writers_kept_out(datadir: DataDir, timeout: float):
    """Hold the live index's writer lock (what ix.writer() takes), so no import writes to an index
    that is about to be replaced; nothing to hold when there is no index yet."""
    if not exists(datadir):
        yield
        return
    with _file_lock(datadir.index_link / "MAIN_WRITELOCK", timeout,
                    f"the search index is busy (a writer holds it for over {timeout:.0f} s); try again"):
        yield


def rebuild(records: Records, datadir: DataDir, timeout: float = WRITE_TIMEOUT, progress=None) -> int:
    """Build a fresh index from the records in a new folder, then swap it in. Returns the item count.
    `progress(n_items_done)` is called every PROGRESS_ITEMS items and at the end."""
    datadir.root.mkdir(parents=True, exist_ok=True)
    with _file_lock(datadir.index_lock, timeout, "another reindex is running on this data folder; try again later"):
        _remove_leftovers(datadir)
        with _writers_kept_out(datadir, timeout):
            new = Path(tempfile.mkdtemp(prefix=time.strftime("whoosh-%Y%m%dT%H%M%S-"), dir=datadir.root))
            try:
                with records.snapshot():  # one consistent state of the records, and the queue as far as it holds
                    upto, _ = records.index_queue()
                    n = _build(records, new, progress)
                (new / VERSION_FILE).write_text(json.dumps({"version": INDEX_VERSION, "items": n}))
                _swap_in(datadir, new)
                records.dequeue(upto)
            except BaseException:
                shutil.rmtree(new, ignore_errors=True)
                raise
    return n


def rebuild_limit_mb() -> int:
    """How much a rebuild's writer holds before it spills postings to disk: an eighth of the
    machine's memory, within REBUILD_MIN_MB..REBUILD_MAX_MB, and a quarter of the process's
    address-space cap where one is set (the import worker's). The process peaks at ~1.3 times this;
    spilling and merging the runs back in Python doubled a 100,000-item build (docs/performance.md)."""
    import resource
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        total = REBUILD_MIN_MB * REBUILD_RAM_SHARE
    limit = max(REBUILD_MIN_MB, min(REBUILD_MAX_MB, total // REBUILD_RAM_SHARE))
    cap, _ = resource.getrlimit(resource.RLIMIT_AS)
    if cap != resource.RLIM_INFINITY:
        limit = min(limit, cap // 2**20 // 4)
    return max(limit, 32)


def _build(records: Records, folder: Path, progress=None) -> int:
    """Write every item's document into a new index in `folder`, committing per BATCH_ITEMS items."""
    from whoosh import index as windex
    ix = windex.create_in(str(folder), schema())
    limit = rebuild_limit_mb()
    try:
        n = batch = 0
        last_issue = None
        w = open_writer(ix, limitmb=limit)
        from ..store.site_units import site_registry
        for doc in item_docs(records, None, site_registry(records)):
            if batch >= BATCH_ITEMS and doc["issue"] != last_issue:
                w.commit()
                w = open_writer(ix, limitmb=limit)
                batch = 0
            w.add_document(**doc)
            n += 1
            batch += 1
            last_issue = doc["issue"]
            if progress and n % PROGRESS_ITEMS == 0:
                progress(n)
        w.commit(optimize=True)
        if progress:
            progress(n)
        return n
    finally:
        ix.close()


def _swap_in(datadir: DataDir, new: Path) -> None:
    root, link = datadir.root, datadir.index_link
    old_target = None
    if link.is_symlink():
        old_target = root / os.readlink(link)
    tmp_link = root / f"whoosh.link-{os.getpid()}"
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
            aside = root / f"whoosh-old-{os.getpid()}-{int(time.time())}"
            os.replace(link, aside)
        if tmp_link is None:
            os.replace(new, link)
        else:
            os.symlink(new.name, link, target_is_directory=True)
        old_target = aside
    if old_target is not None and old_target.exists() and old_target.resolve() != new.resolve():
        shutil.rmtree(old_target, ignore_errors=True)


def _remove_leftovers(datadir: DataDir) -> None:
    """Folders of rebuilds that died before their swap (and stale temp links)."""
    link = datadir.index_link
    live = link.resolve() if link.exists() else None
    for p in datadir.root.glob("whoosh-*"):
        if p.is_dir() and not p.is_symlink() and (live is None or p.resolve() != live):
            shutil.rmtree(p, ignore_errors=True)
    for p in datadir.root.glob("whoosh.link-*"):
        if p.is_symlink():
            p.unlink(missing_ok=True)


def indexed_versions(datadir: DataDir) -> dict[str, tuple[str, str]]:
    """item id → (the content version its document was indexed at, its issue)."""
    ix = open_index(datadir)
    try:
        with ix.searcher() as s:
            return {f["id"]: (f.get("version", ""), f["issue"]) for f in s.all_stored_fields()}
    finally:
        ix.close()
