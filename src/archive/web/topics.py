"""Topics (专题) and people on the web: /topics (the vocabulary, with the activities each tags, and
for editors its changes and their 撤销), /topics/<name> (a topic's activities, ?unit=), /topics/units
(units × topics, each count a link to those activities), /people (everyone items are signed by or
name with their unit; editors merge spellings), /people/<name> (their items by date, their units
over the years, with citations). Changes go through service.topics; reverting is web.correcting's."""
from __future__ import annotations

import math
from collections import Counter

from flask import Blueprint, redirect, render_template, request, url_for

from ..errors import ArchiveError
from ..messages import error_cn
from ..report.chronicle import known_topic
from ..service.topics import PeopleEditor, TopicEditor
from ..store.citation import for_hit
from ..store.site_topics import site_topics
from . import abort_with
from .auth import require_editor
from .browse import int_arg
from .correcting import editor_name
from .db import datadir, get_db
from .importing import check_csrf, is_editor

bp = Blueprint("topics", __name__)
people_bp = Blueprint("people", __name__)

TOPIC_FORM_OPS = ("add", "alias", "keyword", "exclude", "rename", "merge", "remove")
PAGE_SIZE = 50


def listed(raw: str | None) -> list[str]:
    return [a.strip() for a in (raw or "").replace("，", ",").replace("、", ",").split(",") if a.strip()]


@bp.get("/topics")
def topics():
    db = get_db()
    vocab = site_topics(db)
    counts = db.topic_counts()
    history = db.site_history("topic")[:30] if is_editor() else []
    return render_template("topics.html", topics=list(vocab.topics.values()), counts=counts, history=history,
                           years=db.activity_years())


@bp.post("/topics/edit")
def edit_topics():
    require_editor()
    check_csrf()
    op = request.form.get("op", "")
    if op not in TOPIC_FORM_OPS:
        abort_with(400, "未知的专题操作。")
    f = request.form
    years = None
    if f.get("years", "").strip():
        from ..search.query import year_range
        try:
            lo, hi = year_range(f["years"])
        except ArchiveError as exc:
            abort_with(400, error_cn(exc))
        years = (lo or hi, hi or lo)
    try:
        TopicEditor(get_db(), datadir()).change(op, f.get("name", ""), f.get("other") or None, listed(f.get("aliases")),
                                                listed(f.get("keywords")), years, who=editor_name(), note=f.get("note"))
    except ArchiveError as exc:
        abort_with(exc.status, error_cn(exc))
    return redirect(url_for("topics.topics"), code=303)


def revert_site(cid: int, family: str, back: str):
    """Revert a change of the topic vocabulary or the people list (service.correcting.Editor.revert)."""
    require_editor()
    check_csrf()
    from ..service.correcting import Editor
    c = get_db().correction(cid)
    if c is None or c["issue_key"] != "" or not c["op"].startswith(family + "_"):
        abort_with(404, f"没有校对记录 {cid}")
    try:
        Editor(get_db(), datadir()).revert(cid, editor_name())
    except ArchiveError as exc:
        abort_with(exc.status, error_cn(exc))
    return redirect(url_for(back), code=303)


@bp.post("/topics/revert/<int:cid>")
def revert_topic_change(cid: int):
    return revert_site(cid, "topic", "topics.topics")


@bp.get("/topics/units")
def matrix():
    """Units × topics: each unit's activities of each topic (within ?from= ?to=, their own dates)."""
    db = get_db()
    lo, hi = (request.args.get(k, "").strip() or None for k in ("from", "to"))
    try:
        from ..report.build import check_dates
        lo_day, hi_day = check_dates(lo, hi)
    except ArchiveError as exc:
        abort_with(400, error_cn(exc))
    table = db.units_by_topic(lo_day, hi_day)
    names = [t for t in site_topics(db).topics if any(c.get(t) for c in table.values())]
    rows = sorted(table.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    totals = Counter()
    for _, c in rows:
        totals.update(c)
    span = {"from": lo, "to": hi}
    return render_template("topics_matrix.html", rows=rows, topics=names, totals=totals, span=span,
                           range_args={k: v for k, v in span.items() if v})


@bp.get("/topics/<path:name>")
def topic(name: str):
    """A topic's activities, newest first by their own dates (?unit= one unit's), with citations."""
    db = get_db()
    vocab = site_topics(db)
    try:
        canonical = known_topic(vocab, name)
    except ArchiveError as exc:
        abort_with(404, error_cn(exc))
    if canonical != name:
        return redirect(url_for("topics.topic", name=canonical, **request.args), code=301)
    unit = request.args.get("unit", "").strip() or None
    lo, hi = (request.args.get(k, "").strip() or None for k in ("from", "to"))
    page = int_arg("page", 1, 1, 10000)
    total = db.activity_count(lo, hi, unit, canonical)
    acts = list(db.iter_activities(lo, hi, unit, canonical, newest_first=True, limit=PAGE_SIZE,
                                   offset=(page - 1) * PAGE_SIZE))
    for a in acts:
        a["citation"] = for_hit({**a, "date": a["issue_date"]})[0]
    args = {k: v for k, v in (("unit", unit), ("from", lo), ("to", hi)) if v}
    return render_template("topic.html", t=vocab.topics[canonical], acts=acts, total=total, unit=unit, page=page,
                           pages_total=max(1, math.ceil(total / PAGE_SIZE)), args=args,
                           base=url_for("topics.topic", name=canonical, **args))


# --- people ---------------------------------------------------------------------------------------

@people_bp.get("/people")
def people():
    db = get_db()
    history = db.site_history("person")[:30] if is_editor() else []
    return render_template("people.html", people=db.people(), history=history)


@people_bp.post("/people/edit")
def edit_people():
    require_editor()
    check_csrf()
    op = request.form.get("op", "")
    if op not in ("merge", "rename"):
        abort_with(400, "未知的人名操作。")
    try:
        PeopleEditor(get_db()).change(op, request.form.get("name", ""), request.form.get("other", ""),
                                      who=editor_name(), note=request.form.get("note"))
    except ArchiveError as exc:
        abort_with(exc.status, error_cn(exc))
    return redirect(url_for("people.people"), code=303)


def sentence_naming(text: str, name: str) -> tuple[int, int]:
    """(start, end) of the sentence of `text` that names `name` (the whole text if none does)."""
    at = text.find(name)
    if at < 0:
        return 0, len(text)
    start = max((text.rfind(ch, 0, at) for ch in "。！？；\n"), default=-1) + 1
    ends = [e for e in (text.find(ch, at) for ch in "。！？；\n") if e >= 0]
    return start, (min(ends) + 1 if ends else len(text))


@people_bp.post("/people/revert/<int:cid>")
def revert_people_change(cid: int):
    return revert_site(cid, "person", "people.people")


@people_bp.get("/people/<path:name>")
def person(name: str):
    """A person's items by date (signed, or naming them with their unit), their units per year."""
    db = get_db()
    canonical = db.people_names().canonical(name)
    if canonical != name:
        return redirect(url_for("people.person", name=canonical), code=301)
    spellings, items = db.person_items(name)
    if not items:
        abort_with(404, f"没有署名或提到“{name}”的条目")
    years: dict[int, Counter] = {}
    for it in items:
        it["citation"], it["citation_gbt"] = for_hit(it)
        it["span"] = sentence_naming(it["text"], it["person_name"])
        unit = it["person_unit"] or ("、".join(it["canonical_units"][:1]) or None)
        year = it["year"] or (int(it["date"][:4]) if it["date"] else None)
        if year and unit:
            years.setdefault(year, Counter())[unit] += 1
    return render_template("person.html", name=name, spellings=spellings, items=items,
                           years=sorted(years.items(), reverse=True))
