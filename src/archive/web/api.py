"""The JSON API, mirroring the pages (and `archive search --json`)."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from . import abort_with
from .browse import int_arg, item_record, request_spec, run_search
from ..store.rows import HIT_FIELDS
from .db import get_db

bp = Blueprint("api", __name__, url_prefix="/api")

API_ITEM_FIELDS = (*HIT_FIELDS, "canonical_units", "citation", "citation_gbt", "boxes")


@bp.get("/search")
def search():
    """?q=&unit=&section=&year=&from=&to=&sort=&limit=&offset= → {"total", "hits"} as the CLI prints;
    with facets=1 also {"facets": {"unit": [[name, n]...], "year": ..., "section": ...}}."""
    spec = request_spec()
    limit = int_arg("limit", 20, 1, 1000)
    offset = int_arg("offset", 0, 0, 10**6)
    want_facets = request.args.get("facets", "") in ("1", "true", "yes")
    result, fac = run_search(spec, limit, offset, with_facets=want_facets)
    out = result.as_json()
    if want_facets:
        out["facets"] = fac
    return out


@bp.get("/items/<item_id>")
def item(item_id: str):
    new = get_db().now_at(item_id) if get_db().item(item_id) is None else None
    if new:  # a corrected year or number, or a merge, moved it
        return redirect(url_for("api.item", item_id=new), code=301)
    rec = item_record(item_id)
    return {k: rec[k] for k in API_ITEM_FIELDS}


@bp.get("/issues/<issue_id>")
def issue(issue_id: str):
    record = get_db().issue_record(issue_id)
    if record is None:
        new = get_db().now_at(issue_id, "issue")  # a corrected year or number moved it
        if new:
            return redirect(url_for("api.issue", issue_id=new), code=301)
        abort_with(404, f"没有期刊 {issue_id}")
    return record


@bp.get("/units")
def units():
    return [{"unit": u, "items": n} for u, n in get_db().unit_counts()]
