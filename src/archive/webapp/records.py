"""Read-only queries for the pages and the API (parameterized SQL only)."""
from __future__ import annotations

import json
import sqlite3
from collections import Counter

from .. import store
from ..citation import for_hit

ITEM_SQL = """
SELECT i.id, i.issue_id, i.section_seq, i.seq, i.heading, i.text, i.source, i.author, i.page_start,
       i.page_end, i.boxes, s.title AS section, iss.publication, iss.year, iss.number, iss.total_number,
       iss.date, iss.publisher, iss.pages
FROM items i JOIN issues iss ON iss.id = i.issue_id
LEFT JOIN sections s ON s.issue_id = i.issue_id AND s.seq = i.section_seq
"""


def parse_boxes(raw: str | None) -> list[list[float]]:
    try:
        boxes = json.loads(raw or "[]")
    except ValueError:
        return []
    return [b for b in boxes if isinstance(b, list) and len(b) == 5]


def item(conn: sqlite3.Connection, item_id: str) -> dict | None:
    """One item with its issue's fields, its units (as printed and canonical), boxes and citations."""
    r = conn.execute(ITEM_SQL + " WHERE i.id = ?", (item_id,)).fetchone()
    if r is None:
        return None
    units = conn.execute("SELECT unit, canonical FROM item_units WHERE item_id = ? ORDER BY seq", (item_id,)).fetchall()
    rec = {"id": r["id"], "issue": r["issue_id"], "publication": r["publication"], "year": r["year"],
           "number": r["number"], "total_number": r["total_number"], "date": r["date"], "section": r["section"],
           "heading": r["heading"], "text": r["text"], "units": [u["unit"] for u in units],
           "canonical_units": list(dict.fromkeys(u["canonical"] for u in units)), "author": r["author"],
           "source": r["source"], "page_start": r["page_start"], "page_end": r["page_end"],
           "publisher": r["publisher"]}
    rec["citation"], rec["citation_gbt"] = for_hit(rec)
    rec["boxes"] = parse_boxes(r["boxes"])
    rec["seq"] = r["seq"]
    rec["pages"] = r["pages"]
    return rec


def neighbours(conn: sqlite3.Connection, issue_id: str, seq: int) -> tuple[str | None, str | None]:
    prev = conn.execute("SELECT id FROM items WHERE issue_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1",
                        (issue_id, seq)).fetchone()
    nxt = conn.execute("SELECT id FROM items WHERE issue_id = ? AND seq > ? ORDER BY seq LIMIT 1",
                       (issue_id, seq)).fetchone()
    return (prev[0] if prev else None), (nxt[0] if nxt else None)


def issue_row(conn: sqlite3.Connection, issue_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()


def issue(conn: sqlite3.Connection, issue_id: str) -> dict | None:
    """The export record, plus what the issue page shows besides (file name, review reasons, the
    canonical names of each item's units)."""
    record = store.issue_record(conn, issue_id)
    if record is None:
        return None
    row = issue_row(conn, issue_id)
    canon = {}
    for r in conn.execute("SELECT iu.item_id, iu.unit, iu.canonical FROM item_units iu JOIN items i ON i.id ="
                          " iu.item_id WHERE i.issue_id = ? ORDER BY iu.item_id, iu.seq", (issue_id,)):
        canon.setdefault(r["item_id"], []).append((r["unit"], r["canonical"]))
    extra = {"original_name": row["original_name"], "review_reasons": json.loads(row["review_reasons"] or "[]"),
             "unit_links": canon, "sha256": row["sha256"]}
    return {"record": record, **extra}


def items_on_page(conn: sqlite3.Connection, issue_id: str, page: int) -> list[dict]:
    rows = conn.execute("SELECT i.id, i.heading, i.text, i.boxes, i.page_start, i.page_end, s.title AS section"
                        " FROM items i LEFT JOIN sections s ON s.issue_id = i.issue_id AND s.seq = i.section_seq"
                        " WHERE i.issue_id = ? AND i.page_start <= ? AND i.page_end >= ? ORDER BY i.seq",
                        (issue_id, page, page)).fetchall()
    out = []
    for r in rows:
        boxes = [b for b in parse_boxes(r["boxes"]) if b[0] == page]
        out.append({"id": r["id"], "heading": r["heading"], "section": r["section"], "text": r["text"],
                    "boxes": boxes, "page_start": r["page_start"], "page_end": r["page_end"]})
    return out


def recent_issues(conn: sqlite3.Connection, limit: int = 12) -> list[sqlite3.Row]:
    return conn.execute("SELECT i.*, (SELECT COUNT(*) FROM items t WHERE t.issue_id = i.id) AS n_items"
                        " FROM issues i ORDER BY i.date IS NULL, i.date DESC, i.id DESC LIMIT ?", (limit,)).fetchall()


def years(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT year, COUNT(*) AS n FROM issues WHERE year IS NOT NULL GROUP BY year"
                        " ORDER BY year DESC").fetchall()


def issues_of_year(conn: sqlite3.Connection, year: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT i.*, (SELECT COUNT(*) FROM items t WHERE t.issue_id = i.id) AS n_items,"
                        " (SELECT group_concat(title, ' · ') FROM (SELECT title FROM sections s WHERE"
                        " s.issue_id = i.id AND title IS NOT NULL ORDER BY seq)) AS section_titles"
                        " FROM issues i WHERE i.year = ? ORDER BY i.date IS NULL, i.date, i.number, i.id",
                        (year,)).fetchall()


UNIT_ITEMS_SQL = ITEM_SQL + """ WHERE i.id IN (SELECT item_id FROM item_units WHERE canonical = ?)
ORDER BY iss.date IS NULL, iss.date DESC, i.id DESC"""


def unit_items(conn: sqlite3.Connection, canonical: str, limit: int, offset: int) -> list[sqlite3.Row]:
    return conn.execute(UNIT_ITEMS_SQL + " LIMIT ? OFFSET ?", (canonical, limit, offset)).fetchall()


def unit_summary(conn: sqlite3.Connection, canonical: str) -> dict | None:
    total = conn.execute("SELECT COUNT(DISTINCT item_id) FROM item_units WHERE canonical = ?", (canonical,)).fetchone()[0]
    if not total:
        return None
    names = [r[0] for r in conn.execute("SELECT DISTINCT unit FROM item_units WHERE canonical = ? ORDER BY unit",
                                        (canonical,))]
    months: Counter = Counter()
    by_year: Counter = Counter()
    for r in conn.execute("SELECT iss.year, iss.date FROM items i JOIN issues iss ON iss.id = i.issue_id WHERE"
                          " i.id IN (SELECT item_id FROM item_units WHERE canonical = ?)", (canonical,)):
        year = r["year"]
        date = r["date"] or ""
        if len(date) >= 7 and date[:4].isdigit() and date[5:7].isdigit():
            months[(int(date[:4]), int(date[5:7]))] += 1
            year = year or int(date[:4])
        if year:
            by_year[int(year)] += 1
    return {"name": canonical, "total": total, "names": names, "months": months,
            "by_year": sorted(by_year.items(), reverse=True)}
