"""A year's 大事记 on the web: /years/<year>/chronicle (?unit=, ?topic=) and its downloads
/years/<year>/chronicle.docx|xlsx|md — the same document as `archive chronicle` (report.chronicle)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request

from ..errors import ArchiveError, ReportError
from ..messages import error_cn
from ..report import suggested_filename, write_report
from ..report.chronicle import by_month, chronicle_report
from ..report.chronicle_layout import month_label
from ..store.site_topics import site_topics
from . import abort_with
from .db import get_db
from .reports import send_report
from .searching import registry

bp = Blueprint("chronicle", __name__)

FORMATS = (("docx", "Word"), ("xlsx", "Excel"), ("md", "Markdown"))


def filters() -> dict:
    """The page's filters as given (blanks left out)."""
    return {k: request.args.get(k, "").strip() for k in ("unit", "topic") if request.args.get(k, "").strip()}


@bp.get("/years/<int:year>/chronicle")
def chronicle(year: int):
    """The year's entries by month, each with its date, units, text, topics and citations."""
    if not 1900 <= year <= 2100:
        abort_with(404, f"没有 {year} 年的大事记")
    db = get_db()
    topics = site_topics(db)
    args = filters()
    error, rows, meta = None, [], None
    try:
        _, rows, meta = chronicle_report(db, registry(), topics, year, args.get("unit"), args.get("topic"),
                                         generated=dt.datetime.now())
    except ArchiveError as exc:  # an unknown unit or topic: the page again, with why
        error = error_cn(exc)
    years = sorted(set(db.activity_years()) | {year}, reverse=True)
    status = 400 if error else 200
    return render_template("chronicle.html", year=year, months=by_month(rows), n=len(rows), args=args,
                           title=meta.title if meta else f"{year}年大事记", error=error, years=years,
                           topics=list(topics.topics), month_label=month_label, formats=FORMATS), status


@bp.get("/years/<int:year>/chronicle.<fmt>")
def chronicle_download(year: int, fmt: str):
    if fmt not in dict(FORMATS):
        raise ReportError(f"no chronicle format {fmt!r}", "bad_format", format=fmt[:20])
    args = filters()
    db = get_db()
    _, rows, meta = chronicle_report(db, registry(), site_topics(db), year, args.get("unit"), args.get("topic"))
    return send_report(lambda out: write_report(rows, meta, fmt, out), fmt, suggested_filename(meta, fmt))
