"""Campaigns and themes (专题): a vocabulary staff can edit, and what tags an activity with a topic.

Each topic has a name, other names (aliases) and keywords, optionally the years it ran (a
campaign: 党史学习教育 2021–2022), and phrases that hold a keyword without being about it
(exclude: 国家安全教育日 holds 安全教育 and is not 安全生产). The shipped vocabulary is
data/topics.json; a data folder's changes (add, alias, keyword, rename, merge, remove) are replayed
over it (store.site_topics).

A text is about a topic when it prints
- one of its names (name or alias) — at any date, except an alias several topics share (主题教育:
  不忘初心、牢记使命 in 2019–2020, 学习贯彻…思想 in 2023–2024), which is the topic whose years hold
  the activity's date, and no topic outside them;
- or one of its keywords, within its years (党史 in 2021 is 党史学习教育; in 2016 it is not).
Names and texts are compared without quotation marks and spaces (“两学一做”学习教育 = 两学一做学习教育),
the excluded phrases blanked first. Pure: nothing here reads the records."""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

IGNORED = re.compile(r"[\s“”\"‘’'「」『』《》〈〉]")
BLANK = "\u0000"  # what an excluded phrase's characters become (it matches no name or keyword)


def normal(text: str) -> str:
    """A text or name as topics compare it: quotation marks and white space left out."""
    return IGNORED.sub("", text or "")


@dataclass
class Topic:
    name: str
    aliases: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    years: tuple[int, int] | None = None

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def holds(self, year: int | None) -> bool:
        """Is `year` within the topic's years (any year, when it has none; an unknown year, always)?"""
        return self.years is None or year is None or self.years[0] <= year <= self.years[1]

    def as_dict(self) -> dict:
        return {"name": self.name, "aliases": list(self.aliases), "keywords": list(self.keywords),
                "exclude": list(self.exclude), "years": list(self.years) if self.years else None}


class TopicRegistry:
    """The topics in their order, and what names them."""

    def __init__(self, topics: list[Topic] | None = None):
        self.topics: dict[str, Topic] = {t.name: t for t in topics or []}
        self._matchers = None

    @classmethod
    def load(cls) -> "TopicRegistry":
        return shipped().copy()

    def copy(self) -> "TopicRegistry":
        twin = TopicRegistry(copy.deepcopy(list(self.topics.values())))
        twin._matchers = self._matchers  # the same words: compiled once (a change to either drops its own)
        return twin

    def changed(self) -> None:
        self._matchers = None

    # --- names -------------------------------------------------------------------------------------

    def holders(self, name: str) -> list[str]:
        """The topics a name (canonical or alias) belongs to, in order."""
        key = normal(name)
        return [t.name for t in self.topics.values() if any(normal(n) == key for n in t.names)]

    def canonical_name(self, name: str) -> str | None:
        """The topic a name is one of the names of (the first, for a shared alias); None if none."""
        found = self.holders(name)
        return found[0] if found else None

    def names_for(self, name: str) -> list[str]:
        """Every name of the topic(s) a name belongs to (for a search's synonyms); [] if none."""
        out: list[str] = []
        for t in self.holders(name):
            out += self.topics[t].names
        return list(dict.fromkeys(out))

    def shared(self) -> set[str]:
        """Names (normalised) that more than one topic has."""
        seen: dict[str, int] = {}
        for t in self.topics.values():
            for n in {normal(n) for n in t.names}:
                seen[n] = seen.get(n, 0) + 1
        return {n for n, k in seen.items() if k > 1}

    # --- tagging -----------------------------------------------------------------------------------

    def matchers(self) -> list[tuple[Topic, re.Pattern | None, re.Pattern | None, re.Pattern | None, re.Pattern | None]]:
        """Per topic: (topic, its own names, its shared names, its keywords, its excluded phrases)."""
        if self._matchers is None:
            shared = self.shared()

            def alternation(words):
                words = sorted({normal(w) for w in words if normal(w)}, key=len, reverse=True)
                return re.compile("|".join(map(re.escape, words))) if words else None
            self._matchers = [(t, alternation(n for n in t.names if normal(n) not in shared),
                               alternation(n for n in t.names if normal(n) in shared), alternation(t.keywords),
                               alternation(t.exclude)) for t in self.topics.values()]
        return self._matchers

    def tag(self, text: str, date: str | None = None, context: str = "") -> list[str]:
        """The topics a text is about, in the registry's order. `date`: the activity's (ISO; its
        year decides shared names and keywords); `context`: what the text stands under (its item's
        heading), read the same way."""
        year = int(date[:4]) if date and date[:4].isdigit() else None
        plain = normal(f"{context}\n{text}" if context else text)
        out = []
        for topic, own, shared, keywords, exclude in self.matchers():
            mine = exclude.sub(lambda m: BLANK * len(m.group()), plain) if exclude else plain
            if own and own.search(mine) or topic.holds(year) and year is not None and shared and shared.search(mine) \
                    or topic.holds(year) and keywords and keywords.search(mine):
                out.append(topic.name)
        return out


def topic_from(data: dict) -> Topic:
    years = data.get("years")
    return Topic(data["name"], list(data.get("aliases") or []), list(data.get("keywords") or []),
                 list(data.get("exclude") or []), (int(years[0]), int(years[1])) if years else None)


@lru_cache(maxsize=1)
def shipped() -> TopicRegistry:
    """The shipped vocabulary (data/topics.json), read once: callers take copies."""
    raw = resources.files("archive").joinpath("data/topics.json").read_text(encoding="utf-8")
    return TopicRegistry([topic_from(t) for t in json.loads(raw)["topics"]])


# --- a data folder's changes, replayed in order (store.site_topics) ------------------------------

TOPIC_OPS = ("topic_add", "topic_alias", "topic_keyword", "topic_exclude", "topic_rename", "topic_merge", "topic_remove")


def apply_topic_op(reg: TopicRegistry, op: str, target: str, after: str | None, anchor: dict) -> None:
    """One recorded change, applied to the registry (a change whose topic is gone meanwhile does nothing)."""
    name = reg.canonical_name(target) if op != "topic_add" else target
    topic = reg.topics.get(name) if name else None
    if op == "topic_add":
        if target not in reg.topics:
            years = anchor.get("years")
            reg.topics[target] = Topic(target, list(anchor.get("aliases", [])), list(anchor.get("keywords", [])),
                                       [], tuple(years) if years else None)
    elif topic is None:
        return
    elif op == "topic_alias" and after:
        topic.aliases.append(after) if after not in topic.names else None
    elif op == "topic_keyword" and after:
        topic.keywords.append(after) if after not in topic.keywords else None
    elif op == "topic_exclude" and after:
        topic.exclude.append(after) if after not in topic.exclude else None
    elif op == "topic_rename" and after:
        renamed = {(after if k == topic.name else k): v for k, v in reg.topics.items()}
        topic.aliases = [a for a in [topic.name, *topic.aliases] if a != after]
        topic.name = after
        reg.topics = renamed
    elif op == "topic_merge" and after:
        into = reg.topics.get(reg.canonical_name(after) or "")
        if into is None or into is topic:
            return
        into.aliases += [n for n in topic.names if n not in into.names]
        into.keywords += [k for k in topic.keywords if k not in into.keywords]
        into.exclude += [x for x in topic.exclude if x not in into.exclude]
        into.years = None if into.years is None or topic.years is None else \
            (min(into.years[0], topic.years[0]), max(into.years[1], topic.years[1]))
        del reg.topics[topic.name]
    elif op == "topic_remove":
        del reg.topics[topic.name]
    reg.changed()
