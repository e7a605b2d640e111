"""Activities by their own dates, units and topics: what the 大事记 (chronicle), a topic's page and
the units × topics table read. `TopicRecords` is a part of `Records`, kept in its own module; the
activity_topics table is written with the activities (activity_records.insert_activities) and
tagged again when the vocabulary changes (activity_records.retag_topics)."""
from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Iterator

from .activity_records import event_range, retag_topics
from .transaction import transaction
from .rows import ACTIVITY_FROM, ACTIVITY_SQL, BULLETIN, activity_record

HAS_TOPIC = "EXISTS (SELECT 1 FROM activity_topics t WHERE t.item_id = a.item_id AND t.seq = a.seq AND t.topic = ?)"


class TopicRecords:
    conn: sqlite3.Connection

    def _activity_where(self, date_from: str | None, date_to: str | None, unit: str | None,
                        topic: str | None) -> tuple[str, tuple]:
        """One row per activity (its first unit's; with `unit`, that unit's row) within the range,
        of the topic if one is given; the bulletin's (the other documents are no part of its 大事记)."""
        where, args = event_range(date_from, date_to)
        where.append("iss.collection = ?")
        args.append(BULLETIN)
        if unit:
            where.append("a.canonical = ?")
            args.append(unit)
        else:
            where.append("a.pos = 0")
        if topic:
            where.append(HAS_TOPIC)
            args.append(topic)
        return "WHERE " + " AND ".join(where), tuple(args)

    def iter_activities(self, date_from: str | None = None, date_to: str | None = None, unit: str | None = None,
                        topic: str | None = None, newest_first: bool = False, limit: int | None = None,
                        offset: int = 0) -> Iterator[dict]:
        """Activities by their own dates (oldest first, or newest), each once, with its topics and
        every unit's canonical name: the 大事记's rows, a topic's page."""
        where, args = self._activity_where(date_from, date_to, unit, topic)
        way = "DESC" if newest_first else "ASC"
        sql = (f"{ACTIVITY_SQL} {where} ORDER BY a.date IS NULL, a.date {way}, iss.date {way}, a.item_id {way},"
               f" a.seq")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args = (*args, limit, offset)
        batch: list[dict] = []
        for r in self.conn.execute(sql, args):
            batch.append(activity_record(r))
            if len(batch) >= 500:
                yield from self._completed(batch)
                batch = []
        yield from self._completed(batch)

    def _completed(self, acts: list[dict]) -> list[dict]:
        """Activities with their topics and all their units' canonical names."""
        if not acts:
            return acts
        ids = list({a["item"] for a in acts})
        topics, canon = {}, {}
        for k in range(0, len(ids), 500):
            chunk = tuple(ids[k:k + 500])
            q = ",".join("?" * len(chunk))
            for r in self.conn.execute(f"SELECT item_id, seq, topic FROM activity_topics WHERE item_id IN ({q})"
                                       " ORDER BY rowid", chunk):
                topics.setdefault((r[0], r[1]), []).append(r[2])
            for r in self.conn.execute(f"SELECT item_id, seq, canonical FROM activities WHERE item_id IN ({q})"
                                       " ORDER BY item_id, seq, pos", chunk):
                canon.setdefault((r[0], r[1]), []).append(r[2])
        for a in acts:
            a["topics"] = topics.get((a["item"], a["seq"]), [])
            a["canonical"] = canon.get((a["item"], a["seq"]), a["canonical"])
        return acts

    def activity_count(self, date_from: str | None = None, date_to: str | None = None, unit: str | None = None,
                       topic: str | None = None) -> int:
        where, args = self._activity_where(date_from, date_to, unit, topic)
        return self.conn.execute(f"SELECT COUNT(*) {ACTIVITY_FROM} {where}", args).fetchone()[0]

    def topic_counts(self) -> Counter:
        """topic → how many activities it tags."""
        return Counter({r[0]: r[1] for r in self.conn.execute(
            "SELECT topic, COUNT(*) FROM activity_topics GROUP BY topic")})

    def units_by_topic(self, date_from: str | None = None, date_to: str | None = None) -> dict[str, Counter]:
        """unit → Counter(topic → its activities of that topic), within a range of their own dates."""
        where, args = event_range(date_from, date_to)
        sql = ("SELECT a.canonical, t.topic, COUNT(*) FROM activities a JOIN activity_topics t"
               " ON t.item_id = a.item_id AND t.seq = a.seq" + (" WHERE " + " AND ".join(where) if where else "")
               + " GROUP BY a.canonical, t.topic")
        out: dict[str, Counter] = {}
        for r in self.conn.execute(sql, tuple(args)):
            out.setdefault(r[0], Counter())[r[1]] = r[2]
        return out

    def activity_years(self) -> list[int]:
        """The years activities are dated in, newest first."""
        return [int(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT substr(date, 1, 4) AS y FROM activities WHERE date IS NOT NULL ORDER BY y DESC")
            if r[0] and r[0].isdigit()]

    def retag(self, topics) -> list[str]:
        """Every activity tagged again with `topics`, in one transaction: the issues whose tags changed."""
        with transaction(self.conn):
            return retag_topics(self.conn, topics)

    def item_texts(self) -> Iterator[tuple[str, str, str | None, str, str | None]]:
        """(item id, issue id, heading, text, issue date) of every item: what topics tag an item by."""
        for r in self.conn.execute("SELECT i.id, i.issue_id, i.heading, i.text, iss.date FROM items i"
                                   " JOIN issues iss ON iss.id = i.issue_id"):
            yield r[0], r[1], r[2], r[3], r[4]
