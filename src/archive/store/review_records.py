"""The reads the review queue (store/review.py) is made from. `ReviewRecords` is a part of
`Records` (the one class that runs SQL), kept in its own module."""
from __future__ import annotations

import sqlite3
from typing import Iterator

from .rows import ITEM_JOIN


class ReviewRecords:
    conn: sqlite3.Connection

    def issue_of_key(self, key: str) -> str | None:
        """The id the issue of a parser's key is stored under now."""
        row = self.conn.execute("SELECT issue_id FROM parsed WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def flagged_issues(self) -> list[str]:
        """Issues the importer flagged for a person's look, by id."""
        return [r[0] for r in self.conn.execute("SELECT id FROM issues WHERE needs_review = 1 ORDER BY id")]

    def text_corrected_items(self) -> set[str]:
        """Items whose text an editor set (a person has read them)."""
        return {r[0] for r in self.conn.execute("SELECT applied_to FROM corrections WHERE state = 'applied'"
                                                " AND op = 'set' AND field = 'text'")}

    def section_titles_by_issue(self) -> Iterator[tuple[str, str]]:
        yield from ((r[0], r[1]) for r in self.conn.execute("SELECT issue_id, title FROM sections"
                                                            " WHERE title IS NOT NULL"))

    def items_for_review(self) -> Iterator[dict]:
        """Every item's id, issue, text, kind, confidence and section title, by id."""
        for r in self.conn.execute(f"SELECT i.id, i.issue_id, i.text, i.kind, i.confidence, s.title AS section"
                                   f" FROM items i {ITEM_JOIN} ORDER BY i.id"):
            yield {"id": r[0], "issue": r[1], "text": r[2], "kind": r[3], "confidence": r[4], "section": r[5]}

    def unit_mentions(self) -> Iterator[tuple[str, str, str, str]]:
        """(canonical, printed name, item id, item text) of every unit tag, by unit then item."""
        yield from (tuple(r) for r in self.conn.execute(
            "SELECT u.canonical, u.unit, i.id, i.text FROM item_units u JOIN items i ON i.id = u.item_id"
            " ORDER BY u.canonical, i.id"))
