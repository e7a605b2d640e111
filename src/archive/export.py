"""Export: the records as the export contract shapes them (deterministic: no paths, no times)."""
from __future__ import annotations

import json
import sqlite3

from . import store


def export_records(conn: sqlite3.Connection) -> list[dict]:
    return [store.issue_record(conn, issue_id) for issue_id in store.issue_ids(conn)]


def export_json(conn: sqlite3.Connection) -> str:
    return json.dumps(export_records(conn), ensure_ascii=False, indent=1)
