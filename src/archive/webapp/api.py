"""The JSON API, mirroring the pages (and `archive search --json`)."""
from __future__ import annotations

from flask import Blueprint, request

from .. import store
from . import abort_with, records
from .db import get_db
from .views import int_arg, run_search, search_args

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    """?q=&unit=&section=&year=&from=&to=&sort=&limit=&offset= → {"total", "hits"} as the CLI prints;
    with facets=1 also {"facets": {"unit": [[name, n]...], "year": ..., "section": ...}}."""
    a = search_args()
    limit = int_arg("limit", 20, 1, 1000)
    offset = int_arg("offset", 0, 0, 10**6)
    want_facets = request.args.get("facets", "") in ("1", "true", "yes")
    result, fac = run_search(a, limit, offset, with_facets=want_facets)
    out = result.as_json()
    if want_facets:
        out["facets"] = fac
    return out


@bp.get("/items/<item_id>")
def item(item_id: str):
    rec = records.item(get_db(), item_id)
    if rec is None:
        abort_with(404, f"no item {item_id}")
    rec.pop("seq", None)
    rec.pop("pages", None)
    rec.pop("publisher", None)
    return rec


@bp.get("/issues/<issue_id>")
def issue(issue_id: str):
    record = store.issue_record(get_db(), issue_id)
    if record is None:
        abort_with(404, f"no issue {issue_id}")
    return record


@bp.get("/units")
def units():
    return [{"unit": u, "items": n} for u, n in store.unit_counts(get_db())]
