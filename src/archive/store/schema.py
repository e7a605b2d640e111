"""The records database: its tables, and opening it (WAL, foreign keys, the schema version checked)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import DataFolderError
from .activity_records import fill_activities
from .rows import ITEM_SQL, content_version, item_record

SCHEMA_VERSION = 7
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issues (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    original_name TEXT,
    publication TEXT, year INTEGER, number INTEGER, number_end INTEGER, special TEXT, total_number INTEGER,
    date TEXT, publisher TEXT,
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
    confidence REAL NOT NULL DEFAULT 1.0,
    kind TEXT NOT NULL DEFAULT 'paragraph',
    version TEXT NOT NULL DEFAULT ''
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
    rotation INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (issue_id, page)
);
CREATE TABLE IF NOT EXISTS activities (
    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    pos INTEGER NOT NULL,
    unit TEXT NOT NULL,
    canonical TEXT NOT NULL,
    units TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    page_start INTEGER NOT NULL, page_end INTEGER NOT NULL,
    date TEXT, date_source TEXT NOT NULL DEFAULT 'issue',
    PRIMARY KEY (item_id, seq, pos)
);
CREATE INDEX IF NOT EXISTS activities_canonical ON activities(canonical);
-- each activity's topics (store/topics.py), made with it; made again when the vocabulary changes
CREATE TABLE IF NOT EXISTS activity_topics (
    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    topic TEXT NOT NULL,
    PRIMARY KEY (item_id, seq, topic)
);
CREATE INDEX IF NOT EXISTS activity_topics_topic ON activity_topics(topic);
-- the people an item names: its authors (kind 'author') and people named with their unit ('named')
CREATE TABLE IF NOT EXISTS item_people (
    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    unit TEXT,
    role TEXT,
    kind TEXT NOT NULL,
    PRIMARY KEY (item_id, seq)
);
CREATE INDEX IF NOT EXISTS item_people_name ON item_people(name);
-- accounts (store/accounts.py): secrets only as hashes
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('editor', 'reader')),
    password_hash TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    admin_mark TEXT,
    created REAL NOT NULL,
    last_seen REAL NOT NULL,
    expires REAL NOT NULL,
    CHECK ((user_id IS NULL) != (admin_mark IS NULL))
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens(user_id);
CREATE TABLE IF NOT EXISTS login_failures (
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_account ON login_failures(account, at);
CREATE INDEX IF NOT EXISTS login_failures_address ON login_failures(address, at);
-- corrections (store/corrections.py)
CREATE TABLE IF NOT EXISTS parsed (
    key TEXT PRIMARY KEY,
    issue_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    original_name TEXT,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS parsed_issue ON parsed(issue_id);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    issue_key TEXT NOT NULL,
    target TEXT NOT NULL,
    applied_to TEXT,
    op TEXT NOT NULL,
    field TEXT,
    before TEXT,
    after TEXT,
    note TEXT,
    anchor TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'applied',
    reverted_by TEXT,
    reverted_at TEXT
);
CREATE INDEX IF NOT EXISTS corrections_issue ON corrections(issue_key, id);
CREATE INDEX IF NOT EXISTS corrections_applied ON corrections(applied_to);
CREATE TABLE IF NOT EXISTS issue_aliases (old_id TEXT PRIMARY KEY, issue_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reviewed (issue_key TEXT PRIMARY KEY, who TEXT NOT NULL, at TEXT NOT NULL);
-- the index follows the records by construction: an issue written, replaced, renamed or removed is
-- queued in the same transaction; search.indexer drains the queue (items.version: what the index
-- should hold of each item, compared by `archive check`)
CREATE TABLE IF NOT EXISTS index_queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, issue_id TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS issues_queued_insert AFTER INSERT ON issues
    BEGIN INSERT INTO index_queue (issue_id) VALUES (NEW.id); END;
CREATE TRIGGER IF NOT EXISTS issues_queued_delete AFTER DELETE ON issues
    BEGIN INSERT INTO index_queue (issue_id) VALUES (OLD.id); END;
CREATE TRIGGER IF NOT EXISTS issues_queued_update AFTER UPDATE ON issues
    BEGIN INSERT INTO index_queue (issue_id) VALUES (OLD.id); INSERT INTO index_queue (issue_id) VALUES (NEW.id); END;
"""
# parsed: each issue as the parser made it (key: the parser's issue id; issue_id: the id it is
# stored under now, which a corrected year or number changes). corrections: what editors changed,
# each anchored to the text it changed (store/corrections.py); issue_key '' for the unit registry.
# issue_aliases: an issue's former ids (their URLs redirect). reviewed: issues an editor looked at.

BUSY_TIMEOUT_S = 30  # another process writing (an import): wait this long before giving up


# What brings a database from version N-1 to N (the tables above are the newest shape; CREATE TABLE
# IF NOT EXISTS leaves old tables as they are, so their new columns come from here).
MIGRATIONS = {
    2: [("issues", "number_end", "INTEGER"), ("issues", "special", "TEXT"),
        ("items", "kind", "TEXT NOT NULL DEFAULT 'paragraph'"), ("pages", "rotation", "INTEGER NOT NULL DEFAULT 0")],
    3: [],  # the activities table: new, and filled from the stored items (BACKFILL)
    4: [],  # users, sessions, api_tokens, login_failures: new tables, empty
    5: [],  # corrections, parsed originals, issue aliases, reviewed marks: new tables (the parsed
            # originals of issues imported before are made from their records when first needed)
    6: [("items", "version", "TEXT NOT NULL DEFAULT ''")],  # and the index queue with its triggers
    7: [("activities", "date", "TEXT"), ("activities", "date_source", "TEXT NOT NULL DEFAULT 'issue'")],
       # each activity's event date (store/event_dates.py); activity_topics and item_people: new tables
}


def fill_versions(conn: sqlite3.Connection) -> int:
    """Each item's content version, from what it stores (the index made before it lacks them: its
    format changed too, so it is rebuilt, with the versions, when first opened)."""
    units: dict[str, list[str]] = {}
    for r in conn.execute("SELECT item_id, canonical FROM item_units ORDER BY item_id, seq"):
        units.setdefault(r[0], []).append(r[1])
    rows = conn.execute(ITEM_SQL).fetchall()
    conn.executemany("UPDATE items SET version = ? WHERE id = ?",
                     [(content_version(item_record(r, []), r["section"], units.get(r["id"], []), r["year"], r["date"]),
                       r["id"]) for r in rows])
    return len(rows)


# What a step computes from the rows already there, once its columns and tables exist.
def fill_dates_topics_people(conn: sqlite3.Connection) -> int:
    """Activities made again (with their event dates and topics), and the people items name."""
    from .people_records import fill_people
    return fill_activities(conn) + fill_people(conn)


BACKFILL = {3: fill_activities, 6: fill_versions, 7: fill_dates_topics_people}


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring an older data folder's database up to SCHEMA_VERSION, in one transaction: each step's
    columns are added where a table lacks them (a table the schema just created has them)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        now = int(conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
        for step in range(now + 1, SCHEMA_VERSION + 1):  # another process may have migrated meanwhile
            for table, column, decl in MIGRATIONS[step]:
                if column not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
            if step in BACKFILL:
                BACKFILL[step](conn)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def connect(db_path: Path, shared: bool = False) -> sqlite3.Connection:
    """Open (creating if need be) the records database. `shared`: the connection may be used from
    another thread than the one that opened it (one thread at a time)."""
    folder = Path(db_path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=not shared)
    except (OSError, sqlite3.Error) as exc:
        raise DataFolderError(f"cannot open data folder {folder}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) < SCHEMA_VERSION:
            migrate(conn, int(row[0]))
        elif int(row[0]) > SCHEMA_VERSION:
            raise DataFolderError(f"data folder {folder} has schema {row[0]}, this version reads {SCHEMA_VERSION}"
                                  " (it was written by a newer archive)")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DataFolderError(f"{db_path} is not a usable archive database: {exc}") from exc
    return conn
