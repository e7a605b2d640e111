"""The activities table: written with each item (so made again whenever its issue is written),
and read for the unit pages, the units × years table and reports.

`ActivityRecords` is a part of `Records` (the one class that runs SQL), kept in its own module."""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Iterable

from .activities import split_activities
from .rows import ACTIVITY_FROM, ACTIVITY_SQL, activity_record

DATE_ORDER = "iss.date IS NULL, iss.date DESC, a.item_id DESC, a.seq"


def insert_activities(conn: sqlite3.Connection, item_id: str, text: str, units: list[tuple[str, str]], kind: str,
                      boxes: list, page_start: int, page_end: int) -> int:
    """Write one item's activities (its old ones are the caller's to delete); how many."""
    canonical = dict(units)
    rows = []
    for seq, act in enumerate(split_activities(text, units, kind, boxes, page_start, page_end), 1):
        names = json.dumps(list(act.units), ensure_ascii=False)
        seen: set[str] = set()  # one row per unit, though two of its names be listed
        for pos, unit in enumerate(act.units):
            if canonical.get(unit, unit) not in seen:
                seen.add(canonical.get(unit, unit))
                rows.append((item_id, seq, pos, unit, canonical.get(unit, unit), names, act.start, act.end,
                             act.page_start, act.page_end))
    conn.executemany("INSERT INTO activities (item_id, seq, pos, unit, canonical, units, start, end, page_start,"
                     " page_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len({r[1] for r in rows})


def fill_activities(conn: sqlite3.Connection, item_ids: Iterable[str] | None = None) -> int:
    """Make the activities of the given items (all, with None) again from what they store. The
    caller holds the transaction."""
    where, args = "", ()
    if item_ids is not None:
        ids = list(item_ids)
        if not ids:
            return 0
        where, args = f"WHERE id IN ({','.join('?' * len(ids))})", tuple(ids)
    units: dict[str, list[tuple[str, str]]] = {}
    unit_where = f"WHERE item_id IN ({','.join('?' * len(args))})" if args else ""
    for r in conn.execute(f"SELECT item_id, unit, canonical FROM item_units {unit_where} ORDER BY item_id, seq", args):
        units.setdefault(r[0], []).append((r[1], r[2]))
    conn.execute(f"DELETE FROM activities {where.replace('id IN', 'item_id IN')}", args)
    n = 0
    for r in conn.execute(f"SELECT id, text, kind, boxes, page_start, page_end FROM items {where}", args).fetchall():
        if r[0] in units:
            try:
                boxes = json.loads(r[3] or "[]")
            except ValueError:
                boxes = []
            n += insert_activities(conn, r[0], r[1], units[r[0]], r[2], boxes, r[4], r[5])
    return n


class ActivityRecords:
    conn: sqlite3.Connection

    def item_activities(self, item_ids: list[str]) -> dict[str, list[dict]]:
        """item id → its activities in order: {"units" (as printed), "canonical" (their canonical
        names), "text", "start", "end", pages, and the item's and issue's fields}."""
        out: dict[str, list[dict]] = {}
        for k in range(0, len(item_ids), 500):
            chunk = tuple(item_ids[k:k + 500])
            rows = self.conn.execute(f"{ACTIVITY_SQL} WHERE a.item_id IN ({','.join('?' * len(chunk))})"
                                     " ORDER BY a.item_id, a.seq, a.pos", chunk)
            for r in rows:
                acts = out.setdefault(r["id"], [])
                if acts and acts[-1]["seq"] == r["a_seq"]:  # another unit of the same activity
                    acts[-1]["canonical"].append(r["a_canonical"])
                else:
                    acts.append(activity_record(r))
        return out

    def _unit_where(self, canonical: str, date_from: str | None, date_to: str | None) -> tuple[str, tuple]:
        where, args = ["a.canonical = ?"], [canonical]
        if date_from:  # ISO days; an issue dated by its month only is in the range if its month is
            where.append("iss.date >= substr(?, 1, length(iss.date))")
            args.append(date_from)
        if date_to:
            where.append("iss.date <= ?")
            args.append(date_to)
        return "WHERE " + " AND ".join(where), tuple(args)

    def unit_activities(self, canonical: str, limit: int | None = None, offset: int = 0,
                        date_from: str | None = None, date_to: str | None = None) -> list[dict]:
        """A unit's activities, newest first (within a date range: ISO days, either end open; an
        undated issue is outside every range)."""
        return list(self.iter_unit_activities(canonical, date_from, date_to, limit, offset))

    def iter_unit_activities(self, canonical: str, date_from: str | None = None, date_to: str | None = None,
                             limit: int | None = None, offset: int = 0):
        """The same, streamed (a report of thousands)."""
        where, args = self._unit_where(canonical, date_from, date_to)
        sql = f"{ACTIVITY_SQL} {where} ORDER BY {DATE_ORDER}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args = (*args, limit, offset)
        for r in self.conn.execute(sql, args):
            yield activity_record(r)

    def unit_activity_count(self, canonical: str, date_from: str | None = None, date_to: str | None = None) -> int:
        where, args = self._unit_where(canonical, date_from, date_to)
        return self.conn.execute(f"SELECT COUNT(*) {ACTIVITY_FROM} {where}",
                                 args).fetchone()[0]

    def units_by_year(self) -> dict[str, Counter]:
        """unit → Counter(year → activities that year)."""
        out: dict[str, Counter] = {}
        for r in self.conn.execute(
                "SELECT a.canonical, COALESCE(iss.year, CAST(substr(iss.date, 1, 4) AS INTEGER)) AS y,"
                " COUNT(*) FROM activities a JOIN items i ON i.id = a.item_id"
                " JOIN issues iss ON iss.id = i.issue_id GROUP BY a.canonical, y"):
            if r[1]:
                out.setdefault(r[0], Counter())[int(r[1])] += r[2]
        return out

    def unit_activity_months(self, canonical: str) -> Counter:
        """A unit's activities per (year, month) of their issues' dates."""
        months: Counter = Counter()
        for r in self.conn.execute("SELECT iss.date, COUNT(*) FROM activities a JOIN items i ON i.id = a.item_id"
                                   " JOIN issues iss ON iss.id = i.issue_id WHERE a.canonical = ? GROUP BY iss.date",
                                   (canonical,)):
            date = r[0] or ""
            if len(date) >= 7 and date[:4].isdigit() and date[5:7].isdigit():
                months[(int(date[:4]), int(date[5:7]))] += r[1]
        return months

    def unit_canonical(self, name: str) -> str | None:
        """The canonical name of a unit printed (or registered) as `name`, if any item names it."""
        row = self.conn.execute("SELECT canonical FROM item_units WHERE canonical = ? OR unit = ?"
                                " ORDER BY canonical = ? DESC LIMIT 1", (name, name, name)).fetchone()
        return row[0] if row else None
