"""The review queue: what needs a person's eye, most urgent first, each with its reason.

    stale_correction  a correction that no longer applies (its anchor is gone after a reparse or
                      a replacement): an editor's work waiting
    needs_review      an issue the importer flagged (records.reviews), until an editor marks it reviewed
    low_confidence    an item OCR read with little confidence
    suspicious        an item very short, very long, or running over a section title
    new_unit          a unit found by discovery that the registry lacks (its items, example sentences)

Pure logic over the records' reads (store/review_records.py); the web (/review) and the CLI (archive review) only word it."""
from __future__ import annotations

import re

from ..model import LOW_CONFIDENCE
from .corrections import squash

SHORT, LONG = 6, 4000  # characters (white space left out) of a suspicious paragraph
MIN_TITLE = 4  # a section title this long inside another item's text is a paragraph run over it
EXAMPLES = 2
KINDS = ("stale_correction", "needs_review", "low_confidence", "suspicious", "new_unit")


def sentence_with(text: str, name: str, width: int = 60) -> str:
    at = text.find(name)
    if at < 0:
        return text[:width]
    start = max(0, max(text.rfind(c, 0, at) for c in "。！？；") + 1)
    end = min([p for p in (text.find(c, at) for c in "。！？；") if p >= 0] + [len(text) - 1]) + 1
    s = text[start:end].strip()
    return s if len(s) <= width else s[:width] + "…"


def review_queue(records, registry=None) -> list[dict]:
    """Entries {"kind", "reason", "issue", "item", "detail", "count", "examples", ...}."""
    reviewed = records.reviewed_ids()
    out: list[dict] = []
    for c in records.stale_corrections():
        out.append({"kind": "stale_correction", "reason": "no_longer_applies", "issue": records.issue_of_key(c["issue_key"]),
                    "item": c["applied_to"] or c["target"], "correction": c["id"], "op": c["op"], "field": c["field"],
                    "detail": c["after"] or c["before"] or "", "who": c["who"], "at": c["at"]})
    for issue_id in records.flagged_issues():
        if issue_id in reviewed:
            continue
        out.append({"kind": "needs_review", "reason": "flagged", "issue": issue_id, "item": None,
                    "reviews": [v.as_dict() for v in records.reviews(issue_id)]})
    corrected = records.text_corrected_items()
    titles: dict[str, list[str]] = {}
    for issue_id, title in records.section_titles_by_issue():
        if len(squash(title)) >= MIN_TITLE:
            titles.setdefault(issue_id, []).append(squash(title))
    low, odd = [], []
    for r in records.items_for_review():
        if r["issue"] in reviewed or r["id"] in corrected:
            continue
        if r["confidence"] < LOW_CONFIDENCE:
            low.append({"kind": "low_confidence", "reason": "low_confidence", "issue": r["issue"], "item": r["id"],
                        "confidence": round(r["confidence"], 3), "detail": r["text"][:60]})
        text = squash(r["text"])
        reason = None
        if r["kind"] == "paragraph" and len(text) < SHORT:
            reason = "very_short"
        elif len(text) > LONG:
            reason = "very_long"
        else:
            own = squash(r["section"])
            crossed = [t for t in titles.get(r["issue"], []) if t != own and t in text[1:]]
            if crossed:
                reason = "crosses_title"
        if reason:
            odd.append({"kind": "suspicious", "reason": reason, "issue": r["issue"], "item": r["id"],
                        "detail": r["text"][:60], "length": len(text)})
    out += sorted(low, key=lambda e: e["confidence"]) + odd
    if registry is not None:
        out += new_units(records, registry)
    return out


def new_units(records, registry) -> list[dict]:
    """Units tagged on items that the registry does not know, most named first."""
    found: dict[str, dict] = {}
    for canon, unit, item_id, text in records.unit_mentions():
        if canon in registry.canonical or unit in registry.canonical or canon in registry.ignored:
            continue
        e = found.setdefault(canon, {"kind": "new_unit", "reason": "not_in_registry", "unit": canon, "issue": None,
                                     "item": item_id, "items": set(), "examples": []})
        e["items"].add(item_id)
        if len(e["examples"]) < EXAMPLES and re.search(re.escape(unit), text):
            e["examples"].append({"item": item_id, "text": sentence_with(text, unit)})
    out = []
    for e in found.values():
        e["count"] = len(e.pop("items"))
        out.append(e)
    return sorted(out, key=lambda e: (-e["count"], e["unit"]))
