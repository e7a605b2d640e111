"""The SQL of corrections: the parser's originals (`parsed`), the corrections themselves, issue
aliases and reviewed marks, and writing an issue as its parser's record with its corrections
applied, in one transaction. `CorrectionRecords` is a part of `Records`, kept in its own module."""
from __future__ import annotations

import json
import sqlite3
import time

from ..errors import ArchiveError, Conflict
from ..model import Box, Issue, Item, Section
from .corrections import REVERTED, Applied, apply_corrections
from .issue_json import issue_from_json, issue_to_json
from .transaction import transaction

CORRECTION_KEYS = ("id", "who", "at", "issue_key", "target", "applied_to", "op", "field", "before", "after", "note",
                   "anchor", "state", "reverted_by", "reverted_at")
ISSUE_COLUMNS = ("publication", "year", "number", "number_end", "special", "total_number", "date", "publisher",
                 "collection_period", "distribution", "cc", "email")


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def correction_dict(r: sqlite3.Row) -> dict:
    out = {k: r[k] for k in CORRECTION_KEYS}
    try:
        out["anchor"] = json.loads(r["anchor"] or "{}")
    except ValueError:
        out["anchor"] = {}
    return out


def issue_from_records(conn: sqlite3.Connection, issue_id: str) -> Issue | None:
    """An issue as its records hold it (for data folders written before the parser's originals
    were kept: there, the records are the parser's)."""
    from .records import reviews_of
    row = conn.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
    if row is None:
        return None
    issue = Issue(**{k: row[k] for k in ISSUE_COLUMNS}, pages=row["pages"], needs_review=bool(row["needs_review"]),
                  reviews=reviews_of(row["review_reasons"]))
    pages = conn.execute("SELECT method, rotation FROM pages WHERE issue_id = ? ORDER BY page", (issue_id,)).fetchall()
    issue.page_methods, issue.page_rotations = [p[0] for p in pages], [p[1] for p in pages]
    sections = {}
    for s in conn.execute("SELECT seq, title FROM sections WHERE issue_id = ? ORDER BY seq", (issue_id,)):
        sections[s[0]] = Section(s[1])
        issue.sections.append(sections[s[0]])
    for r in conn.execute("SELECT * FROM items WHERE issue_id = ? ORDER BY seq", (issue_id,)).fetchall():
        units = [u[0] for u in conn.execute("SELECT unit FROM item_units WHERE item_id = ? ORDER BY seq", (r["id"],))]
        boxes = [Box(*b) for b in json.loads(r["boxes"] or "[]") if len(b) == 5]
        sections[r["section_seq"]].items.append(Item(r["text"], r["page_start"], r["page_end"], r["heading"], r["source"],
                                                     r["author"], units, boxes, r["confidence"], r["kind"]))
    return issue


class CorrectionRecords:
    conn: sqlite3.Connection

    # --- the parser's originals ------------------------------------------------------------------

    def parsed_row(self, key: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM parsed WHERE key = ?", (key,)).fetchone()

    def current_id(self, issue_id: str) -> str | None:
        """The id an issue is stored under now, given any id it had (its parser's, an old one)."""
        if self.conn.execute("SELECT 1 FROM issues WHERE id = ?", (issue_id,)).fetchone():
            return issue_id
        row = self.conn.execute("SELECT issue_id FROM parsed WHERE key = ? UNION ALL"
                                " SELECT issue_id FROM issue_aliases WHERE old_id = ?", (issue_id, issue_id)).fetchone()
        return row[0] if row else None

    def issue_key(self, issue_id: str) -> str | None:
        """The key an issue's corrections are filed under (its parser's id); the parser's original
        is made from the records where an older data folder lacks it."""
        row = self.conn.execute("SELECT key FROM parsed WHERE issue_id = ?", (issue_id,)).fetchone()
        if row:
            return row[0]
        issue = issue_from_records(self.conn, issue_id)
        if issue is None:
            return None
        r = self.conn.execute("SELECT sha256, original_name FROM issues WHERE id = ?", (issue_id,)).fetchone()
        self.conn.execute("INSERT OR REPLACE INTO parsed (key, issue_id, sha256, original_name, record)"
                          " VALUES (?, ?, ?, ?, ?)", (issue_id, issue_id, r[0], r[1], issue_to_json(issue)))
        return issue_id

    def parsed_issue(self, key: str) -> Issue | None:
        row = self.parsed_row(key)
        return issue_from_json(row["record"]) if row else None

    # --- corrections -----------------------------------------------------------------------------

    def corrections_of(self, key: str) -> list[dict]:
        return [correction_dict(r) for r in
                self.conn.execute("SELECT * FROM corrections WHERE issue_key = ? ORDER BY id", (key,))]

    def correction(self, cid: int) -> dict | None:
        r = self.conn.execute("SELECT * FROM corrections WHERE id = ?", (cid,)).fetchone()
        return correction_dict(r) if r else None

    def add_correction(self, who: str, issue_key: str, target: str, op: str, field: str | None = None,
                       before=None, after=None, note: str | None = None, anchor: dict | None = None) -> int:
        cur = self.conn.execute(
            "INSERT INTO corrections (who, at, issue_key, target, applied_to, op, field, before, after, note, anchor)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (who, now(), issue_key, target, target, op, field, None if before is None else str(before),
             None if after is None else str(after), note or None, json.dumps(anchor or {}, ensure_ascii=False)))
        return cur.lastrowid

    def mark_reverted(self, cid: int, who: str) -> None:
        self.conn.execute("UPDATE corrections SET state = ?, reverted_by = ?, reverted_at = ? WHERE id = ?",
                          (REVERTED, who, now(), cid))

    def history(self, target: str) -> list[dict]:
        """The corrections of an item (made to it, or applying to it now), or of an issue (all)."""
        issue_id = self.current_id(target)
        key = self.conn.execute("SELECT key FROM parsed WHERE issue_id = ?", (issue_id,)).fetchone() if issue_id else None
        if key:
            return self.corrections_of(key[0])
        return [correction_dict(r) for r in self.conn.execute(
            "SELECT * FROM corrections WHERE applied_to = ? OR target = ? ORDER BY id", (target, target))]

    def corrected_items(self, item_ids: list[str]) -> set[str]:
        """Which of these items an applied correction changed (「已校对」)."""
        out: set[str] = set()
        for k in range(0, len(item_ids), 500):
            chunk = tuple(item_ids[k:k + 500])
            out.update(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT applied_to FROM corrections WHERE state = 'applied' AND applied_to IN"
                f" ({','.join('?' * len(chunk))})", chunk))
        return out

    def merged_into(self, item_id: str) -> str | None:
        """The item an item was merged into (its old URL redirects there)."""
        row = self.conn.execute("SELECT applied_to FROM corrections WHERE op = 'merge' AND state = 'applied'"
                                " AND before = ? ORDER BY id DESC LIMIT 1", (item_id,)).fetchone()
        return row[0] if row else None

    def stale_corrections(self) -> list[dict]:
        return [correction_dict(r) for r in
                self.conn.execute("SELECT * FROM corrections WHERE state = 'stale' ORDER BY id")]

    # --- reviewed marks ---------------------------------------------------------------------------

    def mark_reviewed(self, issue_id: str, who: str) -> None:
        key = self.issue_key(issue_id)
        self.conn.execute("INSERT OR REPLACE INTO reviewed VALUES (?, ?, ?)", (key, who, now()))

    def reviewed_ids(self) -> dict[str, dict]:
        """Stored issue id → {"who", "at"} of the issues an editor marked reviewed."""
        return {r[0]: {"who": r[1], "at": r[2]} for r in self.conn.execute(
            "SELECT COALESCE(p.issue_id, r.issue_key), r.who, r.at FROM reviewed r"
            " LEFT JOIN parsed p ON p.key = r.issue_key")}

    # --- writing an issue with its corrections ---------------------------------------------------

    def write_corrected(self, key: str, registry, old_id: str | None, parsed: Issue | None = None) -> tuple[str, Applied]:
        """Write the parser's record of `key` with its corrections applied, in place of `old_id`
        (the caller holds the transaction). The new id (a corrected year or number changes it).
        `parsed`: the record as just stored, the caller's to give up (else it is read back)."""
        from .site_units import retag
        row = self.parsed_row(key)
        parsed = parsed if parsed is not None else issue_from_json(row["record"])
        retag(parsed, registry)
        applied = apply_corrections(parsed, self.corrections_of(key), in_place=True)  # a copy of its own
        sha = row["sha256"]
        new_id = applied.issue.issue_id(sha)
        holder = self.conn.execute("SELECT sha256 FROM issues WHERE id = ?", (new_id,)).fetchone()
        if new_id != old_id and holder is not None:
            raise Conflict(f"issue {new_id} already exists (from another file): the change would give two issues"
                           " one id", "conflict", issue_id=new_id)
        if old_id is not None:
            self.conn.execute("DELETE FROM issues WHERE id = ?", (old_id,))
        units = {u for s in applied.issue.sections for it in s.items for u in it.units}
        canonical = {u: registry.canonical_name(u) for u in units}
        ids = [f"{new_id}-{s}" for s in applied.suffixes]
        self.write_issue(new_id, applied.issue, sha, row["original_name"], canonical, item_ids=ids)
        self.conn.execute("UPDATE parsed SET issue_id = ? WHERE key = ?", (new_id, key))
        if old_id is not None and old_id != new_id:
            self.conn.execute("UPDATE issue_aliases SET issue_id = ? WHERE issue_id = ?", (new_id, old_id))
            self.conn.execute("INSERT OR REPLACE INTO issue_aliases VALUES (?, ?)", (old_id, new_id))
        self.conn.execute("DELETE FROM issue_aliases WHERE old_id = ?", (new_id,))
        for cid, out in applied.outcomes.items():
            self.conn.execute("UPDATE corrections SET state = ?, applied_to = COALESCE(?, applied_to) WHERE id = ?",
                              (out.state, f"{new_id}-{out.suffix}" if out.suffix else None, cid))
        return new_id, applied

    def store_parsed(self, key: str, issue: Issue, sha256: str, original_name: str, registry,
                     old_id: str | None = None) -> str:
        """Keep a parse of an issue (an import, a replacement, a reparse) as its parser's record,
        and write it with its corrections applied in place of `old_id`, in one transaction. A
        replacement whose parser reads another id takes over the corrections of the issue it
        replaces. The id it is stored under. `issue` is written as corrected: it is the caller's no more."""
        conn = self.conn
        with transaction(conn):
            if old_id is not None:
                old_key = self.issue_key(old_id)
                if old_key and old_key != key:
                    conn.execute("UPDATE corrections SET issue_key = ? WHERE issue_key = ?", (key, old_key))
                    conn.execute("UPDATE reviewed SET issue_key = ? WHERE issue_key = ?", (key, old_key))
                    conn.execute("DELETE FROM parsed WHERE key = ?", (old_key,))
            conn.execute("INSERT OR REPLACE INTO parsed (key, issue_id, sha256, original_name, record)"
                         " VALUES (?, ?, ?, ?, ?)", (key, old_id or key, sha256, original_name, issue_to_json(issue)))
            new_id, _ = self.write_corrected(key, registry, old_id, issue)
        return new_id

    def rewrite(self, issue_id: str, registry) -> str:
        """Write an issue again from its parser's record and its corrections (after one was made or
        reverted, or the registry changed), in one transaction. Its id now."""
        with transaction(self.conn):
            key = self.issue_key(issue_id)
            if key is None:
                raise ArchiveError(f"no issue {issue_id}", "not_found", what=issue_id)
            return self.write_corrected(key, registry, issue_id)[0]

    def issues_naming(self, names) -> list[str]:
        """Issues with an item that names (tags, or prints) any of these units."""
        ids: set[str] = set()
        for n in names:
            ids.update(r[0] for r in self.conn.execute(
                "SELECT DISTINCT i.issue_id FROM items i JOIN item_units u ON u.item_id = i.id"
                " WHERE u.unit = ? OR u.canonical = ?", (n, n)))
            ids.update(r[0] for r in self.conn.execute("SELECT DISTINCT issue_id FROM items WHERE instr(text, ?) > 0",
                                                       (n,)))
        return sorted(ids)
