"""Corrections applied to the parser's record: pure functions, no SQL.

The parser's Issue is never changed in the database; each time an issue is written (an import, a
replacement, a reparse, a correction, a revert) its corrections are applied, oldest first, to a
copy of it. A correction finds the item it changed by its anchor (the item's text when it was
made, and where the item sat), not by its id, so it still applies when the parser's output
moved; where its anchor is no longer found it is kept with state "stale" (no longer applies)."""
from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field

from ..model import Issue, Item, Section

ITEM_EDIT_FIELDS = ("text", "heading", "section", "kind", "author", "source")
ISSUE_EDIT_FIELDS = ("publication", "year", "number", "number_end", "special", "date", "publisher")
ISSUE_INT_FIELDS = ("year", "number", "number_end")
ITEM_KINDS = ("paragraph", "caption", "table")
ITEM_OPS = ("set", "add_unit", "remove_unit", "split", "merge", "hide")
MAX_UNIT = 40  # characters of a unit's name
MAX_TEXT = 100_000
FUZZY = 0.8  # how alike an item's text must be to its anchor for an edit that does not change the text

APPLIED, STALE, REVERTED = "applied", "stale", "reverted"


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def fingerprint(text: str | None) -> str:
    return hashlib.sha1(squash(text).encode("utf-8")).hexdigest()[:16]


def issue_version(issue) -> str:
    """A stamp of an issue's metadata as an editor's form shows it (compared on save: 409 if changed)."""
    seen = [issue[k] for k in ISSUE_EDIT_FIELDS]
    return hashlib.sha1(json.dumps(seen, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


def item_version(item: dict) -> str:
    """A stamp of what an editor sees of an item: sent with a form, compared on save (409 if changed)."""
    seen = [item.get(k) for k in ITEM_EDIT_FIELDS] + [list(item.get("units") or [])]
    return hashlib.sha1(json.dumps(seen, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


@dataclass
class Entry:
    """One item of an issue while corrections are applied: its id's suffix (003, 003-2), section."""
    suffix: str
    key: object  # which section it belongs to (consecutive entries with one key are one section)
    title: str | None
    item: Item | None  # None: an empty section kept in place
    hidden: bool = False


@dataclass
class Outcome:
    state: str  # applied | stale
    suffix: str | None = None  # the item it applied to (None for an issue's field)


@dataclass
class Applied:
    issue: Issue
    suffixes: list[str]  # the id suffix of each item written, in order
    hidden: list[str] = field(default_factory=list)
    outcomes: dict[int, Outcome] = field(default_factory=dict)  # correction id → what became of it


def flatten(issue: Issue) -> list[Entry]:
    entries, n = [], 0
    for k, section in enumerate(issue.sections):
        if not section.items:
            entries.append(Entry("", k, section.title, None))
        for item in section.items:
            n += 1
            entries.append(Entry(f"{n:03d}", k, section.title, item))
    return entries


def rebuild(issue: Issue, entries: list[Entry]) -> tuple[list[Section], list[str]]:
    sections: list[Section] = []
    suffixes, last = [], object()
    for e in entries:
        if e.hidden:
            continue
        if not sections or e.key != last:
            sections.append(Section(e.title))
            last = e.key
        if e.item is not None:
            sections[-1].items.append(e.item)
            suffixes.append(e.suffix)
    return sections, suffixes


def anchor_for(entries_or_item: dict, suffix: str, next_text: str | None = None) -> dict:
    """What a correction keeps to find its item again: the item's text (whole) and id suffix."""
    out = {"text": entries_or_item.get("text") or "", "suffix": suffix}
    if next_text is not None:
        out["next"] = next_text
    return out


def locate(entries: list[Entry], anchor: dict, fuzzy: bool) -> int | None:
    want = squash(anchor.get("text"))
    items = [(i, e) for i, e in enumerate(entries) if e.item is not None]
    exact = [i for i, e in items if squash(e.item.text) == want]
    if exact:
        same = [i for i in exact if entries[i].suffix == anchor.get("suffix")]
        return same[0] if same else exact[0]
    if not fuzzy or not want:
        return None
    best, score = None, FUZZY
    for i, e in items:
        m = difflib.SequenceMatcher(None, want, squash(e.item.text), autojunk=False)
        if m.real_quick_ratio() < score or m.quick_ratio() < score:
            continue
        r = m.ratio()
        if r > score or (r == score and best is None):
            best, score = i, r
    return best


def split_item(item: Item, at: int) -> tuple[Item, Item]:
    first, second = copy.deepcopy(item), copy.deepcopy(item)
    first.text, second.text = item.text[:at].rstrip(), item.text[at:].lstrip()
    second.heading = None
    share = max(1, min(len(item.boxes) - 1, round(len(item.boxes) * at / max(1, len(item.text))))) \
        if len(item.boxes) > 1 else len(item.boxes)
    first.boxes, second.boxes = item.boxes[:share], item.boxes[share:] or list(item.boxes)
    if first.boxes:
        first.page_end = max(b.page for b in first.boxes)
    if second.boxes:
        second.page_start = min(b.page for b in second.boxes)
    first.units = [u for u in item.units if u in first.text] or ([] if any(u in second.text for u in item.units)
                                                                  else list(item.units))
    second.units = [u for u in item.units if u in second.text and u not in first.units]
    return first, second


def merge_items(a: Item, b: Item) -> Item:
    out = copy.deepcopy(a)
    joint = "" if re.search(r"[\u3000-\u9fff\uff00-\uffef]$", a.text) or not a.text else " "
    out.text = a.text + joint + b.text
    out.units = list(dict.fromkeys(a.units + b.units))
    out.boxes = list(a.boxes) + list(b.boxes)
    out.page_start, out.page_end = min(a.page_start, b.page_start), max(a.page_end, b.page_end)
    out.heading = a.heading or b.heading
    out.source, out.author = a.source or b.source, a.author or b.author
    out.confidence = min(a.confidence, b.confidence)
    return out


def coerce_issue_value(field_name: str, value):
    if value in (None, ""):
        return None
    return int(value) if field_name in ISSUE_INT_FIELDS else str(value)


def apply_one(issue: Issue, entries: list[Entry], c: dict) -> Outcome:
    op, fld, anchor = c["op"], c.get("field"), c.get("anchor") or {}
    if op == "set_issue":
        setattr(issue, fld, coerce_issue_value(fld, c.get("after")))
        return Outcome(APPLIED)
    text_bound = op == "split" or (op == "set" and fld == "text")
    i = locate(entries, anchor, fuzzy=not text_bound)
    if i is None:
        return Outcome(STALE)
    e = entries[i]
    item = e.item
    if op == "set":
        if fld == "section":
            e.title = c.get("after") or None
            near = [x for x in (entries[i - 1] if i else None, entries[i + 1] if i + 1 < len(entries) else None)
                    if x is not None and x.title == e.title]
            e.key = near[0].key if near else ("moved", c["id"])
        elif fld == "text":
            item.text = c.get("after") or ""
        else:
            setattr(item, fld, c.get("after") or (None if fld != "kind" else "paragraph"))
    elif op == "add_unit":
        if c["after"] not in item.units:
            item.units.append(c["after"])
    elif op == "remove_unit":
        item.units = [u for u in item.units if u != c["before"]]
    elif op == "hide":
        e.hidden = True
    elif op == "split":
        spot = json.loads(c["after"])
        at = item.text.find(spot["tail"] + spot["head"])
        if at < 0:
            return Outcome(STALE)
        first, second = split_item(item, at + len(spot["tail"]))
        e.item = first
        n, taken = 2, {x.suffix for x in entries}
        while f"{e.suffix}-{n}" in taken:
            n += 1
        entries.insert(i + 1, Entry(f"{e.suffix}-{n}", e.key, e.title, second))
    elif op == "merge":
        j = next((k for k in range(i + 1, len(entries)) if entries[k].item is not None and not entries[k].hidden), None)
        if j is None or locate([entries[j]], {"text": anchor.get("next", "")}, fuzzy=True) is None:
            return Outcome(STALE)
        e.item = merge_items(item, entries[j].item)
        del entries[j]
    else:
        return Outcome(STALE)
    return Outcome(APPLIED, e.suffix)


def apply_corrections(parsed: Issue, corrections: list[dict], in_place: bool = False) -> Applied:
    """The parser's issue with its corrections (not reverted ones) applied in order, on a copy
    (`in_place`: on `parsed` itself, when the caller holds the only reference to it)."""
    issue = parsed if in_place else copy.deepcopy(parsed)
    entries = flatten(issue)
    outcomes: dict[int, Outcome] = {}
    for c in sorted(corrections, key=lambda c: c["id"]):
        if c["state"] == REVERTED:
            continue
        try:
            outcomes[c["id"]] = apply_one(issue, entries, c)
        except (ValueError, KeyError, TypeError):
            outcomes[c["id"]] = Outcome(STALE)
    issue.sections, suffixes = rebuild(issue, entries)
    hidden = [e.suffix for e in entries if e.hidden and e.item is not None]
    return Applied(issue, suffixes, hidden, outcomes)


def split_spot(text: str, at: int) -> str:
    """What a split keeps to find its place again: the characters either side of it."""
    if not 0 < at < len(text):
        raise ValueError("split point outside the text")
    return json.dumps({"at": at, "tail": text[max(0, at - 12):at], "head": text[at:at + 12]}, ensure_ascii=False)
