"""The item_people table: written with each item (store.people finds who it names), read for the
people list and a person's page. `PeopleRecords` is a part of `Records`, kept in its own module;
names merged by editors (person_merge, person_rename: corrections with issue_key '') are read
through store.people.PeopleNames, never written over the stored names."""
from __future__ import annotations

import sqlite3
from collections import Counter

from .correction_records import site_changes
from .people import PeopleNames, people_of
from .rows import ITEM_SQL, item_record


def insert_people(conn: sqlite3.Connection, item_id: str, text: str, author: str | None,
                  units: list[tuple[str, str]]) -> int:
    """Write who one item names (its old rows are the caller's to delete); how many."""
    canonical = dict(units)
    rows = [(item_id, k, p.name, canonical.get(p.unit, p.unit) if p.unit else None, p.role, p.kind)
            for k, p in enumerate(people_of(text, author, units))]
    conn.executemany("INSERT INTO item_people (item_id, seq, name, unit, role, kind) VALUES (?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def fill_people(conn: sqlite3.Connection) -> int:
    """Who every stored item names, made again from what it stores. The caller holds the transaction."""
    units: dict[str, list[tuple[str, str]]] = {}
    for r in conn.execute("SELECT item_id, unit, canonical FROM item_units ORDER BY item_id, seq"):
        units.setdefault(r[0], []).append((r[1], r[2]))
    conn.execute("DELETE FROM item_people")
    return sum(insert_people(conn, r[0], r[1], r[2], units.get(r[0], []))
               for r in conn.execute("SELECT id, text, author FROM items").fetchall())


class PeopleRecords:
    conn: sqlite3.Connection

    def people_names(self) -> PeopleNames:
        return PeopleNames(site_changes(self.conn, "person"))

    def people(self) -> list[dict]:
        """Everyone items name, under their merged names: {"name", "spellings", "items", "signed",
        "units", "first", "last"}, the most items first."""
        names = self.people_names()
        out: dict[str, dict] = {}
        for r in self.conn.execute(
                "SELECT p.name, p.unit, p.kind, p.item_id, iss.date FROM item_people p JOIN items i ON i.id = p.item_id"
                " JOIN issues iss ON iss.id = i.issue_id"):
            canon = names.canonical(r[0])
            person = out.setdefault(canon, {"name": canon, "spellings": set(), "items": set(), "signed": set(),
                                            "units": Counter(), "first": None, "last": None})
            person["spellings"].add(r[0])
            person["items"].add(r[3])
            if r[2] == "author":
                person["signed"].add(r[3])
            if r[1]:
                person["units"][r[1]] += 1
            if r[4]:
                person["first"] = min(person["first"] or r[4], r[4])
                person["last"] = max(person["last"] or r[4], r[4])
        rows = [{**p, "spellings": sorted(p["spellings"]), "items": len(p["items"]), "signed": len(p["signed"]),
                 "units": [u for u, _ in p["units"].most_common()]} for p in out.values()]
        return sorted(rows, key=lambda p: (-p["items"], p["name"]))

    def person_items(self, name: str) -> tuple[list[str], list[dict]]:
        """(the spellings of a person, their items newest first, each with "person_kind", "person_unit",
        "person_role"); ([], []) when no item names them."""
        names = self.people_names()
        known = [r[0] for r in self.conn.execute("SELECT DISTINCT name FROM item_people")]
        spellings = [n for n in names.spellings(name, known) if n in known]
        if not spellings:
            return [], []
        marks = ",".join("?" * len(spellings))
        mentions: dict[str, dict] = {}
        for r in self.conn.execute(f"SELECT item_id, name, unit, role, kind FROM item_people WHERE name IN ({marks})"
                                   " ORDER BY item_id, seq", spellings):
            mentions.setdefault(r[0], {"person_name": r[1], "person_unit": r[2], "person_role": r[3],
                                       "person_kind": r[4]})
        ids = tuple(mentions)
        units: dict[str, list[tuple[str, str]]] = {}
        items = []
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            q = ",".join("?" * len(chunk))
            for r in self.conn.execute(f"SELECT item_id, unit, canonical FROM item_units WHERE item_id IN ({q})"
                                       " ORDER BY item_id, seq", chunk):
                units.setdefault(r[0], []).append((r[1], r[2]))
            items += [{**item_record(r, units.get(r["id"], [])), **mentions[r["id"]]}
                      for r in self.conn.execute(f"{ITEM_SQL} WHERE i.id IN ({q})", chunk)]
        items.sort(key=lambda it: (it["date"] or "", it["id"]), reverse=True)
        return spellings, items

    def person_known(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM item_people WHERE name = ? LIMIT 1", (name,)).fetchone() is not None
