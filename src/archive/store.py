"""Stage 6: records in SQLite — the source of truth — and the original PDFs, content-addressed.

Each issue is written in one transaction: its row, sections, items, item units and pages appear
together or not at all. The PDF is stored (atomically, by SHA-256) before the transaction, so a
committed issue always has its file; a file without an issue is harmless and `check` removes it."""
from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

from .errors import DataFolderError
from .model import Issue

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issues (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    original_name TEXT,
    publication TEXT, year INTEGER, number INTEGER, total_number INTEGER, date TEXT, publisher TEXT,
    collection_period TEXT, distribution TEXT, cc TEXT, email TEXT,
    pages INTEGER NOT NULL,
    needs_review INTEGER NOT NULL DEFAULT 0,
    review_reasons TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS sections (
    issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    title TEXT,
    PRIMARY KEY (issue_id, seq)
);
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    section_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    heading TEXT, text TEXT NOT NULL, source TEXT, author TEXT,
    page_start INTEGER NOT NULL, page_end INTEGER NOT NULL,
    boxes TEXT NOT NULL DEFAULT '[]',
    confidence REAL NOT NULL DEFAULT 1.0
);
CREATE INDEX IF NOT EXISTS items_issue ON items(issue_id, seq);
CREATE TABLE IF NOT EXISTS item_units (
    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    unit TEXT NOT NULL,
    canonical TEXT NOT NULL,
    PRIMARY KEY (item_id, seq)
);
CREATE INDEX IF NOT EXISTS item_units_canonical ON item_units(canonical);
CREATE TABLE IF NOT EXISTS pages (
    issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (issue_id, page)
);
"""

ISSUE_FIELDS = ["publication", "year", "number", "total_number", "date", "publisher", "collection_period",
                "distribution", "cc", "email"]


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / "archive.sqlite3"


def connect(data_dir: Path) -> sqlite3.Connection:
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path(data_dir), timeout=30, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise DataFolderError(f"cannot open data folder {data_dir}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) != SCHEMA_VERSION:
            raise DataFolderError(f"data folder {data_dir} has schema {row[0]}, this version reads {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        raise DataFolderError(f"{db_path(data_dir)} is not a usable archive database: {exc}") from exc
    return conn


def pdf_path(data_dir: Path, sha256: str) -> Path:
    return Path(data_dir) / "pdfs" / sha256[:2] / f"{sha256}.pdf"


def save_pdf(data_dir: Path, sha256: str, data: bytes) -> Path:
    """Write the original once, atomically (temp file + rename), under its content hash."""
    path = pdf_path(data_dir, sha256)
    if path.exists() and path.stat().st_size == len(data):
        return path
    return atomic_write(path, data, durable=True)


def atomic_write(path: Path, data: bytes, durable: bool = False) -> Path:
    """Write a file whole or not at all: a temp file beside it, renamed over it. `durable` also
    flushes it to disk first (for originals; a cache file can be made again)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def issue_for_sha(conn: sqlite3.Connection, sha256: str) -> str | None:
    row = conn.execute("SELECT id FROM issues WHERE sha256 = ?", (sha256,)).fetchone()
    return row["id"] if row else None


def sha_for_issue(conn: sqlite3.Connection, issue_id: str) -> str | None:
    row = conn.execute("SELECT sha256 FROM issues WHERE id = ?", (issue_id,)).fetchone()
    return row["sha256"] if row else None


def write_issue(conn: sqlite3.Connection, issue_id: str, issue: Issue, sha256: str, original_name: str,
                canonical: dict[str, str], replace: bool = False) -> None:
    """Insert (or, with replace, swap in) one issue in a single transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if replace:
            conn.execute("DELETE FROM issues WHERE id = ?", (issue_id,))
        conn.execute(
            f"INSERT INTO issues (id, sha256, original_name, {', '.join(ISSUE_FIELDS)}, pages, needs_review,"
            f" review_reasons) VALUES ({', '.join('?' * (len(ISSUE_FIELDS) + 6))})",
            [issue_id, sha256, original_name] + [getattr(issue, f) for f in ISSUE_FIELDS]
            + [issue.pages, int(issue.needs_review), json.dumps(issue.review_reasons, ensure_ascii=False)])
        n = 0
        for s_seq, section in enumerate(issue.sections, 1):
            conn.execute("INSERT INTO sections VALUES (?, ?, ?)", (issue_id, s_seq, section.title))
            for item in section.items:
                n += 1
                item_id = f"{issue_id}-{n:03d}"
                conn.execute(
                    "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (item_id, issue_id, s_seq, n, item.heading, item.text, item.source, item.author,
                     item.page_start, item.page_end, json.dumps([b.as_list() for b in item.boxes]),
                     round(item.confidence, 3)))
                conn.executemany("INSERT INTO item_units VALUES (?, ?, ?, ?)",
                                 [(item_id, i, u, canonical.get(u, u)) for i, u in enumerate(item.units)])
        conn.executemany("INSERT INTO pages VALUES (?, ?, ?)",
                         [(issue_id, i, m) for i, m in enumerate(issue.page_methods, 1)])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def issue_ids(conn: sqlite3.Connection) -> list[str]:
    return [r["id"] for r in conn.execute("SELECT id FROM issues ORDER BY id")]


def issue_record(conn: sqlite3.Connection, issue_id: str) -> dict | None:
    """One issue as the export contract shapes it (sections → items, with units and page spans)."""
    row = conn.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
    if row is None:
        return None
    record = {"id": row["id"], **{f: row[f] for f in ISSUE_FIELDS}, "pages": row["pages"],
              "needs_review": bool(row["needs_review"]), "sections": []}
    units: dict[str, list[str]] = {}
    for u in conn.execute("SELECT iu.item_id, iu.unit FROM item_units iu JOIN items i ON i.id = iu.item_id"
                          " WHERE i.issue_id = ? ORDER BY iu.item_id, iu.seq", (issue_id,)):
        units.setdefault(u["item_id"], []).append(u["unit"])
    by_seq = {}
    for s in conn.execute("SELECT seq, title FROM sections WHERE issue_id = ? ORDER BY seq", (issue_id,)):
        by_seq[s["seq"]] = {"title": s["title"], "items": []}
        record["sections"].append(by_seq[s["seq"]])
    for it in conn.execute("SELECT * FROM items WHERE issue_id = ? ORDER BY seq", (issue_id,)):
        by_seq[it["section_seq"]]["items"].append({
            "id": it["id"], "heading": it["heading"], "text": it["text"], "source": it["source"],
            "author": it["author"], "units": units.get(it["id"], []),
            "page_start": it["page_start"], "page_end": it["page_end"]})
    return record


def unit_counts(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    rows = conn.execute("SELECT canonical, COUNT(DISTINCT item_id) AS n FROM item_units GROUP BY canonical"
                        " ORDER BY n DESC, canonical")
    return [(r["canonical"], r["n"]) for r in rows]
