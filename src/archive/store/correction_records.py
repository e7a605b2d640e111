"""The SQL of corrections: the parser's originals (`parsed`), the corrections themselves, issue
aliases and reviewed marks, and writing an issue as its parser's record with its corrections
applied, in one transaction. `CorrectionRecords` is a part of `Records`, kept in its own module."""
from __future__ import annotations

import json
import sqlite3
import time

from ..errors import Conflict
from ..model import Issue
from .corrections import REVERTED, Applied, apply_corrections
from .rows import issue_from_json, issue_from_records, issue_to_json
from .transaction import transaction

CORRECTION_KEYS = ("id", "who", "at", "issue_key", "target", "applied_to", "op", "field", "before", "after", "note",
                   "anchor", "state", "reverted_by", "reverted_at")
def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def correction_dict(r: sqlite3.Row) -> dict:
    out = {k: r[k] for k in CORRECTION_KEYS}
    try:
        out["anchor"] = json.loads(r["anchor"] or "{}")
    except ValueError:
        out["anchor"] = {}
    return out


class CorrectionRecords:
    conn: sqlite3.Connection

    # --- the parser's originals ------------------------------------------------------------------

    def parsed_row(self, key: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM parsed WHERE key = ?", (key,)).fetchone()
        return dict(row) if row else None

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
        meta = self.issue_row(issue_id)
        if meta is None:
            return None
        issue = issue_from_records(meta, self.section_titles(issue_id), self.items_of_issue(issue_id),
                                   self.pages_of(issue_id), self.page_geometries(issue_id))
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

    def now_at(self, old_id: str, kind: str = "item") -> str | None:
        """Where an old issue or item id is now (its issue's year or number was corrected; an item
        merged into the one before it), or None. The one answer behind every 301."""
        if kind == "issue":
            new = self.current_id(old_id)
            return new if new and new != old_id else None
        merged = self.merged_into(old_id)
        if merged and self.conn.execute("SELECT 1 FROM items WHERE id = ?", (merged,)).fetchone():
            return merged
        head = old_id.rpartition("-")[0]
        for cut in (head, head.rpartition("-")[0]):  # 2016-002-003, and a split part 2016-002-003-2
            new = self.current_id(cut) if cut else None
            if new and new != cut:
                return new + old_id[len(cut):]
        return None

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
            self.delete_issue(old_id)
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
            self.unremove(key, "import")  # a removed issue imported again is restored
            new_id, _ = self.write_corrected(key, registry, old_id, issue)
        return new_id

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

    # --- the site's unit registry (its changes are corrections with issue_key '') ---------------

    def unit_changes(self) -> list[dict]:
        """The registry changes in force, oldest first: {"op", "target", "after", "anchor"}."""
        return site_changes(self.conn, "unit")

    def registry_stamp(self) -> tuple:
        """What changes whenever the site's registry does (a change made, or reverted; a unit an
        editor tagged an item with), from any process."""
        return tuple(self.conn.execute(
            "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(state = ?), 0), COALESCE(SUM(state = 'applied'), 0)"
            " FROM corrections WHERE (issue_key = '' AND substr(op, 1, 5) = 'unit_') OR op = 'add_unit'",
            (REVERTED,)).fetchone())

    def units_tagged_by_editors(self) -> set[str]:
        """The unit names editors tagged items with by hand (add_unit corrections in force)."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT after FROM corrections WHERE op = 'add_unit'"
                                                " AND state = 'applied' AND after IS NOT NULL")}

    def topic_changes(self) -> list[dict]:
        """The topic vocabulary's changes in force, oldest first (store.site_topics)."""
        return site_changes(self.conn, "topic")

    def topic_stamp(self) -> tuple:
        return site_stamp(self.conn, "topic")

    def person_changes(self) -> list[dict]:
        """The people list's changes in force (merged spellings), oldest first (store.people)."""
        return site_changes(self.conn, "person")

    def person_stamp(self) -> tuple:
        return site_stamp(self.conn, "person")

    def site_history(self, family: str) -> list[dict]:
        """Every change of a site vocabulary ("unit", "topic", "person"), newest first, reverted ones too."""
        return [correction_dict(r) for r in self.conn.execute(
            "SELECT * FROM corrections WHERE issue_key = '' AND substr(op, 1, ?) = ? ORDER BY id DESC",
            (len(family) + 1, f"{family}_"))]


# Changes of the site's vocabularies (units, topics, people) are corrections with issue_key '' and an
# op named for their family (unit_add, topic_alias, person_merge…), replayed in order.
def site_changes(conn: sqlite3.Connection, family: str) -> list[dict]:
    return [{"op": r["op"], "target": r["target"], "after": r["after"], "anchor": correction_dict(r)["anchor"]}
            for r in conn.execute("SELECT * FROM corrections WHERE issue_key = '' AND substr(op, 1, ?) = ?"
                                  " AND state != ? ORDER BY id", (len(family) + 1, f"{family}_", REVERTED))]


def site_stamp(conn: sqlite3.Connection, family: str) -> tuple:
    """What changes whenever a vocabulary does (a change made, or reverted), from any process."""
    return tuple(conn.execute(
        "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(state = ?), 0) FROM corrections WHERE issue_key = ''"
        " AND substr(op, 1, ?) = ?", (REVERTED, len(family) + 1, f"{family}_")).fetchone())
