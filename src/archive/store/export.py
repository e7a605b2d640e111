"""The export contract: every issue's record, sorted by id (deterministic: no paths, no times)."""
from __future__ import annotations

import json

from .records import Records


def export_records(records: Records) -> list[dict]:
    return [records.issue_record(issue_id) for issue_id in records.issue_ids()]


def export_json(records: Records) -> str:
    return json.dumps(export_records(records), ensure_ascii=False, indent=1)


def original_record(records: Records, issue_id: str, registry=None) -> dict | None:
    """An issue as its parser made it, before any correction, in the export's shape (ids as the
    parser gave them)."""
    from .activities import split_activities
    from .records import EXPORT_ACTIVITY_FIELDS, ISSUE_FIELDS
    key = records.issue_key(issue_id)
    issue = records.parsed_issue(key) if key else None
    if issue is None:
        return None
    canonical = registry.canonical_name if registry is not None else (lambda u: u)
    record = {"id": key, **{f: getattr(issue, f) for f in ISSUE_FIELDS}, "pages": issue.pages,
              "needs_review": bool(issue.needs_review), "sections": []}
    n = 0
    for section in issue.sections:
        items = []
        for it in section.items:
            n += 1
            mentions = [(u, canonical(u)) for u in it.units]
            boxes = [b.as_list() for b in it.boxes]
            acts = [dict(zip(EXPORT_ACTIVITY_FIELDS, (list(a.units), a.text_of(it.text), a.page_start, a.page_end)))
                    for a in split_activities(it.text, mentions, it.kind, boxes, it.page_start, it.page_end)]
            items.append({"id": f"{key}-{n:03d}", "kind": it.kind, "heading": it.heading, "text": it.text,
                          "source": it.source, "author": it.author, "units": list(it.units),
                          "page_start": it.page_start, "page_end": it.page_end, "activities": acts})
        record["sections"].append({"title": section.title, "items": items})
    return record


def export_original_json(records: Records, registry=None) -> str:
    """Every issue's parser's record (`archive export --original`), sorted by id."""
    out = [original_record(records, issue_id, registry) for issue_id in records.issue_ids()]
    return json.dumps(sorted(out, key=lambda r: r["id"]), ensure_ascii=False, indent=1)
