"""Removing an import, restoring it, purging it: the SQL. `RemovalRecords` is a part of `Records`
(the one class that runs SQL), kept in its own module.

An editor removes an issue (or a document imported by mistake): its records go at once — its row,
and with it (ON DELETE CASCADE) its sections, items, units, pages and activities; the trigger on
`issues` queues the index's deletion in the same transaction. What it was made from stays: the
parser's record (`parsed`), the editors' corrections and the stored original, so it can be restored
until it is purged. The removal is a correction of the issue (op `remove_issue`: who, when, why),
listed in its history; restoring it reverts that correction (who, when) and writes the issue again
from its parse with its corrections applied. Purging deletes the parse, the corrections and the
reviewed mark, keeps the removal's record (state `purged`, so the history still says who removed
what, and when), and tells the caller whether the stored original may go (nothing else uses it)."""
from __future__ import annotations

import sqlite3

from .correction_records import correction_dict, now
from .transaction import transaction

REMOVE_OP = "remove_issue"
PURGED = "purged"


class RemovalRecords:
    conn: sqlite3.Connection

    def remove_issue(self, issue_id: str, label: str, who: str, note: str | None = None) -> dict:
        """Remove a stored issue (the caller has checked it exists): its records go, the means
        to restore it stay. The removal's entry ({"key", "issue_id", …, "correction"})."""
        with transaction(self.conn):
            key = self.issue_key(issue_id)
            row = self.conn.execute("SELECT sha256, original_name FROM issues WHERE id = ?", (issue_id,)).fetchone()
            cid = self.add_correction(who, key, issue_id, REMOVE_OP, None, label, None, note, {"issue": issue_id})
            self.conn.execute("INSERT OR REPLACE INTO removed (issue_key, issue_id, sha256, original_name, label, who,"
                              " at, correction) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              (key, issue_id, row[0], row[1], label, who, now(), cid))
            self.delete_issue(issue_id)
        return self.removed_entry(issue_id)

    def removed_entry(self, given: str) -> dict | None:
        """A removed issue, by the id it had (or its parser's key): {"key", "issue_id", "sha256",
        "original_name", "label", "who", "at", "correction"}; None if it is not removed."""
        row = self.conn.execute("SELECT * FROM removed WHERE issue_id = ? OR issue_key = ? ORDER BY at DESC LIMIT 1",
                                (given, given)).fetchone()
        return self._entry(row) if row else None

    def removed_issues(self) -> list[dict]:
        """Every removed issue not yet purged, the latest removal first."""
        return [self._entry(r) for r in self.conn.execute("SELECT * FROM removed ORDER BY at DESC, issue_id")]

    @staticmethod
    def _entry(row: sqlite3.Row) -> dict:
        out = dict(row)
        out["key"] = out.pop("issue_key")
        return out

    def removed_shas(self) -> set[str]:
        """The stored originals removed issues keep (until purged)."""
        return {r[0] for r in self.conn.execute("SELECT sha256 FROM removed")}

    def unremove(self, key: str, who: str) -> None:
        """The removal of `key` is undone (the caller writes the issue again, in the same
        transaction): its correction reverted by `who`, its entry gone."""
        entry = self.removed_entry(key)
        if entry is None:
            return
        if entry["correction"] is not None:
            self.mark_reverted(entry["correction"], who)
        self.conn.execute("DELETE FROM removed WHERE issue_key = ?", (key,))

    def purge_removed(self, key: str) -> str | None:
        """Delete what a removed issue was kept for: its parse, corrections, reviewed mark and
        entry (the removal's own record stays, state `purged`). The sha256 of its stored original
        when nothing else uses it (the caller deletes the file), else None."""
        entry = self.removed_entry(key)
        if entry is None:
            return None
        with transaction(self.conn):
            self.conn.execute("DELETE FROM corrections WHERE issue_key = ? AND op != ?", (key, REMOVE_OP))
            self.conn.execute("UPDATE corrections SET state = ?, issue_key = ? WHERE issue_key = ? AND op = ?",
                              (PURGED, f"purged:{key}", key, REMOVE_OP))
            self.conn.execute("DELETE FROM parsed WHERE key = ?", (key,))
            self.conn.execute("DELETE FROM reviewed WHERE issue_key = ?", (key,))
            self.conn.execute("DELETE FROM issue_aliases WHERE issue_id = ?", (entry["issue_id"],))
            self.conn.execute("DELETE FROM removed WHERE issue_key = ?", (key,))
            sha = entry["sha256"]
            used = self.conn.execute("SELECT (SELECT COUNT(*) FROM issues WHERE sha256 = ?) + (SELECT COUNT(*) FROM"
                                     " parsed WHERE sha256 = ?) + (SELECT COUNT(*) FROM removed WHERE sha256 = ?)",
                                     (sha, sha, sha)).fetchone()[0]
        return None if used else sha

    def removals_of(self, issue_id: str) -> list[dict]:
        """The removal records of an issue id (restored, removed now, or purged), oldest first."""
        return [correction_dict(r) for r in self.conn.execute(
            "SELECT * FROM corrections WHERE op = ? AND target = ? ORDER BY id", (REMOVE_OP, issue_id))]
