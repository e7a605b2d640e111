"""The export contract: every issue's record, sorted by id (deterministic: no paths, no times)."""
from __future__ import annotations

import json

from .records import Records


def export_records(records: Records) -> list[dict]:
    return [records.issue_record(issue_id) for issue_id in records.issue_ids()]


def export_json(records: Records) -> str:
    return json.dumps(export_records(records), ensure_ascii=False, indent=1)
