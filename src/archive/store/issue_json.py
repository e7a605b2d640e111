"""An Issue as the parser made it, kept as JSON (the `parsed` table): what corrections are applied
to each time an issue is written, and what `archive export --original` shows."""
from __future__ import annotations

import json

from ..model import Box, Issue, Item, Review, Section

ISSUE_KEYS = ("publication", "year", "number", "number_end", "special", "total_number", "date", "publisher",
              "collection_period", "distribution", "cc", "email", "pages", "needs_review", "page_methods",
              "page_rotations")
ITEM_KEYS = ("text", "page_start", "page_end", "heading", "source", "author", "units", "confidence", "kind")


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
    issue.reviews = [Review.from_stored(r) for r in data.get("reviews", [])]
    for s in data.get("sections", []):
        section = Section(s.get("title"))
        for it in s.get("items", []):
            item = Item(**{k: it[k] for k in ITEM_KEYS if k in it})
            item.units = list(item.units or [])
            item.boxes = [Box(*b) for b in it.get("boxes", [])]
            section.items.append(item)
        issue.sections.append(section)
    return issue
