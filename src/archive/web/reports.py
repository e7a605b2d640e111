"""Reports to download: a search's results (/report.docx?q=…&unit=…, the search page's own
parameters; &activities=1 for one row per unit activity), a unit's activities
(/units/<name>/report.xlsx?from=…&to=…) and the units × years table (/reports/units-by-year.xlsx).

The same documents as `archive report` and `archive units --by-year` (archive.report.build). A
report is written to a spooled temporary file (on disk past 8 MB) and then sent; the rows are read
from the records as it is written, never all at once. A search of more than MAX_ROWS results is
refused with a message (narrow it, or use the command line)."""
from __future__ import annotations

from tempfile import SpooledTemporaryFile

from flask import Blueprint, current_app, request, send_file

from ..report import FORMATS, MIME, suggested_filename, write_report
from ..report.meta import LAYOUTS
from ..errors import ReportError
from ..report.build import ReportSpec, search_report, unit_report
from ..report.tables import TABLE_FORMATS, units_table, write_units_table
from ..search.spec import SearchSpec
from .db import get_db
from .pointing import unit_collection
from .searching import registry, searcher

bp = Blueprint("reports", __name__)

MAX_ROWS = 20_000  # a web report (DOCX: ~20 s, ~400 MB of lxml tree at this size)
SPOOL_BYTES = 8 * 2**20


def report_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ReportError(f"no report format {fmt!r}", "bad_format", format=fmt[:20])
    return fmt


def report_layout() -> str:
    """?layout=table: one table (序号 期号 日期 单位 内容 页码) instead of a heading per row."""
    layout = request.args.get("layout") or "list"
    if layout not in LAYOUTS:
        raise ReportError(f"no report layout {layout!r}", "bad_format", format=layout[:20])
    return layout


def send_report(write, fmt: str, name: str):
    out = SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")
    write(out)
    out.seek(0)
    response = send_file(out, mimetype=MIME.get(fmt, "application/octet-stream").split(";")[0], as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "no-store"  # a report is of the records as they are now
    return response


def check_size(total: int) -> None:
    limit = current_app.config.get("REPORT_MAX_ROWS", MAX_ROWS)
    if total > limit:
        raise ReportError(f"{total} results; a web report holds at most {limit}", "report_too_large", count=total,
                          limit=limit)


@bp.get("/report.<fmt>")
def search_download(fmt: str):
    """The search page's results as a report."""
    fmt = report_format(fmt)
    spec = ReportSpec(SearchSpec.from_args(request.args), request.args.get("activities") in ("1", "on", "true"),
                      report_layout(), request.args.get("whole") in ("1", "on", "true"))
    if not spec.search.asks_anything:
        raise ReportError("no search given", "empty_query")
    with searcher() as s:
        total, rows, meta = search_report(s, spec)
        check_size(total)
        return send_report(lambda out: write_report(rows, meta, fmt, out), fmt, suggested_filename(meta, fmt))


@bp.get("/units/<path:name>/report.<fmt>")
def unit_download(name: str, fmt: str):
    """A unit's activities (within ?from= and ?to=; in the bulletin, or ?collection=other|all) as a report."""
    fmt = report_format(fmt)
    from ..store.site_topics import site_topics
    total, rows, meta = unit_report(get_db(), registry(), name, request.args.get("from") or None,
                                    request.args.get("to") or None, collection=unit_collection(), layout=report_layout(),
                                    topic=request.args.get("topic") or None, topics=site_topics(get_db()))
    check_size(total)
    return send_report(lambda out: write_report(rows, meta, fmt, out), fmt, suggested_filename(meta, fmt))


@bp.get("/reports/units-by-year.<fmt>")
def units_by_year(fmt: str):
    if fmt not in TABLE_FORMATS:
        raise ReportError(f"no table format {fmt!r}", "bad_format", format=fmt[:20])
    table = units_table(get_db().units_by_year())
    return send_report(lambda out: write_units_table(table, fmt, out), fmt, f"单位年度活动统计.{fmt}")
