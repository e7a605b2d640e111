"""Editing the site's vocabularies beside the unit registry: topics (专题: add, alias, keyword,
rename, merge, remove) and the people list's spellings (merge, rename). Each change is a correction
with issue_key '' (op topic_* / person_*), so it is listed, kept and reverted like any other
(`archive revert N`, the 撤销 buttons); the vocabulary is that data folder's replay of them.

A topic change tags every activity again (activity_topics) and re-indexes the issues whose items'
or activities' topics changed, at once: the units × topics page, the topic facet and the
chronicle's topic filter agree with the vocabulary as soon as the command returns. A people
change touches no record (a person's page reads names through the replayed merges)."""
from __future__ import annotations

from ..errors import BadEdit, NotFound
from ..search.indexer import drain
from ..store import DataDir, Records
from ..store.corrections import REVERTED
from ..store.site_topics import check_topic_name, forget_site_topics, site_topics
from ..store.topics import TOPIC_OPS, TopicRegistry
from .correcting import MAX_NOTE, Change

PERSON_OPS = ("person_merge", "person_rename")


def note_of(note: str | None) -> str | None:
    return (note or "").strip()[:MAX_NOTE] or None


class TopicEditor:
    def __init__(self, records: Records, datadir: DataDir):
        self.records, self.datadir = records, datadir

    def change(self, op: str, name: str, other: str | None = None, aliases: list[str] | None = None,
               keywords: list[str] | None = None, years: tuple[int, int] | None = None, who: str = "editor",
               note: str | None = None) -> list[str]:
        """add NAME [aliases, keywords, years], alias NAME ALIAS, keyword NAME WORD, exclude NAME PHRASE
        (a phrase that holds a keyword without being about the topic), rename OLD NEW, merge A B (A
        into B), remove NAME: recorded and applied; the issues re-indexed."""
        op = f"topic_{op}"
        if op not in TOPIC_OPS:
            raise BadEdit(f"unknown topic change {op!r}", "bad_op")
        topics = site_topics(self.records)
        name = check_topic_name(name)
        other = check_topic_name(other) if op in ("topic_alias", "topic_keyword", "topic_exclude", "topic_rename",
                                                  "topic_merge") else None
        aliases = [check_topic_name(a) for a in aliases or []]
        keywords = [check_topic_name(k) for k in keywords or []]
        if op == "topic_add":
            for n in [name, *aliases]:
                if topics.canonical_name(n):
                    raise BadEdit(f"there is a topic called {n} already", "topic_exists", topic=n)
        else:
            if not topics.canonical_name(name):
                raise NotFound(f"no topic {name}", what=name)
            name = topics.canonical_name(name)
        if op == "topic_rename" and topics.canonical_name(other) not in (None, name):
            raise BadEdit(f"there is a topic called {other} already", "topic_exists", topic=other)
        if op == "topic_merge" and not topics.canonical_name(other):
            raise NotFound(f"no topic {other}", what=other)
        anchor = {k: v for k, v in (("aliases", aliases), ("keywords", keywords),
                                    ("years", list(years) if years else None)) if v}
        return self.apply(topics, lambda: self.records.add_correction(who, "", name, op, "topic", None, other,
                                                                     note_of(note), anchor))

    def apply(self, before: TopicRegistry, record) -> list[str]:
        """In one transaction: `record()` records the change (or its revert), every activity is
        tagged with the vocabulary as it is then, and the issues whose topics changed (their
        activities', or their items' as the index tells them) are queued; then they are indexed."""
        try:
            with self.records.transaction():
                record()
                after = site_topics(self.records)
                changed = set(self.records.retag(after))
                for _, issue_id, heading, text, date in self.records.item_texts():
                    if issue_id not in changed and \
                            before.tag(text, date, heading or "") != after.tag(text, date, heading or ""):
                        changed.add(issue_id)
                if changed:
                    self.records.enqueue(sorted(changed))
        except BaseException:
            forget_site_topics()  # a vocabulary read inside the transaction that did not happen
            raise
        drain(self.records, self.datadir)
        return sorted(changed)

    def revert(self, c: dict, who: str) -> Change:
        done = self.apply(site_topics(self.records), lambda: self.records.mark_reverted(c["id"], who))
        return Change(done[0] if done else "", None, [c["id"]], REVERTED)


class PeopleEditor:
    def __init__(self, records: Records):
        self.records = records

    def change(self, op: str, name: str, other: str, who: str = "editor", note: str | None = None) -> int:
        """merge A B (A is a spelling of B), rename A B (A's name is B): the correction's number."""
        op = f"person_{op}"
        if op not in PERSON_OPS:
            raise BadEdit(f"unknown people change {op!r}", "bad_op")
        name, other = (name or "").strip(), (other or "").strip()
        if not name or not other or name == other:
            raise BadEdit("give two different names", "unchanged")
        if not self.records.person_known(name) and name not in self.records.people_names().into.values():
            raise NotFound(f"no item is signed by or names {name}", "no_person", name=name)
        if op == "person_merge" and not self.records.person_known(other) \
                and other not in self.records.people_names().into.values():
            raise NotFound(f"no item is signed by or names {other}", "no_person", name=other)
        with self.records.transaction():
            return self.records.add_correction(who, "", name, op, "person", None, other, note_of(note), {})

    def revert(self, c: dict, who: str) -> Change:
        with self.records.transaction():
            self.records.mark_reverted(c["id"], who)
        return Change("", None, [c["id"]], REVERTED)


def revert_site_change(records: Records, datadir: DataDir, c: dict, who: str) -> Change:
    """Revert a topic or people change (service.correcting.Editor.revert hands them here)."""
    if c["op"].startswith("topic_"):
        return TopicEditor(records, datadir).revert(c, who)
    return PeopleEditor(records).revert(c, who)
