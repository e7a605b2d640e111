"""The records database: its tables, and opening it (WAL, foreign keys, the schema version checked)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import DataFolderError
from .activity_records import fill_activities
from .rows import ITEM_SQL, content_version, item_record

SCHEMA_VERSION = 10
# An issue's row. sha256 names its stored original; several issues share one (a bound volume: each
# issue has its file pages source_first..source_last, NULL for an issue that is its file).
ISSUES_TABLE = """CREATE TABLE IF NOT EXISTS {name} (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    original_name TEXT,
    publication TEXT, year INTEGER, number INTEGER, number_end INTEGER, special TEXT, total_number INTEGER,
    date TEXT, publisher TEXT,
    collection_period TEXT, distribution TEXT, cc TEXT, email TEXT,
    pages INTEGER NOT NULL,
    needs_review INTEGER NOT NULL DEFAULT 0,
    review_reasons TEXT NOT NULL DEFAULT '[]',
    title TEXT,
    collection TEXT NOT NULL DEFAULT 'bulletin',
    source_first INTEGER, source_last INTEGER
);
"""
# the index follows the records by construction: an issue written, replaced, renamed or removed is
# queued in the same transaction; search.indexer drains the queue (items.version: what the index
# should hold of each item, compared by `archive check`)
INDEX_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS issues_queued_insert AFTER INSERT ON issues
    BEGIN INSERT INTO index_queue (issue_id) VALUES (NEW.id); END;""",
    """CREATE TRIGGER IF NOT EXISTS issues_queued_delete AFTER DELETE ON issues
    BEGIN INSERT INTO index_queue (issue_id) VALUES (OLD.id); END;""",
    """CREATE TRIGGER IF NOT EXISTS issues_queued_update AFTER UPDATE ON issues
    BEGIN INSERT INTO index_queue (issue_id) VALUES (OLD.id); INSERT INTO index_queue (issue_id) VALUES (NEW.id); END;""",
)
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
""" + ISSUES_TABLE.format(name="issues") + """CREATE INDEX IF NOT EXISTS issues_sha ON issues(sha256);
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
    version TEXT NOT NULL DEFAULT '',
    line_starts TEXT NOT NULL DEFAULT '[]'
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
    geometry TEXT NOT NULL DEFAULT '',
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
CREATE TABLE IF NOT EXISTS removed (
    issue_key TEXT PRIMARY KEY,
    issue_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    original_name TEXT,
    label TEXT,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    correction INTEGER
);
CREATE TABLE IF NOT EXISTS index_queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, issue_id TEXT NOT NULL);
""" + "\n".join(INDEX_TRIGGERS) + "\n"
# parsed: each issue as the parser made it (key: the parser's issue id; issue_id: the id it is
# stored under now, which a corrected year or number changes). corrections: what editors changed,
# each anchored to the text it changed (store/corrections.py); issue_key '' for the unit registry.
# issue_aliases: an issue's former ids (their URLs redirect). reviewed: issues an editor looked at.
# removed: issues an editor removed (their records gone, their parse and corrections kept, so that
# `restore-removed` brings them back until `purge`). issues.collection: 'bulletin' (the masthead
# was read) or 'other' (a document that is not the bulletin, cited by its own `title`).
# items.line_starts: where each line of `boxes` begins in `text` (a span of the text → its lines,
# pages and boxes; '[]' where the item was written before: estimated from the boxes' widths).

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
    7: [("issues", "title", "TEXT"), ("issues", "collection", "TEXT NOT NULL DEFAULT 'bulletin'"),
        ("items", "line_starts", "TEXT NOT NULL DEFAULT '[]'")],  # and the removed table
    8: [("issues", "source_first", "INTEGER"), ("issues", "source_last", "INTEGER")],
    # and sha256 no longer UNIQUE (several issues, one file)
    9: [("activities", "date", "TEXT"), ("activities", "date_source", "TEXT NOT NULL DEFAULT 'issue'")],
        # each activity's event date (store/event_dates.py); activity_topics and item_people: new tables
    10: [("pages", "geometry", "TEXT NOT NULL DEFAULT ''")],  # a photographed page's place in its photo
}


def fill_versions(conn: sqlite3.Connection) -> int:
    """Each item's content version, from what it stores (the index made before it lacks them: its
    format changed too, so it is rebuilt, with the versions, when first opened)."""
    units: dict[str, list[str]] = {}
    for r in conn.execute("SELECT item_id, canonical FROM item_units ORDER BY item_id, seq"):
        units.setdefault(r[0], []).append(r[1])
    rows = conn.execute(ITEM_SQL).fetchall()
    conn.executemany("UPDATE items SET version = ? WHERE id = ?",
                     [(content_version(item_record(r, []), r["section"], units.get(r["id"], []), r["year"], r["date"],
                                       r["collection"]), r["id"]) for r in rows])
    return len(rows)


def fill_collections(conn: sqlite3.Connection) -> int:
    """Documents without a masthead go to the other documents' collection, named by their first
    item when it reads as a title (else, when cited, by their file's name); the content versions
    change with the collection (the index, of a new format too, is rebuilt when first opened)."""
    conn.execute(f"UPDATE issues SET collection = 'other' WHERE NOT ({MASTHEAD_SQL})")
    for issue_id, text in conn.execute(
            "SELECT iss.id, (SELECT text FROM items WHERE issue_id = iss.id ORDER BY seq LIMIT 1) FROM issues iss"
            " WHERE collection = 'other' AND title IS NULL").fetchall():
        if text and len(text) <= TITLE_GUESS and not any(c in text for c in "。；！？"):
            conn.execute("UPDATE issues SET title = ? WHERE id = ?", (text.strip(), issue_id))
    return fill_versions(conn)


TITLE_GUESS = 40  # characters: an older document's first item this short, with no sentence mark, is its title
MASTHEAD_SQL = "year IS NOT NULL AND (number IS NOT NULL OR special IS NOT NULL)"  # model.Issue.has_masthead


def rebuild_issues(conn: sqlite3.Connection) -> None:
    """The issues table made again in its newest shape, its rows kept (SQLite cannot drop the UNIQUE
    of sha256 in place); its index triggers made again. Runs with foreign keys off (see migrate), so
    dropping the old table cascades to nothing."""
    conn.execute(ISSUES_TABLE.format(name="issues_new"))
    new = [r[1] for r in conn.execute("PRAGMA table_info(issues_new)")]
    old = {r[1] for r in conn.execute("PRAGMA table_info(issues)")}
    cols = ", ".join(c for c in new if c in old)
    conn.execute(f"INSERT INTO issues_new ({cols}) SELECT {cols} FROM issues")
    conn.execute("DROP TABLE issues")
    conn.execute("ALTER TABLE issues_new RENAME TO issues")
    conn.execute("CREATE INDEX IF NOT EXISTS issues_sha ON issues(sha256)")
    for trigger in INDEX_TRIGGERS:
        conn.execute(trigger)


# What a step computes from the rows already there, once its columns and tables exist.
def fill_dates_topics_people(conn: sqlite3.Connection) -> int:
    """Activities made again (with their event dates and topics), and the people items name."""
    from .people_records import fill_people
    return fill_activities(conn) + fill_people(conn)


BACKFILL = {3: fill_activities, 6: fill_versions, 7: fill_collections, 8: rebuild_issues, 9: fill_dates_topics_people}
REDONE_BY = {6: 7, 3: 9}  # a step's backfill done again by a later one's: skipped when both run


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring an older data folder's database up to SCHEMA_VERSION, in one transaction: each step's
    columns are added where a table lacks them (a table the schema just created has them), then
    each step's backfill runs, unless a later step's does its work again. Foreign keys are off
    meanwhile (a table made again must not cascade), and checked before the commit."""
    conn.execute("PRAGMA foreign_keys=OFF")  # (a no-op inside a transaction: this is before it)
    conn.execute("BEGIN IMMEDIATE")
    try:
        now = int(conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
        steps = range(now + 1, SCHEMA_VERSION + 1)  # another process may have migrated meanwhile
        for step in steps:  # every step's columns first: a backfill reads the rows in their newest shape
            for table, column, decl in MIGRATIONS[step]:
                if column not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
        for step in steps:
            if step in BACKFILL and REDONE_BY.get(step) not in steps:
                BACKFILL[step](conn)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        broken = [r for table in ("sections", "items", "pages") for r in conn.execute(f"PRAGMA foreign_key_check({table})")]
        if broken:
            raise sqlite3.IntegrityError(f"migration left {len(broken)} rows without their parent")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys=ON")


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
