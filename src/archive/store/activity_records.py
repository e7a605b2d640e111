"""The activities table: written with each item (so made again whenever its issue is written),
and read for the unit pages, the units × years table and reports.

`ActivityRecords` is a part of `Records` (the one class that runs SQL), kept in its own module."""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Iterable

from .activities import split_activities
from .event_dates import activity_date
from .rows import ACTIVITY_FROM, ACTIVITY_SQL, BULLETIN, activity_record, parse_boxes, parse_starts

DATE_ORDER = "a.date IS NULL, a.date DESC, a.item_id DESC, a.seq"  # by each activity's own date (event_dates)
EVENT_YEAR = "COALESCE(CAST(substr(a.date, 1, 4) AS INTEGER), iss.year)"


def insert_activities(conn: sqlite3.Connection, item_id: str, text: str, units: list[tuple[str, str]], kind: str,
                      boxes: list, page_start: int, page_end: int, starts: list[int] | None = None,
                      issue_date: str | None = None, issue_year: int | None = None, heading: str | None = None,
                      topics=None) -> int:
    """Write one item's activities (its old ones are the caller's to delete), each with its event
    date (store.event_dates) and, given the topic vocabulary, its topics; how many."""
    canonical = dict(units)
    rows, tags = [], []
    for seq, act in enumerate(split_activities(text, units, kind, boxes, page_start, page_end, starts), 1):
        names = json.dumps(list(act.units), ensure_ascii=False)
        own = text[act.start:act.end]
        date, source = activity_date(text, act.start, act.end, issue_date, issue_year)
        if topics is not None:
            tags += [(item_id, seq, t) for t in topics.tag(own, date, heading or "")]
        seen: set[str] = set()  # one row per unit, though two of its names be listed
        for pos, unit in enumerate(act.units):
            if canonical.get(unit, unit) not in seen:
                seen.add(canonical.get(unit, unit))
                rows.append((item_id, seq, pos, unit, canonical.get(unit, unit), names, act.start, act.end,
                             act.page_start, act.page_end, date, source))
    conn.executemany("INSERT INTO activities (item_id, seq, pos, unit, canonical, units, start, end, page_start,"
                     " page_end, date, date_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT OR IGNORE INTO activity_topics (item_id, seq, topic) VALUES (?, ?, ?)", tags)
    return len({r[1] for r in rows})


def fill_activities(conn: sqlite3.Connection, item_ids: Iterable[str] | None = None, topics=None) -> int:
    """Make the activities of the given items (all, with None) again from what they store, tagged
    with the data folder's topics (or `topics`). The caller holds the transaction."""
    if topics is None:
        from .site_topics import topics_of
        topics = topics_of(conn)
    where, args = "", ()
    if item_ids is not None:
        ids = list(item_ids)
        if not ids:
            return 0
        where, args = f"WHERE i.id IN ({','.join('?' * len(ids))})", tuple(ids)
    units: dict[str, list[tuple[str, str]]] = {}
    unit_where = f"WHERE item_id IN ({','.join('?' * len(args))})" if args else ""
    for r in conn.execute(f"SELECT item_id, unit, canonical FROM item_units {unit_where} ORDER BY item_id, seq", args):
        units.setdefault(r[0], []).append((r[1], r[2]))
    for table in ("activities", "activity_topics"):
        conn.execute(f"DELETE FROM {table} {where.replace('i.id IN', 'item_id IN')}", args)
    n = 0
    columns = {c[1] for c in conn.execute("PRAGMA table_info(items)")}  # an older database: no line offsets
    starts_col = "i.line_starts" if "line_starts" in columns else "'[]'"
    for r in conn.execute(f"SELECT i.id, i.text, i.kind, i.boxes, i.page_start, i.page_end, {starts_col}, i.heading,"
                          f" iss.date, iss.year FROM items i JOIN issues iss ON iss.id = i.issue_id {where}",
                          args).fetchall():
        if r[0] in units:
            boxes = parse_boxes(r[3])
            n += insert_activities(conn, r[0], r[1], units[r[0]], r[2], boxes, r[4], r[5], parse_starts(r[6], len(boxes)),
                                   r[8], r[9], r[7], topics)
    return n


def retag_topics(conn: sqlite3.Connection, topics) -> list[str]:
    """Tag every stored activity again with `topics` (the vocabulary changed); the issues whose tags
    changed. The caller holds the transaction."""
    before: dict[tuple[str, int], set[str]] = {}
    for r in conn.execute("SELECT item_id, seq, topic FROM activity_topics"):
        before.setdefault((r[0], r[1]), set()).add(r[2])
    rows, changed = [], set()
    for r in conn.execute("SELECT a.item_id, a.seq, a.start, a.end, MIN(a.date), i.text, i.heading, i.issue_id"
                          " FROM activities a JOIN items i ON i.id = a.item_id GROUP BY a.item_id, a.seq"):
        tags = topics.tag(r[5][r[2]:r[3]], r[4], r[6] or "")
        rows += [(r[0], r[1], t) for t in tags]
        if set(tags) != before.get((r[0], r[1]), set()):
            changed.add(r[7])
    conn.execute("DELETE FROM activity_topics")
    conn.executemany("INSERT OR IGNORE INTO activity_topics (item_id, seq, topic) VALUES (?, ?, ?)", rows)
    return sorted(changed)


def event_range(date_from: str | None, date_to: str | None) -> tuple[list[str], list[str]]:
    """SQL conditions (and their arguments) that an activity's own date is within a range of ISO
    days, either end open: a date known to its month only is in it if its month is."""
    where, args = [], []
    if date_from:
        where.append("a.date >= substr(?, 1, length(a.date))")
        args.append(date_from)
    if date_to:
        where.append("a.date <= ?")
        args.append(date_to)
    return where, args


class ActivityRecords:
    conn: sqlite3.Connection

    def item_activities(self, item_ids: list[str]) -> dict[str, list[dict]]:
        """item id → its activities in order: {"units" (as printed), "canonical" (their canonical
        names), "text", "start", "end", pages, its event "date" and "date_source", its "topics",
        and the item's and issue's fields}."""
        out: dict[str, list[dict]] = {}
        topics = self.activity_topics(item_ids)
        for k in range(0, len(item_ids), 500):
            chunk = tuple(item_ids[k:k + 500])
            rows = self.conn.execute(f"{ACTIVITY_SQL} WHERE a.item_id IN ({','.join('?' * len(chunk))})"
                                     " ORDER BY a.item_id, a.seq, a.pos", chunk)
            for r in rows:
                acts = out.setdefault(r["id"], [])
                if acts and acts[-1]["seq"] == r["a_seq"]:  # another unit of the same activity
                    acts[-1]["canonical"].append(r["a_canonical"])
                else:
                    acts.append(activity_record(r, topics.get((r["id"], r["a_seq"]), [])))
        return out

    def activity_topics(self, item_ids: list[str]) -> dict[tuple[str, int], list[str]]:
        """(item id, activity seq) → its topics."""
        out: dict[tuple[str, int], list[str]] = {}
        for k in range(0, len(item_ids), 500):
            chunk = tuple(item_ids[k:k + 500])
            for r in self.conn.execute(f"SELECT item_id, seq, topic FROM activity_topics WHERE item_id IN"
                                       f" ({','.join('?' * len(chunk))}) ORDER BY item_id, seq, rowid", chunk):
                out.setdefault((r[0], r[1]), []).append(r[2])
        return out

    def _unit_where(self, canonical: str, date_from: str | None, date_to: str | None,
                    collection: str | None = BULLETIN) -> tuple[str, tuple]:
        where, args = ["a.canonical = ?"], [canonical]
        if collection:  # the units' pages and reports are the bulletin's, unless asked otherwise
            where.append("iss.collection = ?")
            args.append(collection)
        return "WHERE " + " AND ".join(where + event_range(date_from, date_to)[0]), \
            tuple(args + event_range(date_from, date_to)[1])

    def unit_activities(self, canonical: str, limit: int | None = None, offset: int = 0,
                        date_from: str | None = None, date_to: str | None = None,
                        collection: str | None = BULLETIN) -> list[dict]:
        """A unit's activities, newest first by their own dates (within a date range: ISO days,
        either end open; an activity with no date is outside every range), in the bulletin
        (`collection` None: in every document)."""
        return list(self.iter_unit_activities(canonical, date_from, date_to, limit, offset, collection))

    def iter_unit_activities(self, canonical: str, date_from: str | None = None, date_to: str | None = None,
                             limit: int | None = None, offset: int = 0, collection: str | None = BULLETIN):
        """The same, streamed (a report of thousands)."""
        where, args = self._unit_where(canonical, date_from, date_to, collection)
        sql = f"{ACTIVITY_SQL} {where} ORDER BY {DATE_ORDER}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args = (*args, limit, offset)
        for r in self.conn.execute(sql, args):
            yield activity_record(r)

    def unit_activity_count(self, canonical: str, date_from: str | None = None, date_to: str | None = None,
                            collection: str | None = BULLETIN) -> int:
        where, args = self._unit_where(canonical, date_from, date_to, collection)
        return self.conn.execute(f"SELECT COUNT(*) {ACTIVITY_FROM} {where}",
                                 args).fetchone()[0]

    def units_by_year(self, collection: str | None = BULLETIN) -> dict[str, Counter]:
        """unit → Counter(year → activities that year), in the bulletin (None: in every document)."""
        out: dict[str, Counter] = {}
        for r in self.conn.execute(
                f"SELECT a.canonical, {EVENT_YEAR} AS y,"
                " COUNT(*) FROM activities a JOIN items i ON i.id = a.item_id"
                " JOIN issues iss ON iss.id = i.issue_id WHERE ? IS NULL OR iss.collection = ?"
                " GROUP BY a.canonical, y", (collection, collection)):
            if r[1]:
                out.setdefault(r[0], Counter())[int(r[1])] += r[2]
        return out

    def unit_activity_months(self, canonical: str, collection: str | None = BULLETIN) -> Counter:
        """A unit's activities per (year, month) of their own dates."""
        months: Counter = Counter()
        for r in self.conn.execute("SELECT a.date, COUNT(*) FROM activities a JOIN items i ON i.id = a.item_id"
                                   " JOIN issues iss ON iss.id = i.issue_id WHERE a.canonical = ?"
                                   " AND (? IS NULL OR iss.collection = ?) GROUP BY a.date",
                                   (canonical, collection, collection)):
            date = r[0] or ""
            if len(date) >= 7 and date[:4].isdigit() and date[5:7].isdigit():
                months[(int(date[:4]), int(date[5:7]))] += r[1]
        return months

    def unit_canonical(self, name: str) -> str | None:
        """The canonical name of a unit printed (or registered) as `name`, if any item names it."""
        row = self.conn.execute("SELECT canonical FROM item_units WHERE canonical = ? OR unit = ?"
                                " ORDER BY canonical = ? DESC LIMIT 1", (name, name, name)).fetchone()
        return row[0] if row else None
