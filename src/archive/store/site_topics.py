"""The site's topic vocabulary: the shipped topics (data/topics.json) with the changes staff made in
this data folder (add, alias, keyword, rename, merge, remove), each recorded in the corrections
table (issue_key '', op topic_*), replayed in order, so a change is reverted like any correction.
`site_topics(records)` is the one accessor, as store.site_units.site_registry is for units."""
from __future__ import annotations

import sqlite3
import threading

from .correction_records import site_changes, site_stamp
from .corrections import MAX_UNIT
from .topics import TopicRegistry, apply_topic_op, shipped

_site: dict[str, tuple[tuple, TopicRegistry]] = {}  # database → (stamp, the vocabulary it gave)
_site_lock = threading.Lock()


def replayed(changes: list[dict]) -> TopicRegistry:
    reg = shipped().copy()
    for change in changes:
        apply_topic_op(reg, change["op"], change["target"], change["after"], change["anchor"])
    return reg


def site_topics(records) -> TopicRegistry:
    """This data folder's topics, made again only when a change was made or reverted since (from
    any process: the stamp is read each time). A copy of its own for the caller."""
    return topics_of(records.conn)


def topics_of(conn: sqlite3.Connection) -> TopicRegistry:
    """The same, from a connection (what a schema step's backfill has)."""
    stamp = site_stamp(conn, "topic")
    key = conn.execute("PRAGMA database_list").fetchone()[2]
    with _site_lock:
        cached = _site.get(key)
    if cached is None or cached[0] != stamp:
        cached = (stamp, replayed(site_changes(conn, "topic")))
        with _site_lock:
            _site[key] = cached
    return cached[1].copy()


def forget_site_topics() -> None:
    """Drop the cached vocabularies (a transaction that changed one was rolled back)."""
    with _site_lock:
        _site.clear()


def check_topic_name(name: str | None) -> str:
    from ..errors import BadEdit
    name = (name or "").strip()
    if not name:
        raise BadEdit("a topic's name cannot be empty", "empty_topic")
    if len(name) > MAX_UNIT or any(c in name for c in "\n\r\t"):
        raise BadEdit(f"a topic's name or keyword is at most {MAX_UNIT} characters, on one line", "long_topic",
                      limit=MAX_UNIT)
    return name
