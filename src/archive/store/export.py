"""The export contract: every issue's record, sorted by id (deterministic: no paths, no times), as
corrected (the records) or as its parser made it (the `parsed` table): one shape, rows.export_shape."""
from __future__ import annotations

import json

from .activities import split_activities
from .event_dates import activity_date
from .records import Records
from .site_topics import site_topics
from .rows import export_shape


def export_records(records: Records) -> list[dict]:
    return [records.issue_record(issue_id) for issue_id in records.issue_ids()]


def export_json(records: Records) -> str:
    return json.dumps(export_records(records), ensure_ascii=False, indent=1)


def original_record(records: Records, issue_id: str, registry=None) -> dict | None:
    """An issue as its parser made it, before any correction, in the export's shape (ids as the
    parser gave them)."""
    key = records.issue_key(issue_id)
    issue = records.parsed_issue(key) if key else None
    if issue is None:
        return None
    canonical = registry.canonical_name if registry is not None else (lambda u: u)
    meta = {**vars(issue), "needs_review": issue.needs_review}
    topics = site_topics(records)
    sections, n = [], 0
    for section in issue.sections:
        items = []
        for it in section.items:
            n += 1
            mentions = [(u, canonical(u)) for u in it.units]
            boxes = [b.as_list() for b in it.boxes]
            acts = []
            for a in split_activities(it.text, mentions, it.kind, boxes, it.page_start, it.page_end,
                                      it.line_starts):
                date, source = activity_date(it.text, a.start, a.end, issue.date, issue.year)
                acts.append({"units": list(a.units), "text": a.text_of(it.text), "date": date, "date_source": source,
                             "topics": topics.tag(it.text[a.start:a.end], date, it.heading or ""),
                             "page_start": a.page_start, "page_end": a.page_end})
            items.append({**vars(it), "id": f"{key}-{n:03d}", "units": list(it.units), "activities": acts})
        sections.append((section.title, items))
    return export_shape(key, meta, sections)


def export_original_json(records: Records, registry=None) -> str:
    """Every issue's parser's record (`archive export --original`), sorted by id."""
    out = [original_record(records, issue_id, registry) for issue_id in records.issue_ids()]
    return json.dumps(sorted(out, key=lambda r: r["id"]), ensure_ascii=False, indent=1)
