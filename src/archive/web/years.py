"""The shelf by year: /years (what each year holds and lacks: numbers held and missing, 合刊,
supplements, 总第N期 breaks, issues still needing review) and /years/<year> (a calendar of the
issues, each missing number marked where it would have fallen). Routes of the browse blueprint."""
from __future__ import annotations

import calendar
from collections import Counter

from flask import render_template

from ..messages import coverage_break_cn
from ..store.coverage import coverage, estimated_dates
from . import abort_with
from .auth import is_editor
from .browse import bp
from .db import get_db


@bp.get("/years")
def years():
    """The years held, and the backlog's coverage of each: numbers present and missing, 合刊,
    supplements, 总第N期 breaks, issues still needing review (store.coverage)."""
    db = get_db()
    cov = coverage(db.coverage_rows(), set(db.reviewed_ids()))
    rows = sorted([(y.year, y) for y in cov.years] + [(y, None) for y in cov.empty_years], key=lambda r: r[0])
    return render_template("years.html", cov=cov, rows=rows, break_cn=coverage_break_cn,
                           pending=pending_by_year(db) if is_editor() else None)


def pending_by_year(db) -> Counter:
    """For editors: how many entries of the review queue concern each year's issues (None: those of
    no year, such as units the registry lacks): the same entries /review?year= lists."""
    from ..store.review import review_queue
    from ..store.site_units import site_registry
    year_of = {r["id"]: r["year"] for r in db.coverage_rows()}
    return Counter(year_of.get(e.get("issue")) for e in review_queue(db, site_registry(db)))


@bp.get("/years/<int:year>")
def year(year: int):
    db = get_db()
    if not 1 <= year <= 9999:  # SQLite's integers end at 2**63; calendars at 9999
        abort_with(404, f"没有 {year} 年的期刊")
    issues = db.issues_of_year(year)
    if not issues:
        abort_with(404, f"没有 {year} 年的期刊")
    by_day: dict[str, list] = {}
    for r in issues:
        if r["date"]:
            by_day.setdefault(r["date"][:10], []).append(r)
    cal = calendar.Calendar(firstweekday=0)
    months = []
    for m in range(1, 13):
        weeks = [[(d, by_day.get(f"{year}-{m:02d}-{d:02d}", []) if d else []) for d in week]
                 for week in cal.monthdayscalendar(year, m)]
        count = sum(len(v) for k, v in by_day.items() if k.startswith(f"{year}-{m:02d}"))
        months.append({"month": m, "weeks": weeks, "count": count})
    undated = [r for r in issues if not r["date"]]
    all_years = [r["year"] for r in db.years()]
    rows = db.coverage_rows()
    held = next((y for y in coverage(rows).years if y.year == year), None)
    missing = held.missing if held else []
    when = estimated_dates(rows, year, missing)
    for m in months:
        m["missing"] = [n for n in missing if when[n] and when[n].month == m["month"]]
        m["missing_days"] = {when[n].day: n for n in m["missing"]}
    return render_template("year.html", year=year, issues=issues, months=months, undated=undated,
                           all_years=all_years, missing=missing, unplaced=[n for n in missing if not when[n]],
                           breaks=held.breaks if held else [], break_cn=coverage_break_cn)
