"""Rows → records, in one place: the one join of an item with its section and issue, and the one
converter for each kind of record (an item, an activity, an issue's metadata, the parser's Issue
kept as JSON). Every repository of `Records` reads through these; views get plain dicts, never
sqlite3 Rows."""
from __future__ import annotations

import hashlib
import json
import sqlite3

from ..model import ISSUE_FIELDS, Box, Issue, Item, Review, Section
from .activities import Activity

# The one join of an item with its issue and section (an activity joins its item to it).
ITEM_JOIN = ("JOIN issues iss ON iss.id = i.issue_id"
             " LEFT JOIN sections s ON s.issue_id = i.issue_id AND s.seq = i.section_seq")
ITEM_COLUMNS = ("i.id, i.issue_id, i.section_seq, i.seq, i.heading, i.text, i.source, i.author, i.page_start,"
                " i.page_end, i.boxes, i.confidence, i.kind, i.version, i.line_starts, s.title AS section,"
                " iss.publication, iss.year, iss.number, iss.number_end, iss.special, iss.total_number, iss.date,"
                " iss.publisher, iss.pages, iss.collection, iss.title AS doc_title, iss.original_name")
ITEM_SQL = f"SELECT {ITEM_COLUMNS} FROM items i {ITEM_JOIN}"
ACTIVITY_FROM = f"FROM activities a JOIN items i ON i.id = a.item_id {ITEM_JOIN}"
ACTIVITY_SQL = (f"SELECT a.seq AS a_seq, a.canonical AS a_canonical, a.start AS a_start, a.end AS a_end,"
                f" a.page_start AS a_page_start, a.page_end AS a_page_end, a.units AS a_units, a.date AS a_date,"
                f" a.date_source AS a_date_source, {ITEM_COLUMNS}"
                f" {ACTIVITY_FROM}")

# What a search hit shows of an item, in this order (`archive search --json`, /api/search, /api/items).
HIT_FIELDS = ("id", "issue", "publication", "year", "number", "number_end", "special", "total_number", "date",
              "section", "heading", "kind", "text", "units", "author", "source", "page_start", "page_end",
              "collection", "doc_title")
# The collections an issue belongs to: the bulletin (its masthead was read), or the other documents
# imported with it (no masthead: cited by their own title, kept apart from the units' pages).
BULLETIN, OTHER = "bulletin", "other"
COLLECTIONS = (BULLETIN, OTHER)
# What the export contract shows of an item, and of each of its activities, in this order.
EXPORT_ITEM_FIELDS = ("id", "kind", "heading", "text", "source", "author", "units", "page_start", "page_end")
EXPORT_ACTIVITY_FIELDS = ("units", "text", "date", "date_source", "topics", "page_start", "page_end")
# The issue and item fields an activity carries (for its citation and report row).
ACTIVITY_CONTEXT = ("issue", "publication", "year", "number", "number_end", "special", "total_number",
                    "publisher", "section", "heading", "kind", "author", "source", "collection", "doc_title",
                    "original_name")


def parse_boxes(raw: str | None) -> list[list[float]]:
    try:
        boxes = json.loads(raw or "[]")
    except ValueError:
        return []
    return [b for b in boxes if isinstance(b, list) and len(b) == 5]


def parse_starts(raw: str | None, lines: int) -> list[int]:
    """Each line's offset in the item's text, as stored; [] when not stored (an item written
    before they were) or not one per line."""
    try:
        starts = json.loads(raw or "[]")
    except ValueError:
        return []
    ok = isinstance(starts, list) and len(starts) == lines and all(isinstance(v, int) for v in starts)
    return starts if ok else []


def reviews_of(raw: str | None) -> list[Review]:
    try:
        return [Review.from_stored(v) for v in json.loads(raw or "[]")]
    except (ValueError, TypeError, AttributeError):
        return []


def item_record(r: sqlite3.Row, units: list[tuple[str, str]]) -> dict:
    """An item row of ITEM_SQL and its (printed, canonical) units → the item as every view knows it."""
    return {"id": r["id"], "issue": r["issue_id"], "publication": r["publication"], "year": r["year"],
            "number": r["number"], "number_end": r["number_end"], "special": r["special"],
            "total_number": r["total_number"], "kind": r["kind"], "date": r["date"], "section": r["section"],
            "heading": r["heading"], "text": r["text"], "units": [u for u, _ in units],
            "canonical_units": list(dict.fromkeys(c for _, c in units)), "unit_links": list(units),
            "author": r["author"],
            "source": r["source"], "page_start": r["page_start"], "page_end": r["page_end"],
            "publisher": r["publisher"], "boxes": (boxes := parse_boxes(r["boxes"])), "confidence": r["confidence"],
            "seq": r["seq"], "section_seq": r["section_seq"], "pages": r["pages"], "version": r["version"],
            "line_starts": parse_starts(r["line_starts"], len(boxes)), "collection": r["collection"] or BULLETIN,
            "doc_title": r["doc_title"], "original_name": r["original_name"]}


def activity_record(r: sqlite3.Row, topics: list[str] | None = None) -> dict:
    """An ACTIVITY_SQL row → an activity: its units, its sentence(s) of the item's text and their
    pages, its own date ("date", with "date_source": text or issue; the issue's is "issue_date")
    and topics, with the item's and issue's fields for its citation."""
    item = item_record(r, [])
    start, end = r["a_start"], r["a_end"]
    return {"item": item["id"], "seq": r["a_seq"], "units": json.loads(r["a_units"]), "canonical": [r["a_canonical"]],
            "text": Activity((), start, end, 0, 0).text_of(item["text"]), "start": start, "end": end,
            "date": r["a_date"], "date_source": r["a_date_source"], "issue_date": item["date"],
            "topics": list(topics or []),
            "page_start": r["a_page_start"], "page_end": r["a_page_end"], "item_text": item["text"],
            **{k: item[k] for k in ACTIVITY_CONTEXT}}


def issue_fields(r: sqlite3.Row) -> dict:
    """An issues row → its fields as a dict (with needs_review a bool and its reviews parsed)."""
    out = dict(r)
    if "source_first" in out:  # an issue of a bound volume: where it lies in its file
        first, last = out.pop("source_first"), out.pop("source_last", None)
        out["source_pages"] = [first, last] if first is not None else None
    if "needs_review" in out:
        out["needs_review"] = bool(out["needs_review"])
    if "review_reasons" in out:
        out["reviews"] = reviews_of(out.pop("review_reasons"))
    return out


def content_version(item: Item | dict, section: str | None, canonical: list[str], year, date,
                    collection: str = BULLETIN) -> str:
    """What the search index holds of an item, as a short hash: stored with the item and with its
    index document, so `archive check` can tell an index document that is behind its record."""
    get = item.get if isinstance(item, dict) else (lambda k: getattr(item, k))
    what = [get("text"), get("heading"), section, get("author"), sorted(set(canonical)), year, date]
    if collection != BULLETIN:
        what.append(collection)
    return hashlib.sha1(json.dumps(what, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


# --- the export contract: one shape, from the records or from the parser's Issue --------------------

def export_shape(issue_id: str, meta: dict, sections: list[tuple[str | None, list[dict]]]) -> dict:
    """An issue as the export contract shapes it: `meta` has ISSUE_FIELDS, pages, needs_review;
    each item dict has EXPORT_ITEM_FIELDS and `activities` (dicts with EXPORT_ACTIVITY_FIELDS)."""
    source = meta.get("source_pages")
    return {"id": issue_id, **{f: meta.get(f) for f in ISSUE_FIELDS}, "pages": meta["pages"],
            "source_pages": list(source) if source else None, "needs_review": bool(meta["needs_review"]),
            "sections": [{"title": title, "items": [{**{k: it[k] for k in EXPORT_ITEM_FIELDS},
                                                      "activities": [{k: a[k] for k in EXPORT_ACTIVITY_FIELDS}
                                                                     for a in it["activities"]]}
                                                     for it in items]}
                         for title, items in sections]}


# --- the parser's Issue, kept as JSON (the `parsed` table) ------------------------------------------

ISSUE_KEYS = (*ISSUE_FIELDS, "pages", "source_pages", "needs_review", "page_methods", "page_rotations", "title",
              "page_geometry")
ITEM_KEYS = ("text", "page_start", "page_end", "heading", "source", "author", "units", "confidence", "kind",
             "line_starts")


def issue_to_json(issue: Issue) -> str:
    out = {k: getattr(issue, k) for k in ISSUE_KEYS}
    out["reviews"] = [r.as_dict() for r in issue.reviews]
    out["sections"] = [{"title": s.title, "items": [{**{k: getattr(it, k) for k in ITEM_KEYS},
                                                     "boxes": [b.as_list() for b in it.boxes]}
                                                    for it in s.items]} for s in issue.sections]
    return json.dumps(out, ensure_ascii=False)


def issue_from_json(raw: str) -> Issue:
    data = json.loads(raw)
    issue = Issue(**{k: data.get(k) for k in ISSUE_KEYS if k in data})
    issue.page_methods = list(data.get("page_methods") or [])
    issue.page_rotations = list(data.get("page_rotations") or [])
    issue.page_geometry = list(data.get("page_geometry") or [])
    issue.source_pages = tuple(data["source_pages"]) if data.get("source_pages") else None
    issue.reviews = [Review.from_stored(r) for r in data.get("reviews", [])]
    for s in data.get("sections", []):
        section = Section(s.get("title"))
        for it in s.get("items", []):
            section.items.append(item_from_dict(it, it.get("boxes", [])))
        issue.sections.append(section)
    return issue


def item_from_dict(it: dict, boxes: list) -> Item:
    """An item's stored fields (the parsed JSON, or an item record) → the model's Item."""
    item = Item(**{k: it[k] for k in ITEM_KEYS if k in it})
    item.units = list(item.units or [])
    item.boxes = [Box(*b) for b in boxes if len(b) == 5]
    item.line_starts = list(item.line_starts or []) if len(item.line_starts or []) == len(item.boxes) else []
    return item


def issue_from_records(meta: dict, titles: list[tuple[int, str | None]], items: list[dict],
                       pages: list[tuple[str, int]], geometry: list | None = None) -> Issue:
    """An issue as its records hold it (issue fields, section titles by seq, item records, each
    page's method and rotation, a photographed page's geometry) → the model's Issue."""
    issue = Issue(**{k: meta[k] for k in ISSUE_FIELDS}, pages=meta["pages"], needs_review=bool(meta["needs_review"]),
                  reviews=list(meta.get("reviews") or []), title=meta.get("title"),
                  source_pages=tuple(meta["source_pages"]) if meta.get("source_pages") else None)
    issue.page_methods, issue.page_rotations = [p[0] for p in pages], [p[1] for p in pages]
    issue.page_geometry = list(geometry or [])
    by_seq = {}
    for seq, title in titles:
        by_seq[seq] = Section(title)
        issue.sections.append(by_seq[seq])
    for it in items:
        by_seq[it["section_seq"]].items.append(item_from_dict(it, it["boxes"]))
    return issue
