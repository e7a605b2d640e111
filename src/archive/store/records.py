"""The records: the one class that runs SQL, on one connection.

Every reader (the index, the searcher's hits, the web pages, the API, the CLI's counts and the
export) asks `Records`; nothing else knows the tables. Its repositories, one module each, are
parts of it: issues and items (here), activities (activity_records), corrections and the parser's
originals (correction_records), the review queue's reads (review_records), removed imports
(removal_records), and accounts
(`records.accounts`, over the same connection). Rows become records through store/rows.py.

An issue is written in one transaction: its row, sections, items, item units, pages and
activities appear together or not at all — and with them, by the triggers on `issues`
(store/schema.py), the issue's entry in the index queue, which the indexer drains."""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Iterable, Iterator

from ..model import ISSUE_FIELDS, Issue, Review
from . import schema
from .activity_records import ActivityRecords, insert_activities
from .correction_records import CorrectionRecords
from .people_records import PeopleRecords, insert_people
from .removal_records import RemovalRecords
from .review_records import ReviewRecords
from .rows import BULLETIN, ITEM_SQL, OTHER, content_version, export_shape, issue_fields, item_record
from .site_topics import site_topics
from .topic_records import TopicRecords
from .transaction import transaction

CHUNK = 500  # ids per IN (...) list: well under SQLite's parameter limit


class Records(ActivityRecords, CorrectionRecords, ReviewRecords, RemovalRecords, TopicRecords, PeopleRecords):
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._accounts = None

    @classmethod
    def open(cls, datadir, shared: bool = False) -> "Records":
        return cls(schema.connect(datadir.db_path, shared=shared))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Records":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        """One write transaction (or a part of the caller's)."""
        return transaction(self.conn)

    def snapshot(self):
        """A context in which every read sees one consistent state of the records (a rebuild
        reads them all while imports may commit)."""
        return _Snapshot(self.conn)

    @property
    def database(self) -> str:
        """The database file's path (what caches keyed by data folder use)."""
        return self.conn.execute("PRAGMA database_list").fetchone()[2]

    @property
    def accounts(self):
        """The accounts repository, on this connection."""
        if self._accounts is None:
            from .accounts import Accounts
            self._accounts = Accounts(self.conn)
        return self._accounts

    # --- writing -------------------------------------------------------------------------------

    def write_issue(self, issue_id: str, issue: Issue, sha256: str, original_name: str,
                    canonical: dict[str, str], replace: bool = False, item_ids: list[str] | None = None) -> None:
        """Insert (or, with replace, swap in) one issue in a single transaction (or as part of the
        caller's). `item_ids`: each item's id in order (corrections keep the parser's)."""
        conn = self.conn
        topics = site_topics(self)
        with transaction(conn):
            if replace:
                conn.execute("DELETE FROM issues WHERE id = ?", (issue_id,))
            collection = BULLETIN if issue.has_masthead else OTHER
            first, last = issue.source_pages or (None, None)
            conn.execute(
                f"INSERT INTO issues (id, sha256, original_name, {', '.join(ISSUE_FIELDS)}, pages, needs_review,"
                f" review_reasons, title, collection, source_first, source_last)"
                f" VALUES ({', '.join('?' * (len(ISSUE_FIELDS) + 10))})",
                [issue_id, sha256, original_name] + [getattr(issue, f) for f in ISSUE_FIELDS]
                + [issue.pages, int(issue.needs_review),
                   json.dumps([r.as_dict() for r in issue.reviews], ensure_ascii=False), issue.title, collection,
                   first, last])
            n = 0
            for s_seq, section in enumerate(issue.sections, 1):
                conn.execute("INSERT INTO sections VALUES (?, ?, ?)", (issue_id, s_seq, section.title))
                for item in section.items:
                    n += 1
                    item_id = item_ids[n - 1] if item_ids else f"{issue_id}-{n:03d}"
                    mentions = [(u, canonical.get(u, u)) for u in item.units]
                    version = content_version(item, section.title, [c for _, c in mentions], issue.year, issue.date,
                                              collection)
                    boxes = [b.as_list() for b in item.boxes]
                    starts = item.line_starts if len(item.line_starts) == len(boxes) else []
                    conn.execute(
                        "INSERT INTO items (id, issue_id, section_seq, seq, heading, text, source, author,"
                        " page_start, page_end, boxes, confidence, kind, version, line_starts)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (item_id, issue_id, s_seq, n, item.heading, item.text, item.source, item.author,
                         item.page_start, item.page_end, json.dumps(boxes), round(item.confidence, 3), item.kind,
                         version, json.dumps(starts)))
                    conn.executemany("INSERT INTO item_units VALUES (?, ?, ?, ?)",
                                     [(item_id, i, u, c) for i, (u, c) in enumerate(mentions)])
                    insert_activities(conn, item_id, item.text, mentions, item.kind, boxes, item.page_start,
                                      item.page_end, starts, issue.date, issue.year, item.heading, topics)
                    insert_people(conn, item_id, item.text, item.author, mentions)
            rotations = issue.page_rotations or [0] * len(issue.page_methods)
            geometry = list(issue.page_geometry or []) + [None] * len(issue.page_methods)
            conn.executemany("INSERT INTO pages (issue_id, page, method, rotation, geometry) VALUES (?, ?, ?, ?, ?)",
                             [(issue_id, i, m, r, json.dumps(g) if g else "")
                              for i, (m, r, g) in enumerate(zip(issue.page_methods, rotations, geometry), 1)])

    def delete_issue(self, issue_id: str) -> None:
        """An issue's records go (its sections, items, units, pages and activities with it)."""
        self.conn.execute("DELETE FROM issues WHERE id = ?", (issue_id,))

    # --- the index queue (filled by the triggers on `issues`, drained by search.indexer) -----------

    def index_queue(self) -> tuple[int, list[str]]:
        """(the last entry's number, the issues queued up to it), oldest first."""
        rows = self.conn.execute("SELECT seq, issue_id FROM index_queue ORDER BY seq").fetchall()
        return (rows[-1][0] if rows else 0), list(dict.fromkeys(r[1] for r in rows))

    def dequeue(self, upto: int) -> None:
        """The entries up to `upto` are in the index now (later ones came meanwhile: they stay)."""
        with transaction(self.conn):
            self.conn.execute("DELETE FROM index_queue WHERE seq <= ?", (upto,))

    def enqueue(self, issue_ids: Iterable[str]) -> None:
        with transaction(self.conn):
            self.conn.executemany("INSERT INTO index_queue (issue_id) VALUES (?)", [(i,) for i in issue_ids])

    def item_versions(self) -> dict[str, tuple[str, str]]:
        """item id → (the content version the index should hold for it, its issue)."""
        return {r[0]: (r[1], r[2]) for r in self.conn.execute("SELECT id, version, issue_id FROM items")}

    # --- issues --------------------------------------------------------------------------------

    def issues_for_sha(self, sha256: str) -> list[tuple[str, tuple[int, int] | None]]:
        """The issues a stored file holds, in file order: (id, its file pages or None)."""
        return [(r[0], (r[1], r[2]) if r[1] is not None else None) for r in self.conn.execute(
            "SELECT id, source_first, source_last FROM issues WHERE sha256 = ? ORDER BY source_first, id", (sha256,))]

    def issue_at(self, sha256: str, source_pages: tuple[int, int] | None) -> str | None:
        """The issue a stored file holds at these file pages (None: the issue that is the whole file)."""
        first = source_pages[0] if source_pages else None
        row = self.conn.execute("SELECT id FROM issues WHERE sha256 = ? AND source_first IS ?", (sha256, first)).fetchone()
        return row["id"] if row else None

    def file_page(self, issue_id: str, page: int) -> int:
        """The page of its stored file that is an issue's page `page` (the same number for an issue
        that is its whole file; in a volume, counted from the issue's first file page)."""
        row = self.conn.execute("SELECT source_first FROM issues WHERE id = ?", (issue_id,)).fetchone()
        return page + row[0] - 1 if row and row[0] is not None else page

    def sha_for_issue(self, issue_id: str) -> str | None:
        row = self.conn.execute("SELECT sha256 FROM issues WHERE id = ?", (issue_id,)).fetchone()
        return row["sha256"] if row else None

    def issue_ids(self) -> list[str]:
        return [r["id"] for r in self.conn.execute("SELECT id FROM issues ORDER BY id")]

    def issue_shas(self) -> list[tuple[str, str]]:
        return [(r["id"], r["sha256"]) for r in self.conn.execute("SELECT id, sha256 FROM issues ORDER BY id")]

    def issue_row(self, issue_id: str) -> dict | None:
        """An issue's fields (issues table) as a dict, its reviews parsed; None if there is none."""
        row = self.conn.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
        return issue_fields(row) if row else None

    def reviews(self, issue_id: str) -> list[Review]:
        row = self.issue_row(issue_id)
        return row["reviews"] if row else []

    def section_titles(self, issue_id: str) -> list[tuple[int, str | None]]:
        return [(s[0], s[1]) for s in
                self.conn.execute("SELECT seq, title FROM sections WHERE issue_id = ? ORDER BY seq", (issue_id,))]

    def issue_record(self, issue_id: str) -> dict | None:
        """One issue as the export contract shapes it (sections → items, with units and page spans)."""
        meta = self.issue_row(issue_id)
        if meta is None:
            return None
        items = self.items_of_issue(issue_id)
        activities = self.item_activities([it["id"] for it in items])
        sections = {seq: (title, []) for seq, title in self.section_titles(issue_id)}
        for it in items:
            sections[it["section_seq"]][1].append({**it, "activities": activities.get(it["id"], [])})
        return export_shape(issue_id, meta, list(sections.values()))

    def _issues_with_counts(self, where: str = "", args: tuple = (), order: str = "i.id",
                            limit: int | None = None) -> list[dict]:
        sql = ("SELECT i.*, (SELECT COUNT(*) FROM items t WHERE t.issue_id = i.id) AS n_items,"
               " (SELECT group_concat(title, ' · ') FROM (SELECT title FROM sections s WHERE"
               " s.issue_id = i.id AND title IS NOT NULL ORDER BY seq)) AS section_titles"
               f" FROM issues i {where} ORDER BY {order}")
        if limit is not None:
            sql += " LIMIT ?"
            args = (*args, limit)
        return [issue_fields(r) for r in self.conn.execute(sql, args)]

    def recent_issues(self, limit: int = 12) -> list[dict]:
        return self._issues_with_counts(order="i.date IS NULL, i.date DESC, i.id DESC", limit=limit)

    def issues_of_year(self, year: int) -> list[dict]:
        return self._issues_with_counts("WHERE i.year = ?", (year,), "i.date IS NULL, i.date, i.number, i.id")

    def years(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT year, COUNT(*) AS n FROM issues WHERE year IS NOT NULL"
                                                   " GROUP BY year ORDER BY year DESC")]

    def coverage_rows(self) -> list[dict]:
        """What backlog coverage (store.coverage) is worked out from: every issue's numbering."""
        return [issue_fields(r) for r in self.conn.execute(
            "SELECT id, year, number, number_end, special, total_number, date, needs_review"
            " FROM issues ORDER BY year, number, id")]

    def page_rotation(self, issue_id: str, page: int) -> int:
        """Degrees a scanned page was turned clockwise (its text is read, and shown, straightened)."""
        row = self.conn.execute("SELECT rotation FROM pages WHERE issue_id = ? AND page = ?", (issue_id, page)).fetchone()
        return int(row[0]) if row else 0

    def page_geometry(self, issue_id: str, page: int) -> dict | None:
        """A photographed page's place in its photo ({"quad", "size"}: model.Issue.page_geometry), else None."""
        row = self.conn.execute("SELECT geometry FROM pages WHERE issue_id = ? AND page = ?", (issue_id, page)).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def page_geometries(self, issue_id: str) -> list[dict | None]:
        """page_geometry of each page of an issue, in page order ([] when none is a photo)."""
        out = [json.loads(r[0]) if r[0] else None for r in self.conn.execute(
            "SELECT geometry FROM pages WHERE issue_id = ? ORDER BY page", (issue_id,))]
        return out if any(out) else []

    def page_methods(self, issue_id: str) -> list[str]:
        """How each page of an issue was read, in page order: model.PAGE_METHODS: "text", "ocr", "ocr-outlines"…)"""
        return [r[0] for r in self.pages_of(issue_id)]

    def pages_of(self, issue_id: str) -> list[tuple[str, int]]:
        """(method, rotation) of each page of an issue, in page order."""
        return [(r[0], r[1]) for r in self.conn.execute("SELECT method, rotation FROM pages WHERE issue_id = ?"
                                                        " ORDER BY page", (issue_id,))]

    def counts(self) -> tuple[int, int]:
        """(issues, items)"""
        row = self.conn.execute("SELECT (SELECT COUNT(*) FROM issues), (SELECT COUNT(*) FROM items)").fetchone()
        return row[0], row[1]

    # --- items ---------------------------------------------------------------------------------

    def _units(self, where: str, args: Iterable) -> dict[str, list[tuple[str, str]]]:
        units: dict[str, list[tuple[str, str]]] = {}
        for r in self.conn.execute(f"SELECT iu.item_id, iu.unit, iu.canonical FROM item_units iu {where}"
                                   " ORDER BY iu.item_id, iu.seq", tuple(args)):
            units.setdefault(r[0], []).append((r[1], r[2]))
        return units

    def _items(self, where: str, args: tuple, unit_where: str, unit_args: tuple, order: str = "i.seq") -> list[dict]:
        units = self._units(unit_where, unit_args)
        return [item_record(r, units.get(r["id"], []))
                for r in self.conn.execute(f"{ITEM_SQL} {where} ORDER BY {order}", args)]

    def item(self, item_id: str) -> dict | None:
        found = self._items("WHERE i.id = ?", (item_id,), "WHERE iu.item_id = ?", (item_id,))
        return found[0] if found else None

    def items_by_id(self, ids: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for k in range(0, len(ids), CHUNK):
            chunk = tuple(ids[k:k + CHUNK])
            marks = ",".join("?" * len(chunk))
            for it in self._items(f"WHERE i.id IN ({marks})", chunk, f"WHERE iu.item_id IN ({marks})", chunk):
                out[it["id"]] = it
        return out

    def items_of_issue(self, issue_id: str) -> list[dict]:
        return self._items("WHERE i.issue_id = ?", (issue_id,),
                           "JOIN items i ON i.id = iu.item_id WHERE i.issue_id = ?", (issue_id,))

    def iter_items(self, issue_id: str | None = None) -> Iterator[dict]:
        """Every item (of one issue, or of all) in id order, streamed: what the index is built from."""
        if issue_id is not None:
            yield from sorted(self.items_of_issue(issue_id), key=lambda it: it["id"])
            return
        units = self._units("", ())
        for r in self.conn.execute(f"{ITEM_SQL} ORDER BY i.id"):
            yield item_record(r, units.get(r["id"], []))

    def item_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM items")}

    def neighbours(self, issue_id: str, seq: int) -> tuple[str | None, str | None]:
        prev = self.conn.execute("SELECT id FROM items WHERE issue_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1",
                                 (issue_id, seq)).fetchone()
        nxt = self.conn.execute("SELECT id FROM items WHERE issue_id = ? AND seq > ? ORDER BY seq LIMIT 1",
                                (issue_id, seq)).fetchone()
        return (prev[0] if prev else None), (nxt[0] if nxt else None)

    def items_on_page(self, issue_id: str, page: int) -> list[dict]:
        """The items printed (wholly or partly) on a page, each with that page's line boxes
        (`page_boxes`; `boxes` are all of them, as `line_starts` count them)."""
        found = self._items("WHERE i.issue_id = ? AND i.page_start <= ? AND i.page_end >= ?", (issue_id, page, page),
                            "JOIN items i ON i.id = iu.item_id WHERE i.issue_id = ?", (issue_id,))
        for it in found:
            it["page_boxes"] = [b for b in it["boxes"] if b[0] == page]
        return found

    # --- units ---------------------------------------------------------------------------------

    # the units' own items: of the bulletin (collection), or of every document (None)
    UNIT_ITEMS = ("FROM item_units u JOIN items i ON i.id = u.item_id JOIN issues iss ON iss.id = i.issue_id"
                  " WHERE (? IS NULL OR iss.collection = ?)")

    def unit_counts(self, collection: str | None = BULLETIN) -> list[tuple[str, int]]:
        """Each unit (canonical name) with the number of items naming it, most first."""
        rows = self.conn.execute(f"SELECT u.canonical, COUNT(DISTINCT u.item_id) AS n {self.UNIT_ITEMS}"
                                 " GROUP BY u.canonical ORDER BY n DESC, u.canonical", (collection, collection))
        return [(r["canonical"], r["n"]) for r in rows]

    def unit_summary(self, canonical: str, collection: str | None = BULLETIN) -> dict | None:
        """A unit's item count, the names it is printed under, and its items per month and year."""
        args = (collection, collection, canonical)
        total = self.conn.execute(f"SELECT COUNT(DISTINCT u.item_id) {self.UNIT_ITEMS} AND u.canonical = ?",
                                  args).fetchone()[0]
        if not total:
            return None
        names = [r[0] for r in self.conn.execute(f"SELECT DISTINCT u.unit {self.UNIT_ITEMS} AND u.canonical = ?"
                                                 " ORDER BY u.unit", args)]
        months: Counter = Counter()
        by_year: Counter = Counter()
        for r in self.conn.execute(f"SELECT iss.year, iss.date {self.UNIT_ITEMS} AND u.canonical = ?"
                                   " GROUP BY i.id", args):
            year, date = r["year"], r["date"] or ""
            if len(date) >= 7 and date[:4].isdigit() and date[5:7].isdigit():
                months[(int(date[:4]), int(date[5:7]))] += 1
                year = year or int(date[:4])
            if year:
                by_year[int(year)] += 1
        return {"name": canonical, "total": total, "names": names, "months": months,
                "by_year": sorted(by_year.items(), reverse=True)}


class _Snapshot:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.own = False

    def __enter__(self):
        self.own = not self.conn.in_transaction
        if self.own:
            self.conn.execute("BEGIN")
        return self

    def __exit__(self, *exc):
        if self.own:
            self.conn.execute("COMMIT")
