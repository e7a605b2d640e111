"""Removing an import, restoring it, purging it (store.removal_records has the SQL and the story).

    remove(records, datadir, "doc-0ef479845673", who="王编辑")   # records and index entries go at once
    restore(records, datadir, "doc-0ef479845673", who="王编辑")  # until purged, it comes back as it was
    purge(records, datadir)                                      # every removed import, for good

Each keeps the index in step (the triggers queue the issue; the index is drained at once), and the
web (web/removing.py) and the CLI (`archive remove`, `restore-removed`, `purge`, `removed`) only
word what they return."""
from __future__ import annotations

from ..errors import NotFound
from ..search.indexer import drain
from ..store import DataDir, Records
from ..store.citation import import_name
from ..store.site_units import site_registry


def remove(records: Records, datadir: DataDir, issue_id: str, who: str, note: str | None = None) -> dict:
    """Remove an issue or document (any id it had): its entry in the removed list."""
    current = records.current_id(issue_id)
    row = records.issue_row(current) if current else None
    if row is None:
        raise NotFound(f"no issue {issue_id}", what=issue_id)
    name = import_name(row)
    label = name + (f"（{row['original_name']}）" if row.get("original_name") and row["original_name"] not in name else "")
    entry = records.remove_issue(current, label, who, (note or "").strip()[:500] or None)
    drain(records, datadir)
    return entry


def restore(records: Records, datadir: DataDir, given: str, who: str) -> str:
    """Bring back a removed issue, as it was (its parse with its corrections applied): its id."""
    entry = records.removed_entry(given)
    if entry is None:
        raise NotFound(f"no removed issue {given}", what=given)
    with records.transaction():
        records.unremove(entry["key"], who)
        new_id, _ = records.write_corrected(entry["key"], site_registry(records), None)
    drain(records, datadir)
    return new_id


def purge(records: Records, datadir: DataDir, given: list[str] | None = None) -> list[dict]:
    """Delete removed issues for good (those given, else all): their parse and corrections, and
    their stored originals where nothing else uses them. One entry each, with `file_deleted`."""
    entries = []
    for g in given or []:
        entry = records.removed_entry(g)
        if entry is None:
            raise NotFound(f"no removed issue {g}", what=g)
        entries.append(entry)
    out = []
    for entry in entries if given else records.removed_issues():
        sha = records.purge_removed(entry["key"])
        if sha:
            datadir.pdf_path(sha).unlink(missing_ok=True)
            for original in datadir.originals(sha):  # a Word/WPS original beside it
                original.unlink(missing_ok=True)
            for cached in [*(datadir.root / "cache" / "pages" / sha[:2]).glob(f"{sha}-*.png"),
                           *(datadir.root / "cache" / "issues" / sha[:2]).glob(f"{sha}-*.pdf")]:  # a volume's issues cut out
                cached.unlink(missing_ok=True)
        out.append({**entry, "file_deleted": bool(sha)})
    return out
