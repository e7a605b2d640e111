"""The pages (permalinks): search, item, issue, page image and page view, units (the years: web/years.py)."""
from __future__ import annotations

import io
import math
from collections import Counter
from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, render_template, request, send_file, url_for
from markupsafe import Markup

from ..errors import ArchiveError, QueryError
from ..messages import error_cn, review_cn
from ..report.build import check_dates
from ..report.searchable_pdf import is_ocr_issue
from ..report.tables import units_table
from ..search.facets import facets
from ..search.query import parse
from ..search.searcher import highlight_terms, title_match
from ..search.spec import URL_KEYS, SearchSpec
from ..store.citation import for_hit
from ..store.rows import BULLETIN
from . import abort_with, pageimages
from .auth import history_shown
from .charts import months_chart, year_bars, years_chart
from .db import datadir, get_db
from .auth import is_editor
from .pointing import (focus_citation, mark_boxes, registered, request_focus, unit_collection, unit_counts_seen,
                       word_boxes)
from .searching import registry, searcher
from .templating import SEARCH_KEYS, mark

bp = Blueprint("browse", __name__)

UNIT_PAGE_SIZE = 50


def query_terms(q: str) -> list[str]:
    """What to mark for a query typed on a page (QueryError → 400)."""
    return highlight_terms(parse(q), registry()) if q else []


def int_arg(name: str, default: int, lo: int = 1, hi: int = 10**6) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        abort_with(400, f"参数 {name} 应为整数，而不是“{raw[:40]}”")
    if not lo <= value <= hi:
        abort_with(400, f"参数 {name} 应在 {lo} 到 {hi} 之间")
    return value


def request_spec() -> SearchSpec:
    """The request's search (the same parameter names on the page and in the API); the Searcher
    validates it."""
    return SearchSpec.from_args(request.args)


def form_values(spec: SearchSpec) -> dict:
    """The search form's fields, by their URL names ("" where empty; syn "0" when synonyms are off)."""
    return {key: (getattr(spec, f) or "") if f != "synonyms" else ("" if spec.synonyms else "0")
            for f, key in URL_KEYS.items()}


def run_search(spec: SearchSpec, limit: int, offset: int, with_facets: bool = False):
    with searcher() as s, s.remembering():  # the counts reuse what the search verified
        result = s.search(spec, limit=limit, offset=offset)
        return result, (facets(s, spec) if with_facets else None)


def without_empty_fields():
    """The search URL without the empty fields a form sends (&from=&to=&sort=), or None when it has
    none: links that are shared stay short (app.js leaves them out before sending, too)."""
    keys = SEARCH_KEYS + ("page",)
    if not any(k in request.args and not request.args[k].strip() for k in keys):
        return None
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in keys or v.strip()]
    return url_for("browse.search") + ("?" + urlencode(args) if args else "")


@bp.get("/")
def search():
    clean = without_empty_fields()
    if clean is not None:
        return redirect(clean, code=302)
    spec = request_spec()
    a = form_values(spec)
    page = int_arg("page", 1, 1, 10000)
    size = current_app.config["PAGE_SIZE"]
    db = get_db()
    if not spec.asks_anything:
        return render_template("search.html", a=a, result=None, facets=None, recent=db.recent_issues(),
                               years=db.years(), units=unit_counts_seen()[:24])
    try:
        result, fac = run_search(spec, size, (page - 1) * size, with_facets=True)
    except QueryError as exc:
        return render_template("search.html", a=a, result=None, facets=None, error=error_cn(exc)), 400
    pages_total = max(1, math.ceil((result.total + result.title_total) / size))
    return render_template("search.html", a=a, result=result, facets=fac, page=page, pages_total=pages_total,
                           size=size)


def item_record(item_id: str) -> dict:
    """An item with its citations, or 404."""
    rec = get_db().item(item_id)
    if rec is None:
        abort_with(404, f"没有条目 {item_id}")
    rec["citation"], rec["citation_gbt"] = for_hit(rec)
    return rec


@bp.get("/items/<item_id>")
def item(item_id: str):
    from .correcting import hidden_item, item_extras
    if get_db().item(item_id) is None:
        new = get_db().now_at(item_id)
        if new:
            return redirect(url_for("browse.item", item_id=new, **request.args), code=301)
        page = hidden_item(item_id)
        if page is not None:
            return page
    rec = item_record(item_id)
    rec.update(item_extras(rec))
    rec["shown_units"] = [u for u in rec["canonical_units"] if registered(u)]  # readers: registered units only
    rec["shown_printed"] = [u for u in rec["units"] if u not in rec["canonical_units"] and registered(u)]
    prev_id, next_id = get_db().neighbours(rec["issue"], rec["seq"])
    q, unit = request.args.get("q", ""), request.args.get("unit", "").strip()
    try:
        terms = query_terms(q)
    except QueryError:
        terms = []
    span = request.args.get("mark", "")
    hit = request_focus(rec, q, unit) if not span else None  # from a hit: its matched sentence(s)
    if hit is not None and hit.excerpt:
        span = f"{hit.excerpt[0][0]}-{hit.excerpt[-1][1]}"
    saved = request.args.get("saved", "")
    return render_template("item.html", it=rec, prev_id=prev_id, next_id=next_id, q=q, unit=unit, terms=terms,
                           text=marked_span(rec["text"], span, terms), hit_cite=focus_citation(rec, hit),
                           hit_pages=hit.pages(rec) if hit is not None else None,
                           saved=int(saved) if saved.isdigit() else None, crops=item_crops(rec))


def item_crops(rec: dict) -> list[dict]:
    """The item's part of each page it is printed on (its lines' boxes, a margin around), for the
    page image beside its text: {"n", "width", "height", "crop", "boxes", "v"}; none without the PDF."""
    row = get_db().issue_row(rec["issue"])
    pdf = datadir().pdf_path(row["sha256"]) if row else None
    if pdf is None or not pdf.exists():
        return []
    out = []
    for n in range(rec["page_start"], rec["page_end"] + 1):
        boxes = [b for b in rec["boxes"] if b[0] == n]
        db = get_db()
        width, height = pageimages.shown_size(str(pdf), db.file_page(rec["issue"], n), db.page_rotation(rec["issue"], n),
                                              db.page_geometry(rec["issue"], n))
        out.append({"n": n, "width": width, "height": height, "boxes": boxes, "v": image_version(row),
                    "crop": pageimages.crop_of(boxes, width, height)})
    return out


def marked_span(text: str, span: str, terms: list[str]) -> Markup:
    """An item's text with the query's matches marked and, with ?mark=START-END (an activity's
    offsets, as the unit page links it; the sentence(s) a hit pointed at), that span marked as the
    reader's target (#activity)."""
    try:
        start, end = (int(v) for v in span.split("-", 1))
    except ValueError:
        return mark(text, terms)
    if not 0 <= start < end <= len(text):
        return mark(text, terms)
    return (mark(text[:start], terms) + Markup('<mark class="activity" id="activity">') + mark(text[start:end], terms)
            + Markup("</mark>") + mark(text[end:], terms))


@bp.get("/issues/<issue_id>")
def issue(issue_id: str):
    from ..store.corrections import issue_version
    db = get_db()
    row = db.issue_row(issue_id)
    if row is None:
        new = db.now_at(issue_id, "issue")
        if new:
            return redirect(url_for("browse.issue", issue_id=new), code=301)
        abort_with(404, f"没有期刊 {issue_id}")
    items = db.items_of_issue(issue_id)
    extra = {"original_name": row["original_name"], "sha256": row["sha256"],
             "review_reasons": [(review_cn(r), r.kind) for r in db.reviews(issue_id)],
             "unit_links": {it["id"]: [(p, c) for p, c in it["unit_links"] if registered(p)] for it in items},
             "corrected": db.corrected_items([it["id"] for it in items]),
             "reviewed": db.reviewed_ids().get(issue_id), "history": history_shown(db.history(issue_id)),
             "issue_version": issue_version(row), "scanned": "ocr" in db.page_methods(issue_id)}
    rec = db.issue_record(issue_id)
    rec.update(collection=row["collection"], doc_title=row["title"], original_name=row["original_name"])
    return render_template("issue.html", rec=rec, extra=extra)


def stored_pdf(issue_id: str):
    """An issue's row and its stored original, or 404."""
    row = get_db().issue_row(issue_id)
    if row is None:
        abort_with(404, f"没有期刊 {issue_id}")
    path = datadir().pdf_path(row["sha256"])
    if not path.exists():
        abort_with(404, f"期刊 {issue_id} 的原始 PDF 不在服务器的数据目录中；请告诉管理员检查数据目录")
    return row, path


@bp.get("/issues/<issue_id>/pdf")
def issue_pdf(issue_id: str):
    """The issue's own PDF (an issue of a bound volume: its pages of it, made once and cached);
    revalidated on every use (its ETag is its hash and pages: a replaced issue is downloaded anew,
    an unchanged one answers 304). ?text=1: a scanned issue with the text layer of its records laid
    over its pages (report.searchable_pdf; made anew each time: corrections)."""
    row, _ = stored_pdf(issue_id)
    path, etag = datadir().issue_pdf(row)
    if request.args.get("text") == "1" and is_ocr_issue(get_db(), issue_id):
        from ..report.searchable_pdf import searchable_pdf
        return send_file(io.BytesIO(searchable_pdf(get_db(), datadir(), issue_id)), mimetype="application/pdf",
                         as_attachment=True, download_name=f"{issue_id}-可检索.pdf", max_age=0)
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=f"{issue_id}.pdf",
                     etag=etag, max_age=None)


def _issue_page(issue_id: str, n: int):
    row, path = stored_pdf(issue_id)
    if not 1 <= n <= row["pages"]:
        abort_with(404, f"期刊 {issue_id} 只有 {row['pages']} 页")
    return row, path


def image_version(row) -> str:
    """What a page image URL carries (?v=): the stored original's hash, so that a replaced issue's
    pages have new URLs."""
    return row["sha256"][:12]


@bp.get("/issues/<issue_id>/pages/<int:n>.png")
def page_png(issue_id: str, n: int):
    """A page image. Under its versioned URL (?v= the original's hash, as the page view links it)
    it is cached for good; under any other it is revalidated (ETag: hash and page) each time."""
    row, _ = _issue_page(issue_id, n)
    page = get_db().file_page(issue_id, n)  # an issue of a bound volume: its page n is this page of the file
    png = pageimages.render_png(datadir(), current_app.extensions["archive.renderer"], row["sha256"], page,
                                rotation=get_db().page_rotation(issue_id, n), geometry=get_db().page_geometry(issue_id, n))
    current = request.args.get("v") == image_version(row)
    return send_file(png, mimetype="image/png", etag=f"{row['sha256'][:16]}-{page}",
                     max_age=31536000 if current else None)


@bp.get("/issues/<issue_id>/pages/<int:n>")
def page_view(issue_id: str, n: int):
    row, pdf = _issue_page(issue_id, n)
    db = get_db()
    chosen = request.args.get("item", "").strip()
    q = request.args.get("q", "").strip()
    if chosen:
        rec = db.item(chosen)
        if rec is None or rec["issue"] != issue_id:
            abort_with(404, f"期刊 {issue_id} 中没有条目 {chosen}")
    unit = request.args.get("unit", "").strip()
    terms = query_terms(q)  # QueryError → 400
    items = db.items_on_page(issue_id, n)
    for it in items:
        it["chosen"] = it["id"] == chosen
        it["match"] = title_match(it, terms)  # in its text, or in its heading or section title
        hit = request_focus(it, q, unit) if it["chosen"] or it["match"] else None
        # the words the hit points at (in the chosen item), or every match of the search (in another)
        it["words"] = word_boxes(it, hit, n) if it["chosen"] else mark_boxes(it, hit, n)
    width, height = pageimages.shown_size(str(pdf), db.file_page(issue_id, n), db.page_rotation(issue_id, n),
                                          db.page_geometry(issue_id, n))
    return render_template("page.html", issue=row, n=n, items=items, chosen=chosen, q=q, unit=unit, width=width,
                           height=height, pad=1.5, v=image_version(row), zoom=zoom_of(items, width, height))


def zoom_of(items: list[dict], width: float, height: float) -> dict | None:
    """For a phone: the part of the page around the chosen item (else the items that match), and
    the CSS width that draws its text at a legible size (pageimages.LEGIBLE_PX); None without one."""
    boxes = [b for it in items if it["chosen"] for b in it["boxes"]] or \
        [b for it in items if it["match"] for b in it["boxes"]]
    if not boxes:
        return None
    crop = pageimages.crop_of(boxes, width, height)
    return {"crop": crop, "px": pageimages.legible_width(crop[2], boxes), "text_pt": pageimages.text_size(boxes)}


UNIT_SORTS = ("total", "items", "name")


@bp.get("/units")
def units():
    """Every unit: the items that name it and its activities per year (a units × years table,
    sorted by ?sort= total, items, name or a year), with a small chart per row and for all."""
    db = get_db()
    table = units_table({u: c for u, c in db.units_by_year().items() if registered(u)})
    items = dict(unit_counts_seen())
    zero = [0] * len(table.years)
    rows = [{"unit": u, "counts": c, "total": t, "items": items.get(u, 0)} for u, c, t in table.rows]
    active = {r["unit"] for r in rows}
    rows += [{"unit": u, "counts": zero, "total": 0, "items": n} for u, n in items.items() if u not in active]
    sort = request.args.get("sort", "total")
    if sort in ("items", "total"):
        rows.sort(key=lambda r: (-r[sort], -r["total"], r["unit"]))
    elif sort == "name":
        rows.sort(key=lambda r: r["unit"])
    elif sort.isdigit() and int(sort) in table.years:
        k = table.years.index(int(sort))
        rows.sort(key=lambda r: (-r["counts"][k], -r["total"], r["unit"]))
    else:
        sort = "total"
    peak = max((max(r["counts"]) for r in rows if r["counts"]), default=0)
    for r in rows:
        r["spark"] = year_bars(r["counts"], peak)
    return render_template("units.html", rows=rows, years=table.years, sort=sort,
                           chart=years_chart(table.years, table.totals()))


@bp.get("/units/<path:name>")
def unit(name: str):
    """A unit's own activities, newest first (within ?from= and ?to=), each with its citation and a
    link to its item with the sentence marked; the items that name it in the search."""
    db = get_db()
    collection = unit_collection()
    summary = db.unit_summary(name, collection)
    if summary is None or not (registered(name) or is_editor()):  # a unit the parser found: editors' to judge
        abort_with(404, f"没有提到“{name}”的条目")
    summary["registered"], summary["collection"] = registered(name), collection
    span = {k: request.args.get(k, "").strip() for k in ("from", "to")}
    date_error, bad_fields = None, ()
    try:
        lo, hi = check_dates(span["from"] or None, span["to"] or None)
    except ArchiveError as exc:  # the page again, all dates, with the form's bad field marked and why
        date_error, bad_fields, lo, hi = error_cn(exc), bad_date_fields(span), None, None
    page = int_arg("page", 1, 1, 10000)
    total = db.unit_activity_count(name, lo, hi, collection)
    acts = db.unit_activities(name, UNIT_PAGE_SIZE, (page - 1) * UNIT_PAGE_SIZE, lo, hi, collection)
    for act in acts:
        act["citation"], _ = for_hit(act)
    pages_total = max(1, math.ceil(total / UNIT_PAGE_SIZE))
    args = {k: v for k, v in span.items() if v}
    if collection != BULLETIN:
        args["collection"] = collection or "all"
    months = db.unit_activity_months(name, collection)
    by_year: Counter = Counter()
    for (year, _), n in months.items():
        by_year[year] += n
    return render_template("unit.html", u=summary, acts=acts, total=total, span=span, args=args,
                           by_year=sorted(by_year.items(), reverse=True), chart=months_chart(months), page=page,
                           pages_total=pages_total, date_error=date_error, bad_fields=bad_fields,
                           base=url_for("browse.unit", name=name, **args)), 400 if date_error else 200


def bad_date_fields(span: dict) -> tuple[str, ...]:
    """Which of a form's date fields is wrong (both, when each is a date but they run backwards)."""
    bad = []
    for key in ("from", "to"):
        try:
            check_dates(span[key] or None, None)
        except ArchiveError:
            bad.append(key)
    return tuple(bad) or ("from", "to")
